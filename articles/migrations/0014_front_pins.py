"""Front-page pins (`articles.pins.FrontPin`), the audit log's pin and unpin actions, and the
right to pin for editors."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# Granted by this migration, as 0002 grants the groups' first permissions.
CODENAMES = {"Editor": ["pin_to_front", "view_frontpin"]}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in CODENAMES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in CODENAMES.items():
        group = apps.get_model("auth", "Group").objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="articles", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_override_requests"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("rights_change", "Rights changed"),
                    ("licence_change", "Licence changed"),
                    ("publish", "Published"),
                    ("refusal", "Publication refused"),
                    ("override", "Refusal overridden"),
                    ("withdraw", "Withdrawn"),
                    ("kill", "Killed"),
                    ("ingest", "Ingested"),
                    ("working_headline", "Working headline changed"),
                    ("override_asked", "Override requested"),
                    ("override_declined", "Override request declined"),
                    ("review", "Submitted for review"),
                    ("draft", "Returned to draft"),
                    ("pin", "Pinned to the front page"),
                    ("unpin", "Unpinned from the front page"),
                ],
                db_index=True,
                max_length=20,
            ),
        ),
        migrations.CreateModel(
            name="FrontPin",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "position",
                    models.PositiveSmallIntegerField(
                        help_text="1 is the lead; 2 and 3 the stories beneath it; 4 to 8 the latest column.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(8),
                        ],
                    ),
                ),
                (
                    "until",
                    models.DateTimeField(help_text="The pin is ignored from this moment on."),
                ),
                ("pinned_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="front_pin",
                        to="articles.article",
                    ),
                ),
                (
                    "pinned_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "permissions": [("pin_to_front", "Can pin stories to the front page")],
                "default_permissions": ("view",),
                "indexes": [models.Index(fields=["until", "position"], name="front_pin_until_idx")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("position__gte", 1), ("position__lte", 8)),
                        name="front_pin_position_on_the_page",
                        violation_error_message="A pin's place is from 1 to 8.",
                    )
                ],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
