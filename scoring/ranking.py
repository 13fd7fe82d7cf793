"""The scoring maths: pure functions over plain values, no database.

Rules, stated once:

- Points are Decimal and rounded half-up to two decimals only where a rule divides.
- A leaf's points come from what was entered (`points_for`):
  judged — the value is the points, 0 ≤ value ≤ maximum;
  pass/fail — 1 earns the maximum, 0 earns nothing, nothing else is accepted;
  quantitative — needs a registered target > 0; "proportional" earns
  maximum × actual / target, capped at the maximum; "full at target" earns the maximum when
  actual ≥ target and nothing otherwise; "cluster-relative" depends on every unit's result
  and is not computed here (`is_relative`; scoring/rules.py, scoring/services/relative.py);
  count — a content criterion whose value is a whole count of occurrences: count × points
  per occurrence, capped at the maximum;
  bonus and deduction items — with points per occurrence, the value is a whole count and earns
  count × points per occurrence, capped at the item's maximum when it has one; without, the
  value is the points themselves, 0 ≤ value ≤ the item's maximum.
- Deductions are positive numbers that the total subtracts.
- A unit's total (`unit_total`): content = the sum of its content-group subtotals;
  bonus = min(bonus points, the compact's bonus cap); deductions = min(deduction points, the
  compact's deduction cap) when there is a cap; total = content + bonus − deductions. The
  total is not floored at zero.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.db.models import TextChoices
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import Refusal
from .numbers import parse_number
from .ranking_terms import (  # noqa: F401  (re-exported: ranking is where callers look)
    DEFAULT_BANDS,
    DEFAULT_TIE_BREAKERS,
    FEWER_DEDUCTIONS,
    HIGHER_GROUPS,
    VOTE,
    Band,
    RankBy,
    band_for,
    equivalent_total,
    parse_bands,
    parse_tie_breaker,
    percent_of,
)
from .ranking_ties import breaker_keys, equal_runs, split_tie

ZERO = Decimal(0)
CENT = Decimal("0.01")


class Side(StrEnum):
    """Whose figure a score holds: the unit's own (self-assessed) or the secretariat's
    (verified). A score keeps a value, points and a note for each side (`self_value`,
    `verified_points` …); the sheet's JavaScript names the same sides (SIDE in sheet.js)."""

    SELF = "self"
    VERIFIED = "verified"

    @property
    def fields(self) -> tuple[str, str, str]:
        """The score's value, points and note fields of this side."""
        return f"{self}_value", f"{self}_points", f"{self}_note"


class Kind(TextChoices):
    JUDGED = "judged", gettext_lazy("judged points")
    QUANTITATIVE = "quantitative", gettext_lazy("quantitative against a target")
    PASS_FAIL = "pass_fail", gettext_lazy("pass/fail")
    COUNT = "count", gettext_lazy("count × points, capped")
    BONUS = "bonus", gettext_lazy("bonus")
    DEDUCTION = "deduction", gettext_lazy("deduction")


class Rule(TextChoices):
    PROPORTIONAL = "proportional", gettext_lazy("proportional to achievement, capped")
    FULL_AT_TARGET = "full_at_target", gettext_lazy("full marks at or above target")
    CLUSTER_RELATIVE = "cluster_relative", gettext_lazy("compared within the cluster")


class Section(TextChoices):
    CONTENT = "content", gettext_lazy("content")
    BONUS = "bonus", gettext_lazy("bonus")
    DEDUCTION = "deduction", gettext_lazy("deduction")


def section_of(kind: str) -> str:
    if kind == Kind.BONUS:
        return Section.BONUS
    if kind == Kind.DEDUCTION:
        return Section.DEDUCTION
    return Section.CONTENT


class InvalidScore(Refusal, ValueError):
    """An entered value that the criterion cannot accept; `message` is for the user."""


@dataclass(frozen=True)
class CriterionRule:
    """What `points_for` needs to know of a criterion."""

    kind: str
    max_points: Decimal | None
    rule: str = ""
    per_occurrence: Decimal | None = None
    lower_is_better: bool = False

    @classmethod
    def of(cls, criterion) -> "CriterionRule":
        return cls(
            kind=criterion.kind,
            max_points=criterion.max_points,
            rule=criterion.rule,
            per_occurrence=criterion.points_per_occurrence,
            lower_is_better=getattr(criterion, "lower_is_better", False),
        )

    @property
    def is_relative(self) -> bool:
        """Points depend on every unit's result: computed for all units at once."""
        return is_relative(self.kind, self.rule)


def is_relative(kind: str, rule: str) -> bool:
    """A cluster-relative criterion: its points depend on every unit's result."""
    return kind == Kind.QUANTITATIVE and rule == Rule.CLUSTER_RELATIVE


def format_points(value: Decimal, *, grouping: bool = False) -> str:
    """Points in the active language without trailing zeros: 12.50 → "12,5" in Vietnamese,
    "12.5" in English; 10.00 → "10"; with grouping, 1234.5 → "1.234,5".

    Written with string operations: the sheet formats thousands of values per page, and
    Django's number_format costs ten times more. Pages that format many values take a
    `points_formatter()`, which remembers the values it has written.
    """
    return _format_points(
        value,
        formats.get_format("DECIMAL_SEPARATOR"),
        formats.get_format("THOUSAND_SEPARATOR") if grouping else "",
    )


def points_formatter(*, grouping: bool = False):
    """format_points for one page in the active language: separators looked up once, each
    distinct value formatted once (a sheet's 2,400 values have a few dozen distinct ones)."""
    decimal = formats.get_format("DECIMAL_SEPARATOR")
    thousands = formats.get_format("THOUSAND_SEPARATOR") if grouping else ""
    seen: dict[Decimal, str] = {}

    def format_value(value) -> str:
        text = seen.get(value)
        if text is None:
            text = seen[value] = _format_points(value, decimal, thousands)
        return text

    return format_value


def _format_points(value, decimal: str, thousands: str) -> str:
    value = Decimal(value)
    # (to_integral_value, not quantize: it has no precision limit to overflow.)
    text = format(
        value.to_integral_value() if value == value.to_integral() else value.normalize(), "f"
    )
    whole, _dot, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    if thousands and len(whole) > 3:
        head = len(whole) % 3 or 3
        whole = thousands.join(
            [whole[:head]] + [whole[i : i + 3] for i in range(head, len(whole), 3)]
        )
    return f"{sign}{whole}{decimal if fraction else ''}{fraction}"


def parse_decimal(raw: str | int | Decimal | None) -> Decimal | None:
    """`numbers.parse_number` for callers that pass numbers too: 7 → Decimal(7); "" and None
    → None; text by the product's one number rule in the active language ("7,5", "7.5",
    "1.050" = 1050 in Vietnamese).

    Raises InvalidScore for anything else ("abc", "1,2,3", "NaN", "1e3").
    """
    if isinstance(raw, Decimal | int):
        return Decimal(raw)
    try:
        return parse_number(raw)
    except ValueError as exc:
        raise InvalidScore(str(exc)) from None


def points_for(
    *, criterion: CriterionRule, value: Decimal, target: Decimal | None = None
) -> Decimal:
    """The points an entered value earns on a leaf criterion (see the module's rules).

    Not for a cluster-relative criterion (ValueError): its points come from every unit's
    result at once; `check_value` is what its value must pass."""
    check_value(value)
    if criterion.is_relative:
        raise ValueError("A cluster-relative criterion is scored for all units at once.")
    maximum = criterion.max_points
    kind = criterion.kind

    if kind == Kind.JUDGED:
        return _within_maximum(value, maximum)

    if kind == Kind.PASS_FAIL:
        if value not in (0, 1):
            raise InvalidScore(_("Enter 1 for passed or 0 for not passed."))
        return maximum if value == 1 else ZERO

    if kind == Kind.COUNT:
        if value != value.to_integral_value():
            raise InvalidScore(_("Enter a whole number of occurrences."))
        earned = value * (criterion.per_occurrence or ZERO)
        return min(earned, maximum)

    if kind == Kind.QUANTITATIVE:
        if target is None or target <= 0:
            raise InvalidScore(
                _("No target is registered for this criterion, so it cannot be scored.")
            )
        if criterion.rule == Rule.FULL_AT_TARGET:
            return maximum if value >= target else ZERO
        earned = (maximum * value / target).quantize(CENT, rounding=ROUND_HALF_UP)
        return min(earned, maximum)

    # Bonus and deduction items.
    if criterion.per_occurrence is None:
        return _within_maximum(value, maximum) if maximum is not None else value
    if value != value.to_integral_value():
        raise InvalidScore(_("Enter a whole number of occurrences."))
    earned = value * criterion.per_occurrence
    return earned if maximum is None else min(earned, maximum)


# The largest value a score or a target holds: twelve digits, two of them decimals
# (models.compact.VALUES).
MAX_VALUE = Decimal("9999999999.99")


def check_value(value: Decimal) -> None:
    """What every entered value must be: not negative, at most two decimals, within what a
    score holds."""
    if value < 0:
        raise InvalidScore(_("The value cannot be negative."))
    if value > MAX_VALUE:
        raise InvalidScore(
            _("The value is too large: at most %(maximum)s.")
            % {"maximum": format_points(MAX_VALUE, grouping=True)}
        )
    if value.as_tuple().exponent < -2:
        raise InvalidScore(_("Use at most two decimals."))


def _within_maximum(value: Decimal, maximum: Decimal) -> Decimal:
    if value > maximum:
        raise InvalidScore(
            _("%(value)s is above the maximum of %(maximum)s points.")
            % {"value": format_points(value), "maximum": format_points(maximum)}
        )
    return value


@dataclass(frozen=True)
class Group:
    """A top-level node of the scheme: a content group, or the bonus or deduction section."""

    id: int
    code: str
    section: str
    max_points: Decimal | None = None


@dataclass(frozen=True)
class UnitTotal:
    unit_id: int
    group_points: Mapping[int, Decimal] = field(default_factory=dict)
    content: Decimal = ZERO
    bonus_raw: Decimal = ZERO
    bonus: Decimal = ZERO
    deductions_raw: Decimal = ZERO
    deductions: Decimal = ZERO
    total: Decimal = ZERO
    scored: int = 0
    maximum: Decimal | None = None  # the applicable maximum (ranking_terms)

    @property
    def percent(self) -> Decimal | None:
        """The total as a percentage of the applicable maximum; None when it is not known."""
        return percent_of(self.total, self.maximum)


def unit_total(
    *,
    unit_id: int,
    groups: Iterable[Group],
    group_points: Mapping[int, Decimal],
    bonus_cap: Decimal,
    deduction_cap: Decimal | None,
    scored: int = 0,
    maximum: Decimal | None = None,
) -> UnitTotal:
    """Rolls a unit's per-group points up into its total, applying the caps.

    `group_points` maps a group id to the sum of the unit's points on the leaves below it;
    a missing group counts as zero. `maximum` is the unit's applicable maximum, kept with
    the total for its percentage.
    """
    sums = {Section.CONTENT: ZERO, Section.BONUS: ZERO, Section.DEDUCTION: ZERO}
    per_group = {}
    for group in groups:
        points = group_points.get(group.id) or ZERO
        per_group[group.id] = points
        sums[group.section] += points
    bonus = min(sums[Section.BONUS], bonus_cap)
    deductions = sums[Section.DEDUCTION]
    if deduction_cap is not None:
        deductions = min(deductions, deduction_cap)
    return UnitTotal(
        unit_id=unit_id,
        group_points=per_group,
        content=sums[Section.CONTENT],
        bonus_raw=sums[Section.BONUS],
        bonus=bonus,
        deductions_raw=sums[Section.DEDUCTION],
        deductions=deductions,
        total=sums[Section.CONTENT] + bonus - deductions,
        scored=scored,
        maximum=maximum,
    )


def roll_up(
    *, parent_of: Mapping[int, int | None], leaf_points: Mapping[int, Decimal]
) -> dict[int, Decimal]:
    """Every node's points: a leaf's own, a group's the sum of the leaves below it.

    `parent_of` maps every node id to its parent id (None at the top); leaves without points
    contribute nothing, and groups with nothing below them are absent.
    """
    sums: dict[int, Decimal] = {}
    for node_id, points in leaf_points.items():
        if points is None:
            continue
        current = node_id
        while current is not None:
            sums[current] = sums.get(current, ZERO) + points
            current = parent_of.get(current)
    return sums


# --- Ranking -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    """A unit's place: `rank` is competition ranking (1, 2, 2, 4); `shared` marks a tie that
    the tie-breakers could not break, to be decided at the vote; `broken_by` names the
    tie-breaker that separated the unit from an equal figure, if one did. A unit whose
    scoring is not complete has `complete` False, no rank (None), no band and no tie note."""

    total: UnitTotal
    rank: int | None
    shared: bool = False
    broken_by: str = ""
    band: str = ""
    disqualified: bool = False
    complete: bool = True

    @property
    def unit_id(self):
        return self.total.unit_id


def rank_units(
    totals: Iterable[UnitTotal],
    *,
    tie_breakers: Iterable[str] = (),
    group_codes: Mapping[str, int] | None = None,
    bands: list[Band] = (),
    disqualified: Iterable[int] = (),
    incomplete: Iterable[int] = (),
    votes: Mapping[int, int] | None = None,
    rank_by: str = RankBy.TOTAL,
    scale: Decimal | None = None,
) -> list[Ranked]:
    """Orders units by their figure, highest first, with standard competition ranking.

    The figure is the total, or with `rank_by` "percentage" the percentage of the unit's
    applicable maximum (`UnitTotal.percent`, see ranking_terms); ranked by percentage, the
    band is judged on the equivalent total on the whole `scale`.

    Only complete units are ranked. A unit is complete when its scoring is: the caller
    passes the ids of the others as `incomplete` (the selectors: a unit without a verified
    score on some applicable content criterion; bonus and deduction items may stay empty, as
    for finalizing the year). Complete units are ranked among themselves by the rules below,
    as if the incomplete ones were absent; the incomplete units follow them, in the order
    they were given, with `complete` False, no rank (None), no band, no tie note and nothing
    broken, because a partial total says nothing about the unit's place. They keep their
    disqualification flag, which is a verified fact.

    Units with equal figures are separated by the tie-breakers, in order: "fewer_deductions"
    puts fewer deduction points (after the cap) first; "higher_groups:II,III" the higher sum
    of those top-level groups (`group_codes`: code → id). Units still equal share a rank and
    are `shared`, in the order of their ids. Disqualified units are ranked and flagged.

    A tie the tie-breakers leave is decided at the year-end review ("quyết định tại hội nghị
    bình xét"): with `votes` (unit id → votes at the acclamation vote), units still equal are
    ordered by their votes, more first, and `broken_by` is "vote"; equal votes stay shared.
    """
    breakers = [parse_tie_breaker(text) for text in tie_breakers]
    if votes:
        breakers.append((VOTE, ()))
    key_of = breaker_keys(group_codes or {}, votes or {})
    figure, band_figure = _figures(rank_by, scale)
    disqualified, incomplete, totals = set(disqualified), set(incomplete), list(totals)
    ordered = sorted(
        (t for t in totals if t.unit_id not in incomplete), key=lambda t: (-figure(t), t.unit_id)
    )
    bands = list(bands)
    ranked = [
        replace(
            r, band=band_for(band_figure(r.total), bands), disqualified=r.unit_id in disqualified
        )
        for r in _places(ordered, figure, breakers, key_of)
    ]
    ranked.extend(
        Ranked(total=total, rank=None, disqualified=total.unit_id in disqualified, complete=False)
        for total in totals
        if total.unit_id in incomplete
    )
    return ranked


def _places(ordered: list[UnitTotal], figure, breakers, key_of) -> list[Ranked]:
    """The places of the sorted complete units: equal figures split by the tie-breakers."""
    ranked: list[Ranked] = []
    for tied in equal_runs(ordered, figure):
        for block, label in split_tie(tied, breakers, key_of):
            rank = len(ranked) + 1
            shared, broken_by = len(block) > 1, label if len(tied) > 1 else ""
            ranked.extend(Ranked(t, rank, shared=shared, broken_by=broken_by) for t in block)
    return ranked


def _figures(rank_by: str, scale: Decimal | None):
    """What units are ordered on, and what their band is judged on."""
    if rank_by != RankBy.PERCENTAGE:
        return (lambda t: t.total), (lambda t: t.total)
    if scale is None:
        raise ValueError("ranking by percentage needs the whole scale")

    def share(t: UnitTotal) -> Decimal:
        # The unrounded share: the shown percentage (2 decimals) would tie 899.96 with
        # 900.00 of 1,000 and judge both "900" for their band.
        return t.total / t.maximum if t.maximum and t.maximum > 0 else ZERO

    return share, (lambda t: share(t) * scale)
