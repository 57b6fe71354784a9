"""The admin's side-by-side editing of content translations (``core.translations``).

One inline for every translatable model: each translated field shows the
start of the original it translates, and a version in the original's own
language is refused.
"""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _


class TranslationFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Each translated field shows the start of the original it translates.
        for name in self.model.FIELDS:
            original = getattr(self.instance, name, "")
            if original:
                form.fields[f"translated_{name}"].help_text = format_html(
                    "{} <span{}>{}</span>",
                    _("Original:"),
                    format_html(' lang="{}"', self.instance.language),
                    Truncator(original).words(40),
                )

    def clean(self):
        super().clean()
        original = self.instance.language
        for form in self.forms:
            if form.cleaned_data.get("language_code") == original and not form.cleaned_data.get(
                "DELETE"
            ):
                form.add_error(
                    "language_code",
                    ValidationError(
                        _("This is the original language: edit the original texts above instead."),
                        code="original_language",
                    ),
                )


class ContentTranslationInline(admin.StackedInline):
    """A row's versions in the interface languages, beside its original texts.

    Subclasses set ``model`` (a ``ContentTranslation``).
    """

    formset = TranslationFormSet
    extra = 0
    max_num = len(settings.LANGUAGES)
    classes = ["translation-inline"]

    def get_fields(self, request, obj=None):
        return ["language_code", *(f"translated_{name}" for name in self.model.FIELDS)]

    # Translations have no permissions of their own (django-parler's models
    # have none): who may change the row may change its translations.
    def _parent_admin(self):
        return self.admin_site._registry[self.parent_model]

    def has_view_permission(self, request, obj=None):
        return self._parent_admin().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._parent_admin().has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._parent_admin().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._parent_admin().has_change_permission(request, obj)


def translation_inline(translation_model):
    """Return the ``ContentTranslationInline`` of ``translation_model``."""
    return type(
        f"{translation_model.__name__}Inline",
        (ContentTranslationInline,),
        {"model": translation_model, "__module__": __name__},
    )
