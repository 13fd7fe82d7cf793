"""Scoring rules that real clusters use: pure functions over plain values, no database.

Every rule takes Decimals and returns Decimals rounded half-up to two decimals exactly once, at
the end: the arithmetic in between is exact (fractions), so 5.625 becomes 5.63 and never
5.62 through an intermediate rounding. Negative inputs are refused with `InvalidScore`.

Rules, stated once:

- **Cluster-relative, higher is better** (`cluster_relative`; "So sánh trong cụm"). Maximum
  M; each unit has a registered target T and an actual result A; a missing A counts as 0.
  Units with T > 0: r = A / T; A < T earns 0.5·M·r; A = T earns 0.5·M; above target, the
  leaders (every unit with the highest r among those above target) earn M and the others
  0.5·M + 0.5·M·(r − 1)/(L − 1), L being the leaders' r. Above target means r > 1, so L > 1
  and the division is always defined; a single unit above target is its own leader and earns
  M, which is also what the formula gives at r = L. Units without a target (missing or 0) are
  scored among themselves: M·A / (the highest A among them), all 0 when that is 0.
- **Cluster-relative, lower is better** (`cluster_relative(..., lower_is_better=True)`; fires,
  deaths, damage). r = T / A. A registered target of 0 is a real target ("no deaths"). A = 0 is
  the best possible result: it earns M whatever T is. A > 0 against T = 0 earns 0. Units with
  T > 0 and A > 0 follow the rule above with r = T / A, except that L is the highest r among
  the units above target with A > 0 — a unit with A = 0 leads but does not set L (its r would
  be infinite, and every other unit above target would fall to 0.5·M, no better than one that
  merely met its target). Units with no registered target are scored among themselves:
  M·(lowest A among them) / A, and A = 0 earns M. A missing A earns 0 and takes no part in
  the comparison: counting it as 0 would give full marks for not reporting.
- **Per occurrence** (`per_occurrence`; "2 điểm/tin, bài; tối đa 50"): count × points per
  occurrence, capped at the cap when there is one; the count is a whole number ≥ 0. This is
  `ranking.points_for` on a bonus item, rounded.
- **Bonus and penalty counts** (`counts`): bonus_count·bonus_point −
  penalty_count·penalty_point, clamped to [minimum, maximum] (a bound that is None does not
  clamp); counts are whole numbers ≥ 0, a missing count is 0.
- Single-unit rules — judged, pass/fail, proportional to achievement capped, full marks at
  target — are `ranking.points_for`; `rule_from_text` names them with `ranking.Kind` and
  `ranking.Rule` values.
"""

import re
import unicodedata
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from scoring.ranking import CriterionRule, InvalidScore, Kind, Rule, points_for

CLUSTER_RELATIVE = "cluster_relative"
PER_OCCURRENCE = "per_occurrence"
COUNTS = "counts"

HALF = Fraction(1, 2)


@dataclass(frozen=True)
class Result:
    """One unit's registered target and actual result on a criterion; None when missing."""

    target: Decimal | None = None
    actual: Decimal | None = None


def round_points(value: Fraction | Decimal | int) -> Decimal:
    """Exact value → Decimal with two decimals, halves rounded away from zero (half-up), as
    Decimal's ROUND_HALF_UP does: 5.625 → 5.63, 1.875 → 1.88, -0.005 → -0.01."""
    value = Fraction(value)
    cents = abs(value) * 100
    whole = int(cents + HALF)  # floor, since cents + 1/2 ≥ 0
    if value < 0 and whole:
        whole = -whole
    return Decimal(whole).scaleb(-2)


def cluster_relative(
    results: Mapping[Hashable, Result], *, maximum: Decimal, lower_is_better: bool = False
) -> dict[Hashable, Decimal]:
    """Every unit's points on a cluster-relative criterion (the module's rules), keyed and
    ordered as `results`. A unit's points depend on every other unit's result."""
    m = _non_negative_maximum(maximum)
    for result in results.values():
        if result.target is not None and result.target < 0:
            raise InvalidScore(_("The target cannot be negative."))
        if result.actual is not None and result.actual < 0:
            raise InvalidScore(_("The value cannot be negative."))
    score = _lower_is_better if lower_is_better else _higher_is_better
    exact = score(results, m)
    return {key: round_points(points) for key, points in exact.items()}


def _higher_is_better(results, m: Fraction) -> dict:
    ratios, untargeted = {}, {}
    for key, result in results.items():
        actual = Fraction(result.actual or 0)
        if result.target:
            ratios[key] = actual / Fraction(result.target)
        else:
            untargeted[key] = actual
    points = _against_targets(ratios, m)
    best = max(untargeted.values(), default=0)
    for key, actual in untargeted.items():
        points[key] = m * actual / best if best else Fraction(0)
    return {key: points[key] for key in results}


def _lower_is_better(results, m: Fraction) -> dict:
    points, ratios, untargeted = {}, {}, {}
    for key, result in results.items():
        if result.actual is None:
            points[key] = Fraction(0)
        elif result.target is None:
            untargeted[key] = Fraction(result.actual)
        elif result.actual == 0:
            points[key] = m
        elif result.target == 0:
            points[key] = Fraction(0)
        else:
            ratios[key] = Fraction(result.target) / Fraction(result.actual)
    points.update(_against_targets(ratios, m))
    lowest = min(untargeted.values(), default=0)
    for key, actual in untargeted.items():
        points[key] = m if actual == 0 else m * lowest / actual
    return {key: points[key] for key in results}


def _against_targets(ratios: Mapping, m: Fraction) -> dict:
    """Points from r (result over target, better when higher): half of M at target, M for
    the leaders, linear in between and below."""
    leaders_ratio = max((r for r in ratios.values() if r > 1), default=None)
    points = {}
    for key, r in ratios.items():
        if r <= 1:
            points[key] = HALF * m * r
        elif r == leaders_ratio:
            points[key] = m
        else:
            points[key] = HALF * m + HALF * m * (r - 1) / (leaders_ratio - 1)
    return points


def per_occurrence(
    *, count: Decimal | None, point_per_unit: Decimal, cap: Decimal | None = None
) -> Decimal:
    """count × point_per_unit, capped at `cap` when there is one; a missing count is 0.

    Raises InvalidScore for a negative or fractional count or a negative point or cap.
    """
    if point_per_unit < 0:
        raise InvalidScore(_("Points per occurrence cannot be negative."))
    if cap is not None:
        _non_negative_maximum(cap)
    count = count or Decimal(0)
    if count == count.to_integral_value():
        count = count.to_integral_value()  # "3.000" is three occurrences
    criterion = CriterionRule(kind=Kind.BONUS, max_points=cap, per_occurrence=point_per_unit)
    return round_points(points_for(criterion=criterion, value=count))


def counts(
    *,
    bonus_count: Decimal | None,
    penalty_count: Decimal | None,
    bonus_point: Decimal,
    penalty_point: Decimal,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
) -> Decimal:
    """bonus_count·bonus_point − penalty_count·penalty_point, clamped to [minimum, maximum];
    a missing count is 0 and a bound that is None does not clamp.

    Raises InvalidScore for a negative or fractional count, a negative point, or a minimum
    above the maximum.
    """
    for count in (bonus_count, penalty_count):
        if count is not None and count < 0:
            raise InvalidScore(_("The value cannot be negative."))
        if count is not None and count != count.to_integral_value():
            raise InvalidScore(_("Enter a whole number of occurrences."))
    if bonus_point < 0 or penalty_point < 0:
        raise InvalidScore(_("Points per occurrence cannot be negative."))
    if minimum is not None and maximum is not None and minimum > maximum:
        raise InvalidScore(_("The minimum is above the maximum."))
    points = Fraction(bonus_count or 0) * Fraction(bonus_point) - Fraction(
        penalty_count or 0
    ) * Fraction(penalty_point)
    if maximum is not None:
        points = min(points, Fraction(maximum))
    if minimum is not None:
        points = max(points, Fraction(minimum))
    return round_points(points)


def _non_negative_maximum(maximum: Decimal) -> Fraction:
    if maximum < 0:
        raise InvalidScore(_("The maximum points cannot be negative."))
    return Fraction(maximum)


# --- The secretariats' wording ("Cách chấm") -------------------------------------------------

_NUMBER = r"\d+(?:[.,]\d+)*"
_POINTS_WORD = r"(?:diem|d)"
_CAP = rf"(?:toi da|khong qua)\s*:?\s*(?P<cap>{_NUMBER})\s*(?:{_POINTS_WORD})?"
# One to three words naming what is counted ("lần", "mô hình", "tin, bài"); no digits and no
# "tối đa"/"không quá", so a condition such as "lần, không quá 3 lần" is not read as a name.
_WORD = r"(?!toi\b|khong\b)[a-z]+"
_COUNTED = rf"(?P<counted>{_WORD}(?:\s*,?\s*{_WORD}){{0,2}}?)"
_PER_OCCURRENCE = re.compile(
    rf"(?:(?P<sign>cham thang|cong|thuong|tru)\s*:?\s*)?"
    rf"(?P<point>{_NUMBER})\s*{_POINTS_WORD}\s*(?:/|\bmoi\b)\s*{_COUNTED}"
    rf"(?:\s*[;,.]?\s*(?P<open>\()?\s*{_CAP}\s*(?(open)\)))?"
)
_FIXED = {
    "": (Kind.JUDGED.value, {}),
    "theo ty le hoan thanh chi tieu": (Rule.PROPORTIONAL.value, {}),
    "theo ti le hoan thanh chi tieu": (Rule.PROPORTIONAL.value, {}),
    "dat chi tieu toi da": (Rule.FULL_AT_TARGET.value, {}),
    "dat chi tieu toi da diem": (Rule.FULL_AT_TARGET.value, {}),
    "dat chi tieu duoc toi da": (Rule.FULL_AT_TARGET.value, {}),
    "dat khong dat": (Kind.PASS_FAIL.value, {}),
}

# "So sánh trong cụm", "So sánh giữa các đơn vị trong cụm", then what says which way is better.
_RELATIVE = re.compile(r"so sanh (?:giua cac don vi )?trong cum(?: (?P<rest>.+))?")
_HIGHER_REST = re.compile(r"cang (?:cao|nhieu) cang tot")
_LOWER_REST = re.compile(
    r"(?:theo )?(?:cang (?:thap|it|giam) cang tot|(?:muc |ty le |ti le )?giam|kiem che"
    r"|(?:thap|it) hon la tot|nguoc)"
)
# What a lower-is-better indicator's title says: fires, deaths, damage, their reduction.
_LOWER_TITLE = re.compile(
    r"\b(?:kiem che|giam(?! (?:sat|doc|dinh|thi|khao|muc))|so vu chay|so vu no|so nguoi chet"
    r"|thiet hai|tai nan)\b"
)


def rule_from_text(text: str | None) -> tuple[str, dict] | None:
    """The rule a "Cách chấm" phrase names, with its parameters, or None when the phrase is
    not one we recognise (the caller asks the secretariat; nothing is guessed).

    Case, diacritics, spacing and "đ" for "điểm" do not matter. Rules are named
    "judged" (empty text), "cluster_relative" ({"lower_is_better": bool}: "So sánh trong
    cụm", lower is better when followed by "càng thấp/ít càng tốt", "giảm", "kiềm chế"…; see
    also `lower_is_better_title`), "proportional",
    "full_at_target", "pass_fail" and "per_occurrence" ({"point_per_unit": Decimal, "cap":
    Decimal — only when the phrase gives one, "deduction": True — only for "Trừ …"}).
    Numbers are read the Vietnamese way: "1,5" is one and a half, "1.000" a thousand.
    """
    folded = _fold(text or "")
    words = re.sub(r"[^a-z0-9]+", " ", folded).strip()
    if words in _FIXED:
        rule, params = _FIXED[words]
        return rule, dict(params)
    relative = _RELATIVE.fullmatch(words)
    if relative is not None:
        rest = relative["rest"] or ""
        if not rest or _HIGHER_REST.fullmatch(rest):
            return CLUSTER_RELATIVE, {"lower_is_better": False}
        if _LOWER_REST.fullmatch(rest):
            return CLUSTER_RELATIVE, {"lower_is_better": True}
        return None
    match = _PER_OCCURRENCE.fullmatch(folded.strip(" .;"))
    if match is None:
        return None
    point = _vietnamese_number(match["point"])
    cap = match["cap"]
    if point is None or (cap is not None and _vietnamese_number(cap) is None):
        return None
    params = {"point_per_unit": point}
    if cap is not None:
        params["cap"] = _vietnamese_number(cap)
    if match["sign"] == "tru":
        params["deduction"] = True
    return PER_OCCURRENCE, params


def lower_is_better_title(title: str | None) -> bool:
    """Whether a criterion's title names an indicator where fewer is better: "Kiềm chế số vụ
    cháy", "Giảm số người chết", "thiệt hại do cháy" (not "giám sát", "giám đốc")."""
    return _LOWER_TITLE.search(_fold(title or "")) is not None


def _fold(text: str) -> str:
    """Lower case, without diacritics ("đ" → "d"), spaces collapsed."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def _vietnamese_number(text: str) -> Decimal | None:
    """ "2" → 2, "1,5" → 1.5, "1.000" → 1000, "0.5" → 0.5 (the shared number-reading rule
    for Vietnamese); None for anything ambiguous ("1.000,5" is read, "1,2,3" is not)."""
    if "," in text:
        whole, _comma, fraction = text.rpartition(",")
        if "," in whole or not fraction:
            return None
        whole_value = _vietnamese_number(whole) if "." in whole else Decimal(whole)
        if whole_value is None or ("." in whole and not _grouped(whole)):
            return None
        return whole_value + Decimal(f"0.{fraction}")
    if "." in text:
        if _grouped(text):
            return Decimal(text.replace(".", ""))
        if text.count(".") == 1:
            return Decimal(text)
        return None
    return Decimal(text)


def _grouped(text: str) -> bool:
    head, *groups = text.split(".")
    return (
        bool(groups)
        and 1 <= len(head) <= 3
        and not head.startswith("0")
        and all(len(group) == 3 for group in groups)
    )
