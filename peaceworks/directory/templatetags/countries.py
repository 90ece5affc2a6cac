"""``{{ code|country_name }}``: a country's name in the active language for an ISO code."""

from __future__ import annotations

from django import template

from peaceworks.directory import geography

register = template.Library()


@register.filter
def country_name(code: object) -> str:
    """The name of the country ``code`` (ISO alpha-2) in the active language; the code itself
    when it is unknown, and an empty text for none."""
    return geography.country_name(str(code)) if code else ""
