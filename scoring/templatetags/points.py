from decimal import Decimal

from django import template

from scoring.ranking import format_points

register = template.Library()


@register.filter
def points(value):
    """Points in the user's number format without trailing zeros: 1.234,5 / 10 / 0,25."""
    if value is None or value == "":
        return ""
    return format_points(value, grouping=True)


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
    from scoring.documents import administrative_date as format_date

    return format_date(day, place) if day else ""
