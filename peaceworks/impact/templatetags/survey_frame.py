"""The page frame of the public survey (``impact/survey/base.html``), written in Python.

The survey pages used ``web/base.html`` with its navigation, account and script blocks
emptied. Rendering that frame (the language switch with its loop over the languages, the
static and page URLs, a dozen tags and variables) was about a fifth of the template work of
each page of the no-JS survey, and every step of a respondent's walk renders a page. These
three tags write the same markup as escaped strings: ``{% survey_frame_head %}`` up to the
``<title>`` text, ``{% survey_frame_body %}`` from the end of the title to the page's
content (the language switch, the breadcrumbs, a public-address warning, the messages), and
``{% survey_frame_foot %}`` after it. What is the same for every request of a process (the
language switch's options per language, the style sheet, icon, home and language-switch
URLs) is built once. ``test_survey_frame`` renders ``web/base.html`` with the
same blocks emptied in every state a page can be in and checks the output is byte for byte
the same; a change of ``web/base.html`` must be made here too (the test fails until it is).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.template.context import Context
from django.template.defaulttags import CsrfTokenNode
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_bidi, get_language_info, gettext

register = template.Library()

_CSRF = CsrfTokenNode()
#: the language switch's options by the current language, and the frame's four URLs by
#: script prefix and STATIC_URL: the same for every request of a process
_OPTIONS: dict[str, str] = {}
_URLS: dict[tuple[str, str], tuple[str, str, str, str]] = {}
#: the frame's fixed markup around the values of a request (the CSRF token, the page's path,
#: the breadcrumbs, warnings and messages), by language and the four URLs: its texts are
#: translated once per language and process
_PARTS: dict[tuple[str, tuple[str, str, str, str]], tuple[str, str, str, str]] = {}


@register.simple_tag
def survey_frame_head() -> SafeString:
    """From the doctype to ``<title>``: the page's language and direction."""
    return mark_safe(_parts()[0])  # noqa: S308 -- the language code is escaped, the rest is ours


def _parts() -> tuple[str, str, str, str]:
    """The frame's fixed markup in the current language: up to ``<title>``, from the title to
    the CSRF token, from the token to the page's path, from the path to the breadcrumbs."""
    current = get_language()
    urls = _urls()
    known = _PARTS.get((current, urls))
    if known is not None:
        return known
    direction = "rtl" if get_language_bidi() else "ltr"
    css, icon, home, set_language = urls
    head = (
        "<!doctype html>\n\n"
        f'<html lang="{conditional_escape(current)}" dir="{direction}">\n'
        "<head>\n"
        '  <meta charset="utf-8">\n'
        '  <meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '  <meta name="htmx-config" content=\'{"includeIndicatorStyles": false, '
        '"allowEval": false}\'>\n'
        "  <title>"
    )
    before_token = (
        " · Peaceworks</title>\n"
        f'  <link rel="stylesheet" href="{css}">\n'
        f'  <link rel="icon" href="{icon}" '
        'type="image/svg+xml">\n'
        "  \n"
        "</head>\n"
        "<body>\n"
        f'  <a class="skip-link" href="#main">{gettext("Skip to main content")}</a>\n'
        '  <header class="site-header">\n'
        '    <div class="site-header__inner">\n'
        f'      <a class="brand" href="{home}">Peaceworks</a>\n'
        "      \n"
        '      <div class="site-header__tools">\n'
        f'        <form action="{set_language}" method="post" '
        'class="language-form">\n'
        "          "
    )
    before_path = '\n          <input name="next" type="hidden" value="'
    after_path = (
        '">\n'
        '          <label for="language-select" class="visually-hidden">'
        f"{gettext('Language')}</label>\n"
        '          <select name="language" id="language-select">\n'
        "            \n"
        f"            {_language_options(current)}\n"
        "          </select>\n"
        '          <button type="submit" class="button button--small">'
        f"{gettext('Change language')}</button>\n"
        "        </form>\n"
        "        \n"
        "      </div>\n"
        "    </div>\n"
        "  </header>\n"
        '  <main id="main" tabindex="-1" class="main">\n'
        "    "
    )
    known = _PARTS[(current, urls)] = (head, before_token, before_path, after_path)
    return known


def _language_options(current: str) -> str:
    known = _OPTIONS.get(current)
    if known is not None:
        return known
    options = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        selected = " selected" if info["code"] == current else ""
        code_text = conditional_escape(info["code"])
        options.append(
            f'\n            <option value="{code_text}" lang="{code_text}"{selected}>'
            f"{conditional_escape(capfirst(info['name_local']))}</option>\n            "
        )
    known = _OPTIONS[current] = "".join(options)
    return known


def _urls() -> tuple[str, str, str, str]:
    """The style sheet, the icon, the home page and the language switch, escaped."""
    key = (get_script_prefix(), settings.STATIC_URL or "")
    known = _URLS.get(key)
    if known is None:
        known = _URLS[key] = (
            conditional_escape(static("web/peaceworks.css")),
            conditional_escape(static("core/favicon.svg")),
            conditional_escape(reverse("web:home")),
            conditional_escape(reverse("set_language")),
        )
    return known


def _breadcrumbs(crumbs: Any) -> str:
    if not crumbs:
        return ""
    links = "".join(
        f'<li><a href="{conditional_escape(str(crumb["url"]))}">'
        f"{conditional_escape(str(crumb['label']))}</a></li>"
        for crumb in crumbs
    )
    return (
        f'<nav class="breadcrumbs" aria-label="{gettext("Breadcrumbs")}"><ol>\n      {links}\n'
        "    </ol></nav>"
    )


def _messages(messages: Any) -> str:
    if not messages:
        return ""
    shown = "".join(
        f'<p class="message message--{conditional_escape(message.tags)}">'
        f"{conditional_escape(str(message))}</p>"
        for message in messages
    )
    return f'\n    <div class="messages" role="status">\n      {shown}\n    </div>\n    '


@register.simple_tag(takes_context=True)
def survey_frame_body(context: Context | dict[str, Any]) -> SafeString:
    """From the end of the title to the page's content: the header with the language
    switch, then the breadcrumbs, the public-address warning and the messages (``context``
    may be a plain dict of those values: ``views.step_page`` calls it without a template)."""
    request = context.get("request")
    mismatch = context.get("public_address_mismatch")
    warning = (
        render_to_string("web/_public_address.html", {"public_address_mismatch": mismatch})
        if mismatch
        else ""
    )
    full_path = request.get_full_path() if request is not None else ""
    _head, before_token, before_path, after_path = _parts()
    return mark_safe(  # noqa: S308 -- every value from outside is escaped
        f"{before_token}{_CSRF.render(context)}"  # type: ignore[arg-type] # reads csrf_token only
        f"{before_path}{conditional_escape(full_path)}{after_path}"
        f"{_breadcrumbs(context.get('breadcrumbs'))}\n"
        f"    {warning}\n"
        f"    {_messages(context.get('messages'))}\n"
        "    "
    )


#: the footer, by language
_FOOT: dict[str, str] = {}


@register.simple_tag
def survey_frame_foot() -> SafeString:
    """After the page's content: the footer."""
    current = get_language()
    known = _FOOT.get(current)
    if known is None:
        text = gettext("Peaceworks — open tools for a network of voluntary service organisations.")
        known = _FOOT[current] = (
            "\n  </main>\n"
            '  <footer class="site-footer">\n'
            f"    <p>{text}</p>\n"
            "  </footer>\n"
            "</body>\n"
            "</html>\n"
        )
    return mark_safe(known)  # noqa: S308 -- our own text
