"""``{% load meeting_minutes %}{{ body|markdown_minutes }}``: minutes in Markdown, shown as
sanitised HTML."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from peaceworks.meetings.html import minutes_html

register = template.Library()


@register.filter
def markdown_minutes(value: object) -> SafeString:
    # minutes_html runs the HTML through core.html's sanitiser: only formatting tags remain.
    return mark_safe(minutes_html("" if value is None else str(value)))  # noqa: S308
