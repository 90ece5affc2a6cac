"""The typed answers a full refresh reads (``Response.scores``, ``Response.profile``), filled
for the responses stored before: derived from their JSON as every write now derives them
(``peaceworks.impact.typed_answers``). A row left empty is still read from its JSON."""

from typing import Any

from django.db import migrations

import peaceworks.impact.models

BATCH = 2000


def fill(apps: Any, schema_editor: Any) -> None:
    from peaceworks.impact.typed_answers import typed_columns

    response = apps.get_model("impact", "Response")
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    table = quote(response._meta.db_table)
    update = (
        f"UPDATE {table} SET {quote('scores')} = %s, {quote('profile')} = %s "  # noqa: S608
        f"WHERE {quote('id')} = %s"
    )
    last = 0
    while True:
        rows = list(
            response.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "answers", "then_answers")[:BATCH]
        )
        if not rows:
            return
        with connection.cursor() as cursor:
            cursor.executemany(
                update,
                [(*typed_columns(answers, then), pk) for pk, answers, then in rows],
            )
        last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("impact", "0013_snapshot_prepared"),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="profile",
            field=peaceworks.impact.models.ProfileField(
                editable=False, null=True, verbose_name="demographic answers"
            ),
        ),
        migrations.AddField(
            model_name="response",
            name="scores",
            field=peaceworks.impact.models.ScoresField(null=True, verbose_name="scores"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
