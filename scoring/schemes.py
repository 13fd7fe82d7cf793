"""Writing a compact's scheme: criteria, their order and codes, and imports
(targets: `scoring.targets`).

In draft the scheme changes freely. From signing on it is frozen: a change is an amendment
that needs a reason and is recorded; a finalized compact's scheme does not change at all.
A change never leaves a score above its criterion's new maximum, and a criterion that has
scores is not deleted.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from . import ranking, selectors
from .concurrency import State, refuse_if_changed
from .concurrency import entry as state_entry
from .lifecycle import record_event
from .models import Compact, CompactEvent, Criterion, Score, Target
from .ranking import Side
from .services import ServiceError
from .services.relative import recompute_relative

ROMAN = [
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
    "XVIII",
    "XIX",
    "XX",
]
LETTERS = "abcdefghijklmnopqrstuvwxyz"
EDITABLE_FIELDS = Criterion.EDITABLE_FIELDS
SETTINGS_FIELDS = Compact.SETTINGS_FIELDS


def criterion_state(values: dict) -> State:
    """A criterion's editable fields as compared for a stale save (see concurrency)."""
    choices = {"kind": dict(ranking.Kind.choices), "rule": dict(ranking.Rule.choices)}
    state = {}
    for name in EDITABLE_FIELDS:
        value = values.get(name)
        label = Criterion._meta.get_field(name).verbose_name
        shown = str(choices[name].get(value, value)) if name in choices and value else None
        if name == "parent" and value is None:
            shown = _("(top level: a group)")
        state[name] = state_entry(label, value, shown)
    return state


def criterion_values(criterion: Criterion) -> dict:
    return {name: getattr(criterion, name) for name in EDITABLE_FIELDS}


def settings_state(values: dict) -> State:
    """The compact's settings as compared for a stale save."""
    state = {}
    for name in SETTINGS_FIELDS:
        value = values.get(name)
        label = Compact._meta.get_field(name).verbose_name
        if name == "bands":
            value = "; ".join(_band_text(band) for band in value or [])
        elif name == "tie_breakers":
            value = ", ".join(value or [])
        shown = str(ranking.RankBy(value).label) if name == "rank_by" and value else None
        state[name] = state_entry(label, value, shown)
    return state


def settings_values(compact: Compact) -> dict:
    return {name: getattr(compact, name) for name in SETTINGS_FIELDS}


def _band_text(band) -> str:
    try:
        return f"{format(Decimal(str(band['min'])).normalize(), 'f')} {band['label']}"
    except (KeyError, TypeError, ArithmeticError, ValueError):
        return str(band)


def order_state(nodes: list[Criterion], criterion: Criterion) -> State:
    """The order of a criterion's siblings (what moving it changes), from scheme nodes."""
    siblings = [n for n in nodes if n.parent_id == criterion.parent_id]
    parent = next((n for n in nodes if n.pk == criterion.parent_id), None)
    label = (
        _("Order of the criteria under %(code)s") % {"code": parent.code}
        if parent
        else _("Order of the groups")
    )
    return {
        "order": state_entry(
            label, ",".join(str(n.pk) for n in siblings), " · ".join(n.code for n in siblings)
        )
    }


def _guard(compact: Compact, reason: str) -> str:
    """Checks the scheme may change now; returns the amendment reason ("" in draft)."""
    if compact.is_finalized:
        raise ServiceError(_("The results are finalized: the scheme can no longer change."))
    reason = (reason or "").strip()
    if compact.scheme_is_frozen and not reason:
        raise ServiceError(
            _("The scheme is frozen since signing started: give the reason for this amendment.")
        )
    return reason


def _amended(compact, user, reason, summary):
    if compact.scheme_is_frozen:
        record_event(
            compact, kind=CompactEvent.Kind.AMENDMENT, user=user, reason=reason, summary=summary
        )


def _still_there(criterion: Criterion) -> Criterion:
    """The criterion as stored now; someone may have deleted it since the page was shown."""
    current = Criterion.objects.filter(pk=criterion.pk).first()
    if current is None:
        raise ServiceError(
            _("%(code)s was deleted by someone else meanwhile.") % {"code": criterion.code}
        )
    return current


def _check_scores_fit(criterion: Criterion):
    if criterion.max_points is None or criterion.points_per_occurrence is not None:
        return
    above = (
        Score.objects.filter(criterion=criterion)
        .filter(
            Q(self_points__gt=criterion.max_points) | Q(verified_points__gt=criterion.max_points)
        )
        .count()
    )
    if above:
        raise ServiceError(
            _("%(count)s scores on %(code)s are above the new maximum of %(max)s.")
            % {
                "count": above,
                "code": criterion.code,
                "max": ranking.format_points(criterion.max_points),
            }
        )


@transaction.atomic
def save_criterion(
    *,
    compact: Compact,
    user,
    data: dict,
    criterion: Criterion | None = None,
    reason: str = "",
    seen: dict | None = None,
) -> Criterion:
    """Adds (criterion None) or changes a criterion. `data` holds EDITABLE_FIELDS values;
    `seen` the criterion as the page showed it (StaleSave if it changed since). Saving
    without a change writes nothing."""
    compact = Compact.objects.select_for_update().get(pk=compact.pk)
    creating = criterion is None
    if not creating:
        criterion = _still_there(criterion)
        values = criterion_values(criterion)
        now = criterion_state(values)
        yours = criterion_state({**values, **{k: v for k, v in data.items() if k in values}})
        refuse_if_changed(seen=seen, now=now, yours=yours)
        if all(now[name].canonical == yours[name].canonical for name in EDITABLE_FIELDS):
            return criterion  # nothing changed: no write, no amendment
    reason = _guard(compact, reason)
    if creating:
        criterion = Criterion(compact=compact)
        last = Criterion.objects.filter(compact=compact).aggregate(m=Max("position"))["m"] or 0
        criterion.position = last + 10
    before = {f: getattr(criterion, f) for f in EDITABLE_FIELDS} if not creating else {}
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(criterion, name, data[name])
    if not creating and criterion.code != before["code"]:
        criterion.typed_code = ""  # the imported number no longer says where it is
    _check_placement(criterion)
    if creating and criterion.parent_id:
        criterion.position = _position_under(compact, criterion.parent)
    try:
        criterion.full_clean()
    except ValidationError as error:
        raise ServiceError(" ".join(m for ms in error.message_dict.values() for m in ms)) from None
    if not creating:
        _check_scores_fit(criterion)
    criterion.save()
    if not creating and criterion.kind == ranking.Kind.QUANTITATIVE:
        recompute_points(compact=compact, criterion=criterion)
    summary = _change_summary(criterion, before, creating=creating)
    _amended(compact, user, reason, summary)
    return criterion


def _check_placement(criterion: Criterion) -> None:
    """A criterion is neither its own parent nor placed under one of its sub-criteria."""
    if criterion.parent_id and criterion.parent_id == criterion.pk:
        raise ServiceError(_("A criterion cannot be its own parent."))
    if criterion.pk and criterion.parent_id:
        node = criterion.parent
        while node is not None:
            if node.pk == criterion.pk:
                raise ServiceError(_("A criterion cannot be placed under its own sub-criterion."))
            node = node.parent


def _position_under(compact: Compact, parent: Criterion) -> int:
    """Where a new child goes: after its last sibling's descendants."""
    last = Criterion.objects.filter(compact=compact, parent_id=parent.pk).aggregate(
        m=Max("position")
    )["m"]
    return (last or parent.position) + 1


def _change_summary(criterion: Criterion, before: dict, *, creating: bool) -> str:
    """The amendment's summary: the criterion added, or the fields changed."""
    if creating:
        return _("Added %(code)s") % {"code": criterion.code}
    changed = [f for f in EDITABLE_FIELDS if before.get(f) != getattr(criterion, f)]
    return _("Changed %(code)s: %(fields)s") % {
        "code": criterion.code,
        "fields": ", ".join(str(Criterion._meta.get_field(f).verbose_name) for f in changed),
    }


@transaction.atomic
def delete_criterion(
    *, compact: Compact, criterion: Criterion, user, reason: str = "", seen: dict | None = None
) -> None:
    """Deletes a criterion without scores, with its sub-criteria; StaleSave if it changed
    since the page that deletes it was rendered (`seen`)."""
    compact = Compact.objects.select_for_update().get(pk=compact.pk)
    criterion = _still_there(criterion)
    refuse_if_changed(seen=seen, now=criterion_state(criterion_values(criterion)))
    reason = _guard(compact, reason)
    below = [
        criterion.pk,
        *Criterion.objects.filter(compact=compact, parent=criterion).values_list("pk", flat=True),
    ]
    below += list(Criterion.objects.filter(parent_id__in=below).values_list("pk", flat=True))
    if Score.objects.filter(criterion_id__in=below).exists():
        raise ServiceError(
            _("%(code)s has scores and cannot be deleted.") % {"code": criterion.code}
        )
    code = criterion.code
    criterion.delete()
    _amended(compact, user, reason, _("Deleted %(code)s") % {"code": code})


@transaction.atomic
def move_criterion(
    *,
    compact: Compact,
    criterion: Criterion,
    user,
    up: bool,
    reason: str = "",
    seen: dict | None = None,
) -> None:
    """Swaps a criterion with its previous (up) or next sibling, with their sub-criteria;
    StaleSave if the siblings' order changed since the page was rendered (`seen`)."""
    compact = Compact.objects.select_for_update().get(pk=compact.pk)
    nodes = selectors.criteria_for_compact(compact)
    still = _still_there(criterion)
    criterion = next(n for n in nodes if n.pk == still.pk)
    refuse_if_changed(seen=seen, now=order_state(nodes, criterion))
    reason = _guard(compact, reason)
    siblings = [n for n in nodes if n.parent_id == criterion.parent_id]
    index = next(i for i, n in enumerate(siblings) if n.pk == criterion.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    order = {n.pk: i for i, n in enumerate(siblings)}
    # Positions follow the tree order after the swap: parents, then their children.
    ordered = []

    def walk(parent_id):
        kids = [n for n in nodes if n.parent_id == parent_id]
        if parent_id == criterion.parent_id:
            kids.sort(key=lambda n: order[n.pk])
        for kid in kids:
            ordered.append(kid)
            walk(kid.pk)

    walk(None)
    for position, node in enumerate(ordered, start=1):
        node.position = position * 10
    Criterion.objects.bulk_update(ordered, ["position"])
    _amended(compact, user, reason, _("Moved %(code)s") % {"code": criterion.code})


@transaction.atomic
def renumber(*, compact: Compact, user, reason: str = "") -> int:
    """Gives every criterion the code of its place: I, II … ; I.1, I.2 … ; I.1.a, I.1.b …
    Returns how many codes changed."""
    compact = Compact.objects.select_for_update().get(pk=compact.pk)
    reason = _guard(compact, reason)
    nodes = selectors.criteria_for_compact(compact)
    counters: dict[int | None, int] = {}
    codes = {}
    for node in nodes:
        counters[node.parent_id] = counters.get(node.parent_id, 0) + 1
        n = counters[node.parent_id]
        if node.parent_id is None:
            codes[node.pk] = ROMAN[n - 1] if n <= len(ROMAN) else str(n)
        elif node.level == 2:
            codes[node.pk] = f"{codes[node.parent_id]}.{n}"
        else:
            codes[node.pk] = f"{codes[node.parent_id]}.{LETTERS[(n - 1) % 26]}"
    changed = [n for n in nodes if n.code != codes[n.pk]]
    # Two steps, so that swapping two codes never collides with the unique constraint.
    for node in changed:
        node.code = f"~{node.pk}"
    Criterion.objects.bulk_update(changed, ["code"])
    for node in changed:
        node.code, node.typed_code = codes[node.pk], ""
    Criterion.objects.bulk_update(changed, ["code", "typed_code"])
    if changed:
        _amended(
            compact, user, reason, _("Renumbered %(count)s criteria") % {"count": len(changed)}
        )
    return len(changed)


def recompute_points(
    *, compact: Compact, criterion: Criterion | None = None, unit_id: int | None = None
) -> None:
    """Recomputes the points of quantitative scores from their values and current targets;
    a cluster-relative criterion's for every unit (services.relative)."""
    scores = Score.objects.filter(compact=compact, criterion__kind=ranking.Kind.QUANTITATIVE)
    recompute_relative(compact=compact, criterion_ids=None if criterion is None else [criterion.pk])
    scores = scores.exclude(criterion__rule=ranking.Rule.CLUSTER_RELATIVE)
    if criterion is not None:
        scores = scores.filter(criterion=criterion)
    if unit_id is not None:
        scores = scores.filter(unit_id=unit_id)
    # Locked: a score saved meanwhile must not be overwritten with points from its old value.
    scores = list(scores.select_related("criterion").select_for_update(of=("self",)))
    targets = {(t.unit_id, t.criterion_id): t.value for t in Target.objects.filter(compact=compact)}
    changed = []
    for score in scores:
        rule = ranking.CriterionRule.of(score.criterion)
        target = targets.get((score.unit_id, score.criterion_id))
        for side in Side:
            value_field, points_field, _note_field = side.fields
            value = getattr(score, value_field)
            if value is None:
                continue
            try:
                points = ranking.points_for(criterion=rule, value=value, target=target)
            except ranking.InvalidScore:
                points = None
            if points != getattr(score, points_field):
                setattr(score, points_field, points)
                if score not in changed:
                    changed.append(score)
    for score in changed:
        score.version += 1
        score.save(update_fields=["self_points", "verified_points", "version", "updated_at"])


@transaction.atomic
def apply_import(*, compact: Compact, user, parsed) -> int:
    """Replaces a draft compact's scheme with an imported one (from excel.parse_scheme_workbook)
    and takes its scale from it, at any depth. Nothing is written if the import has any
    problem."""
    compact = Compact.objects.select_for_update().get(pk=compact.pk)
    if compact.status != Compact.Status.DRAFT:
        raise ServiceError(_("A scheme can be imported only while the compact is a draft."))
    if parsed.problems or not parsed.nodes:
        raise ServiceError(_("The file has problems; nothing was imported."))
    if Score.objects.filter(compact=compact).exists():
        raise ServiceError(_("The compact already has scores; its scheme cannot be replaced."))
    Criterion.objects.filter(compact=compact).delete()
    ids: dict[str, int] = {}
    for position, node in enumerate(parsed.nodes, start=1):
        criterion = Criterion.objects.create(
            compact=compact,
            parent_id=ids.get(node.parent_code),
            code=node.code,
            typed_code=node.typed_code,
            title=node.title,
            kind=node.kind,
            rule=node.rule,
            lower_is_better=node.lower_is_better,
            max_points=Decimal(node.max_points) if node.max_points is not None else None,
            points_per_occurrence=(
                Decimal(node.per_occurrence) if node.per_occurrence is not None else None
            ),
            position=position * 10,
            guidance=node.guidance,
        )
        ids[node.code] = criterion.pk
    compact.content_max = Decimal(parsed.content_total)
    if parsed.bonus_cap is not None:
        compact.bonus_cap = Decimal(parsed.bonus_cap)
    if parsed.deduction_cap is not None:
        compact.deduction_cap = Decimal(parsed.deduction_cap)
    compact.save(update_fields=["content_max", "bonus_cap", "deduction_cap", "updated_at"])
    record_event(
        compact,
        kind=CompactEvent.Kind.IMPORT,
        user=user,
        summary=_("Imported %(count)s criteria from sheet “%(sheet)s”")
        % {"count": len(parsed.nodes), "sheet": parsed.sheet},
    )
    return len(parsed.nodes)


@transaction.atomic
def save_settings(
    *, compact: Compact, user, data: dict, reason: str = "", seen: dict | None = None
) -> Compact:
    """The compact's texts, scale and ranking settings; an amendment once signing started.
    StaleSave if they changed since the page showed them (`seen`); no change, no write."""
    compact = Compact.objects.select_for_update().get(pk=compact.pk)
    stored = settings_values(compact)
    now = settings_state(stored)
    yours = settings_state({**stored, **data})
    refuse_if_changed(seen=seen, now=now, yours=yours)
    changed = [n for n in data if n not in now or now[n].canonical != yours[n].canonical]
    if not changed:
        return compact
    reason = _guard(compact, reason)
    for name, value in data.items():
        setattr(compact, name, value)
    try:
        compact.full_clean()
    except ValidationError as error:
        raise ServiceError(" ".join(m for ms in error.message_dict.values() for m in ms)) from None
    compact._change_reason = reason
    compact.save()
    if changed:
        _amended(
            compact,
            user,
            reason,
            _("Changed the compact's settings: %(fields)s")
            % {"fields": ", ".join(str(Compact._meta.get_field(f).verbose_name) for f in changed)},
        )
    return compact
