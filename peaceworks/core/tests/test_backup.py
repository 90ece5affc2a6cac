"""A restored copy holds exactly the rows that were backed up (counts and checksums)."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from peaceworks.accounts.models import Membership, User
from peaceworks.core.audit import audit_record
from peaceworks.core.backup import table_fingerprints
from peaceworks.directory.models import Organisation


@pytest.fixture
def filled(transactional_db, make_user, organisation, other_organisation):
    make_user("org_coordinator", organisation)
    make_user("org_member", other_organisation)
    audit_record(actor=None, action="test.seed", changes={"text": "é ✓ accents and symbols"})


def _backup_restore_round_trip(tmp_path):
    before = table_fingerprints()
    path = tmp_path / "peaceworks.backup"
    call_command("backup", str(path))
    assert path.stat().st_size > 0
    # Change things after the backup: delete, add, update.
    Membership.objects.all().delete()
    Organisation.objects.create(name="Added later", code="later", country="DE")
    User.objects.update(full_name="Changed")
    assert table_fingerprints() != before
    call_command("restore", str(path), "--noinput")
    after = table_fingerprints()
    assert after == before
    assert after["accounts_user"][0] == 2


def test_sqlite_backup_and_restore_keep_counts_and_checksums(filled, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite variant; the PostgreSQL one runs when DATABASE_URL is postgres")
    _backup_restore_round_trip(tmp_path)


def test_postgresql_backup_and_restore_keep_counts_and_checksums(filled, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("runs when DATABASE_URL is postgres://")
    _backup_restore_round_trip(tmp_path)


def test_restore_refuses_a_file_that_is_not_a_backup(transactional_db, tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello")
    with pytest.raises(CommandError, match="is not a"):
        call_command("restore", str(bogus), "--noinput")
    with pytest.raises(CommandError, match="is not a file"):
        call_command("restore", str(tmp_path / "missing"), "--noinput")
