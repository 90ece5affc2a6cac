"""Previewed impact imports move to core's PendingUpload; ImportJob goes."""

import hashlib
from datetime import timedelta

from django.db import migrations
from django.utils import timezone


def carry_over(apps, schema_editor):
    """Each upload still waiting for its confirmation becomes a pending upload of the one
    mechanism (its preview is computed on first view; it may be confirmed for a day)."""
    old = apps.get_model("impact", "ImportJob")
    pending = apps.get_model("core", "PendingUpload")
    expires_at = timezone.now() + timedelta(hours=24)
    for row in old.objects.filter(status="previewed"):
        pending.objects.create(
            importer=f"impact.{row.kind}",
            target={"round": row.round_id} if row.round_id else {"instrument": row.instrument_id},
            uploaded_by_id=row.created_by_id,
            filename=row.filename,
            data=bytes(row.data),
            size=len(bytes(row.data)),
            sha256=hashlib.sha256(bytes(row.data)).hexdigest(),
            state="pending",
            expires_at=expires_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("impact", "0004_analytics_snapshot"),
        ("core", "0002_pending_upload"),
    ]

    operations = [
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.DeleteModel(name="ImportJob"),
    ]
