import re
from decimal import Decimal

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from scoring.documents import administrative_date as format_date
from scoring.ranking import format_points

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
def criterion_max(criterion):
    """The "maximum" cell of a criterion: its points, or the rule of a per-occurrence item,
    a pass/fail or a quantitative criterion. (A tag, not an include: the sheet draws one
    per row.) Every part is escaped markup, joined as markup: a plain str added to
    format_html output would be escaped and shown as text."""
    if criterion.disqualifying:
        return format_html('<span class="text-danger small">{}</span>', _("no flag"))
    head = ""
    notes = []  # small lines under the maximum
    if criterion.points_per_occurrence is not None:
        sign = "−" if criterion.kind == "deduction" else "+"
        head = format_html(
            '<span class="text-nowrap">{}{}/{}</span>',
            sign,
            points(criterion.points_per_occurrence),
            _("time"),
        )
        if criterion.max_points is not None:
            notes.append(f"≤ {points(criterion.max_points)}")
    elif criterion.max_points is not None:
        head = points(criterion.max_points)
    if criterion.kind == "pass_fail":
        notes.append(_("1 = passed"))
    elif criterion.is_relative:
        notes.append(_("compared within the cluster"))
        if criterion.lower_is_better:
            notes.append(_("lower is better"))
    elif criterion.kind == "quantitative":
        notes.append(_("full at target") if criterion.rule == "full_at_target" else _("∝ target"))
    return format_html(
        "{}{}",
        head,
        format_html_join(
            "", '<br><span class="small text-body-secondary">{}</span>', ((n,) for n in notes)
        ),
    )
