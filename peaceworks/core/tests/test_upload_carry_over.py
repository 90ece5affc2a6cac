"""The data migration keeps pending uploads: an unconfirmed member list uploaded before the
upgrade is a pending upload of the one mechanism afterwards, and can be confirmed."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from peaceworks.accounts.models import Role, User

BEFORE = [
    ("directory", "0004_partnership_campaigns_move_to_campaigns"),
    ("core", "0002_pending_upload"),
]
AFTER = [("directory", "0005_member_import_to_pending_upload")]


#: the upgrade as far as the current models this test uses read (users, memberships,
#: organisations, uploads, the audit log): the latest migrations of their apps
UPGRADED_APPS = ("accounts", "core", "directory")


@pytest.mark.usefixtures("empty_database")
def test_pending_member_list_is_carried_over_and_an_applied_one_is_not() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    # a network coordinator from before the upgrade, who uploaded the lists
    coordinator = old.get_model("accounts", "User").objects.create(
        email="network_coordinator.secretariat@example.org", password=""
    )
    secretariat = old.get_model("directory", "Organisation").objects.create(
        name="Secretariat", code="secretariat", country="FR", is_secretariat=True
    )
    old.get_model("accounts", "Membership").objects.create(
        user=coordinator, organisation=secretariat, role=Role.NETWORK_COORDINATOR
    )
    imports = old.get_model("directory", "DirectoryImport")
    data = b"code,name,country\ncarried,Carried Over,FR\n"
    imports.objects.create(
        filename="members.csv",
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        uploaded_by_id=coordinator.pk,
    )
    imports.objects.create(
        filename="done.csv",
        sha256="0" * 64,
        data=b"x",
        uploaded_by_id=coordinator.pk,
        applied_at="2026-01-01T00:00:00Z",
    )
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    # the rest of the upgrade (later migrations of the tables the current models read)
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([node for node in leaves if node[0] in UPGRADED_APPS])
    network_coordinator = User.objects.get(pk=coordinator.pk)

    from peaceworks.core.models import PendingUpload
    from peaceworks.core.uploads import upload_confirm, upload_get_for_user, upload_preview
    from peaceworks.directory.models import Organisation

    carried = PendingUpload.objects.get()
    assert (carried.importer, carried.filename, bytes(carried.data)) == (
        "directory.members",
        "members.csv",
        data,
    )
    upload = upload_get_for_user(user=network_coordinator, pk=carried.pk)
    assert upload_preview(actor=network_coordinator, upload=upload).counts == {
        "created": 1,
        "updated": 0,
    }
    upload_confirm(actor=network_coordinator, upload=upload)
    assert Organisation.objects.filter(code="carried").exists()
