"""Every hostile file of the corpus, uploaded to every import as the persona who may import:
a 4xx naming the row, column or limit, nothing written, within 10 s and 256 MB, no outbound
connection (see conftest)."""

from __future__ import annotations

import functools
import re
from typing import Any

import pytest
from django.test import Client

from peaceworks.campaigns.models import Campaign
from peaceworks.core.models import PendingUpload
from peaceworks.impact.models import Round
from scripts import hostile_corpus
from scripts.hostile_corpus import HARMLESS, REFUSED, Item
from tests.hostile.conftest import measure, post_file, row_counts, warm

ENDPOINTS = ("directory", "campaigns", "impact-responses", "impact-kobo")
#: the expensive items (100,000 columns, 2 M rows, 20 MB bodies) go to two imports only
BIG_ENDPOINTS = ("directory", "impact-kobo")

pytestmark = pytest.mark.django_db


def _cases() -> list[Any]:
    cases = []
    for item in hostile_corpus.table_items():
        for endpoint in ENDPOINTS:
            if item.big and endpoint not in BIG_ENDPOINTS:
                continue
            cases.append(pytest.param(item, endpoint, id=f"{item.name}@{endpoint}"))
    return cases


@functools.lru_cache(maxsize=1)
def _data(item: Item) -> bytes:
    """The item's bytes, built once for its endpoints (the cases run item by item; the big
    items take seconds to build)."""
    return item.data()


def _staged() -> int:
    return PendingUpload.objects.count()


@pytest.fixture
def target(request: pytest.FixtureRequest) -> tuple[Client, str, dict[str, str]]:
    """The endpoint's URL and the client of the persona who may import there (only the
    fixtures that endpoint needs are built)."""
    endpoint = request.param
    if endpoint == "directory":
        return request.getfixturevalue("staff_client"), "/network/import/", {}
    client: Client = request.getfixturevalue("coordinator_client")
    if endpoint == "campaigns":
        campaign: Campaign = request.getfixturevalue("campaign")
        return client, f"/campaigns/{campaign.code}/activities/import/", {}
    survey_round: Round = request.getfixturevalue("survey_round")
    kind = "kobo" if endpoint == "impact-kobo" else "responses"
    return client, f"/impact/rounds/{survey_round.pk}/import/", {"kind": kind}


@pytest.mark.parametrize(("item", "target"), _cases(), indirect=["target"])
def test_hostile_file_is_refused_cleanly_and_writes_nothing(
    item: Item, target: tuple[Client, str, dict[str, str]]
) -> None:
    client, url, fields = target
    data = _data(item)
    warm(client, url)
    before, staged = row_counts(), _staged()
    measured = measure(lambda: post_file(client, url, item.filename, data, **fields))
    response = measured.response
    assert response.status_code < 500, response.content[:500]
    text = response.content.decode("utf-8", "replace")
    if item.outcome == REFUSED:
        assert 400 <= response.status_code < 500, (response.status_code, text[:300])
        assert re.search(item.message, text, re.IGNORECASE), (item.message, _errors(text))
        assert _staged() == staged, "a refused file was kept"
    else:
        assert item.outcome == HARMLESS
        if response.status_code == 302:  # a preview with row errors: it must render
            preview = measure(lambda: client.get(response["Location"])).response
            assert preview.status_code < 500
    assert row_counts() == before


def _errors(text: str) -> list[str]:
    """The error messages of a page, for a readable assertion failure."""
    return re.findall(r'class="[^"]*error[^"]*"[^>]*>(.*?)<', text, re.DOTALL)[:5] or [text[:300]]


def test_corpus_has_at_least_sixty_items() -> None:
    assert hostile_corpus.count() >= 60
