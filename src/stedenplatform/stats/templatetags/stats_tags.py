"""Template filters of the stats pages."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def stat_number(value):
    """Show a Decimal in Dutch notation with its own decimals."""
    if isinstance(value, Decimal):
        exponent = -value.as_tuple().exponent if value.as_tuple().exponent < 0 else 0
        text = f"{value:,.{exponent}f}"
        return text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return value


@register.filter
def is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)
