"""Spreadsheet bombs (issue 13.1): workbooks of a few kilobytes whose cells reach far
(A1 and XFD1048576; A1 and row 200,000 x column 500; .xls to IV65536), with many sheets, or
hiding a far cell from a naive scan, sent to every route that reads a spreadsheet, pages and
API: each is answered 4xx naming the limit, within 1 s of CPU and 256 MB. A huge declared
range over a few real cells is a common spreadsheet-program bug, not an attack: it is read.

Each request runs in a forked child process, because calamine allocates in Rust, out of
tracemalloc's sight: the child's CPU time and the growth of its peak resident memory are
measured, and its address space is capped so a bomb that gets through aborts the child (and
fails the test), not the machine.
"""

from __future__ import annotations

import gc
import os
import pickle
import re
import resource
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import pytest
from django.test import Client

from peaceworks.campaigns.models import Campaign
from peaceworks.core.models import PendingUpload
from peaceworks.impact.models import Framework, Instrument, Round
from scripts import hostile_corpus
from scripts.hostile_corpus import REFUSED
from tests.hostile.conftest import post_file, row_counts, warm

pytestmark = pytest.mark.django_db

MAX_CPU_SECONDS = 1.0
MAX_GROWTH_BYTES = 256 * 1024 * 1024
#: the child's address space may grow this much beyond its size at the fork, no further
ADDRESS_SPACE_HEADROOM = 1024 * 1024 * 1024


@dataclass(frozen=True)
class Route:
    """A route that reads a spreadsheet: the persona fixture whose client may post there,
    the URL (``{campaign}``, ``{round}`` and ``{instrument}`` are filled in) and the form
    fields sent with the file. Adapt this table when a route moves."""

    persona: str
    url: str
    fields: dict[str, str]


ROUTES = {
    "member-import-page": Route("staff_client", "/network/import/", {}),
    "activity-import-page": Route(
        "coordinator_client", "/campaigns/{campaign}/activities/import/", {}
    ),
    "response-import-page": Route(
        "coordinator_client", "/impact/rounds/{round}/import/", {"kind": "responses"}
    ),
    "kobo-import-page": Route(
        "coordinator_client", "/impact/rounds/{round}/import/", {"kind": "kobo"}
    ),
    "response-import-api": Route(
        "coordinator_client", "/api/v1/impact/rounds/{round}/imports", {"kind": "responses"}
    ),
    "xlsform-import-page": Route("staff_client", "/impact/instruments/{instrument}/import/", {}),
}
#: what a refusal for size says (a readable item's answer must not say it)
LIMIT_WORDS = re.compile(r"at most|zip bomb|malformed|unreadable position", re.IGNORECASE)


@dataclass(frozen=True)
class Answer:
    status: int
    text: str
    cpu_seconds: float
    growth_bytes: int
    #: the rows of the tables an import writes or stages that the request added or removed
    written: dict[str, int]


def _counts() -> dict[str, int]:
    return {**row_counts(), "PendingUpload": PendingUpload.objects.count()}


def _resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _virtual_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _prepare_nothing_in_child() -> None:
    """The forked child talks to PostgreSQL over the parent's session, and psycopg's list of
    the session's prepared statements is the parent's copy: a statement a child prepares stays
    prepared on the server, so the next child, knowing nothing of it, would prepare it under
    the same name again and fail. The child runs its statements unprepared instead."""
    from django.db import connection

    if connection.vendor == "postgresql" and connection.connection is not None:
        connection.connection.prepare_threshold = None


def in_child(call: Callable[[], Any]) -> Answer:
    """Run one request in a forked child; its answer, CPU time, memory growth and the rows
    it wrote (counted in the child: its database may be a copy of the parent's)."""
    reader, writer = os.pipe()
    # The objects alive now (the test process's: pytest, every collected module) are moved out
    # of the collector's generations for the fork, as a server freezes what it loaded
    # (peaceworks/web/warmup.py): a full collection in the child would otherwise walk them all
    # and copy every page they sit on, CPU the request's bound should not count.
    gc.freeze()
    pid = os.fork()
    if pid == 0:  # the child: measure, report through the pipe, never return
        code = 0
        try:
            os.close(reader)
            limit = _virtual_bytes() + ADDRESS_SPACE_HEADROOM
            resource.setrlimit(
                resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1])
            )
            _prepare_nothing_in_child()
            before = _counts()
            resident = _resident_bytes()
            started = time.process_time()
            response = call()
            cpu = time.process_time() - started
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
            after = _counts()
            written = {
                name: after[name] - before[name] for name in after if after[name] != before[name]
            }
            text = response.content.decode("utf-8", "replace")[:20_000]
            report: Any = Answer(response.status_code, text, cpu, max(0, peak - resident), written)
        except BaseException:  # noqa: BLE001 -- reported to the parent, which fails the test
            report = traceback.format_exc()
            code = 1
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(pickle.dumps(report))
        os._exit(code)
    gc.unfreeze()
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        data = pipe.read()
    _pid, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        pytest.fail(f"the request killed its process ({name}): a spreadsheet bomb got through")
    report = pickle.loads(data)  # noqa: S301 -- our own child's report
    if isinstance(report, str):
        pytest.fail(report)
    assert isinstance(report, Answer)
    return report


@pytest.fixture
def route_target(
    request: pytest.FixtureRequest, campaign: Campaign, survey_round: Round, framework: Framework
) -> tuple[Client, str, dict[str, str]]:
    route = ROUTES[request.param]
    instrument = Instrument.objects.filter(framework=framework).order_by("pk").first()
    assert instrument is not None
    url = route.url.format(campaign=campaign.code, round=survey_round.pk, instrument=instrument.pk)
    return request.getfixturevalue(route.persona), url, route.fields


@pytest.mark.parametrize("route_target", list(ROUTES), indirect=True)
def test_sparse_workbooks_are_refused_by_their_limit_or_read_within_bounds(
    route_target: tuple[Client, str, dict[str, str]],
) -> None:
    client, url, fields = route_target
    warm(client, url)
    for item in hostile_corpus.sparse_items():
        answer = in_child(partial(post_file, client, url, item.filename, item.data(), **fields))
        assert answer.cpu_seconds <= MAX_CPU_SECONDS, (item.name, answer.cpu_seconds)
        assert answer.growth_bytes <= MAX_GROWTH_BYTES, (item.name, answer.growth_bytes)
        assert answer.status < 500, (item.name, answer.text[:300])
        if item.outcome == REFUSED:
            assert 400 <= answer.status < 500, (item.name, answer.status, answer.text[:300])
            # the item's own message, or the route's tighter limit named (the activity import
            # takes at most 5,000 rows, so a far cell meets that limit first)
            assert re.search(item.message, answer.text, re.IGNORECASE) or LIMIT_WORDS.search(
                answer.text
            ), (item.name, answer.text[:2000])
            assert answer.written == {}, (item.name, answer.written)
        else:
            assert item.name in hostile_corpus.READABLE_SPARSE
            assert not LIMIT_WORDS.search(answer.text), (item.name, answer.text[:2000])
            assert not set(answer.written) & set(row_counts()), (item.name, answer.written)


def test_an_xlsform_declaring_a_huge_range_is_imported_within_bounds(
    staff_client: Client, framework: Framework
) -> None:
    """The instrument's own XLSForm, its sheets declaring A1:AMJ1048576 (a billion cells
    that openpyxl would walk): read by its real cells, as quickly as the plain file."""
    instrument = Instrument.objects.filter(framework=framework).order_by("pk").first()
    assert instrument is not None
    form = staff_client.get(f"/impact/instruments/{instrument.pk}/xlsform.xlsx").content
    declared = hostile_corpus.declare_huge_dimensions(form)
    url = f"/impact/instruments/{instrument.pk}/import/"
    warm(staff_client, url)
    answer = in_child(lambda: post_file(staff_client, url, "declared.xlsx", declared))
    assert answer.status == 302, answer.text[:2000]
    assert answer.cpu_seconds <= MAX_CPU_SECONDS, answer.cpu_seconds
    assert answer.growth_bytes <= MAX_GROWTH_BYTES, answer.growth_bytes
