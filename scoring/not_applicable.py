"""Marking criteria not applicable to a unit (không áp dụng): the page's state and its save.

- The secretariat marks content criteria per unit, with a reason, until scoring closes
  (`access.may_mark_not_applicable`). Marking a group marks every content leaf below it that
  is not marked yet; bonus and deduction items are never marked.
- A cell that already holds a score (self-assessed or verified) is not marked: the score is
  cleared first, so that no points silently disappear from a total.
- A unit keeps at least one applicable content criterion: a unit with nothing to score
  cannot be ranked, by total or by percentage.
- A save is all or nothing; a stale page (someone marked, unmarked or changed a reason since
  it was drawn) is refused with what changed; a page submitted unchanged writes nothing.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from . import ranking
from .concurrency import State, refuse_if_changed
from .concurrency import entry as state_entry
from .models import Compact, Criterion, NotApplicable, Score
from .models.applicability import REASON_MAX_LENGTH
from .services import ServiceError

MARKABLE = (Compact.Status.DRAFT, Compact.Status.SIGNING, Compact.Status.IN_FORCE)


def marks_editable(compact: Compact) -> bool:
    """Marks change until scoring closes (the access rule adds who may change them)."""
    return compact.status in MARKABLE


@dataclass(frozen=True)
class NewMark:
    """A criterion (a leaf or a content group) to mark not applicable to a unit."""

    unit_id: int
    criterion_id: int
    reason: str


def marks_state(marks: list[NotApplicable]) -> State:
    """The compact's marks as compared for a stale save: one entry per (unit, criterion),
    holding its reason."""
    return {
        f"{m.unit_id}-{m.criterion_id}": state_entry(
            f"{getattr(m.unit, 'shown_short_name', m.unit.short_name)} — {m.criterion.shown_code}",
            m.reason,
        )
        for m in marks
    }


def current_marks(compact: Compact, *, lock: bool = False) -> list[NotApplicable]:
    marks = NotApplicable.objects.filter(compact=compact).select_related(
        "unit", "criterion", "marked_by"
    )
    if lock:
        marks = marks.select_for_update(of=("self",))
    return list(marks.order_by("unit__short_name", "criterion__position", "criterion_id"))


@transaction.atomic
def save_not_applicable(
    *,
    compact: Compact,
    user,
    add: NewMark | None = None,
    reasons: dict[int, str] | None = None,
    remove: set[int] | frozenset = frozenset(),
    seen: dict | None = None,
) -> int:
    """Adds a mark (`add`), changes the reasons of marks (`reasons`: mark id → reason) and
    removes marks (`remove`: mark ids), all or nothing. Returns the number of marks written
    (added, changed or removed); raises ServiceError (StaleSave for a stale page)."""
    # For update: every score save holds this row locked, shared, until it commits
    # (`services.relative.lock_for_relative`), so a mark and a score never meet on one cell.
    compact = Compact.objects.select_for_update().get(pk=compact.pk)
    if not marks_editable(compact):
        raise ServiceError(
            _(
                "Criteria can be marked not applicable only until scoring closes "
                "(status: %(status)s)."
            )
            % {"status": compact.get_status_display()}
        )
    marks = current_marks(compact, lock=True)
    refuse_if_changed(seen=seen, now=marks_state(marks))
    by_id = {m.pk: m for m in marks}
    unknown = (set(reasons or {}) | set(remove)) - set(by_id)
    if unknown:
        raise ServiceError(_("This page is out of date: reload it and make your change again."))
    now = timezone.now()
    changed = [m for m in marks if m.pk not in remove and _new_reason(m, (reasons or {}).get(m.pk))]
    created = _planned_marks(compact, add, marks, remove) if add else []
    _ensure_something_applies(compact, marks, remove, created)
    for mark in changed:
        mark.marked_by, mark.marked_at = user, now
        mark.save(update_fields=["reason", "marked_by", "marked_at"])
    for mark_id in remove:
        by_id[mark_id].delete()
    for mark in created:
        mark.marked_by, mark.marked_at = user, now
        mark.save()
    return len(changed) + len(remove) + len(created)


def _clean_reason(text: str | None) -> str:
    reason = " ".join((text or "").split())
    if not reason:
        raise ServiceError(_("Give the reason why the criterion does not apply."))
    if len(reason) > REASON_MAX_LENGTH:
        raise ServiceError(
            _("The reason is %(length)s characters long; at most %(limit)s are allowed.")
            % {
                "length": formats.number_format(len(reason), force_grouping=True),
                "limit": formats.number_format(REASON_MAX_LENGTH, force_grouping=True),
            }
        )
    return reason


def _new_reason(mark: NotApplicable, text: str | None) -> bool:
    """Sets the mark's new reason; False when there is none or it is the same."""
    if text is None:
        return False
    reason = _clean_reason(text)
    if reason == mark.reason:
        return False
    mark.reason = reason
    return True


def _planned_marks(compact, add: NewMark, marks, remove) -> list[NotApplicable]:
    """The marks `add` creates: the criterion, or every content leaf below a group, for the
    unit, leaving out those already marked. Refuses bonus and deduction items, units that are
    not members and cells that hold a score."""
    reason = _clean_reason(add.reason)
    if add.unit_id not in set(compact.memberships().values_list("unit_id", flat=True)):
        raise ServiceError(_("This unit is not a member of the cluster in that year."))
    criteria = {c.pk: c for c in Criterion.objects.filter(compact=compact)}
    chosen = criteria.get(add.criterion_id)
    if chosen is None:
        raise ServiceError(_("This criterion is not part of this scheme."))
    if chosen.section != ranking.Section.CONTENT:
        raise ServiceError(_("Bonus and deduction items cannot be marked not applicable."))
    leaves = _leaves_below(chosen, criteria)
    already = {m.criterion_id for m in marks if m.unit_id == add.unit_id and m.pk not in remove}
    leaves = [leaf for leaf in leaves if leaf.pk not in already]
    if not leaves:
        raise ServiceError(
            _("%(code)s is already marked not applicable to this unit.")
            % {"code": chosen.shown_code}
        )
    _ensure_not_scored(compact, add.unit_id, leaves)
    return [
        NotApplicable(compact=compact, unit_id=add.unit_id, criterion=leaf, reason=reason)
        for leaf in leaves
    ]


def _leaves_below(node: Criterion, criteria: dict[int, Criterion]) -> list[Criterion]:
    """The node itself when it is a leaf, else every leaf below it, in scheme order."""
    children: dict[int | None, list[Criterion]] = {}
    for c in sorted(criteria.values(), key=lambda c: (c.position, c.pk)):
        children.setdefault(c.parent_id, []).append(c)
    leaves, stack = [], [node]
    while stack:
        current = stack.pop()
        below = children.get(current.pk)
        if below:
            stack.extend(reversed(below))
        else:
            leaves.append(current)
    return leaves


def _ensure_not_scored(compact, unit_id: int, leaves: list[Criterion]) -> None:
    scored = set(
        Score.objects.filter(compact=compact, unit_id=unit_id, criterion__in=leaves)
        .filter(Q(self_value__isnull=False) | Q(verified_value__isnull=False))
        .values_list("criterion_id", flat=True)
    )
    if scored:
        codes = ", ".join(leaf.shown_code for leaf in leaves if leaf.pk in scored)
        raise ServiceError(
            _(
                "This unit already has scores on %(codes)s: clear them on the score sheet "
                "before marking the criterion not applicable."
            )
            % {"codes": codes}
        )


def _ensure_something_applies(compact, marks, remove, created) -> None:
    """Refuses a save after which a unit would have no applicable content criterion."""
    if not created:
        return
    unit_id = created[0].unit_id
    marked = {m.criterion_id for m in marks if m.unit_id == unit_id and m.pk not in remove}
    marked |= {m.criterion_id for m in created}
    content_leaves = set(
        Criterion.objects.filter(compact=compact, kind__in=_content_kinds())
        .leaves()
        .values_list("pk", flat=True)
    )
    if content_leaves <= marked:
        raise ServiceError(
            _(
                "At least one criterion must apply to every unit: with this mark nothing "
                "would be left to score."
            )
        )


def _content_kinds() -> list[str]:
    return [k for k in ranking.Kind.values if ranking.section_of(k) == ranking.Section.CONTENT]
