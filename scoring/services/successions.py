"""Recording a merger in one action: the absorbed units' memberships from the first year that
begins on or after the merger date pass to the absorbing unit, the absorbed units close on
that date (inactive, a `merged into` succession each, with its decision), and, if asked,
their accounts are locked. Years before that year are not touched.

- A merger is often recorded in advance (NQ 202/2025/QH15 was adopted on 12/6/2025 and took
  effect on 1/7/2025): the memberships move at once, but the absorbed units stay active and
  their accounts open until the merger date; `close_due_mergers` closes them from that day
  (it runs at every sign-in and from the `close_due_mergers` command), once: the succession
  records the day it closed its unit (`closed_on`), so a unit an administrator reactivates
  afterwards is not closed again. Until then the absorbed units are not offered as members
  of the years the merger reaches (`Unit.objects.existing_in`).
- What the absorbed units registered for the years that move (targets, their registration,
  criteria marked not applicable) is removed in the same transaction: they no longer take
  part in those years, and their targets and applicability described their own territory,
  not the merged unit's, which registers its own. The history keeps the removed rows.
- A leader's or a deputy's role passes to the absorbing unit when it can hold it; when it
  cannot (it already holds a role that year, or belongs to another cluster) the role is
  left vacant and reported in `lost_roles`, for the cluster to choose again.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from units.models import Cluster, Membership, Unit, UnitSuccession, UserRole

from ..models import Compact, NotApplicable, Score, Target, TargetRegistration
from .common import ServiceError

CLOSING = UnitSuccession.CLOSING


@dataclass(frozen=True)
class LostRole:
    """A leader's or a deputy's role an absorbed unit held that nobody holds any more."""

    cluster: Cluster
    year: int
    role: str  # Membership.Role
    unit: Unit  # the absorbed unit that held it

    def get_role_display(self) -> str:
        return Membership.Role(self.role).label


@dataclass(frozen=True)
class MergerResult:
    first_year: int  # the first year whose memberships moved
    moved: int  # memberships moved or folded into the absorbing unit's
    locked: int  # accounts locked (0 while the merger has not taken effect)
    pending: bool = False  # recorded in advance: the units close on the merger date
    removed_targets: int = 0  # targets of the absorbed units in the years that moved
    removed_registrations: int = 0
    removed_not_applicable: int = 0
    lost_roles: list[LostRole] = field(default_factory=list)


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
    today: datetime.date | None = None,
) -> MergerResult:
    """Merges `absorbed` into `absorbing` from `effective_on`, or raises ServiceError and
    writes nothing (an absorbed or absorbing unit already merged, a year already closed or
    being scored, a decision dated after the merger). The units close (and their accounts
    lock, with `lock_accounts`) now when the merger date is `today` (the local date) or
    earlier, else on that date (`pending`)."""
    first_year = first_year_after(effective_on)
    today = today or timezone.localdate()
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
        moved, lost_roles = _move_memberships(memberships, absorbing)
        removed = _remove_registered(ids, first_year)
        pending = effective_on > today
        for pk in ids:
            UnitSuccession.objects.create(
                predecessor=locked[pk],
                successor=absorbing,
                kind=UnitSuccession.Kind.MERGED,
                effective_on=effective_on,
                decision=decision,
                decision_date=decision_date,
                issuing_body=issuing_body,
                lock_accounts=lock_accounts,
                closed_on=None if pending else today,
            )
        accounts = 0 if pending else _close(ids, ids if lock_accounts else [])
    return MergerResult(
        first_year=first_year,
        moved=moved,
        locked=accounts,
        pending=pending,
        removed_targets=removed[0],
        removed_registrations=removed[1],
        removed_not_applicable=removed[2],
        lost_roles=lost_roles,
    )


def close_due_mergers(*, today: datetime.date | None = None) -> int:
    """Closes the units a merger (or a dissolution) recorded in advance has closed by
    `today` (the local date): inactive, and their accounts locked when it was asked. Each
    succession closes its unit once (`closed_on`): a unit an administrator reactivates
    afterwards stays active. Idempotent; one query when nothing is due. Returns the number
    of units closed."""
    today = today or timezone.localdate()
    due = UnitSuccession.objects.filter(
        kind__in=CLOSING, effective_on__lte=today, closed_on__isnull=True
    )
    if not due.exists():
        return 0
    with transaction.atomic():
        successions = list(due.select_for_update())
        units = list(
            Unit.objects.select_for_update()
            .filter(active=True, pk__in={s.predecessor_id for s in successions})
            .values_list("pk", flat=True)
        )
        to_lock = {s.predecessor_id for s in successions if s.lock_accounts}
        _close(units, [pk for pk in units if pk in to_lock])
        UnitSuccession.objects.filter(pk__in=[s.pk for s in successions]).update(closed_on=today)
    return len(units)


def _close(unit_ids, lock_for) -> int:
    """Makes the units inactive and locks the accounts of those in `lock_for`; returns the
    number of accounts locked."""
    Unit.objects.filter(pk__in=unit_ids).update(active=False)
    return _lock_accounts(lock_for) if lock_for else 0


def _remove_registered(unit_ids, first_year) -> tuple[int, int, int]:
    """Removes the absorbed units' targets, target registrations and not-applicable marks
    in the years that moved (their compacts are not being scored: `_check_years`)."""
    later = {"unit_id__in": unit_ids, "compact__year__gte": first_year}
    counts = []
    for model in (Target, TargetRegistration, NotApplicable):
        rows = list(model.objects.filter(**later))
        for row in rows:
            row.delete()  # one by one: each leaves its history record
        counts.append(len(rows))
    return tuple(counts)


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


def _move_memberships(memberships, absorbing) -> tuple[int, list[LostRole]]:
    """Each absorbed membership passes to the absorbing unit; where the absorbing unit is
    already a member that year, the absorbed one is removed (its role, if a leader's or a
    deputy's, passes to the absorbing unit when that one is an ordinary member of the same
    cluster; else the role is lost, and returned)."""
    own = {m.year: m for m in memberships if m.unit_id == absorbing.pk}
    moved, lost = 0, []
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
            if role == Membership.Role.MEMBER:
                pass
            elif mine.cluster_id == m.cluster_id and mine.role == Membership.Role.MEMBER:
                mine.role = role
                mine.save(update_fields=["role"])
            else:
                lost.append(LostRole(cluster=m.cluster, year=m.year, role=role, unit=m.unit))
        moved += 1
    return moved, lost


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
