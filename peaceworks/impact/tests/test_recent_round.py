"""The pages inside a walk may use the public round a request of the same process read within
the last second (``round_get_public_recent``); the answers are stored against the round as it
is in the database, read again first."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peaceworks.campaigns.models import Activity
from peaceworks.impact import selectors
from peaceworks.impact.models import Response, Round
from peaceworks.impact.selectors import round_get_public_recent

from .test_respondent_pages import fill_page, first_page, state_of, step_url


def _reads_the_round(queries: CaptureQueriesContext) -> bool:
    table = connection.ops.quote_name(Round._meta.db_table)
    return any(table in query["sql"] for query in queries.captured_queries)


def _posts_to_the_end(client: Client, survey_round: Round) -> int:
    """Walk the question pages to the thanks redirect; the number of page POSTs."""
    page, posts = first_page(client, survey_round), 0
    while page.status_code == 200:
        page = client.post(step_url(survey_round), {"state": state_of(page), **fill(page)})
        posts += 1
    assert page.status_code == 302
    return posts


def _on_the_last_page(survey_round: Round) -> tuple[Client, dict[str, str]]:
    """A second respondent on the last page, and what it will post there."""
    posts = _posts_to_the_end(Client(), survey_round)
    client = Client()
    url = step_url(survey_round)
    page = client.get(url)
    page = client.post(url, {"state": state_of(page), "consent": "on"})
    page = client.post(
        url,
        {"state": state_of(page), "parent_letters": "Zo", "birth_day": "21", "place_letters": "Gr"},
    )
    for _ in range(posts - 1):
        page = client.post(url, {"state": state_of(page), **fill(page)})
    assert page.status_code == 200
    return client, {"state": state_of(page), **fill(page)}


def fill(page: Any) -> dict[str, str]:
    return fill_page(page.content.decode())


def test_a_page_inside_a_walk_uses_the_round_read_within_the_second(post_round: Round) -> None:
    client = Client()
    url = step_url(post_round)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)  # the first page reads it
    assert _reads_the_round(queries)
    with CaptureQueriesContext(connection) as queries:
        page = client.post(url, {"state": state_of(page), "consent": "on"})
    assert page.status_code == 200
    assert not _reads_the_round(queries)
    assert len(queries) == 0


def test_a_kept_round_is_forgotten_after_an_edit_here_or_after_the_second(
    post_round: Round, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1000.0]
    monkeypatch.setattr(selectors, "monotonic", lambda: now[0])
    first = round_get_public_recent(token=post_round.token)
    assert round_get_public_recent(token=post_round.token) is first
    assert round_get_public_recent(token=post_round.token, reuse=False) is not first
    kept = round_get_public_recent(token=post_round.token)
    # an edit by another process (no signal here) is seen once the second is over
    Activity.objects.filter(pk=post_round.activity_id).update(title="Renamed elsewhere")
    now[0] += selectors.RECENT_ROUND_SECONDS - 0.01
    assert round_get_public_recent(token=post_round.token) is kept
    now[0] += 0.01
    fresh = round_get_public_recent(token=post_round.token)
    assert fresh is not kept
    assert fresh.activity.title == "Renamed elsewhere"
    # an edit in this process forgets every kept round at once
    for edit in (post_round.save, post_round.activity.save, post_round.instrument.save):
        kept = round_get_public_recent(token=post_round.token)
        edit()
        assert round_get_public_recent(token=post_round.token) is not kept
    kept = round_get_public_recent(token=post_round.token)
    post_round.activity.themes.clear()
    assert round_get_public_recent(token=post_round.token) is not kept


def test_the_last_page_stores_against_the_round_as_it_is_now(post_round: Round) -> None:
    client, last = _on_the_last_page(post_round)
    stored = Response.objects.count()
    # closed by another process a moment ago: the kept copy still says open
    now = timezone.now()
    Round.objects.filter(pk=post_round.pk).update(
        opens_at=now - timedelta(days=10), closes_at=now - timedelta(days=5)
    )
    page = client.post(step_url(post_round), last)
    assert page.status_code == 400
    assert "pas ouverte en ce moment" in page.content.decode()
    assert Response.objects.count() == stored


def test_a_round_changed_elsewhere_is_walked_again_before_storing(
    post_round: Round, monkeypatch: pytest.MonkeyPatch
) -> None:
    from peaceworks.impact import respondent, routing
    from peaceworks.impact.services import responses

    client, last = _on_the_last_page(post_round)
    calls: list[int] = []
    real = routing.routed_questions

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    for module in (routing, respondent, responses):
        monkeypatch.setattr(module, "routed_questions", counted, raising=False)
    Activity.objects.filter(pk=post_round.activity_id).update(title="Renamed elsewhere")
    stored = Response.objects.count()
    page = client.post(step_url(post_round), last)
    assert page.status_code == 302
    assert Response.objects.count() == stored + 1
    assert len(calls) == 2  # the copy's routing, then the round read again
