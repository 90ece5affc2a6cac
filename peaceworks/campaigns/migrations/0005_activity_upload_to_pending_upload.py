"""Pending activity uploads move to core's PendingUpload; ActivityUpload goes."""

from django.db import migrations

from peaceworks.core.upload_carry_over import carry_over


def forwards(apps, schema_editor):
    carry_over(
        apps,
        model="campaigns.ActivityUpload",
        waiting={"confirmed_at__isnull": True},
        uploader="uploaded_by",
        importer=lambda row: "campaigns.activities",
        target=lambda row: {"campaign": row.campaign_id},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0004_campaign_partnerships"),
        ("core", "0002_pending_upload"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.DeleteModel(name="ActivityUpload"),
    ]
