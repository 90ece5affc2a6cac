"""The partnership ↔ campaign link moves to campaigns (``Campaign.partnerships``).

State only: the table ``directory_partnership_campaigns`` and its rows stay where they are;
``campaigns.0003`` declares the same table from the campaigns side.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_partnership_campaigns"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveField(model_name="partnership", name="campaigns")],
            database_operations=[],
        ),
    ]
