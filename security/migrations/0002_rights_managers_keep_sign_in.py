"""Let rights managers lift lockouts, read the sign-ins and reset second factors."""

from django.db import migrations

CODENAMES = [
    "view_failedsignin",
    "delete_failedsignin",
    "view_signin",
    "view_secondfactor",
    "delete_secondfactor",
]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; make this app's now so groups can use them.
    app_config = apps.get_app_config("security")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="security", codename__in=CODENAMES)
    missing = set(CODENAMES) - set(perms.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"Permissions missing for rights managers: {sorted(missing)}")
    Group.objects.get(name="Rights manager").permissions.add(*perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="security", codename__in=CODENAMES)
    Group.objects.get(name="Rights manager").permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0001_sign_in_records"),
        ("articles", "0002_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
