"""Fixtures every app's tests share: organisations and the three personas (plus each role).

Personas are built through services, the way the product builds them.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pytest
from django.test import Client

from peaceworks.accounts.models import Role, User
from peaceworks.accounts.services import membership_grant, user_create
from peaceworks.directory.models import Organisation

PASSWORD = "a-long-test-password-42"

# schemathesis's pytest plugin builds the API fuzz's tests (tests/api/test_fuzz.py, skipped
# unless FUZZ_EXAMPLES is set). Importing it costs every pytest process ~0.4 s of CPU, so
# pyproject.toml leaves its entry point out and it is loaded here only for the fuzz.
if int(os.environ.get("FUZZ_EXAMPLES", "0")) >= 1:
    pytest_plugins = ["schemathesis.pytest.plugin"]

#: The modules that keep one worker busy longest (tens of seconds each in a whole run), sent
#: first: pytest-xdist's ``worksteal`` hands each worker a contiguous share of the collected
#: tests and lets an idle worker take the end of a busy one's queue, so a long module met last
#: would leave the other core idle while it runs. Longest first, the short tests fill the end.
LONG_FIRST = (
    "tests/pages/test_crawl.py",
    "peaceworks/impact/tests/test_recompute.py",
    "tests/browser/test_survey_journeys.py",
    "tests/browser/test_consultation_journey.py",
    "tests/browser/",
    "tests/faults/",
    "peaceworks/reports/tests/test_reports.py",
    "peaceworks/impact/tests/test_differencing.py",
    "peaceworks/directory/tests/test_map.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        return next(
            (n for n, prefix in enumerate(LONG_FIRST) if item.nodeid.startswith(prefix)),
            len(LONG_FIRST),
        )

    items.sort(key=rank)  # stable: each module's tests keep their order


# One BLAS thread per process. The suite runs a process per core (pytest-xdist) and starts
# servers beside it, so OpenBLAS's own threads only spin against each other: on the shared
# 2-core machine a small SVD took 30 times the CPU with two threads (the family audit of the
# recompute test is made of them). The variables reach the workers and servers the suite
# starts; numpy is already loaded in this process (pytest-django set Django up), so it is
# told through threadpoolctl.
def _one_blas_thread() -> None:
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    from threadpoolctl import threadpool_limits  # a dependency of the synthesis too

    threadpool_limits(int(os.environ["OPENBLAS_NUM_THREADS"]))


_one_blas_thread()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Test on a SQLite file, as the product runs, not Django's shared-cache memory database.

    Shared-cache memory databases lock per table and fail instead of waiting, so concurrency
    tests would exercise locking the product never meets; a file gets WAL, the busy timeout
    and ``BEGIN IMMEDIATE`` from the settings. Under pytest-xdist each worker has its own
    database: its own temporary folder on SQLite, ``test_<name>_gw0``… on PostgreSQL (the
    suffix pytest-django adds, kept by depending on its fixture).
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(
            tmp_path_factory.mktemp("database") / "test.sqlite3"
        )


# A migrated template database, copied for each run and worker instead of migrating --------
#
# Migrating every app takes seconds of CPU a process. The first process to need a database
# migrates it as usual and keeps a copy, named by a digest of every installed app's migration
# files and Django's version: a SQLite file in the temporary folder, a ``pw_template_<digest>``
# database on PostgreSQL. Later processes (other xdist workers, later runs, other checkouts at
# the same migrations) copy it, then Django's ``migrate`` finds nothing to apply (it still runs,
# with its post-migrate signals). A file lock makes the others wait while one migrates.
# Skipped with ``--reuse-db`` and ``--no-migrations`` (pytest-django's own ways).

TEMPLATES = Path(tempfile.gettempdir()) / "peaceworks-test-templates"


@dataclass
class _Template:
    key: str
    lock: IO[bytes] | None = None  # held while this process builds the template
    cloned: bool = False


def _migrations_digest() -> str:
    import django
    from django.apps import apps

    digest = hashlib.sha256(django.get_version().encode())
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        for path in sorted((Path(config.path) / "migrations").glob("*.py")):
            digest.update(f"{config.label}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _postgres_template_exists(name: str) -> bool:
    from django.db import connection

    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _postgres_copy(source: str, target: str) -> None:
    from django.db import connection

    quote = connection.ops.quote_name
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)}")
        cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(source)}")


def _template_name(vendor: str, key: str) -> str:
    return f"pw_template_{key}" if vendor == "postgresql" else str(TEMPLATES / f"{key}.sqlite3")


@pytest.fixture(scope="session")
def _database_template(
    request: pytest.FixtureRequest,
    django_db_modify_db_settings: None,
    django_db_blocker: Any,
) -> Iterator[_Template | None]:
    from django.db import connection

    options = request.config.option
    if options.reuse_db or options.nomigrations or connection.vendor not in _TEMPLATE_VENDORS:
        yield None
        return
    template = _Template(key=_migrations_digest())
    name = _template_name(connection.vendor, template.key)
    worker = connection.creation._get_test_db_name()  # type: ignore[attr-defined]
    TEMPLATES.mkdir(parents=True, exist_ok=True)
    lock = (TEMPLATES / f"{template.key}.{connection.vendor}.lock").open("wb")
    fcntl.flock(lock, fcntl.LOCK_EX)
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            if _postgres_template_exists(name):
                _postgres_copy(name, worker)
                template.cloned = True
        elif Path(name).is_file():
            for leftover in (f"{worker}-wal", f"{worker}-shm"):
                Path(leftover).unlink(missing_ok=True)
            shutil.copyfile(name, worker)
            template.cloned = True
    if template.cloned:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()
    else:
        template.lock = lock  # released once django_db_setup has migrated and copied
    try:
        yield template
    finally:
        if template.lock is not None:
            template.lock.close()


_TEMPLATE_VENDORS = frozenset({"sqlite", "postgresql"})


@pytest.fixture(scope="session")
def django_db_keepdb(request: pytest.FixtureRequest, _database_template: _Template | None) -> bool:
    """Keep (do not re-create) a database copied from the template; ``--reuse-db`` as ever."""
    return bool(request.config.option.reuse_db) or bool(
        _database_template and _database_template.cloned
    )


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup: None,
    _database_template: _Template | None,
    django_db_blocker: Any,
) -> None:
    """pytest-django's setup, then, when this process migrated, the template saved."""
    if _database_template is None or _database_template.lock is None:
        return
    import sqlite3

    from django.db import connection

    name = _template_name(connection.vendor, _database_template.key)
    worker = connection.settings_dict["NAME"]  # the test database, once set up
    with django_db_blocker.unblock():
        connection.close()
        if connection.vendor == "postgresql":
            _postgres_copy(worker, name)
        else:
            partial = Path(f"{name}.{os.getpid()}.partial")
            with sqlite3.connect(worker) as source, sqlite3.connect(partial) as copy:
                source.backup(copy)
            source.close()
            copy.close()
            os.replace(partial, name)
    fcntl.flock(_database_template.lock, fcntl.LOCK_UN)
    _database_template.lock.close()
    _database_template.lock = None


@pytest.fixture(scope="session")
def migrated_sqlite_template(
    django_db_setup: None, _database_template: _Template | None
) -> Path | None:
    """The migrated SQLite template of this run (saved once the test database is set up), for
    a server or a child process to start on a copy of instead of migrating; None on PostgreSQL
    and with ``--reuse-db`` or ``--no-migrations``."""
    from django.db import connection

    if _database_template is None or connection.vendor != "sqlite":
        return None
    path = Path(_template_name(connection.vendor, _database_template.key))
    return path if path.is_file() else None


@pytest.fixture
def demo_database(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any, tmp_path: Path
) -> Iterator[None]:
    """The seeded demo network (``seed_demo``) in a fresh copy, for the length of one test.

    Seeded once per run and code version (``tests/demo_database.py``), copied here: a test
    asks for this fixture instead of seeding, and has no ``django_db`` mark (its database is
    the copy, not the worker's test database in a transaction). What the test writes is
    dropped with the copy.
    """
    from django.db import connection

    from tests import demo_database as demo

    if request.node.get_closest_marker("django_db") is not None:
        raise pytest.UsageError("demo_database replaces the django_db mark: remove the mark")
    original = connection.settings_dict["NAME"]
    with django_db_blocker.unblock():
        connection.close()
        if connection.vendor == "postgresql":
            copy = f"{original}_demo"
            demo.postgres_copy(demo.postgres_template(connection.settings_dict), copy)
        else:
            copy = str(tmp_path / "demo.sqlite3")
            migrated = request.getfixturevalue("migrated_sqlite_template")
            shutil.copyfile(demo.sqlite_template(migrated), copy)
        with _connection_on(copy):
            yield


@contextmanager
def _connection_on(name: str) -> Iterator[None]:
    """The test database connection pointed at the database ``name`` for the block, then back
    at the test database; on PostgreSQL ``name`` is dropped afterwards (a SQLite file lies in
    the test's temporary folder)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from tests import demo_database as demo

    original = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = name
    ContentType.objects.clear_cache()
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        ContentType.objects.clear_cache()
        if connection.vendor == "postgresql":
            demo.postgres_drop(name)


@pytest.fixture
def no_template_contexts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test client copies the context of every template a response renders (for
    ``response.context``); a module making thousands of requests that never reads it asks
    for this fixture (``pytest.mark.usefixtures``) to skip the copying."""
    import django.test.client

    monkeypatch.setattr(django.test.client, "store_rendered_templates", _not_stored)


def _not_stored(*args: Any, **kwargs: Any) -> None:
    return None


@pytest.fixture
def empty_database(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any, tmp_path: Path
) -> Iterator[None]:
    """A new database without tables in place of the test database, for the length of one
    test: a migration test migrates it to the exact nodes it needs (their ancestors only),
    where the test database would be unapplied back to them and migrated forward again. No
    ``django_db`` mark, as with ``demo_database``; the database is dropped afterwards."""
    from django.db import connection

    from tests import demo_database as demo

    if request.node.get_closest_marker("django_db") is not None:
        raise pytest.UsageError("empty_database replaces the django_db mark: remove the mark")
    original = connection.settings_dict["NAME"]
    with django_db_blocker.unblock():
        connection.close()
        if connection.vendor == "postgresql":
            empty = f"{original}_empty"
            demo.postgres_drop(empty)
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(empty)}")
        else:
            empty = str(tmp_path / "empty.sqlite3")
        with _connection_on(empty):
            yield


@pytest.fixture(scope="module")
def module_transaction(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    """One transaction around a module's tests, for rows they share: built once (a module
    fixture that asks for this one, building inside ``module_transaction.unblock()``), rolled
    back when the module is done. Each test's own transaction (pytest-django's ``db``) is a
    savepoint inside it, so what a test writes is undone after it as ever; the shared rows are
    as every test of the module found them when it was built per test. A test that needs
    ``transaction=True`` cannot share them. Yields the database blocker.

    The model instances a module builds once are shared by its tests: a module hands each test
    instances of its own, read again from the database, so that one test's changes in memory
    never reach the next (what Django's ``setUpTestData`` does by copying them)."""
    from django.db import transaction

    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
    try:
        yield django_db_blocker
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


#: Hashing is under test only where a test is marked ``argon2`` (sign-in, lockout, invitations);
#: elsewhere the product's Argon2 (about 0.2 s of CPU a hash) would dominate every fixture
#: that creates a user.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        yield


@pytest.fixture(autouse=True)
def _product_password_hashing(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("argon2") is None:
        return
    from config import settings as product

    request.getfixturevalue("settings").PASSWORD_HASHERS = product.PASSWORD_HASHERS


@pytest.fixture(autouse=True)
def _site_language() -> Iterator[None]:
    """Every test starts in the site's language: a page requested in French by an earlier test
    of the same worker leaves French active in its thread (the locale middleware activates the
    request's language and nothing deactivates it between tests)."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _charts_cached_in_memory(settings: Any) -> None:
    """Rendered charts stay in the test process, never in the data directory's cache."""
    settings.CACHES = {
        **settings.CACHES,
        "charts": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "charts",
        },
    }


@pytest.fixture
def make_organisation(db: None) -> Callable[..., Organisation]:
    counter = iter(range(1, 10_000))

    def make(**fields: Any) -> Organisation:
        number = next(counter)
        defaults: dict[str, Any] = {
            "name": f"Organisation {number}",
            "code": f"org-{number}",
            "country": "FR",
        }
        defaults.update(fields)
        return Organisation.objects.create(**defaults)

    return make


@pytest.fixture
def secretariat(make_organisation: Callable[..., Organisation]) -> Organisation:
    return make_organisation(name="Secretariat", code="secretariat", is_secretariat=True)


@pytest.fixture
def organisation(make_organisation: Callable[..., Organisation]) -> Organisation:
    return make_organisation(name="Own Organisation", code="own", country="KE")


@pytest.fixture
def other_organisation(make_organisation: Callable[..., Organisation]) -> Organisation:
    return make_organisation(name="Other Organisation", code="other", country="PE")


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(role: str, organisation: Organisation, email: str | None = None) -> User:
        user = user_create(
            email=email or f"{role}.{organisation.code}@example.org", password=PASSWORD
        )
        membership_grant(user=user, organisation=organisation, role=role)
        return user

    return make


@pytest.fixture
def network_admin(make_user: Callable[..., User], secretariat: Organisation) -> User:
    return make_user(Role.NETWORK_ADMIN, secretariat)


@pytest.fixture
def network_coordinator(make_user: Callable[..., User], secretariat: Organisation) -> User:
    return make_user(Role.NETWORK_COORDINATOR, secretariat)


@pytest.fixture
def org_coordinator(make_user: Callable[..., User], organisation: Organisation) -> User:
    return make_user(Role.ORG_COORDINATOR, organisation)


@pytest.fixture
def org_member(make_user: Callable[..., User], organisation: Organisation) -> User:
    return make_user(Role.ORG_MEMBER, organisation)


@pytest.fixture
def analyst(make_user: Callable[..., User], organisation: Organisation) -> User:
    return make_user(Role.ANALYST, organisation)


@pytest.fixture
def stakeholder(make_user: Callable[..., User], organisation: Organisation) -> User:
    return make_user(Role.STAKEHOLDER, organisation)


@pytest.fixture
def outsider(make_user: Callable[..., User], other_organisation: Organisation) -> User:
    """A coordinator of another organisation."""
    return make_user(Role.ORG_COORDINATOR, other_organisation)


@pytest.fixture
def client_for() -> Callable[[User | None], Client]:
    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make
