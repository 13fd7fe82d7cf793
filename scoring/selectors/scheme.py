"""A compact's members, its criteria as a tree, its groups, and the problems of its scheme
(children that do not add up, groups off the declared scale). Used by the other selectors,
lifecycle, schemes, admin and the year views.
"""

from decimal import Decimal

from django.db import connection
from django.db.models import OuterRef, Prefetch, Subquery
from django.utils.translation import gettext as _

from units.models import Membership, UnitName

from .. import ranking
from ..dated_names import Shows, show_names
from ..models import Compact, Criterion, NotApplicable


def members_of(compact: Compact, shows: Shows = Shows.RESULTS) -> list[Membership]:
    """The compact's member units in sheet order: leader, deputy, then members by name; each
    unit prints the names of the day `shows` (`dated_names.names_day`)."""
    role_order = {Membership.Role.LEADER: 0, Membership.Role.DEPUTY: 1, Membership.Role.MEMBER: 2}
    memberships = list(
        compact.memberships()
        .select_related("unit")
        .prefetch_related(Prefetch("unit__former_names", queryset=UnitName.objects.all()))
    )
    show_names(compact, shows, [m.unit for m in memberships])
    return sorted(memberships, key=lambda m: (role_order[m.role], m.unit.shown_short_name))


def criteria_for_compact(compact: Compact, *, unit_id: int | None = None) -> list[Criterion]:
    """Every node of the scheme in tree order (depth-first by position). With `unit_id`,
    each node's `not_applicable_reason` holds the reason it does not apply to that unit, or None
    (read in the same query)."""
    nodes = Criterion.objects.filter(compact=compact).order_by("position", "id")
    if unit_id is not None:
        marks = NotApplicable.objects.filter(criterion=OuterRef("pk"), unit_id=unit_id)
        nodes = nodes.annotate(not_applicable_reason=Subquery(marks.values("reason")[:1]))
    nodes = list(nodes)
    children = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    ordered = []

    def walk(parent_id, ancestors):
        for node in children.get(parent_id, []):
            node.level = len(ancestors) + 1
            node.is_leaf = node.id not in children
            node.ancestor_ids = ancestors
            ordered.append(node)
            walk(node.id, [*ancestors, node.id])

    walk(None, [])
    return ordered


def top_groups(compact: Compact) -> list[ranking.Group]:
    return groups_by_compact([compact.pk])[compact.pk]


def groups_by_compact(compact_ids) -> dict[int, list[ranking.Group]]:
    """The top-level groups of each compact, in order, in one query."""
    return ranking_outline(compact_ids)[0]


# Each compact's top-level groups, and one row per compact counting its content leaves (the
# criteria of a content kind that are nobody's parent): a ranking needs no other criterion.
RANKING_OUTLINE = """
    SELECT compact_id, id, code, kind, max_points, position, 0 FROM scoring_criterion
    WHERE compact_id IN ({compacts}) AND parent_id IS NULL
    UNION ALL
    SELECT c.compact_id, NULL, NULL, NULL, NULL, NULL, COUNT(*) FROM scoring_criterion c
    WHERE c.compact_id IN ({compacts}) AND c.kind NOT IN (%s, %s)
        AND NOT EXISTS (SELECT 1 FROM scoring_criterion k
            WHERE k.compact_id IN ({compacts}) AND k.parent_id = c.id)
    GROUP BY c.compact_id
"""


def ranking_outline(compact_ids) -> tuple[dict[int, list[ranking.Group]], dict[int, int]]:
    """({compact id: top-level groups in order}, {compact id: number of content leaves}) in
    one query, without reading every criterion."""
    groups: dict[int, list] = {pk: [] for pk in compact_ids}
    content_leaves = dict.fromkeys(compact_ids, 0)
    if not compact_ids:
        return groups, content_leaves
    marks = ", ".join(["%s"] * len(compact_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            RANKING_OUTLINE.format(compacts=marks),
            [*compact_ids, *compact_ids, ranking.Kind.BONUS, ranking.Kind.DEDUCTION, *compact_ids],
        )
        rows = cursor.fetchall()
    tops = []
    for compact_id, pk, code, kind, max_points, position, leaves in rows:
        if pk is None:
            content_leaves[compact_id] = leaves
        else:
            tops.append((position, pk, compact_id, code, kind, max_points))
    for _position, pk, compact_id, code, kind, max_points in sorted(tops):
        # SQLite returns decimals as floats: back to the scheme's cents.
        maximum = None if max_points is None else Decimal(str(max_points)).quantize(ranking.CENT)
        section = ranking.section_of(kind)
        groups[compact_id].append(
            ranking.Group(id=pk, code=code, section=section, max_points=maximum)
        )
    return groups, content_leaves


def scheme_problems(compact: Compact) -> list[str]:
    """Human-readable inconsistencies of a scheme; empty when it adds up.

    Children's maxima must add up to their parent's, and the content groups to the compact's
    declared content maximum.
    """
    nodes = criteria_for_compact(compact)
    problems = []
    by_parent = {}
    for node in nodes:
        by_parent.setdefault(node.parent_id, []).append(node)
    for node in nodes:
        kids = by_parent.get(node.id)
        if not kids or node.section != ranking.Section.CONTENT or node.max_points is None:
            continue
        total = sum((k.max_points or ranking.ZERO for k in kids), ranking.ZERO)
        if total != node.max_points:
            problems.append(
                _("%(code)s: its criteria add up to %(sum)s, not %(max)s.")
                % {
                    "code": node.code,
                    "sum": ranking.format_points(total),
                    "max": ranking.format_points(node.max_points),
                }
            )
    content = sum(
        (
            n.max_points or ranking.ZERO
            for n in by_parent.get(None, [])
            if n.section == ranking.Section.CONTENT
        ),
        ranking.ZERO,
    )
    if nodes and content != compact.content_max:
        problems.append(
            _("The content groups add up to %(sum)s, not the declared %(max)s.")
            % {
                "sum": ranking.format_points(content),
                "max": ranking.format_points(compact.content_max),
            }
        )
    return problems
