from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peaceworks.impact.models import Respondent, Response, Round
from peaceworks.impact.services import round_update_dates

STATE = re.compile(r'name="state" value="([^"]+)"')
NAMES = re.compile(r'name="((?:q|then)-[a-z0-9_]+)" value="([^"]*)"')
MAX_PAGE_BYTES = 60 * 1024


def state_of(response: Any) -> str:
    match = STATE.search(response.content.decode())
    assert match, response.content.decode()[:500]
    return match.group(1)


def step_url(survey_round: Round, language: str = "fr") -> str:
    return reverse("impact:survey_step", args=[survey_round.token, language])


def fill_page(html: str) -> dict[str, str]:
    """Answer each question of a page with its first offered value."""
    data: dict[str, str] = {}
    for name, value in NAMES.findall(html):
        data.setdefault(name, value)
    for name in re.findall(r'<input type="number" name="([^"]+)"', html):
        data[name] = "3"
    return data


def complete(client: Client, survey_round: Round, *, sensitive: bool = False) -> Any:
    page = client.get(step_url(survey_round))
    assert page.status_code == 200
    assert len(page.content) < MAX_PAGE_BYTES
    consent: dict[str, str] = {"state": state_of(page), "consent": "on"}
    if sensitive:
        consent["sensitive_consent"] = "on"
    page = client.post(step_url(survey_round), consent)
    if survey_round.kind != Round.Kind.PARTNER:
        assert "code" in page.content.decode()
        page = client.post(
            step_url(survey_round),
            {
                "state": state_of(page),
                "parent_letters": "Ma",
                "birth_day": "7",
                "place_letters": "Lyon",
            },
        )
    for _ in range(30):
        if page.status_code == 302:
            return page
        assert page.status_code == 200, page.content.decode()[:2000]
        assert len(page.content) < MAX_PAGE_BYTES
        html = page.content.decode()
        page = client.post(step_url(survey_round), {"state": state_of(page), **fill_page(html)})
    raise AssertionError("the survey never ended")


def test_respondent_completes_pre_and_post_in_french(pre_round: Round, post_round: Round) -> None:
    client = Client()
    start = client.get(reverse("impact:survey_start", args=[pre_round.token]))
    assert "Français" in start.content.decode()
    done = complete(client, pre_round)
    assert done.url == reverse("impact:survey_thanks", args=[pre_round.token, "fr"])
    complete(Client(), post_round)
    assert Respondent.objects.count() == 1
    responses = Response.objects.all()
    assert {r.round.kind for r in responses} == {"pre", "post"}
    assert all(r.language == "fr" for r in responses)


def test_pages_are_in_the_chosen_language_and_without_scripts(pre_round: Round) -> None:
    page = Client().get(step_url(pre_round, "es"))
    html = page.content.decode()
    assert 'lang="es"' in html
    assert "<script" not in html


def test_consent_is_required(pre_round: Round) -> None:
    client = Client()
    page = client.get(step_url(pre_round))
    refused = client.post(step_url(pre_round), {"state": state_of(page)})
    assert refused.status_code == 400
    assert not Response.objects.exists()


def test_resending_the_last_page_returns_the_original_result(post_round: Round) -> None:
    client = Client()
    page = client.get(step_url(post_round))
    page = client.post(step_url(post_round), {"state": state_of(page), "consent": "on"})
    page = client.post(
        step_url(post_round),
        {"state": state_of(page), "parent_letters": "Ab", "birth_day": "3", "place_letters": "Cd"},
    )
    last_post: dict[str, str] = {}
    while page.status_code == 200:
        last_post = {"state": state_of(page), **fill_page(page.content.decode())}
        page = client.post(step_url(post_round), last_post)
    again = client.post(step_url(post_round), last_post)
    assert again.status_code == 302
    assert Response.objects.count() == 1


def test_tampered_state_restarts_the_survey(pre_round: Round) -> None:
    page = Client().post(step_url(pre_round), {"state": "forged"})
    assert "expired" in page.content.decode() or page.status_code == 200
    assert not Response.objects.exists()


def test_closed_round_shows_its_dates(post_round: Round) -> None:
    now = timezone.now()
    round_update_dates(
        actor=None,
        survey_round=post_round,
        opens_at=now - timedelta(days=10),
        closes_at=now - timedelta(days=5),
    )
    assert Client().get(step_url(post_round)).status_code == 410


def test_unknown_token_is_404(db: None) -> None:
    assert Client().get(reverse("impact:survey_start", args=["nope"])).status_code == 404


def test_partner_form_needs_no_code(framework: Any, activity: Any) -> None:
    from peaceworks.impact.services import round_open

    now = timezone.now()
    partner = round_open(
        actor=None,
        activity=activity,
        kind=Round.Kind.PARTNER,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
    )
    complete(Client(), partner)
    response = Response.objects.get()
    assert response.respondent is None


def test_withdrawal_page_withdraws_the_respondent(pre_round: Round) -> None:
    complete(Client(), pre_round)
    url = reverse("impact:withdraw")
    unknown = Client().post(
        url,
        {
            "activity_code": pre_round.activity.code,
            "parent_letters": "Zz",
            "birth_day": "9",
            "place_letters": "Qq",
        },
    )
    assert unknown.status_code == 200
    assert Response.objects.counted().count() == 1
    ok = Client().post(
        url,
        {
            "activity_code": pre_round.activity.code,
            "parent_letters": "ma",
            "birth_day": "07",
            "place_letters": "LY",
        },
    )
    assert ok.status_code == 200
    assert Response.objects.counted().count() == 0


def test_volunteer_who_missed_the_pre_survey_gets_the_retrospective_block(
    pre_round: Round, post_round: Round
) -> None:
    complete(Client(), post_round)
    missed = Response.objects.get()
    assert missed.then_answers  # baseline from the "then" block
    complete(Client(), pre_round)  # same code: now has a pre survey
    Response.objects.filter(round=post_round).delete()
    complete(Client(), post_round)
    assert Response.objects.get(round=post_round).then_answers == {}


def test_dont_know_is_stored_as_null(post_round: Round) -> None:
    client = Client()
    page = client.get(step_url(post_round, "en"))
    page = client.post(step_url(post_round, "en"), {"state": state_of(page), "consent": "on"})
    page = client.post(
        step_url(post_round, "en"),
        {"state": state_of(page), "parent_letters": "Dk", "birth_day": "1", "place_letters": "No"},
    )
    first = True
    while page.status_code == 200:
        data = {"state": state_of(page), **fill_page(page.content.decode())}
        if first:
            data["q-t1_knowledge"] = "dk"
            first = False
        page = client.post(step_url(post_round, "en"), data)
    response = Response.objects.get()
    assert response.answers["t1_knowledge"] is None
