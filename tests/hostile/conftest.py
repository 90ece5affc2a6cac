"""Guards around every hostile request: no outbound connection, bounded time and memory,
and the rows of every table an import or a submission writes, to prove nothing changed.

The rows the requests are made against (the personas who may import, the campaign, its
framework and an open post round) are written once per module, inside the root conftest's
``module_transaction``: each test reads its own instances of them, and what a test writes is
undone after it, so every test finds them as they were built for it alone before.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import ipaddress
import os
import socket
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from conftest import PASSWORD
from peaceworks.accounts.models import Role, User
from peaceworks.accounts.services import membership_grant, user_create
from peaceworks.campaigns.models import Activity, Campaign
from peaceworks.directory.models import Affiliation, Organisation
from peaceworks.impact.models import Framework, Instrument, Respondent, Response, Round
from peaceworks.impact.services import framework_install_default
from tests.conftest import campaign_build, survey_round_build

MAX_SECONDS = 10.0
MAX_BYTES = 256 * 1024 * 1024


@dataclass
class Outbound:
    attempts: list[Any] = field(default_factory=list)


def _is_loopback(address: Any) -> bool:
    if isinstance(address, str | bytes):  # a Unix socket path
        return True
    host = str(address[0])
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _no_template_contexts(no_template_contexts: None) -> None:
    """No hostile test reads ``response.context``: the test client need not copy it."""


@dataclass(frozen=True)
class Rows:
    """Primary keys of the rows built once per module (instances are read per test)."""

    secretariat: int
    organisation: int
    network_admin: int
    org_coordinator: int
    campaign: int
    framework: int
    survey_round: int


@pytest.fixture(scope="module")
def rows(module_transaction: Any) -> Rows:
    """The rows the root conftest's and ``tests/conftest.py``'s fixtures of the same names
    build, built the same way once for the module."""
    with module_transaction.unblock():
        secretariat = Organisation.objects.create(
            name="Secretariat", code="secretariat", country="FR", is_secretariat=True
        )
        organisation = Organisation.objects.create(
            name="Own Organisation", code="own", country="KE"
        )
        people = {}
        for role, home in ((Role.NETWORK_ADMIN, secretariat), (Role.ORG_COORDINATOR, organisation)):
            user = user_create(email=f"{role}.{home.code}@example.org", password=PASSWORD)
            membership_grant(user=user, organisation=home, role=role)
            people[role] = user.pk
        campaign = campaign_build()
        framework = framework_install_default(actor=None, campaign=campaign)
        survey_round = survey_round_build(campaign=campaign, organisation=organisation)
        return Rows(
            secretariat=secretariat.pk,
            organisation=organisation.pk,
            network_admin=people[Role.NETWORK_ADMIN],
            org_coordinator=people[Role.ORG_COORDINATOR],
            campaign=campaign.pk,
            framework=framework.pk,
            survey_round=survey_round.pk,
        )


@pytest.fixture(autouse=True)
def _rows_before_the_test_transaction(rows: Rows) -> None:
    """Asks for ``rows`` in every test, so that pytest builds it (a module fixture) before the
    test's own transaction opens: a test reaching the rows only through
    ``request.getfixturevalue`` (``test_files``' ``target``) would otherwise build them inside
    that transaction, and lose them with it."""


@pytest.fixture
def secretariat(rows: Rows, db: None) -> Organisation:
    return Organisation.objects.get(pk=rows.secretariat)


@pytest.fixture
def organisation(rows: Rows, db: None) -> Organisation:
    return Organisation.objects.get(pk=rows.organisation)


@pytest.fixture
def network_admin(rows: Rows, db: None) -> User:
    return User.objects.get(pk=rows.network_admin)


@pytest.fixture
def org_coordinator(rows: Rows, db: None) -> User:
    return User.objects.get(pk=rows.org_coordinator)


@pytest.fixture
def campaign(rows: Rows, db: None) -> Campaign:
    return Campaign.objects.get(pk=rows.campaign)


@pytest.fixture
def framework(rows: Rows, db: None) -> Framework:
    return Framework.objects.get(pk=rows.framework)


@pytest.fixture
def survey_round(rows: Rows, db: None) -> Round:
    return Round.objects.get(pk=rows.survey_round)


@pytest.fixture(autouse=True)
def outbound(monkeypatch: pytest.MonkeyPatch) -> Iterator[Outbound]:
    """Any connection to a non-loopback address fails, and is recorded so the test fails."""
    record = Outbound()
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def connect(self: socket.socket, address: Any) -> None:
        if not _is_loopback(address):
            record.attempts.append(address)
            raise OSError(f"outbound connection to {address!r} blocked by the hostile tests")
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if not _is_loopback(address):
            record.attempts.append(address)
            return 111
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    yield record
    assert record.attempts == [], f"outbound connections attempted: {record.attempts}"


@dataclass
class Measured:
    response: Any
    seconds: float
    peak_bytes: int


#: the pages loaded by :func:`warm` in this process
_WARMED: set[str] = set()


def warm(client: Client, url: str) -> None:
    """Load the page once, so the bounds measure the hostile request and not Django's lazy
    first-request work (URL resolver, templates, catalogues). That work is done once per
    process, so a page an earlier test of this process loaded is not loaded again."""
    if url not in _WARMED:
        client.get(url)
        _WARMED.add(url)


def _resident_bytes(key: str) -> int:
    """``VmRSS`` (resident now) or ``VmHWM`` (its peak) of this process, in bytes."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    raise LookupError(key)


def _reset_resident_peak() -> int:
    """Hand the allocator's free memory back to the system and restart the peak of the
    resident set at the current size (``/proc/self/clear_refs``, Linux); returns that size."""
    _LIBC.malloc_trim(0)
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")
    return _resident_bytes("VmRSS")


_LIBC = ctypes.CDLL(ctypes.util.find_library("c"))


def measure(call: Callable[[], Any], *, traced: bool = False) -> Measured:
    """Run one request and assert the safety bounds (not a benchmark).

    Memory: by default, the growth of the process's peak resident set over the request. It
    sees every allocation the request's pages touch, the native ones too (zlib, calamine's
    Rust, lxml), that tracemalloc does not, and costs nothing while the request runs (tracing
    every Python allocation made each request several times slower). The allocator's free
    memory is handed back to the system first, so a request cannot hide its growth in it;
    what the resident peak may still not count is Python's own free blocks in arenas in use,
    under a megabyte over the whole corpus where the two were compared. With ``traced``, the
    peak of Python's allocations under tracemalloc instead.

    The CPU time of this process is held to ``MAX_SECONDS``; so is the wall-clock time, which
    on a machine shared beyond its cores (load average over the core count) is allowed to
    stretch by that factor, since waiting for a core is not the input's cost."""
    if traced:
        tracemalloc.start()
    else:
        resident = _reset_resident_peak()
    started, cpu_started = time.perf_counter(), time.process_time()
    try:
        response = call()
    finally:
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        if traced:
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        else:
            peak = _resident_bytes("VmHWM") - resident
    contention = max(1.0, os.getloadavg()[0] / (os.cpu_count() or 1))
    assert cpu_seconds <= MAX_SECONDS, f"used {cpu_seconds:.1f} s of CPU (bound {MAX_SECONDS} s)"
    assert seconds <= MAX_SECONDS * contention, (
        f"took {seconds:.1f} s (bound {MAX_SECONDS} s x load factor {contention:.1f})"
    )
    assert peak <= MAX_BYTES, f"peak {peak / 2**20:.0f} MB (bound {MAX_BYTES / 2**20:.0f} MB)"
    return Measured(response=response, seconds=seconds, peak_bytes=peak)


WRITTEN = (Organisation, Affiliation, Activity, Response, Respondent, Instrument)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in WRITTEN}


def multipart(fields: dict[str, str], filename: str, data: bytes) -> tuple[bytes, str]:
    """A multipart body built by hand, so the file name reaches the server unaltered (the
    test client would keep only its base name)."""
    boundary = "hostileBoundary7MA4YWxkTrZu0gW"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def post_file(client: Client, url: str, filename: str, data: bytes, **fields: str) -> Any:
    body, content_type = multipart(fields, filename, data)
    return client.generic("POST", url, body, content_type=content_type)


@pytest.fixture
def coordinator_client(
    client_for: Callable[[User | None], Client], org_coordinator: User
) -> Client:
    return client_for(org_coordinator)


@pytest.fixture
def staff_client(client_for: Callable[[User | None], Client], network_admin: User) -> Client:
    return client_for(network_admin)
