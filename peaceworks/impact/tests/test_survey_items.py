"""The no-JS survey's question fieldsets (``{% survey_items %}``) are the markup the template
wrote before, and the public pages keep their language switch and CSRF token.

``REFERENCE`` is the template loop ``impact/survey/step.html`` held until the fieldsets were
built in Python; each page of real walks, and items of every kind with awkward values, must
come out the same from both.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from peaceworks.impact.models import Round
from peaceworks.impact.templatetags.survey_items import survey_items
from peaceworks.impact.tests.test_respondent_pages import (
    fill_page,
    first_page,
    state_of,
    step_url,
)

REFERENCE = Template(
    """{% load i18n %}{% for item in items %}{% if item.question.kind != "recorded" %}
  <fieldset class="field{% if item.error %} field--error{% endif %}"{% if item.error %} aria-describedby="error-{{ item.name }}"{% endif %}>
    <legend>{{ item.text }}</legend>
    {% if item.error %}<p class="error errorlist" id="error-{{ item.name }}">{{ item.error }}</p>{% endif %}
    {% if item.question.kind == "agreement" %}
      <p class="muted">{% translate "1 = strongly disagree, 5 = strongly agree" %}</p>
      {% for n in scale %}<label><input type="radio" name="{{ item.name }}" value="{{ n }}"{% if item.value == n %} checked{% endif %}> {{ n }}</label> {% endfor %}
      <label><input type="radio" name="{{ item.name }}" value="dk"{% if item.value == "dk" %} checked{% endif %}> {% translate "Don't know" %}</label>
    {% elif item.question.kind == "single" %}
      {% for choice in item.choices %}<label><input type="radio" name="{{ item.name }}" value="{{ choice.value }}"{% if choice.checked %} checked{% endif %}> {{ choice.label }}</label><br>{% endfor %}
    {% elif item.question.kind == "multiple" %}
      {% for choice in item.choices %}<label><input type="checkbox" name="{{ item.name }}" value="{{ choice.value }}"{% if choice.checked %} checked{% endif %}> {{ choice.label }}</label><br>{% endfor %}
    {% endif %}
    {% if item.other_name %}
      <label>{% translate "If other, please say what:" %} <input type="text" name="{{ item.other_name }}" value="{{ item.other_value }}" maxlength="2000"></label>
    {% endif %}
    {% if item.question.kind == "agreement" or item.question.kind == "single" or item.question.kind == "multiple" %}
    {% elif item.question.kind == "number" %}
      <input type="number" name="{{ item.name }}" value="{{ item.value }}" inputmode="numeric" aria-label="{{ item.text }}">
    {% elif item.question.kind == "date" or item.question.kind == "time" or item.question.kind == "datetime" %}
      <input type="{% if item.question.kind == "datetime" %}datetime-local{% else %}{{ item.question.kind }}{% endif %}" name="{{ item.name }}" value="{{ item.value }}" aria-label="{{ item.text }}">
    {% else %}
      <textarea name="{{ item.name }}" rows="3" maxlength="2000" aria-label="{{ item.text }}">{{ item.value }}</textarea>
    {% endif %}
  </fieldset>
  {% endif %}{% endfor %}"""  # noqa: E501 -- the template as it was
)


def _both(items: list[dict[str, Any]], scale: Any) -> tuple[str, str]:
    reference = REFERENCE.render(Context({"items": items, "scale": scale}))
    return str(survey_items(items, scale)), reference


def _walk_pages(
    survey_round: Round, language: str, step_values: list[dict[str, Any]]
) -> list[tuple[Any, dict[str, Any]]]:
    """Every question page of one walk, each also sent once with answers out of range (the
    page with its errors), with the values the view wrote it from."""
    client = Client()
    url = step_url(survey_round, language)
    page = first_page(client, survey_round, language, sensitive=True)
    pages = []
    while page.status_code != 302:
        pages.append((page, step_values[-1]))
        wrong = dict.fromkeys(fill_page(page.content.decode()), "9" * 50)  # out of range
        refused = client.post(url, {"state": state_of(page), **wrong})
        page = refused  # a state is used once: go on from the answer to the empty page
        if refused.status_code == 400:
            pages.append((refused, step_values[-1]))
            page = client.post(url, {"state": state_of(page), **fill_page(page.content.decode())})
        assert len(pages) < 60
    return pages


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_page_of_a_walk_shows_the_fieldsets_the_template_wrote(
    pre_round: Round, language: str, step_values: list[dict[str, Any]]
) -> None:
    pages = _walk_pages(pre_round, language, step_values)
    assert any(page.status_code == 400 for page, _ in pages)  # pages with errors too
    with translation.override(language):
        for page, values in pages:
            built, reference = _both(values["items"], values["scale"])
            assert built == reference
            assert built in page.content.decode()


def _item(kind: str, **values: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "question": SimpleNamespace(kind=kind),
        "name": f"q-{kind}",
        "text": 'Say <b>"this"</b> & that',
        "value": "",
        "choices": [],
        "other_name": "",
        "other_value": "",
        "error": "",
    }
    return item | values


ITEMS = [
    _item("agreement", value=3),
    _item("agreement", value="dk", error="Pick <one> & only one."),
    _item("agreement", value="3"),  # a string is not a number of the scale: nothing checked
    _item(
        "single",
        choices=[
            {"value": "a", "label": "A & <b>", "checked": False},
            {"value": 'b"', "label": "B", "checked": True},
        ],
        other_name="q-single_other",
        other_value='my "own" <answer>',
    ),
    _item(
        "multiple",
        choices=[{"value": "x", "label": "X", "checked": True}],
        error="Too many.",
    ),
    _item("number", value=2.5),
    _item("number", value=12),
    _item("date", value="2026-01-02"),
    _item("time", value="10:30"),
    _item("datetime", value="2026-01-02T10:30"),
    _item("text", value="</textarea><script>alert(1)</script>"),
    _item("recorded", value="clip.m4a"),
]


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_items_of_every_kind_with_awkward_values_come_out_as_the_template_wrote_them(
    language: str,
) -> None:
    with translation.override(language):
        built, reference = _both(ITEMS, range(1, 6))
    assert built == reference
    assert "<script>" not in built
    assert "clip.m4a" not in built  # a recorded question has no fieldset
    assert ("2,5" if language in ("fr", "es") else "2.5") in built  # numbers localized


def test_a_public_survey_page_keeps_its_language_switch_and_csrf_token(pre_round: Round) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get(step_url(pre_round, "es"))
    html = page.content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert re.search(r'<select name="language" id="language-select">', html)
    for code in ("en", "fr", "es"):
        assert f'<option value="{code}" lang="{code}"' in html
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert len(tokens) == 2  # the language switch and the survey's form
    assert "csrftoken" in page.cookies
    # the respondent is nobody's account: no search box, no notifications, no menu
    assert 'role="search"' not in html
    assert "notification-bell" not in html
    assert 'class="nav"' not in html
    # the token the page carries is accepted (the form works without JavaScript)
    answered = client.post(
        step_url(pre_round, "es"),
        {"state": state_of(page), "consent": "on", "csrfmiddlewaretoken": tokens[1]},
    )
    assert answered.status_code == 200
