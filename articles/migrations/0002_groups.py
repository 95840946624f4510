"""Create the three editorial groups with their model permissions."""

from django.db import migrations

GROUPS = {
    "Reporter": [
        "add_article",
        "change_article",
        "view_article",
        "add_byline",
        "change_byline",
        "delete_byline",
        "view_byline",
        "add_person",
        "change_person",
        "view_person",
        "view_source",
        "view_section",
    ],
    "Editor": [
        "add_article",
        "change_article",
        "view_article",
        "publish_article",
        "add_byline",
        "change_byline",
        "delete_byline",
        "view_byline",
        "add_person",
        "change_person",
        "view_person",
        "view_source",
        "view_licence",
        "add_section",
        "change_section",
        "view_section",
        "view_auditentry",
    ],
    "Rights manager": [
        "change_article",
        "view_article",
        "change_article_rights",
        "override_refusal",
        "kill_article",
        "view_byline",
        "view_person",
        "add_source",
        "change_source",
        "view_source",
        "add_licence",
        "change_licence",
        "delete_licence",
        "view_licence",
        "view_section",
        "view_auditentry",
    ],
}


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; make this app's now so groups can use them.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = Permission.objects.filter(
            content_type__app_label="articles", codename__in=codenames
        )
        missing = set(codenames) - set(perms.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing for group {name}: {sorted(missing)}")
        group.permissions.set(perms)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
