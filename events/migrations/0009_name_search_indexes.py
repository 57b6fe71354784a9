"""Indexes for the search by name (core.search.search_names), on PostgreSQL only."""

from django.db import migrations

from core.search import drop_name_indexes, install_name_indexes

# (model, SEARCH_FIELDS when written, index name prefix)
INDEXED = [
    ("Event", ("title", "title_en", "city"), "event"),
    ("Output", ("title", "summary"), "output"),
]


def forwards(apps, schema_editor):
    for model, fields, prefix in INDEXED:
        install_name_indexes(schema_editor, apps.get_model("events", model), fields, prefix)


def backwards(apps, schema_editor):
    for model, fields, prefix in INDEXED:
        drop_name_indexes(schema_editor, apps.get_model("events", model), fields, prefix)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0008_event_listing_index"),
        ("exchange", "0009_name_search_indexes"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
