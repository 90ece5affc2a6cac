"""Previewed impact imports move to core's PendingUpload; ImportJob goes."""

from django.db import migrations

from peaceworks.core.upload_carry_over import carry_over


def forwards(apps, schema_editor):
    carry_over(
        apps,
        model="impact.ImportJob",
        waiting={"status": "previewed"},
        uploader="created_by",
        importer=lambda row: f"impact.{row.kind}",
        target=lambda row: (
            {"round": row.round_id} if row.round_id else {"instrument": row.instrument_id}
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("impact", "0006_collection_token"),
        ("core", "0002_pending_upload"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.DeleteModel(name="ImportJob"),
    ]
