"""Points of cluster-relative criteria (so sánh trong cụm): a unit's points depend on every
unit's result, so whenever an actual result or a target changes, the criterion's points are
recomputed for every member unit in the same transaction (`recompute_relative`), with the
arithmetic of `scoring.rules.cluster_relative`.

- Each side is computed on its own: the self-assessed points from every unit's self-assessed
  results (provisional until the others are verified), the verified points from the
  verified results.
- A unit with no result on a side keeps no points there (not scored yet); it takes part in
  the comparison as the rule says of a missing result.
- Only the points change: versions are not bumped, so the other units' open sheets do not
  become stale (their values did not change), and no history record is written for a
  derived figure.
- Concurrency: a save that touches a relative criterion first locks the compact's row
  (`lock_for_relative`), so two such saves run one after the other and the second reads
  the first's results; the criterion's score rows are then locked before they are written.
  Every other save takes a shared lock on the same row: saves of ordinary criteria still
  run side by side, but wait for (and make wait) whatever locks the compact for update,
  such as marking a criterion not applicable, which would otherwise read a cell as empty
  while a save writes it (or the save read the cell as applicable while it is marked).
"""

from collections import defaultdict

from django.db import connection
from django.db.models import Q

from .. import rules
from ..models import Compact, Criterion, Score, Target
from ..ranking import Kind, Rule, Side

RELATIVE = Q(kind=Kind.QUANTITATIVE, rule=Rule.CLUSTER_RELATIVE)


def lock_for_relative(*, compact: Compact, criterion_ids=None) -> set[int]:
    """The relative criteria among `criterion_ids` (all the compact's when None). The
    compact's row is locked for the rest of the transaction: for update when there are any,
    else shared (call it first in the transaction, before anything else locks the row)."""
    criteria = Criterion.objects.filter(RELATIVE, compact=compact)
    if criterion_ids is not None:
        criteria = criteria.filter(pk__in=list(criterion_ids))
    relative = set(criteria.values_list("pk", flat=True))
    if relative:
        list(Compact.objects.select_for_update().filter(pk=compact.pk).values_list("pk"))
    else:
        _lock_shared(compact)
    return relative


def _lock_shared(compact: Compact) -> None:
    """Locks the compact's row against `select_for_update` (FOR KEY SHARE: shared saves do
    not wait for each other). Django has no such lock mode; SQLite has no row locks (its
    writers run one at a time)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 FROM {Compact._meta.db_table} WHERE id = %s FOR KEY SHARE",
                [compact.pk],
            )


def recompute_relative(*, compact: Compact, criterion_ids=None, sides=tuple(Side)) -> int:
    """Recomputes every member unit's points on the compact's relative criteria (those in
    `criterion_ids`, or all), on each of `sides`; call inside a transaction. Returns the
    number of scores whose points changed."""
    if criterion_ids is not None and not criterion_ids:
        return 0
    criteria = Criterion.objects.filter(RELATIVE, compact=compact)
    if criterion_ids is not None:
        criteria = criteria.filter(pk__in=list(criterion_ids))
    criteria = list(criteria)
    if not criteria:
        return 0
    ids = [c.pk for c in criteria]
    members = set(compact.memberships().values_list("unit_id", flat=True))
    scores = defaultdict(list)
    for score in (
        Score.objects.filter(compact=compact, criterion_id__in=ids, unit_id__in=members)
        .select_for_update(of=("self",))
        .order_by("unit_id", "criterion_id")
    ):
        scores[score.criterion_id].append(score)
    targets = {
        (t.unit_id, t.criterion_id): t.value
        for t in Target.objects.filter(compact=compact, criterion_id__in=ids)
    }
    changed = {}
    for criterion in criteria:
        for side in sides:
            for score in _points_of_side(criterion, scores[criterion.pk], targets, Side(side)):
                changed[score.pk] = score
    if changed:
        Score.objects.bulk_update(list(changed.values()), ["self_points", "verified_points"])
    return len(changed)


def _points_of_side(criterion: Criterion, scores: list[Score], targets: dict, side: Side):
    """Sets one side's points of one criterion's scores; yields the scores that changed."""
    value_field, points_field, _note_field = side.fields
    results = {
        score.unit_id: rules.Result(
            target=targets.get((score.unit_id, criterion.pk)), actual=getattr(score, value_field)
        )
        for score in scores
    }
    points = rules.cluster_relative(
        results, maximum=criterion.max_points, lower_is_better=criterion.lower_is_better
    )
    for score in scores:
        new = None if getattr(score, value_field) is None else points[score.unit_id]
        if getattr(score, points_field) != new:
            setattr(score, points_field, new)
            yield score
