"""`python manage.py rule_points CASES.json`: the points the scoring rules give, per case.

CASES.json is a list of cases:
    {"name": "…", "rule": "cluster_relative" | "per_occurrence" | "counts", "max": 10,
     "params": {…}, "units": [{"unit": "…", "target": 100, "actual": 120,
                               "bonus_count": 0, "penalty_count": 0}]}
Params: cluster_relative — `lower_is_better` (true/false, default false); per_occurrence —
`point_per_unit`, `cap` (optional), and `actual` is the count; counts — `bonus_point`,
`penalty_point`, `min` (default 0), `max` (optional). The case's `max` is always an upper
bound: `cap` and the counts' `max` can only narrow it. Missing or null values are missing
(an actual result or a count counts as 0, see scoring/rules.py); unknown fields are refused,
so a misspelt one is not silently read as missing.

Prints one JSON object {case name: {unit: points}}, cases and units in the file's order.
Points are JSON numbers written from the Decimal with exactly two decimals ("5.63", "10.00"),
never through a float; read them with `json.loads(text, parse_float=Decimal)` to keep them
exact. Bad input exits with status 1 and one line naming the case, unit and field.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from scoring import rules
from scoring.ranking import InvalidScore

UNIT_FIELDS = {"unit", "target", "actual", "bonus_count", "penalty_count"}
CASE_FIELDS = {"name", "rule", "max", "params", "units"}
PARAMS = {
    rules.CLUSTER_RELATIVE: {"lower_is_better"},
    rules.PER_OCCURRENCE: {"point_per_unit", "cap"},
    rules.COUNTS: {"bonus_point", "penalty_point", "min", "max"},
}


class Command(BaseCommand):
    help = (
        "Prints the points the scoring rules (cluster_relative, per_occurrence, counts) give "
        "each unit of each case in a JSON file."
    )

    def add_arguments(self, parser):
        parser.add_argument("cases", help="a JSON list of cases")

    def handle(self, *args, cases, **options):
        path = Path(cases)
        if not path.is_file():
            raise CommandError(_("No file %(file)s.") % {"file": cases})
        try:
            data = json.loads(
                path.read_text(encoding="utf-8"),
                parse_float=Decimal,
                parse_int=Decimal,
                parse_constant=_refuse_constant,
            )
        except UnicodeDecodeError:
            raise CommandError(_("%(file)s is not UTF-8 text.") % {"file": cases}) from None
        except json.JSONDecodeError as error:
            raise CommandError(
                _("%(file)s is not valid JSON (line %(line)s, column %(column)s).")
                % {"file": cases, "line": error.lineno, "column": error.colno}
            ) from None
        except NotANumber as error:
            raise CommandError(
                _("%(file)s: “%(value)s” is not a number.") % {"file": cases, "value": error}
            ) from None
        if not isinstance(data, list):
            raise CommandError(_("%(file)s must hold a JSON list of cases.") % {"file": cases})
        results = {}
        for number, case in enumerate(data, start=1):
            name, points = points_of_case(case, number=number)
            if name in results:
                raise CommandError(_("Case “%(case)s” appears twice.") % {"case": name})
            results[name] = points
        self.stdout.write(_as_json(results))


def points_of_case(case, *, number: int) -> tuple[str, dict]:
    """(name, {unit: points}) for one case; raises CommandError naming what is wrong."""
    if not isinstance(case, dict):
        raise CommandError(_("Case no. %(number)s is not a JSON object.") % {"number": number})
    name = case.get("name")
    if not isinstance(name, str) or not name.strip():
        raise CommandError(
            _("Case no. %(number)s: field “name” is missing or not text.") % {"number": number}
        )
    where = _("Case “%(case)s”") % {"case": name}
    _refuse_unknown(case, CASE_FIELDS, where)
    rule = _required(case, "rule", where)
    if rule not in PARAMS:
        raise CommandError(
            _("%(where)s: unknown rule “%(rule)s” (known: %(known)s).")
            % {"where": where, "rule": rule, "known": ", ".join(PARAMS)}
        )
    maximum = _number(case, "max", where, required=True)
    params = case.get("params") or {}
    if not isinstance(params, dict):
        raise CommandError(_("%(where)s: field “params” must be a JSON object.") % {"where": where})
    _refuse_unknown(params, PARAMS[rule], where)
    units = _required(case, "units", where)
    if not isinstance(units, list):
        raise CommandError(_("%(where)s: field “units” must be a JSON list.") % {"where": where})
    rows = {}
    for row in units:
        unit, values = _unit_row(row, where)
        if unit in rows:
            raise CommandError(
                _("%(where)s: unit “%(unit)s” appears twice.") % {"where": where, "unit": unit}
            )
        rows[unit] = values
    try:
        return name, RULES[rule](rows, maximum=maximum, params=params, where=where)
    except InvalidScore as error:
        raise CommandError(f"{where}: {error.message}") from None


def _cluster_relative(rows, *, maximum, params, where):
    lower = params.get("lower_is_better", False)
    if not isinstance(lower, bool):
        raise CommandError(
            _("%(where)s: parameter “lower_is_better” must be true or false.") % {"where": where}
        )
    results = {
        unit: rules.Result(target=values["target"], actual=values["actual"])
        for unit, values in rows.items()
    }
    return rules.cluster_relative(results, maximum=maximum, lower_is_better=lower)


def _per_occurrence(rows, *, maximum, params, where):
    point = _number(params, "point_per_unit", where, required=True, parameter=True)
    cap = _number(params, "cap", where, parameter=True)
    cap = maximum if cap is None else min(cap, maximum)
    for unit, values in rows.items():
        _whole(values["actual"], where, unit, "actual")
    return {
        unit: rules.per_occurrence(count=values["actual"], point_per_unit=point, cap=cap)
        for unit, values in rows.items()
    }


def _counts(rows, *, maximum, params, where):
    bonus_point = _number(params, "bonus_point", where, required=True, parameter=True)
    penalty_point = _number(params, "penalty_point", where, required=True, parameter=True)
    low = _number(params, "min", where, parameter=True, signed=True)
    high = _number(params, "max", where, parameter=True, signed=True)
    high = maximum if high is None else min(high, maximum)
    low = Decimal(0) if low is None else low
    if low > high:
        raise CommandError(
            _("%(where)s: parameter “min” is above the maximum (%(maximum)s).")
            % {"where": where, "maximum": high}
        )
    for unit, values in rows.items():
        _whole(values["bonus_count"], where, unit, "bonus_count")
        _whole(values["penalty_count"], where, unit, "penalty_count")
    return {
        unit: rules.counts(
            bonus_count=values["bonus_count"],
            penalty_count=values["penalty_count"],
            bonus_point=bonus_point,
            penalty_point=penalty_point,
            minimum=low,
            maximum=high,
        )
        for unit, values in rows.items()
    }


RULES = {
    rules.CLUSTER_RELATIVE: _cluster_relative,
    rules.PER_OCCURRENCE: _per_occurrence,
    rules.COUNTS: _counts,
}


def _unit_row(row, where: str) -> tuple[str, dict]:
    if not isinstance(row, dict):
        raise CommandError(_("%(where)s: every unit must be a JSON object.") % {"where": where})
    unit = row.get("unit")
    if not isinstance(unit, str) or not unit.strip():
        raise CommandError(
            _("%(where)s: a unit's field “unit” is missing or not text.") % {"where": where}
        )
    at = _("%(where)s, unit “%(unit)s”") % {"where": where, "unit": unit}
    _refuse_unknown(row, UNIT_FIELDS, at)
    return unit, {field: _number(row, field, at) for field in sorted(UNIT_FIELDS - {"unit"})}


def _required(data: dict, field: str, where: str):
    if data.get(field) is None:
        raise CommandError(
            _("%(where)s: field “%(field)s” is missing.") % {"where": where, "field": field}
        )
    return data[field]


def _number(
    data: dict,
    field: str,
    where: str,
    *,
    required: bool = False,
    parameter: bool = False,
    signed: bool = False,
) -> Decimal | None:
    """The field's value as a Decimal; None when absent or null and not required."""
    value = data.get(field)
    names = {"where": where, "field": field}
    if value is None:
        if not required:
            return None
        if parameter:
            raise CommandError(_("%(where)s: parameter “%(field)s” is missing.") % names)
        raise CommandError(_("%(where)s: field “%(field)s” is missing.") % names)
    if not isinstance(value, Decimal):
        raise CommandError(
            _("%(where)s: “%(field)s” is not a number: %(value)s.")
            % {**names, "value": json.dumps(value, ensure_ascii=False, default=str)}
        )
    if value < 0 and not signed:
        raise CommandError(_("%(where)s: “%(field)s” cannot be negative.") % names)
    return value


def _whole(value: Decimal | None, where: str, unit: str, field: str) -> None:
    if value is not None and value != value.to_integral_value():
        raise CommandError(
            _("%(where)s, unit “%(unit)s”: “%(field)s” must be a whole number of occurrences.")
            % {"where": where, "unit": unit, "field": field}
        )


def _refuse_unknown(data: dict, known: set[str], where: str) -> None:
    unknown = sorted(set(data) - known)
    if unknown:
        raise CommandError(
            _("%(where)s: unknown field “%(field)s”.") % {"where": where, "field": unknown[0]}
        )


class NotANumber(Exception):
    """NaN or Infinity in the file: JSON does not have them and points cannot be them."""


def _refuse_constant(name: str):
    raise NotANumber(name)


def _as_json(results: dict[str, dict[str, Decimal]]) -> str:
    """The JSON object, points written from their Decimal text (never through a float)."""
    cases = []
    for name, points in results.items():
        units = ", ".join(
            f"{json.dumps(unit, ensure_ascii=False)}: {value:.2f}" for unit, value in points.items()
        )
        cases.append(f"  {json.dumps(name, ensure_ascii=False)}: {{{units}}}")
    return "{\n" + ",\n".join(cases) + "\n}" if cases else "{}"
