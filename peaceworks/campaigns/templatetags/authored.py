"""What the network wrote, in the reader's language.

``{% authored campaign "name" %}`` shows a network-authored text (a campaign's name, a goal's
title, an indicator's name…) in the reader's language, falling back to the original. The text
is marked ``data-authored``; a fallback also carries ``data-untranslated`` and the original's
``lang``, and network staff (who write these texts) see a "not translated yet" marker beside
it. Readers see the original only. ``{{ campaign|translated:"name" }}`` is the plain text, for
titles and attributes.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from peaceworks.accounts.access import viewer_for
from peaceworks.core.models import Translatable, original_language, reading_language

register = template.Library()


def _version(record: Any, field: str) -> tuple[str, str | None]:
    """(text shown, language of the fallback or None when the reader's version exists)."""
    language = reading_language()
    if isinstance(record, Translatable):
        version = record.translation(field, language)
        if version is not None:
            return version, None
        return str(getattr(record, field)), original_language()
    value = getattr(record, field, record) if field else record
    if isinstance(value, dict):  # a per-language map ({"en": …, "fr": …}), as impact keeps
        if value.get(language):
            return str(value[language]), None
        fallback = "en" if value.get("en") else next(iter(value), "")
        return str(value.get(fallback, "")), fallback or None
    return str(value or ""), None


@register.filter
def translated(record: Any, field: str) -> str:
    """The reader's version of ``record.<field>``, or the original."""
    return _version(record, field)[0]


def _is_editor(request: HttpRequest | None) -> bool:
    if request is None:
        return False
    cached = getattr(request, "_translation_editor", None)
    if cached is None:
        user = getattr(request, "user", None)
        cached = bool(
            user is not None and user.is_authenticated and viewer_for(user).is_network_staff
        )
        request._translation_editor = cached  # type: ignore[attr-defined]
    return bool(cached)


@register.simple_tag(takes_context=True)
def authored(context: template.Context, record: Any, field: str = "") -> SafeString:
    """The text marked as written by the network, with the editors' marker where the
    reader's language has no version yet."""
    text, fallback = _version(record, field)
    if not text:
        return format_html("")
    if fallback is None:
        return format_html("<span data-authored>{}</span>", text)
    if not _is_editor(context.get("request")):
        return format_html(
            '<span data-authored data-untranslated lang="{}">{}</span>', fallback, text
        )
    return format_html(
        '<span data-authored data-untranslated lang="{}">{}</span> '
        '<span class="badge badge--untranslated">{}</span>',
        fallback,
        text,
        _("not translated yet"),
    )
