"""The public survey's page frame (``{% survey_frame_head/body/foot %}``) is the markup
``web/base.html`` writes with the navigation, account and script blocks emptied (what
``impact/survey/base.html`` extended until the frame was written in Python), in every state
a survey page can be in."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import HttpRequest
from django.template import Context, RequestContext, Template
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import translation
from django.utils.safestring import mark_safe

from peaceworks.accounts.models import User
from peaceworks.impact.forms import MatchingCodeForm
from peaceworks.impact.models import Round
from peaceworks.impact.tests.test_respondent_pages import fill_page, state_of, step_url
from peaceworks.impact.views import public

CHILD = (
    '{% block title %}{{ title }}{% endblock %}{% block content %}<p lang="x">{{ body }}</p>'
    "{% endblock %}"
)
#: what ``impact/survey/base.html`` was
REFERENCE = Template(
    '{% extends "web/base.html" %}{% block head_scripts %}{% endblock %}'
    "{% block navigation %}{% endblock %}{% block account %}{% endblock %}" + CHILD
)
FRAMED = Template('{% extends "impact/survey/base.html" %}' + CHILD)
TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"')


def _same_token(page: str) -> str:
    """A page with its CSRF token's value masked (each rendering masks it anew)."""
    return TOKEN.sub(r'\1…"', page)


def _request(path: str, user: Any = None) -> HttpRequest:
    request = RequestFactory().get(path)
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined] # MessageMiddleware's
    return request


def _both(request: HttpRequest | None, **values: Any) -> tuple[str, str]:
    def context() -> Context:
        return Context(values) if request is None else RequestContext(request, values)

    return _same_token(FRAMED.render(context())), _same_token(REFERENCE.render(context()))


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
def test_the_frame_of_an_anonymous_page_is_the_one_web_base_wrote(db: None, language: str) -> None:
    request = _request('/impact/s/abc/en/?next=<a href="x">&b=1')
    with translation.override(language):
        framed, reference = _both(request, title="A <b>title</b> & more", body="Body")
    assert framed == reference
    assert 'name="csrfmiddlewaretoken"' in framed
    assert "&amp;b=1" in framed  # the path in the language switch is escaped


def test_messages_and_an_untitled_page_come_out_as_web_base_wrote_them(db: None) -> None:
    request = _request("/impact/withdraw/")
    messages.success(request, "Saved <b>this</b> & that.")
    messages.warning(request, mark_safe("<em>marked</em>"))
    untitled = Template('{% extends "impact/survey/base.html" %}')
    reference = Template(
        '{% extends "web/base.html" %}{% block head_scripts %}{% endblock %}'
        "{% block navigation %}{% endblock %}{% block account %}{% endblock %}"
    )
    framed = _same_token(untitled.render(RequestContext(request, {})))
    request = _request("/impact/withdraw/")
    messages.success(request, "Saved <b>this</b> & that.")
    messages.warning(request, mark_safe("<em>marked</em>"))
    assert framed == _same_token(reference.render(RequestContext(request, {})))
    assert "message--success" in framed
    assert "<title>Peaceworks · Peaceworks</title>" in framed


def test_a_coordinators_preview_with_breadcrumbs_and_a_public_address_warning(
    network_admin: User, settings: Any
) -> None:
    settings.SITE_URL = "https://peaceworks.example"
    request = _request("/impact/rounds/1/preview/en/", user=network_admin)
    request.META["HTTP_HOST"] = "testserver"
    framed, reference = _both(request, title="Preview", body="Body")
    assert framed == reference
    assert 'class="breadcrumbs"' in framed
    assert "peaceworks.example" in framed


def test_without_a_request_the_frame_has_no_token(db: None) -> None:
    framed, reference = _both(None, title="T", body="B")
    assert framed == reference
    assert "csrfmiddlewaretoken" not in framed


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_every_page_of_a_walk_is_framed_as_before(
    pre_round: Round, language: str, step_values: list[dict[str, Any]]
) -> None:
    """The real pages: the consent, the personal code and each question page, re-rendered
    through ``step.html`` with the old frame from the values the view wrote the page from."""
    client = Client()
    url = step_url(pre_round, language)
    page = client.get(url)
    answers: dict[str, str] = {"consent": "on"}
    step_reference = Template(
        '{% extends "web/base.html" %}{% load i18n survey_items %}{% block head_scripts %}'
        "{% endblock %}{% block navigation %}{% endblock %}{% block account %}{% endblock %}"
        + _step_blocks()
    )
    compared = 0
    while page.status_code == 200 and compared < 40:
        request = page.wsgi_request
        with translation.override(language):
            values = step_values[-1]
            reference = step_reference.render(RequestContext(request, values))
        assert _same_token(page.content.decode()) == _same_token(reference)
        compared += 1
        if compared == 2:
            answers = {"parent_letters": "Ma", "birth_day": "7", "place_letters": "Lyon"}
        page = client.post(
            url, {"state": state_of(page), **answers, **fill_page(page.content.decode())}
        )
        answers = {}
    assert page.status_code == 302
    assert compared >= 3


def _step_blocks() -> str:
    """``impact/survey/step.html`` without its ``extends`` line."""
    from pathlib import Path

    from peaceworks import impact

    step = Path(impact.__file__).parent / "templates" / "impact" / "survey" / "step.html"
    return step.read_text().split("\n", 1)[1]


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_code_page_shows_the_empty_code_form_as_the_form_renderer_writes_it(
    pre_round: Round, language: str
) -> None:
    public._EMPTY_CODE_FORMS.clear()
    client = Client()
    url = step_url(pre_round, language)
    for _ in range(2):  # rendered, then from the process's copy
        consent = client.get(url)
        page = client.post(url, {"state": state_of(consent), "consent": "on"})
        with translation.override(language):
            assert str(MatchingCodeForm()) in page.content.decode()
    assert list(public._EMPTY_CODE_FORMS) == [language]


def test_a_refused_code_is_shown_by_the_form_with_its_errors(
    pre_round: Round, step_values: list[dict[str, Any]]
) -> None:
    client = Client()
    url = step_url(pre_round, "en")
    consent = client.get(url)
    code = client.post(url, {"state": state_of(consent), "consent": "on"})
    refused = client.post(url, {"state": state_of(code), "parent_letters": "M", "birth_day": "40"})
    assert refused.status_code == 400
    form = step_values[-1]["code_form"]
    assert form.is_bound
    assert public.code_fields(form) is form
    assert str(form) in refused.content.decode()
    assert 'class="form-errors"' in refused.content.decode()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_refused_and_expired_pages_and_the_retrospective_block_are_written_as_step_html(
    pre_round: Round, post_round: Round, language: str, step_values: list[dict[str, Any]]
) -> None:
    """``views.step_page`` against ``impact/survey/step.html`` itself, on the pages the walk
    above never sees: an expired state, a refused consent and code, question pages with
    their errors, the sensitive consent and the retrospective block of a volunteer who
    missed the pre survey."""
    client = Client()
    url = step_url(post_round, language)
    compared: list[int] = []

    def same_as_template(page: Any) -> Any:
        with translation.override(language):
            reference = render_to_string(
                "impact/survey/step.html", step_values[-1], page.wsgi_request
            )
        assert _same_token(page.content.decode()) == _same_token(reference)
        compared.append(page.status_code)
        return page

    same_as_template(client.get(url))
    same_as_template(client.post(url, {"state": "forged"}))  # expired: starts again
    first = client.get(url)
    refused = same_as_template(client.post(url, {"state": state_of(first)}))
    assert refused.status_code == 400
    code = client.post(
        url, {"state": state_of(refused), "consent": "on", "sensitive_consent": "on"}
    )
    wrong = same_as_template(client.post(url, {"state": state_of(code), "birth_day": "40"}))
    page = same_as_template(
        client.post(
            url,
            {
                "state": state_of(wrong),
                "parent_letters": "Ma",
                "birth_day": "7",
                "place_letters": "Ly",
            },
        )
    )
    while page.status_code != 302 and len(compared) < 80:
        html = page.content.decode()
        out_of_range = dict.fromkeys(fill_page(html), "9" * 50)
        page = same_as_template(client.post(url, {"state": state_of(page), **out_of_range}))
        page = client.post(url, {"state": state_of(page), **fill_page(html)})
        if page.status_code != 302:
            same_as_template(page)
    assert page.status_code == 302
    assert compared.count(400) >= 4
    assert any(values.get("page") and values["page"].is_retrospective for values in step_values)
    assert any(values.get("sensitive_text") for values in step_values)
    assert any(values.get("asks_quotable") for values in step_values)
