"""Printing units by the names they bore on a day.

A unit keeps one identity while its name changes (QĐ 4083/QĐ-BCA renamed the fire-police
departments in 2018; provinces merged in 2025). A page about 2017 prints the 2017 names: the
caller decides the day (for a compact, `scoring.dated_names.names_day`) and has the units it
prints carry that day's names, in the cheapest way its query allows:
- units already loaded: `show_names_on(units, day)`, no query when their `former_names` were
  prefetched, else one for all of them;
- a queryset of units (a form's choices): `Unit.objects.named_on(day)`, in the same query;
- rows with a unit (memberships, appeals): `with_names_on(rows, day)`, then
  `show_annotated_names(row)`.
From then on `str(unit)`, `unit.shown_short_name` and `unit.shown_full_name` give that day's
names; `full_name` and `short_name` stay the current ones.
"""

import datetime
from collections.abc import Iterable

from django.db.models import QuerySet

from .models import Unit, UnitName, names_on_annotations


def show_names_on(units: Iterable[Unit | None], day: datetime.date) -> None:
    """Makes each unit print the names valid on `day`, in one query at most.

    Units whose former names were prefetched (`Prefetch("unit__former_names")`) cost none;
    for the others, one query reads the names valid on `day` of all of them together.
    """
    units = [u for u in units if u is not None]
    to_read = [u for u in units if not _prefetched(u)]
    dated = {}
    if to_read:
        names = UnitName.objects.filter(
            unit__in={u.pk for u in to_read}, valid_from__lte=day, valid_until__gte=day
        ).order_by("valid_from", "pk")  # overlapping old rows: the latest-starting one wins
        dated = {name.unit_id: (name.full_name, name.short_name) for name in names}
    for unit in units:
        if _prefetched(unit):
            unit._names_shown = unit.names_on(day)
        else:
            unit._names_shown = dated.get(unit.pk, (unit.full_name, unit.short_name))


def _prefetched(unit: Unit) -> bool:
    return "former_names" in getattr(unit, "_prefetched_objects_cache", {})


def with_names_on(rows: QuerySet, day: datetime.date) -> QuerySet:
    """Rows that have a `unit` (memberships, appeals…) annotated with their unit's names valid
    on `day`, in the same query; `show_annotated_names(row)` makes the unit print them."""
    return rows.annotate(**names_on_annotations(day, "unit_id"))


def show_annotated_names(row) -> Unit:
    """The row's unit, printing the names `with_names_on` read for it."""
    unit = row.unit
    if row.dated_full_name is not None:
        unit._names_shown = (row.dated_full_name, row.dated_short_name)
    else:
        unit._names_shown = (unit.full_name, unit.short_name)
    return unit
