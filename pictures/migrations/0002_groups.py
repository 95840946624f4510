"""Who may see and change pictures: every editorial group sees them, reporters add them by
ingest, editors change and publish them, rights managers also keep their rights."""

from django.db import migrations

PICTURE_PERMISSIONS = {
    "Reporter": ["view_picture", "add_picture"],
    "Editor": ["view_picture", "add_picture", "change_picture"],
    "Rights manager": ["view_picture", "add_picture", "change_picture", "change_picture_rights"],
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("pictures")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in PICTURE_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="pictures", codename__in=codenames
                )
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=PICTURE_PERMISSIONS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="pictures"))


class Migration(migrations.Migration):
    dependencies = [
        ("pictures", "0001_initial"),
        ("articles", "0002_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
