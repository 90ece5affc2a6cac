"""The authorisation matrix, generated from the URL configuration and the policy table."""

from __future__ import annotations

import functools
import importlib
import json
import logging
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.client import ClientHandler
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import peaceworks
from peaceworks.accounts.models import Role, User
from peaceworks.accounts.services import invitation_create, membership_grant, user_create
from peaceworks.core.models import AuditEvent
from peaceworks.directory.models import Organisation
from tests.security.policy import (
    ADMIN_NAMESPACE,
    ROLES,
    ROUTES,
    SIGNED_OUT,
    Access,
    Route,
    Tenant,
)

# the test client's copy of every rendered template's context: this module never reads it
pytestmark = pytest.mark.usefixtures("no_template_contexts", "refusals_not_logged")


@pytest.fixture(scope="module")
def refusals_not_logged() -> Iterator[None]:
    """Django logs every 4xx answer as a warning (the ``django.request`` logger); the matrix
    expects some two thousand of them, checks each one's status itself and names every wrong
    one in its failure, so the warnings are left out (formatting them took about 1 % of the
    module's CPU). Errors (5xx and exceptions) are logged as ever."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def policy_table() -> dict[tuple[str, str], Route]:
    """The shared rows, then each app's ``tests/policy*.py`` rows (which win)."""
    table = {route.key: route for route in ROUTES}
    for app in pkgutil.iter_modules(peaceworks.__path__):
        tests_package = f"peaceworks.{app.name}.tests"
        try:
            package = importlib.import_module(tests_package)
        except ModuleNotFoundError:
            continue
        for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            if module.name.startswith("policy"):
                app_policy = importlib.import_module(f"{tests_package}.{module.name}")
                for route in app_policy.ROUTES:
                    table[route.key] = route
    return table


def _walk(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern, inner)
        else:
            name = pattern.name or ""
            full = f"{namespace}:{name}" if namespace and name else name
            yield (full if name else f"{namespace}:<unnamed {pattern.pattern}>"), pattern


def api_operations(name: str, pattern: URLPattern) -> list[Any]:
    """The ninja operations a named API URL pattern serves.

    django-ninja mounts one pattern per operation, but each pattern's view is its path's
    ``PathView`` (a bound method before 1.5, a closure over it since), which answers every
    method of that path: the operations are those named like the pattern.
    """
    # config/api.py wraps each view (problem+json for the answers ninja writes itself)
    callback = getattr(pattern.callback, "__wrapped__", pattern.callback)
    path_view = getattr(callback, "__self__", None)
    if path_view is None:
        cells = getattr(callback, "__closure__", None) or ()
        path_view = next(
            (cell.cell_contents for cell in cells if hasattr(cell.cell_contents, "operations")),
            None,
        )
    operations = list(getattr(path_view, "operations", None) or [])
    url_name = name.rpartition(":")[2]
    named = [
        operation
        for operation in operations
        if (getattr(operation, "url_name", None) or operation.view_func.__name__) == url_name
    ]
    return named or operations


def routes_in_urlconf() -> set[tuple[str, str]]:
    """(route name, method): HTML views as GET (their row says the method), API by operation."""
    found: set[tuple[str, str]] = set()
    for name, pattern in _walk(get_resolver()):
        if name.startswith(f"{ADMIN_NAMESPACE}:"):
            continue
        operations = api_operations(name, pattern) if name.startswith("api:") else []
        if operations:
            for operation in operations:
                for method in operation.methods:
                    found.add((name, method.upper()))
        else:
            found.add((name, "*"))
    return found


def test_api_operations_are_found_by_method():
    """The walk must see each API operation's method (else a row for any method passes)."""
    assert ("api:me", "GET") in routes_in_urlconf()


def admin_changelists() -> list[Route]:
    return [
        Route(name, Access.ADMIN_SITE)
        for name, _pattern in _walk(get_resolver())
        if name.startswith(f"{ADMIN_NAMESPACE}:") and name.endswith("_changelist")
    ]


def test_every_route_has_a_row_in_the_policy_table():
    table = policy_table()
    names_in_table = {name for name, _method in table}
    missing = sorted(
        f"{name} {method}"
        for name, method in routes_in_urlconf()
        if (method == "*" and name not in names_in_table)
        or (method != "*" and (name, method) not in table)
    )
    assert missing == [], (
        "Routes without a row in the policy table (tests/security/policy.py or "
        f"peaceworks/<app>/tests/policy.py; see docs/adding-a-feature.md): {missing}"
    )


def test_every_row_names_a_route_that_exists():
    known = {name for name, _pattern in _walk(get_resolver())}
    stale = sorted(name for name, _method in policy_table() if name not in known)
    assert stale == [], f"Policy rows for routes that no longer exist: {stale}"


@dataclass
class World:
    own: Organisation
    other: Organisation
    secretariat: Organisation
    users: dict[str, User | None]
    invitation_token: str
    #: objects that app policy rows create on first use and reuse (e.g. an activity per tenant)
    extras: dict[str, Any] = field(default_factory=dict)
    #: a signed-in session of each person, by role (see ``session_of``)
    sessions: dict[str, str] = field(default_factory=dict)
    #: the handler (its middleware chain) every request of the test goes through: loaded once,
    #: as a server loads it, instead of once per fresh client (see ``send``)
    handler: ClientHandler = field(default_factory=lambda: ClientHandler(enforce_csrf_checks=False))

    def org(self, tenant: Tenant) -> Organisation:
        return self.own if tenant is Tenant.OWN else self.other

    def session_of(self, role: str) -> str:
        """The key of a session signed in as ``role``'s person, as ``force_login`` makes it:
        the module's own until a response of this test changes it (``send`` forgets it)."""
        if role not in self.sessions:
            user = self.users[role]
            assert user is not None, f"{role} signs in as nobody"
            client = Client()
            client.force_login(user)
            self.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        return self.sessions[role]


@dataclass(frozen=True)
class _Built:
    secretariat: int
    own: int
    other: int
    users: dict[str, int]
    invitation_token: str
    sessions: dict[str, str]


def _build_world() -> _Built:
    secretariat = Organisation.objects.create(
        name="Secretariat", code="secretariat", country="BE", is_secretariat=True
    )
    own = Organisation.objects.create(name="Own", code="own", country="KE")
    other = Organisation.objects.create(name="Other", code="other", country="PE")
    users: dict[str, int] = {}
    sessions: dict[str, str] = {}
    for role in Role:
        home = secretariat if role in {Role.NETWORK_ADMIN, Role.NETWORK_COORDINATOR} else own
        user = user_create(email=f"{role.value}@example.org", password="matrix-password-42")
        if role == Role.NETWORK_ADMIN:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        membership_grant(user=user, organisation=home, role=role)
        users[role.value] = user.pk
        client = Client()
        client.force_login(user)
        sessions[role.value] = client.cookies[settings.SESSION_COOKIE_NAME].value
    other_coordinator = user_create(email="other.coordinator@example.org", password=None)
    membership_grant(user=other_coordinator, organisation=other, role=Role.ORG_COORDINATOR)
    admin = User.objects.get(pk=users["network_admin"])
    _invitation, token = invitation_create(
        actor=admin,
        organisation=own,
        email="pending@example.org",
        role="org_member",
    )
    return _Built(secretariat.pk, own.pk, other.pk, users, token, sessions)


@pytest.fixture(scope="module")
def built_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[_Built]:
    """The organisations, people (with a signed-in session each) and invitation every row is
    requested against, written once per module (and worker) in a transaction that each test
    of the module runs inside, in a savepoint of its own rolled back after it (as ever); the
    transaction is rolled back after the last test. Every test starts from the same rows a
    world written for it alone would give it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = _build_world()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def world(db: None, built_world: _Built) -> World:
    """The built world as fresh objects (read again: a test may change its own copies)."""
    organisations = Organisation.objects.in_bulk(
        [built_world.secretariat, built_world.own, built_world.other]
    )
    people = User.objects.in_bulk(list(built_world.users.values()))
    users: dict[str, User | None] = dict.fromkeys(SIGNED_OUT)
    users.update({role: people[pk] for role, pk in built_world.users.items()})
    return World(
        own=organisations[built_world.own],
        other=organisations[built_world.other],
        secretariat=organisations[built_world.secretariat],
        users=users,
        invitation_token=built_world.invitation_token,
        sessions=dict(built_world.sessions),
    )


@functools.cache
def _counting_statement() -> str:
    quote = connection.ops.quote_name
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed
            and not model._meta.proxy
            and model._meta.label_lower != "sessions.session"
        }
    )
    # table names from the models
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)  # noqa: S608
    return f"SELECT {counts}"


def fingerprint() -> tuple[int, ...]:
    """Row counts of every table (sessions aside: signing in is not a domain write), the
    audit log's among them, in one statement: the matrix takes two fingerprints around each
    write of each role."""
    with connection.cursor() as cursor:
        cursor.execute(_counting_statement())
        return tuple(cursor.fetchone())


def test_the_fingerprint_counts_the_audit_log():
    """A refused write must leave no audit event either: the fingerprint counts them."""
    assert connection.ops.quote_name(AuditEvent._meta.db_table) in _counting_statement()


def prepare(route: Route, world: World, tenant: Tenant) -> tuple[str, dict[str, Any]]:
    """The URL and body; app rows may create objects here, before anything is counted."""
    url = reverse(route.name, kwargs=dict(route.args(world, tenant)) or None)
    if route.query is not None:
        url = f"{url}?{urlencode(dict(route.query(world, tenant)))}"
    body = dict(route.data(world, tenant)) if route.data is not None else {}
    return url, body


def request(route: Route, world: World, role: str, tenant: Tenant):
    url, body = prepare(route, world, tenant)
    return send(route, world, role, url, body)


def send(route: Route, world: World, role: str, url: str, body: dict[str, Any]):
    """One request as ``role``, from a client of its own holding nothing but the role's
    session (a fresh client per request, as a fresh sign-in would give), through the test's
    one handler: a new client would load the middleware again for its first request."""
    client = Client()
    client.handler = world.handler
    if world.users[role] is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.session_of(role)
    if route.is_api and route.is_write and not route.multipart:
        response = client.generic(
            route.method, url, data=json.dumps(body), content_type="application/json"
        )
    elif route.method == "POST":
        response = client.post(url, body)
    else:
        response = client.generic(route.method, url)
    if settings.SESSION_COOKIE_NAME in response.cookies:
        # the request changed, renewed or ended its session: the role's next request of this
        # test starts from a new sign-in, as every request would without the shared session
        world.sessions.pop(role, None)
    return response


def _all_rows() -> list[Route]:
    return sorted(policy_table().values(), key=lambda route: route.key)


@pytest.mark.parametrize("route", _all_rows(), ids=lambda route: f"{route.name}-{route.method}")
def test_route_answers_each_role_with_the_expected_status(route, world):
    failures = []
    tenants = [Tenant.OWN, Tenant.OTHER] if route.tenant_scoped else [Tenant.OWN]
    for tenant in tenants:
        for role in ROLES:
            expected = route.expected(role, tenant)
            url, body = prepare(route, world, tenant)
            before = fingerprint() if route.is_write else None
            response = send(route, world, role, url, body)
            if response.status_code != expected:
                failures.append(f"{role}/{tenant}: {response.status_code}, expected {expected}")
                continue
            refused = expected != route.ok
            if route.is_write and refused and fingerprint() != before:
                failures.append(f"{role}/{tenant}: refused write changed the database")
            problem = response.get("Content-Type") == "application/problem+json"
            if route.is_api and refused and expected >= 400 and not problem:
                failures.append(f"{role}/{tenant}: {expected} is not problem+json")
    assert failures == [], f"{route.name} {route.method}:\n" + "\n".join(failures)


@pytest.mark.parametrize("route", admin_changelists(), ids=lambda route: route.name)
def test_admin_change_lists_are_for_staff_only(route, world):
    for role in ROLES:
        response = request(route, world, role, Tenant.OWN)
        assert response.status_code == route.expected(role, Tenant.OWN), role
