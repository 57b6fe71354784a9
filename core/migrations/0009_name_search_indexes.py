"""Indexes for the search by name (core.search.search_names), on PostgreSQL only.

Nothing happens on SQLite, where search_names reads every row (small tables).
"""

from django.db import migrations

from core.search import drop_name_indexes, install_name_indexes

# (model, SEARCH_FIELDS when written, index name prefix)
INDEXED = [
    ("Organisation", ("name", "name_en", "acronym"), "organisation"),
    ("Project", ("title", "title_en", "acronym"), "project"),
    ("Region", ("name", "name_en", "nuts_code"), "region"),
    ("PolicyInstrument", ("name", "name_en"), "instrument"),
]


def forwards(apps, schema_editor):
    for model, fields, prefix in INDEXED:
        install_name_indexes(schema_editor, apps.get_model("exchange", model), fields, prefix)


def backwards(apps, schema_editor):
    for model, fields, prefix in INDEXED:
        drop_name_indexes(schema_editor, apps.get_model("exchange", model), fields, prefix)


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0008_project_newest_index"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
