"""How the dashboards write a figure: ``{{ cell.mean_change|signed }}`` is "+0,30" in French."""

from __future__ import annotations

from django import template

from peaceworks.impact.charts import number

register = template.Library()


@register.filter
def signed(value: object, digits: int = 2) -> str:
    """A change with its sign, in the reader's language; a dash for none."""
    return number(value, int(digits), signed=True)
