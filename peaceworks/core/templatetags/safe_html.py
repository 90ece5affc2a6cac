"""``{% load safe_html %}{{ text|sanitised }}``: show user-written HTML safely."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from peaceworks.core.html import sanitise_html

register = template.Library()


@register.filter
def sanitised(value: object) -> SafeString:
    # The sanitiser's output only holds the allowed tags and attributes.
    return mark_safe(sanitise_html("" if value is None else str(value)))  # noqa: S308
