"""Create the two staff roles: Portal administrators and Project editors.

Project editors see and change only their projects' content (enforced in
exchange/admin_scoping.py); the permissions here say *what kind* of objects
they may touch:

- practices, events, proposals: add, change, view (no delete: archive instead);
- transfers, presentations, materials, partnerships (the rows of the practice,
  event and project pages): add, change, delete, view;
- their own projects: change and view (to curate the partnership inline);
  the project's editors list stays read-only to them;
- organisations and people: add and view, so that a new partner or presenter
  can be entered from the practice or event form, but shared records are
  corrected by a portal administrator;
- regions, topics, programmes: view only (linkable reference data).

Portal administrators get every permission of the portal's apps plus user
accounts and groups. The definitions are frozen here on purpose; a later role
change is a new migration.
"""

from django.db import migrations

PORTAL_ADMINISTRATORS = "Portal administrators"
PROJECT_EDITORS = "Project editors"

ADMIN_APPS = ["exchange", "practices", "events", "auth"]

EDITOR_PERMISSIONS = {
    "practices": {
        "goodpractice": ["add", "change", "view"],
        "transfer": ["add", "change", "delete", "view"],
        "practiceproposal": ["add", "change", "view"],
        "proposalattachment": ["view"],
    },
    "events": {
        "event": ["add", "change", "view"],
        "presentation": ["add", "change", "delete", "view"],
        "material": ["add", "change", "delete", "view"],
    },
    "exchange": {
        "project": ["change", "view"],
        "partnership": ["add", "change", "delete", "view"],
        "organisation": ["add", "view"],
        "person": ["add", "view"],
        "region": ["view"],
        "topic": ["view"],
        "programme": ["view"],
    },
}


def ensure_permissions(apps):
    # Permissions are normally created after all migrations ran; a data
    # migration on a fresh database has to create them itself.
    from django.contrib.auth.management import create_permissions

    for label in ["contenttypes", *ADMIN_APPS]:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ensure_permissions(apps)

    admins, _ = Group.objects.get_or_create(name=PORTAL_ADMINISTRATORS)
    admins.permissions.set(Permission.objects.filter(content_type__app_label__in=ADMIN_APPS))

    editors, _ = Group.objects.get_or_create(name=PROJECT_EDITORS)
    wanted = []
    for app_label, models in EDITOR_PERMISSIONS.items():
        for model, actions in models.items():
            for action in actions:
                wanted.append((app_label, f"{action}_{model}"))
    perms = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in wanted
    ]
    editors.permissions.set(perms)


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[PORTAL_ADMINISTRATORS, PROJECT_EDITORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("exchange", "0001_initial"),
        ("practices", "0001_initial"),
        ("events", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
