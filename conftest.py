"""Fixtures every app's tests share: organisations and the three personas (plus each role).

Personas are built through services, the way the product builds them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from peaceworks.accounts.models import Role, User
from peaceworks.accounts.services import membership_grant, user_create
from peaceworks.directory.models import Organisation

PASSWORD = "a-long-test-password-42"


# One BLAS thread per process. The suite runs a process per core (pytest-xdist) and starts
# servers beside it, so OpenBLAS's own threads only spin against each other: on the shared
# 2-core machine a small SVD took 30 times the CPU with two threads (the family audit of the
# recompute test is made of them). The variables reach the workers and servers the suite
# starts; numpy is already loaded in this process (pytest-django set Django up), so it is
# told through threadpoolctl (a dependency of scikit-learn).
def _one_blas_thread() -> None:
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover -- numpy then keeps the threads it started with
        return
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
