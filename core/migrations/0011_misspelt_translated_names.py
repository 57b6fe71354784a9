"""A misspelt word of an English or translated name finds its row (core.search.similar_names).

PostgreSQL only: trigram indexes on the English names and the words of the
staff translations, beside the main name's (0009). SQLite reads every row.
"""

from django.db import migrations

from core.search import drop_trigram_indexes, install_trigram_indexes

# (model, field, index name)
INDEXED = [
    ("Organisation", "name_en", "organisation_name_en_trgm_idx"),
    ("Project", "title_en", "project_title_en_trgm_idx"),
    ("Region", "name_en", "region_name_en_trgm_idx"),
    ("PolicyInstrument", "name_en", "instrument_name_en_trgm_idx"),
    ("Project", "translation_words", "project_words_trgm_idx"),
    ("PolicyInstrument", "translation_words", "instrument_words_trgm_idx"),
]


def indexes(apps):
    return [(apps.get_model("exchange", model), field, name) for model, field, name in INDEXED]


def forwards(apps, schema_editor):
    install_trigram_indexes(schema_editor, indexes(apps))


def backwards(apps, schema_editor):
    drop_trigram_indexes(schema_editor, indexes(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0010_content_translations"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
