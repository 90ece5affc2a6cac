"""Pending member-list imports move to core's PendingUpload; DirectoryImport goes."""

from django.db import migrations

from peaceworks.core.upload_carry_over import carry_over


def forwards(apps, schema_editor):
    carry_over(
        apps,
        model="directory.DirectoryImport",
        waiting={"applied_at__isnull": True},
        uploader="uploaded_by",
        importer=lambda row: "directory.members",
        target=lambda row: {},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_partnership_campaigns_move_to_campaigns"),
        ("core", "0002_pending_upload"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.DeleteModel(name="DirectoryImport"),
    ]
