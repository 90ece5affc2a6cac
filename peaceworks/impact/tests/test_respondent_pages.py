from __future__ import annotations

import re
import time
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peaceworks.impact.models import Respondent, Response, Round
from peaceworks.impact.respondent import SurveyState
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


FACTS = ("Ma", "7", "Lyon")


def complete(
    client: Client,
    survey_round: Round,
    *,
    sensitive: bool = False,
    facts: tuple[str, str, str] = FACTS,
    language: str = "fr",
) -> Any:
    url = step_url(survey_round, language)
    page = client.get(url)
    assert page.status_code == 200
    assert len(page.content) < MAX_PAGE_BYTES
    consent: dict[str, str] = {"state": state_of(page), "consent": "on"}
    if sensitive:
        consent["sensitive_consent"] = "on"
    page = client.post(url, consent)
    if survey_round.kind != Round.Kind.PARTNER:
        assert "code" in page.content.decode()
        parent, day, place = facts
        page = client.post(
            url,
            {
                "state": state_of(page),
                "parent_letters": parent,
                "birth_day": day,
                "place_letters": place,
            },
        )
    for _ in range(30):
        if page.status_code == 302:
            return page
        assert page.status_code == 200, page.content.decode()[:2000]
        assert len(page.content) < MAX_PAGE_BYTES
        html = page.content.decode()
        page = client.post(url, {"state": state_of(page), **fill_page(html)})
    raise AssertionError("the survey never ended")


def test_respondent_completes_pre_and_post_in_french(pre_round: Round, post_round: Round) -> None:
    client = Client()
    start = client.get(reverse("impact:survey_start", args=[pre_round.token]))
    assert "Français" in start.content.decode()
    done = complete(client, pre_round)
    # after a pre survey, the thanks page carries the signed token of a reminder's address
    assert done.url.split("?r=")[0] == reverse("impact:survey_thanks", args=[pre_round.token, "fr"])
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


def test_the_start_button_reads_as_a_verb_in_each_language(pre_round: Round) -> None:
    """ "Start" is also a date column elsewhere ("Début"): the survey's button has its own."""
    for language, label in (("fr", "Commencer"), ("es", "Empezar"), ("en", "Start")):
        html = Client().get(step_url(pre_round, language)).content.decode()
        assert f'<button type="submit" class="button">{label}</button>' in html


def test_a_closed_rounds_link_says_when_it_runs_and_offers_no_language(
    post_round: Round,
) -> None:
    post_round.opens_at -= timedelta(days=30)
    post_round.closes_at = post_round.opens_at + timedelta(days=3)
    post_round.save(update_fields=["opens_at", "closes_at"])
    page = Client().get(reverse("impact:survey_start", args=[post_round.token]))
    assert page.status_code == 200
    assert step_url(post_round, "en") not in page.content.decode()
    assert Client().get(step_url(post_round, "en")).status_code == 410


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


# --- matching codes in any script (issue 13.4) ---


def test_volunteers_writing_in_other_scripts_are_different_respondents(pre_round: Round) -> None:
    for parent in ("Жанна", "Ольга", "Ωμέγα"):
        assert complete(Client(), pre_round, facts=(parent, "7", "Paris")).status_code == 302
    assert Respondent.objects.count() == 3
    assert Response.objects.filter(round=pre_round).count() == 3


def test_a_volunteer_with_a_cyrillic_name_and_birthplace_can_answer(pre_round: Round) -> None:
    assert complete(Client(), pre_round, facts=("Жанна", "7", "Київ")).status_code == 302
    assert Response.objects.filter(round=pre_round).count() == 1


def test_withdrawal_in_greek_leaves_the_cyrillic_respondent(pre_round: Round) -> None:
    complete(Client(), pre_round, facts=("Жанна", "7", "Paris"))
    complete(Client(), pre_round, facts=("Ωμέγα", "7", "Paris"))
    Client().post(
        reverse("impact:withdraw"),
        {
            "activity_code": pre_round.activity.code,
            "parent_letters": "Ωμέγα",
            "birth_day": "7",
            "place_letters": "Paris",
        },
    )
    assert Response.objects.counted().count() == 1


# --- withdrawal answers alike and is throttled (issue 13.5) ---


def _withdraw(client: Client, activity_code: str, parent: str = "Ma") -> Any:
    return client.post(
        reverse("impact:withdraw"),
        {
            "activity_code": activity_code,
            "parent_letters": parent,
            "birth_day": "7",
            "place_letters": "Lyon",
        },
    )


def _visible_text(response: Any) -> str:
    html = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_withdrawal_answers_alike_whether_or_not_the_code_or_activity_exists(
    pre_round: Round,
) -> None:
    complete(Client(), pre_round)
    known = _withdraw(Client(), pre_round.activity.code)
    unknown_code = _withdraw(Client(), pre_round.activity.code, parent="Qx")
    unknown_activity = _withdraw(Client(), "no-such-activity")
    assert known.status_code == unknown_code.status_code == unknown_activity.status_code == 200
    assert _visible_text(known) == _visible_text(unknown_code) == _visible_text(unknown_activity)
    assert Response.objects.counted().count() == 0


def test_withdrawal_guesses_are_throttled_per_client_and_activity(pre_round: Round) -> None:
    from django.core.cache import cache

    from peaceworks.impact.views.public import WITHDRAW_ATTEMPTS

    cache.clear()
    complete(Client(), pre_round)
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for number in range(WITHDRAW_ATTEMPTS):
        assert (
            _withdraw(guesser, pre_round.activity.code, parent=f"Q{chr(97 + number)}").status_code
            == 200
        )
    refused = _withdraw(guesser, pre_round.activity.code)  # the right code, too late
    assert refused.status_code == 429
    assert "15 minutes" in refused.content.decode()
    assert Response.objects.counted().count() == 1  # nothing withdrawn after the limit
    # another client is not held back
    assert _withdraw(Client(REMOTE_ADDR="198.51.100.7"), pre_round.activity.code).status_code == 200
    assert Response.objects.counted().count() == 0
    cache.clear()


# --- the signed hidden state holds only checked answers and has a size cap (issue 13.6) ---


def first_page(
    client: Client, survey_round: Round, language: str = "fr", *, sensitive: bool = False
) -> Any:
    """The first page of questions: consent given, the personal code entered."""
    url = step_url(survey_round, language)
    page = client.get(url)
    consent = {"consent": "on", **({"sensitive_consent": "on"} if sensitive else {})}
    page = client.post(url, {"state": state_of(page), **consent})
    return client.post(
        url,
        {"state": state_of(page), "parent_letters": "Ma", "birth_day": "7", "place_letters": "Ly"},
    )


def _state(response: Any, survey_round: Round) -> SurveyState:
    loaded = SurveyState.load(state_of(response), survey_round)
    assert loaded is not None
    return loaded


def test_an_inflated_state_is_refused_with_400(pre_round: Round) -> None:
    state = SurveyState.fresh(pre_round)
    state.step = "pages"
    state.answers = {"t4_conflict": "x" * (20 * 1024 * 1024)}  # 20 MB, a few KB compressed
    token = state.dump()
    assert len(token) < 100 * 1024
    started = time.process_time()
    refused = Client().post(step_url(pre_round, "en"), {"state": token})
    assert time.process_time() - started < 1
    assert refused.status_code == 400
    assert "too large" in refused.content.decode()
    assert not Response.objects.exists()


def test_refused_answers_never_enter_the_state_even_when_going_back(pre_round: Round) -> None:
    client = Client()
    page = first_page(client, pre_round)
    html = page.content.decode()
    answers = fill_page(html)
    first = next(iter(answers))
    huge = {**answers, first: "9" * 5000, "q-not_a_question": "x" * 5000}
    refused = client.post(step_url(pre_round), {"state": state_of(page), **huge})
    assert refused.status_code == 400
    assert _state(refused, pre_round).answers == {}
    back = client.post(step_url(pre_round), {"state": state_of(page), **huge, "action": "back"})
    stored = _state(back, pre_round).answers
    assert first.removeprefix("q-") not in stored
    assert "not_a_question" not in stored
    assert len(state_of(back)) < 2048


def _api_submit(survey_round: Round, answers: dict[str, Any]) -> Any:
    """A new submission through the public API, always with the code AB12CD."""
    return Client().post(
        f"/api/v1/impact/public/rounds/{survey_round.token}/responses",
        {
            "submission_id": str(uuid.uuid4()),
            "language": "en",
            "consent_version": survey_round.instrument.consent_version,
            "matching_code": "AB12CD",
            "answers": answers,
        },
        content_type="application/json",
    )


def test_free_text_with_nul_or_bidi_override_is_refused(post_round: Round) -> None:
    for text in ("before\x00after", "abc\u202edcba"):
        answer = _api_submit(post_round, {"i_harm_text": text})
        assert answer.status_code == 422, answer.content
        assert "i_harm_text" in answer.content.decode()
    assert not Response.objects.exists()


# --- a restarted survey replaces the respondent's answers to the round (issue 13.12) ---


def test_restarting_the_survey_with_the_same_code_replaces_the_answers(pre_round: Round) -> None:
    complete(Client(), pre_round, language="fr")
    complete(Client(), pre_round, language="en")  # a new start: a new submission id
    stored = Response.objects.get(round=pre_round)  # one response, not two
    assert stored.language == "en"  # the latest wins
    assert Respondent.objects.count() == 1


def test_a_second_api_submission_with_the_same_code_replaces_the_first(post_round: Round) -> None:
    assert _api_submit(post_round, {"t4_conflict": 2}).status_code == 201
    again = _api_submit(post_round, {"t4_conflict": 5})
    assert again.status_code == 200
    assert again.json()["created"] is False
    stored = Response.objects.get(round=post_round)
    assert stored.answers["t4_conflict"] == 5
    assert str(stored.submission_id) == again.json()["submission_id"]


# --- the submission path routes once (issue 15) ---


def test_each_page_and_the_submission_compute_the_routing_once(
    post_round: Round, monkeypatch: pytest.MonkeyPatch
) -> None:
    from peaceworks.impact import respondent, routing
    from peaceworks.impact.services import responses

    calls: list[int] = []
    real = routing.routed_questions

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    for module in (routing, respondent, responses):  # wherever it is called from
        monkeypatch.setattr(module, "routed_questions", counted, raising=False)
    client = Client()
    page = first_page(client, post_round)
    per_post = []
    while page.status_code == 200:
        data = {"state": state_of(page), **fill_page(page.content.decode())}
        calls.clear()
        page = client.post(step_url(post_round), data)
        per_post.append(len(calls))
    assert page.status_code == 302
    assert per_post == [1] * len(per_post)  # the last one includes the submission
    assert Response.objects.count() == 1


def test_published_questions_are_read_once_per_process_without_private_attributes(
    pre_round: Round,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from peaceworks.impact.selectors import round_get_public

    assert pre_round.instrument.is_published
    complete(Client(), pre_round)  # the first survey loads the questions
    loaded = round_get_public(token=pre_round.token)
    assert "_prefetched_objects_cache" not in vars(loaded.instrument)
    with CaptureQueriesContext(connection) as queries:
        complete(Client(), pre_round, facts=("Lu", "9", "Nice"))
    assert not [q for q in queries.captured_queries if '"impact_question"' in q["sql"]]
