"""A unit's line: its names over dated periods, its predecessors and successors, and its
results year by year, following its predecessors back (Gia Lai's line holds Bình Định's
years). Also the successions a year-on-year comparison crosses. Each in a fixed number of
queries whatever the length of the line.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from units.models import Membership, Unit, UnitName, UnitSuccession

from ..models import Compact
from .standings import standings_by_compact

DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class NamePeriod:
    full_name: str
    short_name: str
    valid_from: datetime.date | None  # None: not recorded
    valid_until: datetime.date | None  # None: still in use


@dataclass(frozen=True)
class LineResult:
    """One year of the line: the unit that bore it (the unit itself or a predecessor), with
    the name valid that year, and its place. No rank or band until the unit is complete."""

    compact: Compact
    unit: Unit
    name: str
    own: bool  # the unit itself, not a predecessor
    complete: bool
    verified: int
    criteria: int
    total: Decimal
    rank: int | None
    shared: bool
    band: str


@dataclass
class UnitLine:
    unit: Unit
    names: list[NamePeriod]
    predecessors: list[UnitSuccession]  # the links into the unit (their predecessor)
    successors: list[UnitSuccession]  # the links out of it (their successor; none if dissolved)
    results: list[LineResult]


def all_successions() -> list[UnitSuccession]:
    """Every succession with both of its units (one query: the table is small)."""
    return list(UnitSuccession.objects.select_related("predecessor", "successor"))


def ancestors(unit_id: int, successions: list[UnitSuccession]) -> list[int]:
    """The unit's predecessors, theirs, and so on, nearest first (each once)."""
    into: dict[int, list[int]] = {}
    for s in successions:
        if s.successor_id is not None:
            into.setdefault(s.successor_id, []).append(s.predecessor_id)
    found, queue = [], [unit_id]
    while queue:
        for pk in into.get(queue.pop(0), []):
            if pk != unit_id and pk not in found:
                found.append(pk)
                queue.append(pk)
    return found


def line_units(unit_id: int, successions: list[UnitSuccession]) -> set[int]:
    """Every unit connected to this one by successions, either way (itself included)."""
    linked: dict[int, set[int]] = {}
    for s in successions:
        if s.successor_id is not None:
            linked.setdefault(s.predecessor_id, set()).add(s.successor_id)
            linked.setdefault(s.successor_id, set()).add(s.predecessor_id)
    found, queue = {unit_id}, [unit_id]
    while queue:
        for pk in linked.get(queue.pop(), set()) - found:
            found.add(pk)
            queue.append(pk)
    return found


def unit_line(unit: Unit, *, readable, successions=None) -> UnitLine:
    """The unit's line. `readable(compact)` says which years' results the user may see."""
    successions = all_successions() if successions is None else successions
    names = _name_periods(unit, successions)
    return UnitLine(
        unit=unit,
        names=names,
        predecessors=[s for s in successions if s.successor_id == unit.pk],
        successors=[s for s in successions if s.predecessor_id == unit.pk],
        results=_results([unit.pk, *ancestors(unit.pk, successions)], unit.pk, readable),
    )


def _name_periods(unit, successions) -> list[NamePeriod]:
    former = list(UnitName.objects.filter(unit=unit).order_by("valid_from"))
    periods = [NamePeriod(n.full_name, n.short_name, n.valid_from, n.valid_until) for n in former]
    closed = [
        s.effective_on
        for s in successions
        if s.predecessor_id == unit.pk and s.kind != UnitSuccession.Kind.SPLIT
    ]
    periods.append(
        NamePeriod(
            unit.full_name,
            unit.short_name,
            former[-1].valid_until + DAY if former else None,
            min(closed) - DAY if closed else None,
        )
    )
    return periods


def _results(unit_ids: list[int], own_id: int, readable) -> list[LineResult]:
    places = Membership.objects.filter(unit_id__in=unit_ids).values_list("cluster_id", "year")
    wanted = Q(pk__in=[])
    for cluster_id, year in places:
        wanted |= Q(cluster_id=cluster_id, year=year)
    compacts = [
        c
        for c in Compact.objects.filter(wanted).select_related("cluster").order_by("year")
        if readable(c)
    ]
    standings = standings_by_compact(compacts, with_previous=False)
    results = []
    for compact in compacts:
        for row in standings[compact.pk].rows:
            if row.membership.unit_id not in unit_ids:
                continue
            results.append(
                LineResult(
                    compact=compact,
                    unit=row.unit,
                    name=row.full_name,
                    own=row.unit.pk == own_id,
                    complete=row.complete,
                    verified=row.verified,
                    criteria=row.criteria,
                    total=row.totals.total,
                    rank=row.ranked.rank,
                    shared=row.ranked.shared,
                    band=row.ranked.band if row.complete else "",
                )
            )
    return results
