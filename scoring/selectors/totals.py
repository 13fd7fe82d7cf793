"""Each unit's points by top-level group, as the rankings read them: from the maintained
totals (`ScoreTotal`, kept by database triggers), and, to check those, from the scores
themselves. Used by the sheet's unit totals, the standings and `manage.py check_totals`.
"""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from .. import ranking
from ..models import Criterion, Score, ScoreTotal
from ..ranking import Side

# (compact id, unit id, group id, section) → (self points, self scored, verified points,
# verified scored): the rows of the totals, as stored or as the scores add up.
Totals = dict[tuple[int, int, int, str], tuple[Decimal, int, Decimal, int]]


def group_points_by_compact(compact_ids, *, source: str = Side.VERIFIED) -> dict[int, dict]:
    """{compact id: {unit id: {"groups": {top group id: points}, "scored": n,
    "content_scored": n}}}: "scored" counts every leaf with points on that side,
    "content_scored" the content criteria's (not the bonus and deduction items). A unit
    with no points on that side has no entry.

    One query on the maintained totals: a few rows per unit and group, whatever the number
    of scores (the sum of 12,500 scores took most of a ranking's time).
    """
    _value_field, field, _note_field = Side(source).fields
    side = field.removesuffix("_points")
    rows = (
        ScoreTotal.objects.filter(compact_id__in=compact_ids, **{f"{side}_scored__gt": 0})
        .values_list("compact_id", "unit_id", "group_id", "section", field, f"{side}_scored")
        .order_by()
    )
    result: dict[int, dict] = {pk: {} for pk in compact_ids}
    for compact_id, unit_id, group_id, section, points, scored in rows:
        entry = result[compact_id].setdefault(
            unit_id, {"groups": {}, "scored": 0, "content_scored": 0}
        )
        groups = entry["groups"]
        # SQLite sums decimals as floats: back to the scheme's cents.
        groups[group_id] = groups.get(group_id, ranking.ZERO) + points.quantize(ranking.CENT)
        entry["scored"] += scored
        if section == ranking.Section.CONTENT:
            entry["content_scored"] += scored
    return result


def stored_totals(compact_ids) -> Totals:
    """The maintained totals of the compacts, leaving out rows that count nothing."""
    rows = ScoreTotal.objects.filter(compact_id__in=compact_ids).values_list(
        "compact_id",
        "unit_id",
        "group_id",
        "section",
        "self_points",
        "self_scored",
        "verified_points",
        "verified_scored",
    )
    totals = {}
    for *key, self_points, self_scored, verified_points, verified_scored in rows:
        value = (_cents(self_points), self_scored, _cents(verified_points), verified_scored)
        if value != (ranking.ZERO, 0, ranking.ZERO, 0):
            totals[tuple(key)] = value
    return totals


def totals_from_scores(compact_ids) -> Totals:
    """What the maintained totals of the compacts should hold, summed from the scores (the
    way rankings were read before the totals were kept): by the database, grouped by unit,
    each leaf's parent and kind; then carried up to the top-level group here."""
    parent_of = dict(
        Criterion.objects.filter(compact_id__in=compact_ids).values_list("id", "parent_id")
    )
    rows = (
        Score.objects.filter(compact_id__in=compact_ids, criterion__compact_id__in=compact_ids)
        .filter(Q(self_points__isnull=False) | Q(verified_points__isnull=False))
        .annotate(node=Coalesce("criterion__parent_id", "criterion_id"))
        .values_list("compact_id", "unit_id", "node", "criterion__kind")
        .annotate(
            self_sum=Sum("self_points"),
            self_count=Count("self_points"),
            verified_sum=Sum("verified_points"),
            verified_count=Count("verified_points"),
        )
        .order_by()
    )
    sums: dict[tuple, list] = {}
    for compact_id, unit_id, node, kind, self_sum, self_count, verified_sum, verified_count in rows:
        root = node
        while parent_of.get(root):
            root = parent_of[root]
        key = (compact_id, unit_id, root, ranking.section_of(kind))
        entry = sums.setdefault(key, [ranking.ZERO, 0, ranking.ZERO, 0])
        entry[0] += _cents(self_sum)
        entry[1] += self_count
        entry[2] += _cents(verified_sum)
        entry[3] += verified_count
    return {key: tuple(value) for key, value in sums.items()}


def _cents(value) -> Decimal:
    return Decimal(value or 0).quantize(ranking.CENT)
