"""Reads shared by views, exports and commands: a fixed number of queries whatever the size."""

from decimal import Decimal

from django.db.models import Count, Prefetch, Sum
from django.db.models.functions import Coalesce

from units.models import Membership, UnitName

from . import ranking
from .models import Compact, Criterion, Score

POINT_SOURCES = {"verified": "verified_points", "self": "self_points"}


def members_of(compact: Compact) -> list[Membership]:
    """The compact's member units in sheet order: leader, deputy, then members by name."""
    role_order = {Membership.Role.LEADER: 0, Membership.Role.DEPUTY: 1, Membership.Role.MEMBER: 2}
    memberships = list(
        compact.memberships()
        .select_related("unit")
        .prefetch_related(Prefetch("unit__former_names", queryset=UnitName.objects.all()))
    )
    return sorted(memberships, key=lambda m: (role_order[m.role], m.unit.short_name))


def criteria_for_compact(compact: Compact) -> list[Criterion]:
    """Every node of the scheme in tree order (depth-first by position)."""
    nodes = list(Criterion.objects.filter(compact=compact).order_by("position", "id"))
    children = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    ordered = []

    def walk(parent_id, depth):
        for node in children.get(parent_id, []):
            node.level = depth
            node.is_leaf = node.id not in children
            ordered.append(node)
            walk(node.id, depth + 1)

    walk(None, 1)
    return ordered


def top_groups(compact: Compact) -> list[ranking.Group]:
    return [
        ranking.Group(
            id=c.id, code=c.code, section=ranking.section_of(c.kind), max_points=c.max_points
        )
        for c in Criterion.objects.filter(compact=compact, parent__isnull=True).order_by(
            "position", "id"
        )
    ]


def group_points_by_unit(compact: Compact, *, source: str = "verified") -> dict[int, dict]:
    """{unit id: {"groups": {top-level group id: points}, "scored": n}} in one grouped query.

    Points are summed by the database, grouped by unit and by the top-level ancestor of each
    leaf (the scheme is at most three levels deep, so the ancestor is a Coalesce of parents).
    """
    field = POINT_SOURCES[source]
    rows = (
        Score.objects.filter(compact=compact, **{f"{field}__isnull": False})
        .annotate(
            root=Coalesce("criterion__parent__parent_id", "criterion__parent_id", "criterion_id")
        )
        .values("unit_id", "root")
        .annotate(points=Sum(field), scored=Count("id"))
        .order_by()
    )
    result: dict[int, dict] = {}
    for row in rows:
        entry = result.setdefault(row["unit_id"], {"groups": {}, "scored": 0})
        # SQLite sums decimals as floats; two decimals is the scheme's precision.
        entry["groups"][row["root"]] = Decimal(row["points"]).quantize(ranking.CENT)
        entry["scored"] += row["scored"]
    return result


def unit_totals(
    compact: Compact, *, source: str = "verified"
) -> list[tuple[Membership, ranking.UnitTotal]]:
    """Every member unit with its totals, in sheet order; units with no score total zero.

    Four queries whatever the number of units, criteria or scores.
    """
    groups = top_groups(compact)
    points = group_points_by_unit(compact, source=source)
    return [
        (
            membership,
            ranking.unit_total(
                unit_id=membership.unit_id,
                groups=groups,
                group_points=points.get(membership.unit_id, {}).get("groups", {}),
                scored=points.get(membership.unit_id, {}).get("scored", 0),
                bonus_cap=compact.bonus_cap,
                deduction_cap=compact.deduction_cap,
            ),
        )
        for membership in members_of(compact)
    ]


def scheme_problems(compact: Compact) -> list[str]:
    """Human-readable inconsistencies of a scheme; empty when it adds up.

    Children's maxima must add up to their parent's, and the content groups to the compact's
    declared content maximum.
    """
    from django.utils.translation import gettext as _

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
