"""Staff-entered translations of a practice's texts, and their words in the search index.

Translations are searched at the weights of the fields they translate, on
both databases (``practices.search_index``); no translation exists yet, so
no vector is recomputed.
"""

import django.db.models.deletion
import parler.fields
import parler.models
from django.db import migrations, models

from core.translations import MakeTranslatable
from practices import search_index


def forwards(apps, schema_editor):
    search_index.install(apps, schema_editor, refill=False)


def backwards(apps, schema_editor):
    # Before the table goes: the index as it was without translations.
    search_index.install_on(schema_editor.connection, refill=False, translations=False)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS practices_translation_changed_trg"
            f" ON {search_index.TRANSLATION_TABLE};"
            " DROP FUNCTION IF EXISTS practices_refresh_vector_of_translated();"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0015_contact_messages"),
    ]

    operations = [
        MakeTranslatable("goodpractice"),
        migrations.CreateModel(
            name="PracticeTranslation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "language_code",
                    models.CharField(db_index=True, max_length=15, verbose_name="Language"),
                ),
                ("translated_title", models.CharField(max_length=100, verbose_name="title")),
                (
                    "translated_summary",
                    models.TextField(blank=True, max_length=2000, verbose_name="summary"),
                ),
                (
                    "translated_description",
                    models.TextField(
                        blank=True, max_length=20000, verbose_name="detailed description"
                    ),
                ),
                (
                    "translated_resources_needed",
                    models.TextField(blank=True, max_length=5000, verbose_name="resources needed"),
                ),
                (
                    "translated_evidence_of_success",
                    models.TextField(
                        blank=True, max_length=5000, verbose_name="evidence of success"
                    ),
                ),
                (
                    "translated_difficulties",
                    models.TextField(
                        blank=True,
                        max_length=5000,
                        verbose_name="difficulties encountered and lessons learned",
                    ),
                ),
                (
                    "translated_potential_for_transfer",
                    models.TextField(
                        blank=True,
                        max_length=5000,
                        verbose_name="potential for learning or transfer",
                    ),
                ),
                (
                    "master",
                    parler.fields.TranslationsForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="translations",
                        to="practices.goodpractice",
                        verbose_name="practice",
                    ),
                ),
            ],
            options={
                "verbose_name": "practice translation",
                "verbose_name_plural": "practice translations",
                "default_permissions": (),
                "constraints": [
                    models.UniqueConstraint(
                        fields=("language_code", "master"),
                        name="practice_translation_unique_language",
                        violation_error_message="This practice already has a version in this language.",
                    )
                ],
            },
            bases=(parler.models.TranslatedFieldsModelMixin, models.Model),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
