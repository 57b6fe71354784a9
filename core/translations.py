"""Content translations: staff-entered versions of a row's texts in the interface languages.

One machinery for practices, projects, events, documents and policy
instruments (django-parler). A translatable model keeps its original texts
in its own fields, in its own ``language``; its ``<Model>Translation``
(a ``ContentTranslation``) holds one row per interface language with the
fields ``translated_<field>`` of its ``FIELDS``, so that ``obj.title`` keeps
meaning the original everywhere.

- cards and list rows: ``version_annotations`` (subqueries of the list's own
  query, no query per row);
- pages: ``content_version`` (the version of the page's language, or the
  original with ``?original=1``);
- search by name: models searched by ``core.search.search_names`` carry
  ``translation_words``, the words of every version, kept current by
  ``refresh_translation_words`` on each save or delete of a translation
  (practices have their own index trigger instead).
"""

import functools

from django.apps import apps
from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery
from django.db.models.signals import post_delete, post_save
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatableModelMixin, TranslatedFieldsModel

from core.expressions import json_list

# The field holding the words of a row's translations, for the search by name.
WORDS_FIELD = "translation_words"


class ContentTranslation(TranslatedFieldsModel):
    """A version of a row's texts in one interface language (one row per language)."""

    # The translated texts, by their names on the translated model.
    FIELDS = ()
    # Those of them the search by name matches (with the model's SEARCH_FIELDS).
    SEARCH_FIELDS = ()

    class Meta:
        abstract = True
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["language_code", "master"],
                name="%(app_label)s_%(class)s_unique_language",
                violation_error_message=_("There is a version in this language already."),
            ),
        ]

    def __str__(self):
        return f"{self.master} ({self.language_code})"

    def texts(self):
        """Return ``{field name on the translated model: translated text}``."""
        return {name: getattr(self, f"translated_{name}") for name in self.FIELDS}


class Translatable(TranslatableModelMixin):
    """A model with staff translations: its ``<Model>Translation``, related name "translations"."""

    def save(self, *args, **kwargs):
        # Rewrite the words of its translations as they are now, not as this
        # instance read them: a translation saved meanwhile keeps its words.
        update_fields = kwargs.get("update_fields")
        if self.pk is not None and (update_fields is None or WORDS_FIELD in update_fields):
            setattr(self, WORDS_FIELD, translation_words(self))
        super().save(*args, **kwargs)

    @property
    def versions(self):
        """Every translation as the API shows it: ``[{"language", <field>: text}]`` by language.

        From the ``translation_versions`` annotation of a list (``translations_json``),
        else read.
        """
        annotated = self.__dict__.get("translation_versions")
        if annotated is not None:
            return annotated
        return [
            {"language": found.language_code, **found.texts()}
            for found in sorted(self.translations.all(), key=lambda t: t.language_code)
        ]


def translation_model(model):
    """Return the ``ContentTranslation`` model of the translatable ``model``."""
    return model._parler_meta.root_model


def version_annotations(model, fields=None, *, of="pk", language=None):
    """Return annotations giving each row of ``model`` its ``fields`` in the interface language.

    ``version_<field>`` is the staff translation into the page's language
    (or ``language``), or None where there is none (the card then shows the
    original): a subquery of the list's own query, so no query per card nor
    per page. ``fields``: all the translation's ``FIELDS`` when not given;
    ``of``: the row's reference to the translated row, when the list is of
    something else (``"practice"`` for talks).
    """
    fields = tuple(fields or translation_model(model).FIELDS)
    return dict(_version_annotations(model, fields, of, language or translation.get_language()))


@functools.cache
def _version_annotations(model, fields, of, language):
    # Built once per process and language: building the subqueries anew was a
    # measurable share of a listing's CPU (bench/README.md). annotate()
    # resolves a copy of each, so the kept ones stay as built.
    versions = translation_model(model).objects.filter(master=OuterRef(of), language_code=language)
    return {
        f"version_{name}": Subquery(versions.values(f"translated_{name}")[:1]) for name in fields
    }


def translations_json(model, fields=None):
    """Return an annotation: every translation of a row of ``model``, as a JSON list.

    ``[{"language", <field>: text...}]`` by language, ``fields`` of the
    translation's ``FIELDS`` (all when not given): a subquery of the list's
    own query, so the API lists every version without a query per page.
    """
    return _translations_json(model, tuple(fields or translation_model(model).FIELDS))


@functools.cache
def _translations_json(model, fields):
    # Built once per process, like _version_annotations.
    translations = translation_model(model)
    columns = {name: F(f"translated_{name}") for name in fields}
    columns["language"] = F("language_code")
    # Keys in the order the API has always given them (jsonb's: shorter first).
    keys = sorted(columns, key=lambda key: (len(key), key))
    return json_list(
        translations.objects.filter(master=OuterRef("pk")),
        ["language_code"],
        **{key: columns[key] for key in keys},
    )


def content_version(obj, *, original=False):
    """Return what a page shows of ``obj``'s texts, and in which language.

    ``{"texts": {field: {"text", "language"}}, "translation": the translation
    into the interface language or None, "translated": whether it is shown}``.
    A field the translation leaves empty shows the original. One query, only
    when ``obj`` is written in another language than the page and may have
    translations (a page's queryset may annotate ``has_translations``).
    """
    language = translation.get_language()
    found = None
    if obj.language != language and getattr(obj, "has_translations", True):
        found = obj.translations.filter(language_code=language).first()
    shown = found is not None and not original
    texts = {}
    for name in translation_model(type(obj)).FIELDS:
        text = getattr(found, f"translated_{name}") if shown else ""
        if text:
            texts[name] = {"text": text, "language": language}
        else:
            texts[name] = {"text": getattr(obj, name), "language": obj.language}
    return {"texts": texts, "translation": found, "translated": shown}


def shown_title(version_title, title, title_en, own, language):
    """Return ``(text, lang)``: the title a card or link shows on a ``language`` page.

    The staff translation into the page's language (``version_title``)
    where there is one, else the English title of a text written in
    another language, else the original; ``lang`` is the language of the
    text shown where it is not the page's, else "". Projects and events.
    """
    if version_title:
        return version_title, ""
    own = own or ""
    if title_en and own and own != language:
        return title_en, "" if language == "en" else "en"
    return title, own if own != language else ""


class ShownTitle:
    """``title_text`` and ``title_lang``: the title a page in the current language shows.

    ``shown_title`` of the instance's fields and of its ``version_title``,
    where a list annotated it or a page set it (the page's translation).
    What the title includes and headings print, as list rows carry it.
    """

    @property
    def title_text(self):
        return self._shown_title()[0]

    @property
    def title_lang(self):
        return self._shown_title()[1]

    def _shown_title(self):
        version = getattr(self, "version_title", None)
        return shown_title(
            version, self.title, self.title_en, self.language, translation.get_language()
        )


def translation_words(master):
    """Return the words of ``master``'s translations the search by name matches."""
    model = translation_model(type(master))
    columns = [f"translated_{name}" for name in model.SEARCH_FIELDS]
    rows = model.objects.filter(master=master).order_by("language_code").values_list(*columns)
    return " ".join(text for row in rows for text in row if text)


def refresh_translation_words(sender, instance, **kwargs):
    """Store the words of a changed translation's row (``post_save``, ``post_delete``)."""
    master_model = type(instance).master.field.related_model
    master = master_model._default_manager.filter(pk=instance.master_id).first()
    if master is not None:
        words = translation_words(master)
        master_model._default_manager.filter(pk=master.pk).update(**{WORDS_FIELD: words})


def connect_receivers():
    """Keep ``translation_words`` current (called once, from ``CoreConfig.ready()``)."""
    for model in apps.get_models():
        if issubclass(model, ContentTranslation) and model.SEARCH_FIELDS:
            uid = f"translation-words-{model._meta.label_lower}"
            post_save.connect(refresh_translation_words, sender=model, dispatch_uid=uid)
            post_delete.connect(refresh_translation_words, sender=model, dispatch_uid=uid)


class TranslatedPageMixin:
    """A detail view showing its object in the page's language, where staff translated it.

    Adds ``content_version``'s ``texts``, ``translation`` and ``translated``
    to the context (or what ``page_texts`` returns); ``?original=1`` shows
    the original (a page of its own in the page cache). Put it before
    ``PublicPageCacheMixin``.
    """

    page_query_params = ("original",)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.page_texts(original=self.request.GET.get("original") == "1"))
        return context

    def page_texts(self, *, original):
        """Return what the page shows of its object's texts (``content_version``)."""
        return content_version(self.object, original=original)


class MakeTranslatable(migrations.operations.base.Operation):
    """Give a model of the migration state django-parler's mixin, as the model has.

    Only the state changes (no table does): django-parler refuses a
    translations model whose translated model lacks the mixin.
    """

    reversible = True

    def __init__(self, model_name):
        self.model_name = model_name.lower()

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.model_name], {})

    def state_forwards(self, app_label, state):
        model = state.models[app_label, self.model_name]
        if TranslatableModelMixin not in model.bases:
            model.bases = (TranslatableModelMixin, *model.bases)
            state.reload_model(app_label, self.model_name, delay=True)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        return f"Give {self.model_name} django-parler's TranslatableModelMixin base"
