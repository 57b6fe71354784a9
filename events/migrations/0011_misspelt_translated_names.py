"""A misspelt word of an English or translated title finds its row (core.search.similar_names).

PostgreSQL only: trigram indexes on events' English titles and the words of
the staff translations, beside the main title's (0009).
"""

from django.db import migrations

from core.search import drop_trigram_indexes, install_trigram_indexes

# (model, field, index name)
INDEXED = [
    ("Event", "title_en", "event_title_en_trgm_idx"),
    ("Event", "translation_words", "event_words_trgm_idx"),
    ("Output", "translation_words", "output_words_trgm_idx"),
]


def indexes(apps):
    return [(apps.get_model("events", model), field, name) for model, field, name in INDEXED]


def forwards(apps, schema_editor):
    install_trigram_indexes(schema_editor, indexes(apps))


def backwards(apps, schema_editor):
    drop_trigram_indexes(schema_editor, indexes(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0010_content_translations"),
        ("exchange", "0011_misspelt_translated_names"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
