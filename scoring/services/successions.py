"""Recording a merger in one action: the absorbed units' memberships from the first year that
begins on or after the merger date pass to the absorbing unit, the absorbed units close on
that date (inactive, a `merged into` succession each, with its decision), and, if asked,
their accounts are locked. Years before that year are not touched.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from units.models import Membership, Unit, UnitSuccession, UserRole

from ..models import Compact, Score
from .common import ServiceError

CLOSING = UnitSuccession.CLOSING


@dataclass(frozen=True)
class MergerResult:
    first_year: int  # the first year whose memberships moved
    moved: int  # memberships moved or folded into the absorbing unit's
    locked: int  # accounts locked


def first_year_after(day: datetime.date) -> int:
    """The first year that begins on or after `day` (1/1/2026 → 2026, 1/7/2025 → 2026)."""
    return day.year if (day.month, day.day) == (1, 1) else day.year + 1


def record_merger(
    *,
    absorbing: Unit,
    absorbed: list[Unit],
    effective_on: datetime.date,
    decision: str = "",
    decision_date: datetime.date | None = None,
    issuing_body: str = "",
    lock_accounts: bool = False,
) -> MergerResult:
    """Merges `absorbed` into `absorbing` from `effective_on`, or raises ServiceError and
    writes nothing (an absorbed or absorbing unit already merged, a year already closed or
    being scored, a decision dated after the merger)."""
    first_year = first_year_after(effective_on)
    with transaction.atomic():
        ids = sorted({u.pk for u in absorbed})
        locked = {
            u.pk: u for u in Unit.objects.select_for_update().filter(pk__in=[*ids, absorbing.pk])
        }
        _check(absorbing, [locked[pk] for pk in ids if pk in locked], effective_on, decision_date)
        memberships = list(
            Membership.objects.select_for_update()
            .filter(unit_id__in=[*ids, absorbing.pk], year__gte=first_year)
            .select_related("cluster")
        )
        _check_years(memberships, absorbing)
        moved = _move_memberships(memberships, absorbing)
        for pk in ids:
            UnitSuccession.objects.create(
                predecessor=locked[pk],
                successor=absorbing,
                kind=UnitSuccession.Kind.MERGED,
                effective_on=effective_on,
                decision=decision,
                decision_date=decision_date,
                issuing_body=issuing_body,
            )
        Unit.objects.filter(pk__in=ids).update(active=False)
        accounts = _lock_accounts(ids) if lock_accounts else 0
    return MergerResult(first_year=first_year, moved=moved, locked=accounts)


def _check(absorbing, absorbed, effective_on, decision_date):
    if not absorbed:
        raise ServiceError(
            _("Choose at least one unit to merge into %(unit)s.") % {"unit": absorbing}
        )
    if any(u.pk == absorbing.pk for u in absorbed):
        raise ServiceError(
            _("A unit cannot be merged into itself: %(unit)s.") % {"unit": absorbing}
        )
    if decision_date is not None and decision_date > effective_on:
        raise ServiceError(_("The decision is dated after the merger takes effect."))
    closed = {
        s.predecessor_id: s
        for s in UnitSuccession.objects.filter(
            predecessor_id__in=[absorbing.pk, *(u.pk for u in absorbed)], kind__in=CLOSING
        ).select_related("successor")
    }
    for unit in [absorbing, *absorbed]:
        if unit.pk in closed:
            succession = closed[unit.pk]
            raise ServiceError(
                _(
                    "%(unit)s was already %(kind)s %(successor)s on %(date)s; "
                    "it cannot be merged again."
                )
                % {
                    "unit": unit,
                    "kind": succession.get_kind_display(),
                    "successor": succession.successor or "",
                    "date": formats.date_format(succession.effective_on, "SHORT_DATE_FORMAT"),
                }
            )


def _check_years(memberships, absorbing):
    """No year the merger reaches may be closed or already being scored."""
    places = {(m.cluster_id, m.year) for m in memberships if m.unit_id != absorbing.pk}
    if not places:
        return
    wanted = [
        c
        for c in Compact.objects.filter(year__in={y for _c, y in places})
        if (c.cluster_id, c.year) in places
    ]
    for compact in sorted(wanted, key=lambda c: c.year):
        if compact.status in (Compact.Status.SCORING_CLOSED, Compact.Status.FINALIZED):
            raise ServiceError(
                _(
                    "The %(year)s year of %(cluster)s is closed: its members cannot change. "
                    "Choose a later merger date."
                )
                % {"year": compact.year, "cluster": compact.cluster}
            )
    scored = (
        Score.objects.filter(compact__in=wanted)
        .values_list("compact__year", flat=True)
        .order_by("compact__year")
        .first()
    )
    if scored is not None:
        raise ServiceError(
            _(
                "Scoring of %(year)s has begun: its members cannot change any more. "
                "Choose a later merger date."
            )
            % {"year": scored}
        )


def _move_memberships(memberships, absorbing) -> int:
    """Each absorbed membership passes to the absorbing unit; where the absorbing unit is
    already a member that year, the absorbed one is removed (its role, if a leader's or a
    deputy's, passes to the absorbing unit when that one is an ordinary member)."""
    own = {m.year: m for m in memberships if m.unit_id == absorbing.pk}
    moved = 0
    for m in sorted(memberships, key=lambda m: (m.year, m.unit_id)):
        if m.unit_id == absorbing.pk:
            continue
        mine = own.get(m.year)
        if mine is None:
            m.unit = absorbing
            m.save(update_fields=["unit"])
            own[m.year] = m
        else:
            role = m.role
            m.delete()
            if mine.cluster_id == m.cluster_id and mine.role == Membership.Role.MEMBER:
                mine.role = role
                mine.save(update_fields=["role"])
        moved += 1
    return moved


def _lock_accounts(unit_ids) -> int:
    """Deactivates the accounts whose every role is bound to an absorbed unit."""
    users = set(UserRole.objects.filter(unit_id__in=unit_ids).values_list("user_id", flat=True))
    elsewhere = set(
        UserRole.objects.filter(user_id__in=users)
        .exclude(unit_id__in=unit_ids)
        .values_list("user_id", flat=True)
    )
    return (
        get_user_model()
        .objects.filter(pk__in=users - elsewhere, is_active=True)
        .update(is_active=False)
    )
