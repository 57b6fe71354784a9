"""Two more covering indexes for the practice listing (PostgreSQL only).

- ``practice_language_idx`` (publication_state, language, region_id):
  ``practice_listing_idx`` (0008) starts with the region, so a language filter
  without a country or region read all of it. The country menu of any
  filtered listing with a language is counted that way (the menu leaves
  the country out).
- ``practice_newest_idx`` (publication_state, published_at DESC, id DESC),
  the listing's order with the id that breaks ties, carrying region,
  language, status and dates: the ids of a page of the newest practices
  (unfiltered, or with a filter most practices pass) are read from it alone,
  in order, without a sort.

SQLite gets nothing. Figures: bench/README.md ("Index figures").
"""

from django.db import migrations

FORWARD_SQL = [
    "CREATE INDEX IF NOT EXISTS practice_language_idx ON practices_goodpractice "
    "(publication_state, language, region_id) "
    "INCLUDE (id, published_at, status, start_date, end_date)",
    "CREATE INDEX IF NOT EXISTS practice_newest_idx ON practices_goodpractice "
    "(publication_state, published_at DESC, id DESC) "
    "INCLUDE (region_id, language, status, start_date, end_date)",
]
BACKWARD_SQL = [
    "DROP INDEX IF EXISTS practice_newest_idx",
    "DROP INDEX IF EXISTS practice_language_idx",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD_SQL:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD_SQL:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0008_listing_filter_indexes"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
