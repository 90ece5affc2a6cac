"""Issue 13 (and the fuzzed contract of issue 21): schemathesis generates requests for every
operation of the OpenAPI document and sends them through the WSGI application, signed in as a
network coordinator: no answer is a 5xx, and every status code, content type and body is one the
document declares. Schemathesis sends its boundary cases (the coverage phase) and then
``FUZZ_EXAMPLES`` generated examples per operation, derandomised, so a run fails the same way
twice; the number of calls is printed at the end. About 3,600 calls take three minutes, so the
fuzz is its own step of ``.ci/run`` (on PostgreSQL, the stricter database: NUL bytes, integer
ranges) and is skipped in ``make test`` unless ``FUZZ_EXAMPLES`` is set."""

from __future__ import annotations

import os
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0"))
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


@pytest.fixture
def signed_in(
    network_coordinator, world, _connection_kept_open
) -> tuple[dict[str, str], dict[str, str]]:
    """The session and CSRF cookies of a network coordinator, and the CSRF header."""
    client = Client()
    client.force_login(network_coordinator)
    csrf = _get_new_csrf_string()
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}
    return cookies, {"X-CSRFToken": csrf}


@pytest.mark.fuzz
@pytest.mark.skipif(
    EXAMPLES < 1, reason="the API fuzz is its own step of .ci/run (set FUZZ_EXAMPLES to run it)"
)
@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=max(EXAMPLES, 1),
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_5xx_or_off_its_contract(case, signed_in):
    cookies, headers = signed_in
    case.cookies = {**(case.cookies or {}), **cookies}
    CALLS[case.operation.label] += 1
    case.call_and_validate(headers=headers, checks=CHECKS)
