"""Feeds a source serves over HTTP, the record of each poll, and who may keep them."""

import datetime

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

import articles.intake

# Rights managers keep the sources, so they keep the sources' feeds; editors may see them.
FEED_PERMISSIONS = {
    "Rights manager": ["add_feed", "change_feed", "delete_feed", "view_feed", "view_feedpoll"],
    "Editor": ["view_feed", "view_feedpoll"],
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in FEED_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="articles", codename__in=codenames
                )
            )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="articles", codename__in=FEED_PERMISSIONS["Rights manager"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_section_order"),
    ]

    operations = [
        migrations.CreateModel(
            name="Feed",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "url",
                    models.URLField(
                        help_text="An http or https address serving ninjs, RSS or Atom with the full text.",
                        max_length=1000,
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                        verbose_name="URL",
                    ),
                ),
                (
                    "format",
                    models.CharField(
                        default="auto",
                        help_text="What the feed serves: “auto” tells it from the content.",
                        max_length=20,
                    ),
                ),
                (
                    "time_zone",
                    models.CharField(
                        blank=True,
                        help_text="The zone of times the feed gives without one (blank: the source's).",
                        max_length=64,
                        validators=[articles.intake.known_zone],
                    ),
                ),
                ("active", models.BooleanField(default=True)),
                (
                    "interval",
                    models.PositiveIntegerField(
                        default=300,
                        validators=[django.core.validators.MinValueValidator(10)],
                        verbose_name="poll every (seconds)",
                    ),
                ),
                (
                    "etag",
                    models.CharField(
                        blank=True, editable=False, max_length=500, verbose_name="ETag"
                    ),
                ),
                ("last_modified", models.CharField(blank=True, editable=False, max_length=100)),
                ("last_polled_at", models.DateTimeField(blank=True, editable=False, null=True)),
                (
                    "next_poll_at",
                    models.DateTimeField(
                        blank=True, db_index=True, help_text="Blank: at the next run.", null=True
                    ),
                ),
                (
                    "failures",
                    models.PositiveIntegerField(
                        default=0, editable=False, verbose_name="consecutive failures"
                    ),
                ),
                (
                    "source",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="feeds",
                        to="articles.source",
                    ),
                ),
            ],
            options={
                "ordering": ["source", "pk"],
            },
        ),
        migrations.CreateModel(
            name="FeedPoll",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ("http_status", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("not_modified", models.BooleanField(default=False)),
                ("succeeded", models.BooleanField(default=False)),
                ("created", models.PositiveIntegerField(default=0)),
                ("updated", models.PositiveIntegerField(default=0)),
                ("unchanged", models.PositiveIntegerField(default=0)),
                ("errors", models.PositiveIntegerField(default=0)),
                ("error", models.TextField(blank=True)),
                ("duration", models.DurationField(default=datetime.timedelta)),
                ("next_poll_at", models.DateTimeField(blank=True, null=True)),
                (
                    "feed",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="polls",
                        to="articles.feed",
                    ),
                ),
            ],
            options={
                "ordering": ["-at", "-pk"],
                "get_latest_by": "at",
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
