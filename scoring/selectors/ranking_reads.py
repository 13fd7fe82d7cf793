"""What a ranking reads, in two statements written by hand: the figures of the compacts (their
outline, maintained totals, disqualifying scores, not-applicable marks, last year's stored
places and the successions since) and their members with their names.

Why by hand: a national compact's ranking answers from a few hundred small rows, and building
its nine ORM queries (and the prefetch of former names) cost Django more than PostgreSQL
spent answering them. Nothing here is cached: every ranking reads the database as it is.
"""

import datetime
import functools
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection

from units.models import Membership, Unit, UnitName

from .. import ranking
from ..models import Compact
from .applicability import Applicability

# One row kind per part of the figures, in the same nine columns: kind, compact id, two ids,
# an amount, a count, two texts, a day. PostgreSQL wants one type per column across a
# UNION, fixed by the first part.
_GROUPS = """SELECT 'g', compact_id, id, CAST(NULL AS BIGINT), max_points, position, code, kind,
        CAST(NULL AS DATE)
    FROM "scoring_criterion" WHERE compact_id IN ({ranked}) AND parent_id IS NULL"""
# Content leaves: criteria of a content kind that are nobody's parent.
_LEAVES = """SELECT 'l', c.compact_id, NULL, NULL, NULL, COUNT(*), NULL, NULL, NULL
    FROM "scoring_criterion" c
    WHERE c.compact_id IN ({ranked}) AND c.kind NOT IN (%s, %s)
        AND NOT EXISTS (SELECT 1 FROM "scoring_criterion" k
            WHERE k.compact_id IN ({ranked}) AND k.parent_id = c.id)
    GROUP BY c.compact_id"""
_TOTALS = """SELECT 't', compact_id, unit_id, group_id, verified_points, verified_scored,
        section, NULL, NULL
    FROM "scoring_scoretotal" WHERE compact_id IN ({ranked}) AND verified_scored > 0"""
# From the few disqualifying criteria to their scores (the criterion index), rather than
# through every score of the compacts: 11 ms → under 1 ms for 12,000 scores.
_DISQUALIFIED = """SELECT 'd', s.compact_id, s.unit_id, NULL, NULL, NULL, NULL, NULL, NULL
    FROM "scoring_score" s
    WHERE s.criterion_id IN (SELECT id FROM "scoring_criterion"
            WHERE compact_id IN ({ranked}) AND disqualifying = %s)
        AND s.verified_value > 0
    GROUP BY s.compact_id, s.unit_id"""
_NOT_APPLICABLE = """SELECT 'n', a.compact_id, a.unit_id, NULL, SUM(c.max_points), COUNT(a.id),
        NULL, NULL, NULL
    FROM "scoring_notapplicable" a JOIN "scoring_criterion" c ON c.id = a.criterion_id
    WHERE a.compact_id IN ({ranked}) GROUP BY a.compact_id, a.unit_id"""
_STORED = """SELECT 'f', compact_id, unit_id, NULL, total, rank, NULL, NULL, NULL
    FROM "scoring_finalresult" WHERE compact_id IN ({stored})"""
# The successions into a member unit that took effect after last year began and by this
# year's first day, each predecessor's short name valid on last year's last day (the
# latest-starting former name, as `Unit.names_on`).
_CROSSED = """SELECT 's', %s, s.successor_id, s.predecessor_id, NULL, s.id,
        COALESCE((SELECT n.short_name FROM "units_unitname" n
            WHERE n.unit_id = s.predecessor_id AND n.valid_from <= %s AND n.valid_until >= %s
            ORDER BY n.valid_from DESC, n.id DESC LIMIT 1), u.short_name),
        NULL, s.effective_on
    FROM "units_unitsuccession" s JOIN "units_unit" u ON u.id = s.predecessor_id
    WHERE s.successor_id IN (SELECT unit_id FROM "units_membership"
            WHERE cluster_id = %s AND year = %s)
        AND s.effective_on > %s AND s.effective_on <= %s"""


@dataclass
class Figures:
    """The figures of some compacts, by compact id (each dict holds every compact asked)."""

    groups: dict[int, list[ranking.Group]]
    criteria_counts: dict[int, int]  # content leaves
    # {unit id: {"groups": {top group id: points}, "scored": n, "content_scored": n}}, as
    # `totals.group_points_by_compact` on the verified side.
    points: dict[int, dict]
    disqualified: set[tuple[int, int]]  # (compact id, unit id)
    applicability: dict[int, dict[int, Applicability]]
    stored: dict[int, dict[int, tuple[int, Decimal]]] = field(default_factory=dict)
    # Compact id → successor id → [(predecessor id, its short name last year)], in the
    # order the successions took effect.
    crossed: dict[int, dict[int, list[tuple[int, str]]]] = field(default_factory=dict)


def read_figures(ranked, stored=(), crossing=()) -> Figures:
    """The figures of the `ranked` compacts, the places stored for the `stored` ones, and the
    successions `crossing` into the members of each (compact, cluster id, year): one
    statement (none when there is nothing to read)."""
    ranked, stored = list(ranked), list(stored)
    figures = Figures(
        groups={pk: [] for pk in ranked},
        criteria_counts=dict.fromkeys(ranked, 0),
        points={pk: {} for pk in ranked},
        disqualified=set(),
        applicability={pk: {} for pk in ranked},
        stored={},
        crossed={compact.pk: {} for compact, *_ in crossing},
    )
    parts, params = [], []
    if ranked:
        marks = ", ".join(["%s"] * len(ranked))
        parts += [p.format(ranked=marks) for p in (_GROUPS, _LEAVES, _TOTALS, _DISQUALIFIED)]
        parts.append(_NOT_APPLICABLE.format(ranked=marks))
        kinds = [ranking.Kind.BONUS, ranking.Kind.DEDUCTION]
        params += [*ranked, *ranked, *kinds, *ranked, *ranked, *ranked, True, *ranked]
    if stored:
        parts.append(_STORED.format(stored=", ".join(["%s"] * len(stored))))
        params += stored
    for compact, cluster_id, year in crossing:
        last_day = datetime.date(year - 1, 12, 31)
        parts.append(_CROSSED)
        params += [compact.pk, last_day, last_day, cluster_id, year]
        params += [datetime.date(year - 1, 1, 1), datetime.date(year, 1, 1)]
    if parts:
        with connection.cursor() as cursor:
            cursor.execute("\nUNION ALL\n".join(parts), params)
            _sort_rows(figures, cursor.fetchall())
    return figures


def _sort_rows(figures: Figures, rows) -> None:
    """Puts each row of the figures' statement where it belongs."""
    tops, crossed = [], []
    for kind, compact_id, first, second, amount, count, text, other, day in rows:
        if kind == "g":
            tops.append((count, first, compact_id, text, other, amount))
        elif kind == "l":
            figures.criteria_counts[compact_id] = count
        elif kind == "t":
            _add_points(figures.points[compact_id], first, second, amount, count, text)
        elif kind == "d":
            figures.disqualified.add((compact_id, first))
        elif kind == "n":
            applicability = Applicability(count=count, maxima=_cents(amount))
            figures.applicability[compact_id][first] = applicability
        elif kind == "f":
            figures.stored.setdefault(compact_id, {})[first] = (count, _cents(amount))
        else:
            crossed.append((str(day), count, compact_id, first, second, text))
    for _position, pk, compact_id, code, kind, maximum in sorted(tops):
        figures.groups[compact_id].append(
            ranking.Group(
                id=pk,
                code=code,
                section=ranking.section_of(kind),
                max_points=None if maximum is None else _cents(maximum),
            )
        )
    for _day, _pk, compact_id, successor, predecessor, name in sorted(crossed):
        figures.crossed[compact_id].setdefault(successor, []).append((predecessor, name))


def _add_points(points: dict, unit_id, group_id, amount, scored, section) -> None:
    entry = points.setdefault(unit_id, {"groups": {}, "scored": 0, "content_scored": 0})
    groups = entry["groups"]
    groups[group_id] = groups.get(group_id, ranking.ZERO) + _cents(amount)
    entry["scored"] += scored
    if section == ranking.Section.CONTENT:
        entry["content_scored"] += scored


def _cents(value) -> Decimal:
    """A sum as the scheme's cents (SQLite returns decimals as floats)."""
    if value is None:
        return ranking.ZERO
    return (value if isinstance(value, Decimal) else Decimal(str(value))).quantize(ranking.CENT)


@functools.cache
def _loader(model, alias: str, vendor: str) -> "_Loader":
    """One `_Loader` per model, alias and database kind (their converters differ)."""
    return _Loader(model, alias)


class _Loader:
    """Builds instances of a model from its columns in a hand-written statement, with the
    conversions Django applies to them (JSON, SQLite's booleans and decimals)."""

    def __init__(self, model, alias: str):
        self.model = model
        self.fields = model._meta.concrete_fields
        self.names = [f.attname for f in self.fields]
        quote = connection.ops.quote_name
        self.columns = ", ".join(f"{alias}.{quote(f.column)}" for f in self.fields)
        self.converters = []
        for index, f in enumerate(self.fields):
            column = f.get_col(alias)
            found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if found:
                self.converters.append((index, column, found))

    def load(self, values):
        if self.converters:
            values = list(values)
            for index, column, converters in self.converters:
                for convert in converters:
                    values[index] = convert(values[index], column, connection)
        return self.model.from_db(connection.alias, self.names, values)


def read_compacts(pairs) -> dict[tuple[int, int], Compact]:
    """The compact of each (cluster id, year) that has one, by that pair: one statement."""
    pairs = sorted(set(pairs))
    if not pairs:
        return {}
    compact = _loader(Compact, "c", connection.vendor)
    wanted = " OR ".join(["(c.cluster_id = %s AND c.year = %s)"] * len(pairs))
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT {compact.columns} FROM "scoring_compact" c WHERE {wanted}',
            [value for pair in pairs for value in pair],
        )
        found = [compact.load(row) for row in cursor.fetchall()]
    return {(c.cluster_id, c.year): c for c in found}


def read_members(pairs) -> dict[tuple[int, int], list[Membership]]:
    """The memberships of each (cluster id, year), by that pair, each with its unit and the
    unit's former names (as `prefetch_related("unit__former_names")` leaves them): one
    statement, none without pairs. In no particular order of roles."""
    pairs = sorted(set(pairs))
    if not pairs:
        return {}
    member, unit, name = (
        _loader(model, alias, connection.vendor)
        for model, alias in ((Membership, "m"), (Unit, "u"), (UnitName, "n"))
    )
    wanted = " OR ".join(["(m.cluster_id = %s AND m.year = %s)"] * len(pairs))
    statement = (
        f'SELECT {member.columns}, {unit.columns}, {name.columns} FROM "units_membership" m'
        ' JOIN "units_unit" u ON u.id = m.unit_id'
        ' LEFT JOIN "units_unitname" n ON n.unit_id = u.id'
        f" WHERE {wanted} ORDER BY u.short_name, m.id, n.valid_from, n.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [value for pair in pairs for value in pair])
        rows = cursor.fetchall()
    found: dict[tuple[int, int], list[Membership]] = {}
    names: dict[int, list[UnitName]] = {}
    sizes = (len(member.fields), len(member.fields) + len(unit.fields))
    for row in rows:
        membership_id = row[0]
        if membership_id not in names:
            membership = member.load(row[: sizes[0]])
            Membership.unit.field.set_cached_value(membership, unit.load(row[sizes[0] : sizes[1]]))
            found.setdefault((membership.cluster_id, membership.year), []).append(membership)
            names[membership_id] = []
        if row[sizes[1]] is not None:
            names[membership_id].append(name.load(row[sizes[1] :]))
    for memberships in found.values():
        for membership in memberships:
            _prefetched_names(membership.unit, names[membership.pk])
    return found


def _prefetched_names(unit: Unit, names: list[UnitName]) -> None:
    """Leaves `unit.former_names.all()` answering `names` without a query, as Django's
    prefetch does."""
    for former in names:
        UnitName.unit.field.set_cached_value(former, unit)
    queryset = unit.former_names.get_queryset()
    queryset._result_cache = names
    queryset._prefetch_done = True
    unit._prefetched_objects_cache = {"former_names": queryset}
