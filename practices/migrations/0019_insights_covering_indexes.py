"""The listing's covering indexes carry the completeness too (PostgreSQL only).

The insights page counts the filtered practices per region, with how many
are complete and the sum of their completeness (``portal.selectors.
insight_parts``). With ``completeness`` beside the columns the filters read,
that scan is index-only: without it PostgreSQL read the whole table (285 MB
at 54,000 practices) for five narrow columns. ``practice_listing_idx`` (0008)
and ``practice_language_idx`` (0009) are built again with it, under a new
name first so that the listing always has one. SQLite gets nothing.
Figures: bench/README.md ("Insights page").
"""

from django.db import migrations

INDEXES = {
    "practice_listing_idx": (
        "(publication_state, region_id) "
        "INCLUDE (id, published_at, status, language, start_date, end_date{})"
    ),
    "practice_language_idx": (
        "(publication_state, language, region_id) "
        "INCLUDE (id, published_at, status, start_date, end_date{})"
    ),
}


def rebuild(schema_editor, extra):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX {name}_new ON practices_goodpractice {columns.format(extra)}"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(f"ALTER INDEX {name}_new RENAME TO {name}")


def forwards(apps, schema_editor):
    rebuild(schema_editor, ", completeness")


def backwards(apps, schema_editor):
    rebuild(schema_editor, "")


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0018_practice_completeness"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
