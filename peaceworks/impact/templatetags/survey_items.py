"""``{% survey_items items scale %}``: the question fieldsets of a page of the no-JS survey.

A respondent's page holds up to a dozen questions, each a fieldset with five radio buttons,
a choice list or a text box: written as template tags and filters, these were most of the
template engine's work on the public survey (a tag or variable costs a few microseconds, a
page had about a hundred). Built here as escaped strings they cost a tenth of that; the
markup is the one the template wrote (``test_survey_items`` compares the two). ``items`` are
the dictionaries of ``views.public._page_context``.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

from django import template
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

register = template.Library()

#: the items' own texts by language (translated once per language and process): the
#: agreement scale's legend, "don't know" and the "other" box's label
_TEXTS: dict[str, tuple[str, str, str]] = {}


def _texts() -> tuple[str, str, str]:
    language = get_language()
    known = _TEXTS.get(language)
    if known is None:
        known = _TEXTS[language] = (
            gettext("1 = strongly disagree, 5 = strongly agree"),
            gettext("Don't know"),
            gettext("If other, please say what:"),
        )
    return known


_CHOICE_KINDS = {"agreement", "single", "multiple"}
_DATE_KINDS = {"date", "time", "datetime"}


def _e(value: Any) -> str:
    """``conditional_escape`` without its lazy-string wrapper (a few thousand calls a page)."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _value(value: Any) -> str:
    """A value as ``{{ value }}`` prints it: localized, then escaped."""
    return _e(localize(value))


def _checked(is_checked: bool) -> str:
    return " checked" if is_checked else ""


def _choices(item: dict[str, Any], name: str, input_type: str) -> str:
    return "".join(
        f'<label><input type="{input_type}" name="{name}" value="{_e(choice["value"])}"'
        f"{_checked(bool(choice['checked']))}> {_e(choice['label'])}</label><br>"
        for choice in item["choices"]
    )


def _agreement(item: dict[str, Any], name: str, scale: Iterable[int]) -> str:
    value = item["value"]
    radios = "".join(
        f'<label><input type="radio" name="{name}" value="{n}"{_checked(value == n)}> {n}</label> '
        for n in scale
    )
    # as ``{% translate %}`` printed them: our own texts, not escaped
    legend, unknown, _other = _texts()
    return (
        f'\n      <p class="muted">{legend}</p>\n      {radios}\n      <label><input type="radio" '
        f'name="{name}" value="dk"{_checked(value == "dk")}> {unknown}</label>\n    '
    )


def _entry(item: dict[str, Any], name: str, text: str, kind: str) -> str:
    """The input of a question answered by typing (after the choices, as the template had it)."""
    if kind in _CHOICE_KINDS:
        return "\n    "
    value = _value(item["value"])
    if kind == "number":
        return (
            f'\n      <input type="number" name="{name}" value="{value}" inputmode="numeric" '
            f'aria-label="{text}">\n    '
        )
    if kind in _DATE_KINDS:
        input_type = "datetime-local" if kind == "datetime" else kind
        return (
            f'\n      <input type="{input_type}" name="{name}" value="{value}" '
            f'aria-label="{text}">\n    '
        )
    return (
        f'\n      <textarea name="{name}" rows="3" maxlength="2000" aria-label="{text}">'
        f"{value}</textarea>\n    "
    )


def _fieldset(item: dict[str, Any], scale: Iterable[int]) -> str:
    kind = item["question"].kind
    name, text, error = _e(item["name"]), _e(item["text"]), item["error"]
    if error:
        opening = f'<fieldset class="field field--error" aria-describedby="error-{name}">'
        shown_error = f'<p class="error errorlist" id="error-{name}">{_value(error)}</p>'
    else:
        opening, shown_error = '<fieldset class="field">', ""
    if kind == "agreement":
        choices = _agreement(item, name, scale)
    elif kind in ("single", "multiple"):
        input_type = "radio" if kind == "single" else "checkbox"
        choices = f"\n      {_choices(item, name, input_type)}\n    "
    else:
        choices = ""
    other = ""
    if item["other_name"]:
        other = (
            f"\n      <label>{_texts()[2]} "
            f'<input type="text" name="{_e(item["other_name"])}" '
            f'value="{_value(item["other_value"])}" maxlength="2000"></label>\n    '
        )
    return (
        f"\n  {opening}\n    <legend>{text}</legend>\n    {shown_error}\n    {choices}\n    "
        f"{other}\n    {_entry(item, name, text, kind)}\n  </fieldset>\n  "
    )


@register.simple_tag
def survey_items(items: Sequence[dict[str, Any]], scale: Iterable[int]) -> SafeString:
    """The fieldsets of ``items`` (recorded questions have none: their answer is a file)."""
    scale = list(scale)
    return mark_safe(  # noqa: S308 -- every value is escaped by _e
        "".join(_fieldset(item, scale) for item in items if item["question"].kind != "recorded")
    )
