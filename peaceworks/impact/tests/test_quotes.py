"""Quotable stories: the respondent's consent to being quoted, recorded on the survey's consent
page, and the coordinators' page where written answers are marked quotable — only with that
consent, only by those who coordinate the activity."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Activity
from peaceworks.core.errors import DomainError, NotFound
from peaceworks.core.models import AuditEvent
from peaceworks.directory.models import Organisation
from peaceworks.impact.default_framework.blocks import STORY_QUESTION
from peaceworks.impact.models import QuotableAnswer, Response, Round
from peaceworks.impact.selectors import response_get_for_quote
from peaceworks.impact.services import answer_quotable_set, respondent_withdraw, response_submit
from peaceworks.impact.tests.test_analytics import _rounds
from peaceworks.impact.tests.test_respondent_pages import fill_page, state_of, step_url

pytestmark = pytest.mark.django_db


def _story(
    survey_round: Round, code: str, text: str, *, quote: bool, matching_code: str = ""
) -> Response:
    return response_submit(
        survey_round=survey_round,
        submission_id=uuid.uuid4(),
        language="en",
        answers={"c_teamwork": 4, STORY_QUESTION: text},
        matching_code=matching_code or code,
        consent_version=survey_round.instrument.consent_version,
        quote_consent=quote,
    ).response


def test_the_consent_page_offers_quoting_only_where_a_story_is_asked(
    pre_round: Round, post_round: Round
) -> None:
    assert 'name="quote_consent"' not in Client().get(step_url(pre_round, "en")).content.decode()
    page = Client().get(step_url(post_round, "en")).content.decode()
    assert 'name="quote_consent"' in page
    assert "without my name or personal code (optional)" in page


def test_a_respondent_who_agrees_to_being_quoted_has_it_recorded(post_round: Round) -> None:
    client = Client()
    url = step_url(post_round, "en")
    page = client.get(url)
    page = client.post(url, {"state": state_of(page), "consent": "on", "quote_consent": "on"})
    page = client.post(
        url,
        {"state": state_of(page), "parent_letters": "Ma", "birth_day": "7", "place_letters": "Ly"},
    )
    for _ in range(30):
        if page.status_code == 302:
            break
        html = page.content.decode()
        data = {"state": state_of(page), **fill_page(html)}
        if f'name="q-{STORY_QUESTION}"' in html:
            data[f"q-{STORY_QUESTION}"] = "We rebuilt the school wall together."
        page = client.post(url, data)
    assert page.status_code == 302
    response = Response.objects.get()
    assert response.quote_consent is True
    assert response.answers[STORY_QUESTION] == "We rebuilt the school wall together."


@pytest.fixture
def stories(
    framework: Any,
    make_activity: Callable[..., Activity],
    other_organisation: Organisation,
) -> dict[str, Response]:
    """Written answers in an own activity (with and without consent) and in another
    organisation's activity (with consent)."""
    own = _rounds(make_activity(country="KE"))[1]
    other = _rounds(make_activity(country="PE", host_organisation=other_organisation))[1]
    return {
        "consented": _story(own, "AA01BB", "The river bank is clean again.", quote=True),
        "private": _story(own, "AA02BB", "I cried on the last evening.", quote=False),
        "other": _story(other, "CC01DD", "Our neighbours joined the last day.", quote=True),
    }


def test_an_answer_without_consent_cannot_be_marked(
    stories: dict[str, Response], network_coordinator: User, client_for: Callable[..., Client]
) -> None:
    private = stories["private"]
    with pytest.raises(DomainError):
        answer_quotable_set(
            actor=network_coordinator,
            response=private,
            question_code=STORY_QUESTION,
            is_quotable=True,
        )
    client = client_for(network_coordinator)
    page = client.get(reverse("impact:free_text")).content.decode()
    assert "I cried on the last evening." in page
    assert reverse("impact:answer_quotable", args=[private.pk]) not in page  # no toggle
    assert "did not agree to being quoted" in page
    refused = client.post(
        reverse("impact:answer_quotable", args=[private.pk]),
        {"question": STORY_QUESTION, "is_quotable": "on"},
    )
    assert refused.status_code == 400
    assert "did not agree to being quoted" in refused.content.decode()
    assert not QuotableAnswer.objects.exists()


def test_only_a_written_answer_to_a_story_question_can_be_marked(
    stories: dict[str, Response], network_coordinator: User
) -> None:
    with pytest.raises(DomainError):
        answer_quotable_set(
            actor=network_coordinator,
            response=stories["consented"],
            question_code="c_teamwork",
            is_quotable=True,
        )


def test_the_marking_page_as_three_personas(
    stories: dict[str, Response],
    network_coordinator: User,
    org_coordinator: User,
    outsider: User,
    org_member: User,
    client_for: Callable[..., Client],
) -> None:
    own, other = stories["consented"], stories["other"]
    index = client_for(network_coordinator).get(reverse("impact:index")).content.decode()
    assert reverse("impact:free_text") in index
    # the network coordinator sees every written answer
    page = client_for(network_coordinator).get(reverse("impact:free_text")).content.decode()
    assert "The river bank is clean again." in page
    assert "Our neighbours joined the last day." in page
    # the organisation's coordinator sees their own activities' answers only, and marks one
    client = client_for(org_coordinator)
    page = client.get(reverse("impact:free_text")).content.decode()
    assert "The river bank is clean again." in page
    assert "Our neighbours joined the last day." not in page
    marked = client.post(
        reverse("impact:answer_quotable", args=[own.pk]),
        {"question": STORY_QUESTION, "is_quotable": "on"},
    )
    assert marked.status_code == 302
    assert QuotableAnswer.objects.filter(response=own, question_code=STORY_QUESTION).exists()
    assert AuditEvent.objects.filter(action="impact.answer_quotable", actor=org_coordinator)
    assert "Quotable in reports" in client.get(reverse("impact:free_text")).content.decode()
    # the coordinator of another organisation neither sees nor marks it
    client = client_for(outsider)
    page = client.get(reverse("impact:free_text")).content.decode()
    assert "The river bank is clean again." not in page
    assert "Our neighbours joined the last day." in page
    unmark = client.post(
        reverse("impact:answer_quotable", args=[own.pk]), {"question": STORY_QUESTION}
    )
    assert unmark.status_code == 404
    assert QuotableAnswer.objects.filter(response=own).exists()
    # a read-only member of the organisation sees nothing to mark; signed out, sign in first
    member_page = client_for(org_member).get(reverse("impact:free_text")).content.decode()
    assert "The river bank is clean again." not in member_page
    assert "No written answer yet." in member_page
    assert reverse("impact:free_text") not in (
        client_for(org_member).get(reverse("impact:index")).content.decode()
    )
    assert client_for(None).get(reverse("impact:free_text")).status_code == 302
    # unmarking is the same toggle, audited
    answer_quotable_set(
        actor=network_coordinator, response=own, question_code=STORY_QUESTION, is_quotable=False
    )
    assert not QuotableAnswer.objects.filter(response=own).exists()
    assert AuditEvent.objects.filter(action="impact.answer_unquotable").exists()
    assert other.pk  # (the other organisation's answer stayed where it was)


def test_a_withdrawn_respondents_answer_leaves_the_page_and_cannot_be_marked(
    stories: dict[str, Response], network_coordinator: User, client_for: Callable[..., Client]
) -> None:
    own = stories["consented"]
    respondent_withdraw(activity=own.round.activity, matching_code="AA01BB")
    page = client_for(network_coordinator).get(reverse("impact:free_text")).content.decode()
    assert "The river bank is clean again." not in page
    with pytest.raises(NotFound):
        response_get_for_quote(user=network_coordinator, pk=own.pk)


def test_new_answers_from_the_same_respondent_drop_the_earlier_mark(
    stories: dict[str, Response], network_coordinator: User
) -> None:
    own = stories["consented"]
    answer_quotable_set(
        actor=network_coordinator, response=own, question_code=STORY_QUESTION, is_quotable=True
    )
    replaced = _story(own.round, "AA01BB", "Something else entirely.", quote=True)
    assert replaced.pk == own.pk
    assert not QuotableAnswer.objects.filter(response=own).exists()


def test_the_written_answers_page_reads_in_a_fixed_number_of_queries(
    stories: dict[str, Response],
    network_coordinator: User,
    client_for: Callable[..., Client],
    django_assert_max_num_queries: Any,
) -> None:
    survey_round = stories["consented"].round
    for number in range(10):
        _story(survey_round, f"QQ{number:02d}RS", f"Story number {number}.", quote=True)
    client = client_for(network_coordinator)
    client.get(reverse("impact:free_text"))  # sessions and caches warm
    with django_assert_max_num_queries(12):
        page = client.get(reverse("impact:free_text")).content.decode()
    assert "Story number 9." in page


def test_an_api_submission_records_the_consent_to_being_quoted(post_round: Round) -> None:
    url = f"/api/v1/impact/public/rounds/{post_round.token}/responses"
    body = {
        "submission_id": str(uuid.uuid4()),
        "language": "en",
        "consent_version": post_round.instrument.consent_version,
        "quote_consent": True,
        "matching_code": "AP01IX",
        "answers": {STORY_QUESTION: "We planted trees along the road."},
    }
    answered = Client().post(url, body, content_type="application/json")
    assert answered.status_code == 201, answered.content
    assert Response.objects.get().quote_consent is True
    body["quote_consent"] = "perhaps"
    assert Client().post(url, body, content_type="application/json").status_code == 422
