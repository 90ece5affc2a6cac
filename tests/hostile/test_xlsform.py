"""Hostile XLSForms (entity expansion, external entities, zip bombs, wrong types) uploaded as
a new instrument version by a network coordinator: refused, no instrument created."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client

from peaceworks.core.models import PendingUpload
from peaceworks.impact.models import Framework, Instrument
from peaceworks.impact.tests.xlsforms import XLS_ROWS, forms, xls
from peaceworks.impact.xlsform import parse_xlsform
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


def test_an_xlsform_declaring_a_huge_range_is_parsed_in_under_a_second_of_cpu() -> None:
    """Sheets declaring A1:AMJ1048576 (a billion cells), or an .xls declaring 65536 x 256,
    with a few real rows: read by their real cells, in well under a second of CPU."""
    plain = {form.name: form for form in forms()}["repeats"]
    parse_xlsform(filename=plain.filename, data=plain.data)  # pyxform's imports, once
    declared = {
        "declared.xlsx": hostile_corpus.declare_huge_dimensions(plain.data),
        "declared.xls": xls(XLS_ROWS, declared=(65536, 256)),
    }
    for filename, data in declared.items():
        started = time.process_time()
        parsed = parse_xlsform(filename=filename, data=data)
        seconds = time.process_time() - started
        assert parsed.errors == [], parsed.errors
        assert len(parsed.questions) >= 3
        assert seconds < 1.0, (filename, seconds)
