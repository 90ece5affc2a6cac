"""Pending member-list imports move to core's PendingUpload; DirectoryImport goes."""

from datetime import timedelta

from django.db import migrations
from django.utils import timezone


def carry_over(apps, schema_editor):
    """Each upload still waiting for its confirmation becomes a pending upload of the one
    mechanism (its preview is computed on first view; it may be confirmed for a day)."""
    old = apps.get_model("directory", "DirectoryImport")
    pending = apps.get_model("core", "PendingUpload")
    expires_at = timezone.now() + timedelta(hours=24)
    for row in old.objects.filter(applied_at__isnull=True):
        pending.objects.create(
            importer="directory.members",
            target={},
            uploaded_by_id=row.uploaded_by_id,
            filename=row.filename,
            data=bytes(row.data),
            size=len(bytes(row.data)),
            sha256=row.sha256,
            state="pending",
            expires_at=expires_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_partnership_campaigns"),
        ("core", "0002_pending_upload"),
    ]

    operations = [
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.DeleteModel(name="DirectoryImport"),
    ]
