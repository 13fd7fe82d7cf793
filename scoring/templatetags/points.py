from decimal import Decimal

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def points(value):
    """Points in the user's number format without trailing zeros: 1.234,5 / 10 / 0,25."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return formats.number_format(value, use_l10n=True, force_grouping=True)


@register.filter
def plain(value):
    """A Decimal for a data attribute: "12.5" whatever the language."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    return str(value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize())
