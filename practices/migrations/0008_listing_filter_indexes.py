"""Indexes that answer every filter of the practice listing without reading the table.

On PostgreSQL only (SQLite gets nothing):

- ``practice_listing_idx`` replaces ``practice_facets_idx`` (0007) with the
  same keys, publication state and region, and more columns carried along:
  the publication date (the listing's order) and the start and end dates (the
  year filter) besides id, status and language. A country, region, language,
  status or year filter, the count and the page's ids are then index-only.
- ``(topic_id, goodpractice_id)`` and ``(project_id, goodpractice_id)`` on the
  link tables: the practices of a topic or project are one index range read
  without the table (the existing single-column indexes need the table).

Figures: bench/README.md ("Index figures").
"""

from django.db import migrations

FORWARD_SQL = [
    "CREATE INDEX IF NOT EXISTS practice_listing_idx ON practices_goodpractice "
    "(publication_state, region_id) "
    "INCLUDE (id, published_at, status, language, start_date, end_date)",
    "DROP INDEX IF EXISTS practice_facets_idx",
    "CREATE INDEX IF NOT EXISTS practice_topics_topic_practice_idx "
    "ON practices_goodpractice_topics (topic_id, goodpractice_id)",
    "CREATE INDEX IF NOT EXISTS practice_projects_project_practice_idx "
    "ON practices_goodpractice_projects (project_id, goodpractice_id)",
]

BACKWARD_SQL = [
    "DROP INDEX IF EXISTS practice_projects_project_practice_idx",
    "DROP INDEX IF EXISTS practice_topics_topic_practice_idx",
    "CREATE INDEX IF NOT EXISTS practice_facets_idx ON practices_goodpractice "
    "(publication_state, region_id) INCLUDE (id, status, language)",
    "DROP INDEX IF EXISTS practice_listing_idx",
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
        ("practices", "0007_facet_covering_index"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
