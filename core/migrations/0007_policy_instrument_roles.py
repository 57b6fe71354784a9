"""Give the staff roles their permissions on policy instruments.

Only portal administrators add and change them; project editors see them
and link their practices, projects and events to them (like regions and
topics, shared reference data).
"""

from django.db import migrations


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Permissions are normally created after all migrations ran.
    for label in ["contenttypes", "exchange"]:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    instruments = Permission.objects.filter(
        content_type__app_label="exchange", content_type__model="policyinstrument"
    )
    for group in Group.objects.filter(name="Portal administrators"):
        group.permissions.add(*instruments)
    for group in Group.objects.filter(name="Project editors"):
        group.permissions.add(*instruments.filter(codename="view_policyinstrument"))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    instruments = Permission.objects.filter(
        content_type__app_label="exchange", content_type__model="policyinstrument"
    )
    for group in Group.objects.filter(name__in=["Portal administrators", "Project editors"]):
        group.permissions.remove(*instruments)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("exchange", "0002_portal_roles"),
        ("exchange", "0006_policy_instruments"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
