from django import template

from scoring.review import format_percent

register = template.Library()


@register.filter
def percent(value):
    """A percentage in the user's number format: "62,5 %"; empty for None."""
    return format_percent(value)
