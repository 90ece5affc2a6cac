"""Hostile XLSForms (entity expansion, external entities, zip bombs, wrong types) uploaded as
a new instrument version by a network coordinator: refused, no instrument created."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from peaceworks.core.models import PendingUpload
from peaceworks.impact.models import Framework, Instrument
from scripts import hostile_corpus
from scripts.hostile_corpus import Item
from tests.hostile.conftest import measure, post_file, row_counts, warm


@pytest.mark.parametrize(
    "item", [pytest.param(item, id=item.name) for item in hostile_corpus.xlsform_items()]
)
def test_hostile_xlsform_is_refused_and_creates_no_instrument(
    item: Item, staff_client: Client, framework: Framework
) -> None:
    instrument = Instrument.objects.filter(framework=framework).order_by("pk").first()
    assert instrument is not None
    before, jobs = row_counts(), PendingUpload.objects.count()
    url = f"/impact/instruments/{instrument.pk}/import/"
    warm(staff_client, url)
    response = measure(lambda: post_file(staff_client, url, item.filename, item.data())).response
    text = response.content.decode("utf-8", "replace")
    assert 400 <= response.status_code < 500, (response.status_code, text[:300])
    assert re.search(item.message, text, re.IGNORECASE), text[:2000]
    assert row_counts() == before
    assert PendingUpload.objects.count() == jobs
