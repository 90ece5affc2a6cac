"""Send once: claimed before it goes, marked sent after, a dead worker's claim taken over by
one later run after the lease and not before. The rows are accounts' digests (any
``SentOnce`` model would do); the clock is always given, never read."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from peaceworks.accounts.models import DigestSent, User
from peaceworks.core.once import LEASE, send_once
from peaceworks.core.tests.sending import WorkerKilled, at, run_together

T = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


class Outbox:
    """What was handed over, by which run; ``fail`` makes the next hand-over raise it."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.fail: BaseException | None = None
        self.lock = threading.Lock()

    def sender(self, run: str, *, pause: float = 0) -> Callable[[], None]:
        def send() -> None:
            time.sleep(pause)
            if self.fail is not None:
                raise self.fail
            with self.lock:
                self.sent.append(run)

        return send


@pytest.fixture
def key(org_member: User) -> dict[str, object]:
    return {"user_id": org_member.pk, "period": "2026-W50"}


def _once(key: dict[str, object], send: Callable[[], object], moment: datetime) -> bool:
    return send_once(DigestSent, key=key, send=send, clock=at(moment))


def test_a_second_run_sends_nothing(key: dict[str, object]) -> None:
    outbox = Outbox()
    assert _once(key, outbox.sender("first"), T)
    assert not _once(key, outbox.sender("second"), T + LEASE * 10)
    assert outbox.sent == ["first"]
    row = DigestSent.objects.get()
    assert (row.claimed_at, row.sent_at) == (T, T)


def test_a_dead_worker_s_claim_goes_after_the_lease_and_not_before(
    key: dict[str, object],
) -> None:
    outbox = Outbox()
    outbox.fail = WorkerKilled()
    with pytest.raises(WorkerKilled):
        _once(key, outbox.sender("killed"), T)
    assert DigestSent.objects.get().sent_at is None  # claimed, never sent
    outbox.fail = None
    assert not _once(key, outbox.sender("within the lease"), T + LEASE)
    assert _once(key, outbox.sender("after the lease"), T + LEASE + timedelta(seconds=1))
    assert not _once(key, outbox.sender("later still"), T + LEASE * 3)
    assert outbox.sent == ["after the lease"]
    row = DigestSent.objects.get()
    assert row.sent_at == T + LEASE + timedelta(seconds=1)


def test_a_send_that_raises_drops_its_claim_for_the_next_run(key: dict[str, object]) -> None:
    outbox = Outbox()
    outbox.fail = ConnectionRefusedError()
    with pytest.raises(ConnectionRefusedError):
        _once(key, outbox.sender("refused"), T)
    assert not DigestSent.objects.exists()
    outbox.fail = None
    assert _once(key, outbox.sender("retry"), T + timedelta(seconds=1))
    assert outbox.sent == ["retry"]


def test_a_slow_worker_failing_late_keeps_the_claim_taken_over(key: dict[str, object]) -> None:
    """The first worker hangs past the lease; a later run takes its claim over and sends;
    then the first one's hand-over fails: it drops its own claim only, not the later run's."""
    outbox = Outbox()

    def hang_then_fail() -> None:
        assert _once(key, outbox.sender("later run"), T + LEASE * 2)
        raise ConnectionResetError

    with pytest.raises(ConnectionResetError):
        _once(key, hang_then_fail, T)
    assert outbox.sent == ["later run"]
    assert DigestSent.objects.get().sent_at == T + LEASE * 2


@pytest.mark.django_db(transaction=True)
def test_runs_at_once_send_a_new_row_once(key: dict[str, object]) -> None:
    outbox = Outbox()
    errors = run_together(4, lambda: _once(key, outbox.sender("run", pause=0.1), T))
    assert errors == []
    assert outbox.sent == ["run"]
    assert DigestSent.objects.get().sent_at == T


@pytest.mark.django_db(transaction=True)
def test_runs_at_once_take_a_lapsed_claim_over_once(key: dict[str, object]) -> None:
    outbox = Outbox()
    outbox.fail = WorkerKilled()
    with pytest.raises(WorkerKilled):
        _once(key, outbox.sender("killed"), T)
    outbox.fail = None
    later = T + LEASE + timedelta(seconds=1)
    errors = run_together(4, lambda: _once(key, outbox.sender("run", pause=0.1), later))
    assert errors == []
    assert outbox.sent == ["run"]
    assert DigestSent.objects.get().sent_at == later


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_migrated_back_to_the_latest")
def test_claims_left_unsent_before_the_lease_count_as_sent(org_member: User) -> None:
    """Before the lease a claim never went again: after the upgrade a digest claimed and
    never marked (its worker died, maybe after the mail went) is not sent a second time."""
    before = [("accounts", "0004_notifications_and_digest_frequency")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("accounts", "DigestSent")
    unsent = old.objects.create(user_id=org_member.pk, period="2026-W49")
    sent = old.objects.create(user_id=org_member.pk, period="2026-W50", sent_at=T)
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0005_digest_sent_once")])
    rows = {row.pk: row for row in DigestSent.objects.all()}
    assert rows[unsent.pk].sent_at == rows[unsent.pk].claimed_at
    assert rows[sent.pk].sent_at == T
    assert not send_once(
        DigestSent,
        key={"user_id": org_member.pk, "period": "2026-W49"},
        send=Outbox().sender("again"),
        clock=at(rows[unsent.pk].claimed_at + LEASE * 2),
    )
