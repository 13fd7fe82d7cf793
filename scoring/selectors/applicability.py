"""Criteria not applicable to a unit (không áp dụng), as the sheet, the rankings, the reports
and the marking page read them: each in one query whatever the size.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from .. import ranking
from ..models import Compact, NotApplicable


@dataclass(frozen=True)
class Applicability:
    """What does not apply to one unit: how many content leaves, and their maxima."""

    count: int = 0
    maxima: Decimal = ranking.ZERO


NOTHING = Applicability()


def whole_scale(compact: Compact) -> Decimal:
    """The compact's whole scale: its content maximum and the bonus cap (e.g. 950 + 50)."""
    return compact.content_max + compact.bonus_cap


def applicable_maximum(compact: Compact, applicability: Applicability = NOTHING) -> Decimal:
    """A unit's maximum: the whole scale less the maxima of what does not apply to it."""
    return whole_scale(compact) - applicability.maxima


def applicability_by_compact(compact_ids) -> dict[int, dict[int, Applicability]]:
    """{compact id: {unit id: Applicability}} for the units with some criterion marked."""
    result: dict[int, dict[int, Applicability]] = {pk: {} for pk in compact_ids}
    rows = (
        NotApplicable.objects.filter(compact_id__in=compact_ids)
        .values_list("compact_id", "unit_id")
        .annotate(count=Count("id"), maxima=Sum("criterion__max_points"))
        .order_by()
    )
    for compact_id, unit_id, count, maxima in rows:
        # SQLite sums decimals as floats: back to the scheme's cents.
        maxima = Decimal(maxima or 0).quantize(ranking.CENT)
        result[compact_id][unit_id] = Applicability(count=count, maxima=maxima)
    return result


def not_applicable_reasons(compact: Compact, unit_ids=None) -> dict[tuple[int, int], str]:
    """{(unit id, criterion id): reason} of the compact's marks (of `unit_ids` if given)."""
    marks = NotApplicable.objects.filter(compact=compact)
    if unit_ids is not None:
        marks = marks.filter(unit_id__in=unit_ids)
    return {
        (u, c): reason for u, c, reason in marks.values_list("unit_id", "criterion_id", "reason")
    }
