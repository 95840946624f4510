"""The rights generation's one row (`articles.generation`), made with the table."""

import time

from django.db import migrations, models


def first_row(apps, schema_editor):
    # Counted from the clock, as `articles.generation.fresh_start()` says why.
    apps.get_model("articles", "RightsGeneration").objects.using(
        schema_editor.connection.alias
    ).get_or_create(pk=1, defaults={"value": time.time_ns() // 1000})


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_front_pins"),
    ]

    operations = [
        migrations.CreateModel(
            name="RightsGeneration",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(
                        default=1, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("value", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "rights generation",
            },
        ),
        migrations.RunPython(first_row, migrations.RunPython.noop),
    ]
