"""A page of the respondent's no-JS survey, written in Python: the markup of
``impact/survey/step.html`` without the template engine.

Every request of a respondent's walk but the last renders one of these pages. With the
fieldsets (``{% survey_items %}``) and the frame (``{% survey_frame_* %}``) already written
in Python, what was left of the template's cost was the engine itself: the context and its
binding, the ``{% if %}``, ``{% translate %}`` and variable nodes, the block inheritance
(about a third of a page's CPU). :func:`step_page` writes the same bytes from the same values
(``views.public.step_context``) and the context processors' values (the frame reads the CSRF
token, the messages, the breadcrumbs and the public-address warning of them).
``step.html`` stays the reference (and the coordinators' preview extends it):
``test_survey_frame`` re-renders every page of real walks, refused answers and codes included,
through the template and checks the view's page is byte for byte the same; a change of
``step.html`` must be made here too (the test fails until it is).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.template import Engine
from django.template.defaulttags import CsrfTokenNode
from django.utils.formats import localize
from django.utils.translation import get_language, gettext, pgettext

from peaceworks.impact.templatetags.survey_frame import (
    survey_frame_body,
    survey_frame_foot,
    survey_frame_head,
)
from peaceworks.impact.templatetags.survey_items import survey_items

_CSRF = CsrfTokenNode()
#: the question pages' own texts by language, translated once per language and process: the
#: page numbers (a format), the buttons, the retrospective block's heading
_TEXTS: dict[str, tuple[str, str, str, str, str]] = {}


def _texts() -> tuple[str, str, str, str, str]:
    """(page numbers, next, send, back button, retrospective heading) in this language."""
    language = get_language()
    known = _TEXTS.get(language)
    if known is None:
        back = (
            '  <button type="submit" name="action" value="back" class="button button--quiet">'
            f"{gettext('Back')}</button>\n"
        )
        retrospective = (
            f"<h2>{gettext('Think back to before the project')}</h2>\n  <p>"
            + gettext(
                "Answer as you would have answered on the first day, before the project started."
            )
            + "</p>"
        )
        known = _TEXTS[language] = (
            gettext("Page %(page_number)s of %(page_count)s"),
            gettext("Next"),
            gettext("Send my answers"),
            back,
            retrospective,
        )
    return known


def _e(value: Any) -> str:
    """``{{ value }}``: localized, then escaped (unless already safe)."""
    value = localize(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _consent(values: dict[str, Any]) -> str:
    form = values["consent_form"]
    sensitive_text = values.get("sensitive_text")
    consent = form["consent"]
    sensitive = (
        f'<p><label><input type="checkbox" name="sensitive_consent" value="on"> '
        f"{_e(form['sensitive_consent'].label)}</label></p>"
        if sensitive_text
        else ""
    )
    quote = ""
    if values.get("asks_quotable"):
        quoted = form["quote_consent"]
        checked = " checked" if quoted.value() else ""
        quote = (
            f'<p><label><input type="checkbox" name="quote_consent" value="on"{checked}> '
            f"{_e(quoted.label)}</label></p>"
        )
    return (
        f"\n  <h2>{gettext('Before you start')}</h2>\n"
        f"  <p>{_e(values.get('consent_text', ''))}</p>\n"
        f"  {f'<p>{_e(sensitive_text)}</p>' if sensitive_text else ''}\n"
        f"  {_e(consent.errors)}\n"
        '  <p><label><input type="checkbox" name="consent" value="on"'
        f"{' checked' if consent.value() else ''}> {_e(consent.label)}</label></p>\n"
        f"  {sensitive}\n"
        f"  {quote}\n"
        f'  <button type="submit" class="button">{pgettext("survey button", "Start")}</button>\n'
    )


def _back() -> str:
    return _texts()[3]


def _code(values: dict[str, Any]) -> str:
    explanation = gettext(
        "We never ask your name. Instead, three facts only you know make a code that links "
        "your answers before and after the project. We keep only a scrambled form of it."
    )
    return (
        f"\n  <h2>{gettext('Your personal code')}</h2>\n"
        f"  <p>{explanation}</p>\n"
        f"  {_e(values.get('code_fields', ''))}\n"
        f'  <button type="submit" class="button">{gettext("Next")}</button>\n' + _back()
    )


def _questions(values: dict[str, Any]) -> str:
    page_numbers, next_text, send_text, back, retrospective_text = _texts()
    numbers = page_numbers % {
        "page_number": _e(values["page_number"]),
        "page_count": _e(values["page_count"]),
    }
    retrospective = retrospective_text if values["page"].is_retrospective else ""
    send = send_text if values["is_last"] else next_text
    return (
        f'\n  <p class="muted">{numbers}</p>\n'
        f"  {retrospective}\n"
        f"  {survey_items(values['items'], values['scale'])}\n"
        f'  <button type="submit" class="button">{send}</button>\n' + back
    )


#: the context processors whose values the frame reads, by name
_FRAME_PROCESSORS = frozenset({"csrf", "messages", "breadcrumbs", "public_address"})


def _frame_processors() -> list[Callable[[HttpRequest], dict[str, Any]]]:
    """Those of the template engine's context processors (the settings' and the CSRF one
    RequestContext always adds) the frame reads: named, not imported, so the view stays below
    the web app's layer and follows the settings."""
    return [
        processor
        for processor in Engine.get_default().template_context_processors
        if processor.__name__ in _FRAME_PROCESSORS
    ]


def step_page(request: HttpRequest, values: dict[str, Any]) -> str:
    """The page ``impact/survey/step.html`` renders for ``values`` (``step_context``'s) in a
    request: the same markup, the same CSRF token in the frame and the form (one masking)."""
    # what the frame reads of RequestContext's values: the request, the lazy CSRF token, the
    # messages, the breadcrumbs and the public-address warning (those context processors' own
    # values; the page reads none of the others')
    frame: dict[str, Any] = {"request": request}
    for processor in _frame_processors():
        frame.update(processor(request))
    if values.get("consent_form"):
        body = _consent(values)
    elif values.get("code_form"):
        body = _code(values)
    else:
        body = _questions(values)
    expired = (
        '<p class="error" role="alert">'
        + gettext("Your session had expired, so the survey starts again.")
        + "</p>"
        if values.get("expired")
        else ""
    )
    error = values.get("error")
    shown_error = f'<p class="error" role="alert">{_e(error)}</p>' if error else ""
    title = _e(values["title"])
    return (
        f"{survey_frame_head()}{title}{survey_frame_body(frame)}"
        f'\n<div dir="{_e(values["direction"])}" lang="{_e(values["language"])}" '
        'class="survey">\n'
        f"<h1>{title}</h1>\n"
        f'<p class="muted">{_e(values["round"].activity.title)}</p>\n'
        f"{expired}\n{shown_error}\n"
        f'<form method="post" class="form" novalidate>{_CSRF.render(frame)}\n'  # type: ignore[arg-type] # CsrfTokenNode reads the context's csrf_token only
        f'<input type="hidden" name="state" value="{_e(values["state_token"])}">\n'
        f"{body}\n</form>\n</div>\n{survey_frame_foot()}"
    )
