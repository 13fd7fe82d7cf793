"""A compact's members, its criteria as a tree, its groups, and the problems of its scheme
(children that do not add up, groups off the declared scale). Used by the other selectors,
lifecycle, schemes, admin and the year views.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from units.models import Membership, UnitName

from .. import ranking
from ..dated_names import Shows, show_names
from ..models import Compact, Criterion


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


def criteria_for_compact(compact: Compact) -> list[Criterion]:
    """Every node of the scheme in tree order (depth-first by position)."""
    nodes = list(Criterion.objects.filter(compact=compact).order_by("position", "id"))
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
    return _scheme_outline(compact_ids)[0]


def _scheme_outline(compact_ids):
    """({compact id: top-level groups in order}, {compact id: number of leaves}, {criterion
    id: parent id}, {compact id: number of content leaves}) from one query on the compacts'
    criteria (through the compact index)."""
    rows = list(
        Criterion.objects.filter(compact_id__in=compact_ids)
        .order_by("position", "id")
        .values_list("compact_id", "id", "parent_id", "code", "kind", "max_points")
    )
    parents = {parent for _c, _i, parent, *_rest in rows if parent}
    groups = {pk: [] for pk in compact_ids}
    leaves = dict.fromkeys(compact_ids, 0)
    content_leaves = dict.fromkeys(compact_ids, 0)
    for compact_id, pk, parent, code, kind, max_points in rows:
        if parent is None:
            groups[compact_id].append(
                ranking.Group(
                    id=pk, code=code, section=ranking.section_of(kind), max_points=max_points
                )
            )
        if pk not in parents:
            leaves[compact_id] += 1
            if ranking.section_of(kind) == ranking.Section.CONTENT:
                content_leaves[compact_id] += 1
    return groups, leaves, {pk: parent for _c, pk, parent, *_rest in rows}, content_leaves


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
