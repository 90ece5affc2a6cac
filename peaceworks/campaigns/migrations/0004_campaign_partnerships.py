"""The partnership ↔ campaign link declared on the campaigns side, on the table the directory
created for it (``directory_partnership_campaigns``): every stored link is kept as it is.

The table has the columns an auto-created ``Campaign.partnerships`` table has
(``campaign_id``, ``partnership_id``), so only the migration state changes.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0003_activity_co_organiser_request"),
        ("directory", "0004_partnership_campaigns_move_to_campaigns"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="campaign",
                    name="partnerships",
                    field=models.ManyToManyField(
                        blank=True,
                        db_table="directory_partnership_campaigns",
                        help_text="The partnerships that serve this campaign or project.",
                        related_name="campaigns",
                        to="directory.partnership",
                        verbose_name="partnerships",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
