"""The one upload mechanism: size limit, empty files, one confirmation, expiry, all or nothing.

A small importer defined here writes audit events (one per row), so what a confirmation wrote
can be counted; each app's tests check its own importer on its own pages.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from peaceworks.accounts.models import User
from peaceworks.core import uploads
from peaceworks.core.audit import audit_record
from peaceworks.core.errors import Conflict, DomainError, Gone, NotFound, TooLarge
from peaceworks.core.models import AuditEvent, PendingUpload
from peaceworks.core.tabular import RowError, read_table
from peaceworks.core.uploads import (
    ImportRefused,
    Preview,
    upload_confirm,
    upload_get_for_user,
    upload_preview,
    upload_store,
)

pytestmark = pytest.mark.django_db
KIND = "tests.lines"


class LinesImporter:
    """Each row's ``value`` becomes an audit event; a row whose value is ``bad`` is refused."""

    kind = KIND
    checks = 0

    def __init__(self, *, delay: float = 0.0) -> None:
        self.delay = delay  # seconds ``apply`` holds the claim before writing

    def authorize(self, *, actor: Any, upload: PendingUpload, write: bool) -> None:
        if upload.uploaded_by_id != getattr(actor, "pk", None):
            raise NotFound

    def _rows(self, upload: PendingUpload) -> tuple[list[str], list[RowError]]:
        type(self).checks += 1
        table = read_table(filename=upload.filename, data=bytes(upload.data))
        values = [row.get("value", "") for row in table.rows]
        errors = [
            RowError(number, "value", "This value is bad.")
            for number, value in zip(table.row_numbers, values, strict=True)
            if value == "bad"
        ]
        return values, errors

    def check(self, *, actor: Any, upload: PendingUpload) -> Preview:
        values, errors = self._rows(upload)
        return Preview(rows=len(values), errors=errors, counts={"created": len(values)})

    def apply(self, *, actor: Any, upload: PendingUpload) -> Mapping[str, int]:
        time.sleep(self.delay)
        values, errors = self._rows(upload)
        for value in values:
            audit_record(actor=actor, action="tests.line", changes={"value": value})
        if errors:  # after writing: the refusal must roll the writes back
            raise ImportRefused(errors)
        return {"created": len(values)}

    def done_url(self, upload: PendingUpload) -> str:
        return "/"

    def upload_url(self, upload: PendingUpload) -> str:
        return "/"


@pytest.fixture(autouse=True)
def lines_importer() -> Iterator[None]:
    uploads.register(LinesImporter())
    yield
    uploads._IMPORTERS.pop(KIND, None)


def _store(actor: User, text: str) -> PendingUpload:
    return upload_store(actor=actor, importer=KIND, data=text.encode(), filename="lines.csv")


def _written() -> int:
    return AuditEvent.objects.filter(action="tests.line").count()


def test_store_keeps_the_bytes_their_hash_and_the_preview(network_coordinator: User) -> None:
    upload = _store(network_coordinator, "value\na\nb\n")
    assert bytes(upload.data) == b"value\na\nb\n"
    assert len(upload.sha256) == 64
    assert upload.state == PendingUpload.State.PENDING
    assert upload.expires_at > timezone.now()
    assert upload.preview["counts"] == {"created": 2}


def test_preview_is_read_from_the_stored_check_not_parsed_again(network_coordinator: User) -> None:
    upload = _store(network_coordinator, "value\na\n")
    before = LinesImporter.checks
    for _ in range(3):
        fetched = upload_get_for_user(user=network_coordinator, pk=upload.pk)
        assert upload_preview(actor=network_coordinator, upload=fetched).rows == 1
    assert LinesImporter.checks == before


def test_upload_over_max_upload_mb_is_413_naming_the_limit(
    network_coordinator: User, settings: Any
) -> None:
    settings.MAX_UPLOAD_MB = 1
    with pytest.raises(TooLarge) as refused:
        _store(network_coordinator, "value\n" + "a\n" * (512 * 1024))
    assert refused.value.status_code == 413
    assert "1 MB" in refused.value.message
    assert not PendingUpload.objects.exists()


@pytest.mark.parametrize("kind", sorted(set(uploads._IMPORTERS) - {KIND}))
def test_every_registered_importer_refuses_a_file_over_the_limit(
    kind: str, network_coordinator: User, settings: Any
) -> None:
    settings.MAX_UPLOAD_MB = 1
    with pytest.raises(TooLarge, match="1 MB"):
        upload_store(
            actor=network_coordinator, importer=kind, data=b"x" * (2**20 + 1), filename="a.csv"
        )
    assert not PendingUpload.objects.exists()


def test_header_only_file_is_refused_and_not_stored(network_coordinator: User) -> None:
    with pytest.raises(DomainError) as refused:
        _store(network_coordinator, "value\n")
    assert refused.value.status_code == 400
    assert "no rows of data" in refused.value.message
    assert not PendingUpload.objects.exists()


def test_confirming_twice_imports_once_and_the_second_is_a_conflict(
    network_coordinator: User,
) -> None:
    upload = _store(network_coordinator, "value\na\nb\n")
    assert upload_confirm(actor=network_coordinator, upload=upload) == {"created": 2}
    with pytest.raises(Conflict) as second:
        upload_confirm(actor=network_coordinator, upload=upload)
    assert second.value.status_code == 409
    assert _written() == 2
    upload.refresh_from_db()
    assert upload.state == PendingUpload.State.CONFIRMED
    assert upload.outcome == {"created": 2}


def test_an_upload_claimed_by_another_confirmation_is_a_conflict(
    network_coordinator: User,
) -> None:
    upload = _store(network_coordinator, "value\na\n")
    # another request holds the claim (its transaction is running)
    PendingUpload.objects.filter(pk=upload.pk).update(state=PendingUpload.State.CONFIRMING)
    with pytest.raises(Conflict):
        upload_confirm(actor=network_coordinator, upload=upload)
    assert _written() == 0


def test_an_expired_upload_cannot_be_confirmed(network_coordinator: User) -> None:
    upload = _store(network_coordinator, "value\na\n")
    PendingUpload.objects.filter(pk=upload.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(Gone) as refused:
        upload_confirm(actor=network_coordinator, upload=upload)
    assert refused.value.status_code == 410
    assert _written() == 0


def test_a_refused_confirmation_writes_nothing_and_reports_no_created_count(
    network_coordinator: User,
) -> None:
    upload = _store(network_coordinator, "value\na\nbad\nc\n")
    with pytest.raises(ImportRefused) as refused:
        upload_confirm(actor=network_coordinator, upload=upload)
    assert [(error.row, error.column) for error in refused.value.errors] == [(3, "value")]
    assert _written() == 0  # the two good rows written before the refusal were rolled back
    upload.refresh_from_db()
    assert upload.state == PendingUpload.State.FAILED
    assert upload.outcome == {
        "errors": [{"row": 3, "column": "value", "message": "This value is bad."}]
    }
    with pytest.raises(Conflict):  # a refused upload is not tried again
        upload_confirm(actor=network_coordinator, upload=upload)


def test_changed_bytes_are_refused(network_coordinator: User) -> None:
    upload = _store(network_coordinator, "value\na\n")
    PendingUpload.objects.filter(pk=upload.pk).update(data=b"value\nz\nz\n")
    with pytest.raises(Conflict):
        upload_confirm(actor=network_coordinator, upload=upload)
    assert _written() == 0


def test_someone_elses_upload_is_not_found(
    network_coordinator: User, org_coordinator: User
) -> None:
    upload = _store(network_coordinator, "value\na\n")
    with pytest.raises(NotFound):
        upload_get_for_user(user=org_coordinator, pk=upload.pk)
    with pytest.raises(NotFound):
        upload_get_for_user(user=network_coordinator, pk=upload.pk, kinds=("other.kind",))


def test_retention_expires_lapsed_uploads_and_deletes_finished_ones(
    network_coordinator: User,
) -> None:
    lapsed = _store(network_coordinator, "value\na\n")
    fresh = _store(network_coordinator, "value\nb\n")
    done = _store(network_coordinator, "value\nc\n")
    upload_confirm(actor=network_coordinator, upload=done)
    long_ago = timezone.now() - timedelta(days=400)
    PendingUpload.objects.filter(pk__in=[lapsed.pk, done.pk]).update(expires_at=long_ago)
    out = StringIO()
    call_command("retention", stdout=out)
    assert "core.uploads: purged 2" in out.getvalue()
    lapsed.refresh_from_db()
    assert lapsed.state == PendingUpload.State.EXPIRED
    assert bytes(lapsed.data) == b""
    assert not PendingUpload.objects.filter(pk=done.pk).exists()
    fresh.refresh_from_db()
    assert fresh.state == PendingUpload.State.PENDING
    with pytest.raises(Gone):
        upload_confirm(actor=network_coordinator, upload=lapsed)


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_import_once_on_postgresql(network_coordinator: User) -> None:
    """Two requests confirm the same upload at the same moment: the second waits on the row
    the first claimed, then finds it no longer pending (409); the rows are written once."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")
    upload = _store(network_coordinator, "value\na\nb\n")
    uploads.register(LinesImporter(delay=0.5))  # holds the claim while the other arrives
    started = threading.Barrier(2)
    answers: list[str] = []

    def confirm() -> None:
        started.wait()
        try:
            upload_confirm(
                actor=network_coordinator, upload=PendingUpload.objects.get(pk=upload.pk)
            )
            answers.append("confirmed")
        except Conflict:
            answers.append("409")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == ["409", "confirmed"]
    assert _written() == 2
