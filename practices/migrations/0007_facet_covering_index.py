"""A covering index for the listing's facet counts and map on PostgreSQL.

The facet query reads id, region, status and language of every published
practice; with them in one index it is an index-only scan instead of a scan
of the whole table (which holds the long texts). SQLite gets nothing.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS practice_facets_idx ON practices_goodpractice "
            "(publication_state, region_id) INCLUDE (id, status, language)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS practice_facets_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0006_search_english_only_for_english"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
