"""Import/export of good practices: the template fields, relations by natural key.

The private contact person is left out: exports never carry e-mail addresses.
Staff translations travel as extra columns ``<field>_<language>`` (``title_pl``)
after the original fields.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from import_export import fields

from core.resources import (
    NaturalKeyResource,
    RegionWidget,
    organisation_widget,
    projects_widget,
    topics_widget,
)
from practices.models import GoodPractice, PracticeTranslation

TRANSLATION_LANGUAGES = [code for code, _name in settings.LANGUAGES]


class TranslationField(fields.Field):
    """One text of one translation, as a column ``<field>_<language>``.

    On import the cell is kept on the practice (``imported_<column>``) and
    written by ``GoodPracticeResource.after_save_instance``; the kept value
    also makes a row whose translations alone changed count as changed.
    """

    def __init__(self, language, name):
        column = f"{name}_{language}"
        super().__init__(attribute=f"imported_{column}", column_name=column)
        self.language, self.name = language, name

    def get_value(self, instance):
        if hasattr(instance, self.attribute):
            return getattr(instance, self.attribute)
        if instance.pk is None:
            return ""
        # Prefetched for exports (GoodPracticeResource.filter_export).
        for found in instance.translations.all():
            if found.language_code == self.language:
                return getattr(found, f"translated_{self.name}")
        return ""


class GoodPracticeResource(NaturalKeyResource):
    projects = fields.Field(attribute="projects", column_name="projects", widget=projects_widget())
    region = fields.Field(attribute="region", column_name="region", widget=RegionWidget())
    organisation = fields.Field(
        attribute="organisation", column_name="organisation", widget=organisation_widget()
    )
    topics = fields.Field(attribute="topics", column_name="topics", widget=topics_widget())

    class Meta:
        model = GoodPractice
        fields = (
            "slug",
            "title",
            "projects",
            "region",
            "city",
            "summary",
            "organisation",
            *GoodPractice.DESCRIPTION_FIELDS,
            "start_date",
            "end_date",
            "status",
            "topics",
            "keywords",
            "further_information",
            "language",
            "publication_state",
            "expert_opinion",
        )
        export_order = fields

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for language in TRANSLATION_LANGUAGES:
            for name in PracticeTranslation.FIELDS:
                field = TranslationField(language, name)
                self.fields[field.column_name] = field

    def get_export_order(self):
        return (*super().get_export_order(), *self.translation_columns())

    def get_import_order(self):
        return (*super().get_import_order(), *self.translation_columns())

    @staticmethod
    def translation_columns():
        return [
            f"{name}_{language}"
            for language in TRANSLATION_LANGUAGES
            for name in PracticeTranslation.FIELDS
        ]

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset, **kwargs).prefetch_related("translations")

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors.update(error.error_dict)
        for language in TRANSLATION_LANGUAGES:
            texts = self.imported_texts(instance, language)
            if texts and any(texts.values()) and not texts.get("title"):
                errors[f"imported_title_{language}"] = [
                    ValidationError(
                        gettext("A translation needs a title (column %(column)s).")
                        % {"column": f"title_{language}"},
                        code="required",
                    )
                ]
            elif language == instance.language and texts and any(texts.values()):
                errors[f"imported_title_{language}"] = [
                    ValidationError(
                        gettext(
                            "Column %(column)s is in the practice's original language: "
                            "put that text in the original columns."
                        )
                        % {"column": f"title_{language}"},
                        code="original_language",
                    )
                ]
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def imported_texts(instance, language):
        """Return ``{field: text}`` of the ``language`` columns the row had ({} for none)."""
        texts = {}
        for name in PracticeTranslation.FIELDS:
            attribute = f"imported_{name}_{language}"
            if hasattr(instance, attribute):
                texts[name] = (getattr(instance, attribute) or "").strip()
        return texts

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        if instance.pk is None:
            return
        for language in TRANSLATION_LANGUAGES:
            texts = self.imported_texts(instance, language)
            if not texts:
                # A file without this language's columns leaves its translation alone.
                continue
            existing = PracticeTranslation.objects.filter(master=instance, language_code=language)
            if not any(texts.values()):
                existing.delete()
                continue
            found = existing.first() or PracticeTranslation(master=instance, language_code=language)
            for name, text in texts.items():
                setattr(found, f"translated_{name}", text)
            found.full_clean()
            found.save()
