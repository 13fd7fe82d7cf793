"""The maintained totals checked against the scores, and rebuilt where they differ: what
`manage.py check_totals` runs. The triggers of migration 0015 keep the totals exact; this is
for an operator after something went around them (triggers disabled, a data-only restore
without --disable-triggers, a hand edit of the table).
"""

from dataclasses import dataclass

from django.db import connection, transaction

from ..models import Compact
from ..selectors.totals import stored_totals, totals_from_scores

# Each compact's rows rebuilt from its scores: every criterion's top-level group found by
# walking down the tree from the top, then the scores summed by unit, group and section.
REBUILD = """
    WITH RECURSIVE tree (id, root) AS (
        SELECT id, id FROM scoring_criterion
        WHERE parent_id IS NULL AND compact_id IN ({compacts})
        UNION ALL
        SELECT c.id, tree.root FROM scoring_criterion c JOIN tree ON c.parent_id = tree.id
    )
    INSERT INTO scoring_scoretotal (compact_id, unit_id, group_id, section,
        self_points, self_scored, verified_points, verified_scored)
    SELECT s.compact_id, s.unit_id, tree.root,
        CASE c.kind WHEN 'bonus' THEN 'bonus' WHEN 'deduction' THEN 'deduction'
            ELSE 'content' END,
        SUM(COALESCE(s.self_points, 0)), COUNT(s.self_points),
        SUM(COALESCE(s.verified_points, 0)), COUNT(s.verified_points)
    FROM scoring_score s
    JOIN tree ON tree.id = s.criterion_id
    JOIN scoring_criterion c ON c.id = s.criterion_id AND c.compact_id = s.compact_id
    WHERE s.compact_id IN ({compacts})
        AND (s.self_points IS NOT NULL OR s.verified_points IS NOT NULL)
    GROUP BY 1, 2, 3, 4
"""


@dataclass
class Difference:
    """A compact whose totals differ from its scores: how many rows differ."""

    compact_id: int
    rows: int


def compare_totals(compact_ids: list[int]) -> list[Difference]:
    """The compacts among `compact_ids` whose maintained totals differ from their scores,
    both read in one snapshot (so that a save committed meanwhile is not a difference)."""
    own_transaction = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and own_transaction:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        stored, expected = stored_totals(compact_ids), totals_from_scores(compact_ids)
    rows: dict[int, int] = {}
    for key in stored.keys() | expected.keys():
        if stored.get(key) != expected.get(key):
            rows[key[0]] = rows.get(key[0], 0) + 1
    return [Difference(compact_id=pk, rows=n) for pk, n in sorted(rows.items())]


def rebuild_totals(compact_ids: list[int]) -> None:
    """Rebuilds the compacts' totals from their scores, writes of scores and criteria
    waiting meanwhile."""
    ids = list(Compact.objects.filter(pk__in=compact_ids).values_list("pk", flat=True))
    if not ids:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("LOCK TABLE scoring_score, scoring_criterion IN SHARE MODE")
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(f"DELETE FROM scoring_scoretotal WHERE compact_id IN ({marks})", ids)
        cursor.execute(REBUILD.format(compacts=marks), ids + ids)
