"""A misspelt word of a translated title finds its practice, as one of the original's does.

PostgreSQL: a trigram index on the translated titles (the original's is
``practice_title_trgm_idx``, 0003). SQLite: the trigram FTS5 table now holds
every version's title; ``install`` rewrites its triggers and refills it.
"""

from django.db import migrations

from practices import search_index


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS practice_translated_title_trgm_idx"
            f" ON {search_index.TRANSLATION_TABLE}"
            f" USING gin (translated_{search_index.TRIGRAM_FIELD} gin_trgm_ops)"
        )
    elif schema_editor.connection.vendor == "sqlite":
        search_index.install(apps, schema_editor)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS practice_translated_title_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0020_saved_search"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
