"""Give the staff roles their permissions on the documents (project outputs).

Project editors add, change and delete their projects' documents (scoped in
core/admin_scoping.py); portal administrators hold every permission.
"""

from django.db import migrations

MODELS = ["output"]
ACTIONS = ["add", "change", "delete", "view"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Permissions are normally created after all migrations ran.
    for label in ["contenttypes", "events"]:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    events = Permission.objects.filter(content_type__app_label="events")
    for group in Group.objects.filter(name="Portal administrators"):
        group.permissions.add(*events)
    for group in Group.objects.filter(name="Project editors"):
        group.permissions.add(
            *events.filter(codename__in=[f"{a}_{m}" for a in ACTIONS for m in MODELS])
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(
        content_type__app_label="events",
        content_type__model__in=MODELS,
    )
    for group in Group.objects.filter(name__in=["Portal administrators", "Project editors"]):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("exchange", "0002_portal_roles"),
        ("events", "0005_documents"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
