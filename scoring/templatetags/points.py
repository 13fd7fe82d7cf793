import re
from decimal import Decimal
from html import escape  # not Django's, 10 times slower: the sheet calls this per row

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from scoring.documents import administrative_date as format_date
from scoring.ranking import format_points, points_formatter

register = template.Library()
PLAIN_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


@register.filter
def points(value):
    """Points in the user's number format without trailing zeros: 1.234,5 / 10 / 0,25.

    Takes a number or a plain decimal string ("1050.5", as stored); any other text (what a
    person typed and a refused form shows back) is returned as it is, never reinterpreted."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        if not PLAIN_DECIMAL.fullmatch(value):
            return value
    elif not isinstance(value, Decimal | int | float) or isinstance(value, bool):
        return str(value)
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    return format_points(number, grouping=True) if number.is_finite() else str(value)


@register.filter
def plain(value):
    """A Decimal for a data attribute: "12.5" whatever the language."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    return str(value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize())


@register.filter
def administrative_date(day, place=""):
    """A date in the decree's words: "Thanh Hóa, ngày 15 tháng 3 năm 2017"."""
    return format_date(day, place) if day else ""


@register.simple_tag
def criterion_max(criterion, number=None):
    """The "maximum" cell of a criterion: its points, or the rule of a per-occurrence item,
    a pass/fail or a quantitative criterion. (A tag, not an include: the sheet draws one
    per row; written as escaped strings for the same reason.) `number`: a page's
    `points_formatter(grouping=True)`, else the `points` filter."""
    number = number or points
    if criterion.disqualifying:
        no_flag = escape(_("no flag"))
        return mark_safe(f'<span class="text-danger small">{no_flag}</span>')
    head = ""
    notes = []  # small lines under the maximum
    if criterion.points_per_occurrence is not None:
        sign = "−" if criterion.kind == "deduction" else "+"
        per = escape(_("time"))
        head = (
            f'<span class="text-nowrap">{sign}{escape(number(criterion.points_per_occurrence))}'
            f"/{per}</span>"
        )
        if criterion.max_points is not None:
            notes.append(f"≤ {number(criterion.max_points)}")
    elif criterion.max_points is not None:
        head = escape(number(criterion.max_points))
    if criterion.kind == "pass_fail":
        notes.append(_("1 = passed"))
    elif criterion.is_relative:
        notes.append(_("compared within the cluster"))
        if criterion.lower_is_better:
            notes.append(_("lower is better"))
    elif criterion.kind == "quantitative":
        notes.append(_("full at target") if criterion.rule == "full_at_target" else _("∝ target"))
    line = '<br><span class="small text-body-secondary">{}</span>'
    return mark_safe(head + "".join(line.format(escape(n)) for n in notes))


def blank_or_points(formatted=None):
    """Points with thousands separators (by `formatted`, a `points_formatter`); blank for
    nothing. For pages that format many values with one formatter."""
    formatted = formatted or points_formatter(grouping=True)
    return lambda value: "" if value is None or value == "" else formatted(value)


def url_pattern(viewname, *args) -> str:
    """A URL reversed once with named holes for per-row ids: each argument written
    "{name}" stays "{name}" in the path ("/compacts/7/units/{unit}/report/"), for
    `str.replace` per row or for the script to fill in."""
    # Ids far beyond any primary key stand in for the holes while reversing.
    given = [10**30 + i if str(arg).startswith("{") else arg for i, arg in enumerate(args)]
    url = reverse(viewname, args=given)
    for stand_in, arg in zip(given, args, strict=True):
        if stand_in != arg:
            url = url.replace(f"/{stand_in}/", f"/{arg}/")
    return url
