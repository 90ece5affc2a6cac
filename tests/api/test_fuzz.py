"""Issue 13 (and the fuzzed contract of issue 21): schemathesis generates requests for every
operation of the OpenAPI document and sends them through the WSGI application as each of three
personas — a network coordinator (browser session with its CSRF token), a member organisation's
coordinator (a personal API token) and an anonymous caller: no answer is a 5xx, and every
status code, content type and body is one the document declares. Schemathesis sends its
boundary cases (the coverage phase) and then ``FUZZ_EXAMPLES`` generated examples per
operation, derandomised, so a run fails the same way twice; the number of calls is printed at
the end. About 3,600 calls a persona take three minutes, so the fuzz is its own step of
``.ci/run`` (on PostgreSQL, the stricter database: NUL bytes, integer ranges) and is skipped
in ``make test`` unless ``FUZZ_EXAMPLES`` is set."""

from __future__ import annotations

import os
from collections import Counter

import pytest

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0"))
if EXAMPLES < 1:
    # skipped before schemathesis builds its ~450 tests from the document: collecting them
    # cost each worker of ``make test`` seconds for tests it never runs
    pytest.skip(
        "the API fuzz is its own step of .ci/run (set FUZZ_EXAMPLES to run it)",
        allow_module_level=True,
    )

import schemathesis  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import close_old_connections  # noqa: E402
from django.middleware.csrf import _get_new_csrf_string  # noqa: E402
from django.test import Client  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from peaceworks.accounts.services import api_token_create  # noqa: E402

CALLS: Counter[str] = Counter()  # requests per operation, reported by tests/api/conftest.py
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# Django's WSGI handler, not config/wsgi.py, which also starts the server's warm-up thread.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def _connection_kept_open():
    """The WSGI handler closes the database connection after each request, as in production;
    the test's transaction must outlive the requests, as Django's test client arranges."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


PERSONAS = ("network_coordinator", "org_coordinator", "anonymous")


@pytest.fixture
def signed_in(
    request, settings, world, _connection_kept_open
) -> tuple[dict[str, str], dict[str, str]]:
    """The cookies and headers of the test's persona: a network coordinator's session and CSRF
    token, a member coordinator's read-and-write API token (not rate-limited here), or
    nothing."""
    persona = request.node.callspec.params["persona"]
    if persona == "anonymous":
        return {}, {}
    user = request.getfixturevalue(persona)
    if persona == "org_coordinator":
        settings.API_TOKEN_RATE_PER_MINUTE = 1_000_000
        secret = api_token_create(actor=user, name="fuzz", scope="write").secret
        return {}, {"Authorization": f"Bearer {secret}"}
    client = Client()
    client.force_login(user)
    csrf = _get_new_csrf_string()
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}
    return cookies, {"X-CSRFToken": csrf}


@pytest.mark.fuzz
@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_5xx_or_off_its_contract(case, persona, signed_in):
    cookies, headers = signed_in
    case.cookies = {**(case.cookies or {}), **cookies}
    CALLS[f"{persona} {case.operation.label}"] += 1
    case.call_and_validate(headers=headers, checks=CHECKS)
