"""Portal administrators hold every permission of the portal, saved searches' too.

0020 granted them only view and delete. The admin itself still refuses to add
or change a saved search (the subscriber changes it through the signed link),
so holding the two other permissions opens nothing; it keeps the one rule that
the portal administrators' group holds every permission.
"""

from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(
        content_type__app_label="practices",
        codename__in=["add_savedsearch", "change_savedsearch"],
    )
    for group in Group.objects.filter(name="Portal administrators"):
        group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(
        content_type__app_label="practices",
        codename__in=["add_savedsearch", "change_savedsearch"],
    )
    for group in Group.objects.filter(name="Portal administrators"):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0021_misspelt_translated_titles"),
    ]

    operations = [
        migrations.RunPython(grant, revoke),
    ]
