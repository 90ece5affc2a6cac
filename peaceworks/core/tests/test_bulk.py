"""``insert_rows``: the ids it gives back are those of the rows it inserted, in order."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from peaceworks.core import bulk
from peaceworks.core.bulk import insert_rows, rows_where_in
from peaceworks.core.models import AuditEvent

FIELDS = ["action", "target_type", "target_id", "target_label", "changes", "actor_label"]


def _rows(labels: list[str]) -> list[tuple[str, ...]]:
    return [("bulk.test", "core.test", label, label, "{}", "") for label in labels]


@pytest.mark.django_db
def test_the_ids_given_back_are_the_inserted_rows_in_order() -> None:
    AuditEvent.objects.create(action="bulk.before", target_type="core.test", target_id="0")
    labels = [f"row-{n}" for n in range(5)]
    with transaction.atomic():
        ids = insert_rows(AuditEvent, FIELDS, _rows(labels))
    if connection.vendor != "sqlite":
        assert ids is None  # read back by a key instead
        return
    assert ids is not None
    stored = dict(rows_where_in(AuditEvent, ["id", "target_id"], "id", ids))
    assert [stored[pk] for pk in ids] == labels
    assert ids == sorted(ids)
    assert len(set(ids)) == len(labels)


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_no_ids_are_given() -> None:
    # each row would commit on its own: another writer could take ids between them
    assert insert_rows(AuditEvent, FIELDS, _rows(["a", "b"])) is None
    assert AuditEvent.objects.filter(action="bulk.test").count() == 2


@pytest.mark.django_db
def test_rows_inserted_many_per_statement_keep_their_order_and_ids(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # wide rows go in as multi-row statements on SQLite: full ones and a shorter last one
    monkeypatch.setattr(bulk, "MULTI_ROW_COLUMNS", 2)  # whatever the width
    labels = [f"row-{n}" for n in range(2 * bulk.ROWS_PER_STATEMENT + 37)]
    with transaction.atomic():
        ids = insert_rows(AuditEvent, FIELDS, _rows(labels))
    stored = list(
        AuditEvent.objects.filter(action="bulk.test").order_by("pk").values_list("pk", "target_id")
    )
    assert [target for _pk, target in stored] == labels
    if connection.vendor == "sqlite":
        assert ids == [pk for pk, _target in stored]
    else:
        assert ids is None


@pytest.mark.django_db
def test_the_page_cache_is_set_back_after_the_block_even_when_it_fails() -> None:
    def size() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return int(cursor.fetchone()[0])

    if connection.vendor != "sqlite":
        with bulk.page_cache_widened():  # nothing to do elsewhere
            pass
        return
    seen: list[int] = []

    def failing_import() -> None:
        with bulk.page_cache_widened():
            seen.append(size())
            raise ValueError("the import failed")

    before = size()
    with pytest.raises(ValueError, match="the import failed"):
        failing_import()
    assert seen == [-bulk.IMPORT_PAGE_CACHE_KIB]
    assert size() == before
