"""Build the search index from ``practices.search_index.INDEXED_FIELDS`` on both databases.

PostgreSQL: the trigger function of 0006, now generated from the list; the
vectors it makes are the same, so none is recomputed. SQLite: FTS5 tables
and the triggers that keep them current, filled from the existing rows.
"""

from django.db import migrations

from practices import search_index


def forwards(apps, schema_editor):
    search_index.install(apps, schema_editor, refill=False)


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0012_practice_policy_instruments"),
    ]

    operations = [
        migrations.RunPython(forwards, search_index.uninstall, elidable=False),
    ]
