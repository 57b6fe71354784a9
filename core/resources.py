"""Import/export of the core domain, and the natural-key widgets every resource uses.

Organisations, regions, projects and policy instruments; the staff
translations of projects and instruments travel as extra columns
``<field>_<language>`` (``title_pl``), as those of practices and events.

Spreadsheets name related objects the way people do: a region by its NUTS code
(or slug, for city- and macro-regions), an organisation by its name, a project
by its acronym, a topic by its slug. An unknown or ambiguous name is an error
on that row, never a silent blank.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from core.models import Organisation, PolicyInstrument, Programme, Project, Region, Topic
from core.translations import translation_model


class RegionWidget(widgets.ForeignKeyWidget):
    """A region by NUTS code (``PL91``) or, failing that, by slug (``leeds-city-region``)."""

    def __init__(self, **kwargs):
        super().__init__(Region, field="slug", **kwargs)

    def clean(self, value, row=None, **kwargs):
        value = (str(value).strip() if value is not None else "").strip()
        if not value:
            return None
        region = (
            Region.objects.filter(nuts_code=value.upper()).first()
            or Region.objects.filter(slug=value.lower()).first()
        )
        if region is None:
            raise ValueError(
                _("Unknown region “%(value)s”: give a NUTS code or a region slug.")
                % {"value": value}
            )
        return region

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value.nuts_code or value.slug


class StrictForeignKeyWidget(widgets.ForeignKeyWidget):
    """Look a row up by one of several text fields; unknown or ambiguous is an error."""

    def __init__(self, model, lookups, label, **kwargs):
        super().__init__(model, field=lookups[0], **kwargs)
        self.lookups = lookups
        self.label = label

    def clean(self, value, row=None, **kwargs):
        value = (str(value) if value is not None else "").strip()
        if not value:
            return None
        for lookup in self.lookups:
            matches = list(self.model.objects.filter(**{lookup: value})[:2])
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                raise ValueError(
                    _("More than one %(label)s is called “%(value)s”.")
                    % {"label": self.label, "value": value}
                )
        raise ValueError(
            _("Unknown %(label)s “%(value)s”.") % {"label": self.label, "value": value}
        )


class StrictManyToManyWidget(widgets.ManyToManyWidget):
    """Natural keys separated by ``separator``; every one of them must exist."""

    def __init__(self, model, field, label, separator="|", **kwargs):
        super().__init__(model, separator=separator, field=field, **kwargs)
        self.label = label

    def clean(self, value, row=None, **kwargs):
        if not value:
            return self.model.objects.none()
        keys = [k.strip() for k in str(value).split(self.separator) if k.strip()]
        found = self.model.objects.filter(**{f"{self.field}__in": keys})
        missing = sorted(set(keys) - {getattr(o, self.field) for o in found})
        if missing:
            raise ValueError(
                _("Unknown %(label)s: %(values)s.")
                % {"label": self.label, "values": ", ".join(missing)}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return self.separator.join(str(getattr(o, self.field)) for o in value.all())


def organisation_widget():
    return StrictForeignKeyWidget(
        Organisation, ["name", "name_en", "acronym"], label=gettext_lazy("organisation")
    )


class ProjectWidget(StrictForeignKeyWidget):
    """A project by acronym, or by slug for a project that has none."""

    def __init__(self):
        super().__init__(Project, ["acronym", "slug"], label=gettext_lazy("project"))

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value.acronym or value.slug


def project_widget():
    return ProjectWidget()


class ProjectsWidget(StrictManyToManyWidget):
    """Projects by acronym, or by slug for a project that has none (as ``ProjectWidget``)."""

    def __init__(self):
        super().__init__(
            Project, field="acronym", label=gettext_lazy("project acronym(s) or slug(s)")
        )

    def clean(self, value, row=None, **kwargs):
        if not value:
            return self.model.objects.none()
        keys = [k.strip() for k in str(value).split(self.separator) if k.strip()]
        matches = Project.objects.filter(Q(acronym__in=keys) | Q(slug__in=keys)).only(
            "pk", "acronym", "slug"
        )
        # Acronyms are unique; one that is also another project's slug names its own.
        by_acronym = {p.acronym: p.pk for p in matches if p.acronym}
        by_slug = {p.slug: p.pk for p in matches}
        ids, missing = [], []
        for key in keys:
            found = by_acronym.get(key, by_slug.get(key))
            if found is None:
                missing.append(key)
            else:
                ids.append(found)
        if missing:
            raise ValueError(
                _("Unknown %(label)s: %(values)s.")
                % {"label": self.label, "values": ", ".join(sorted(missing))}
            )
        return Project.objects.filter(pk__in=ids)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return self.separator.join(p.acronym or p.slug for p in value.all())


def projects_widget():
    return ProjectsWidget()


def topics_widget():
    return StrictManyToManyWidget(Topic, field="slug", label=gettext_lazy("topic slug(s)"))


class DateTimeToTheSecondField(fields.Field):
    """A date and time, written to the second; a cell naming the stored second keeps it.

    Only code stores fractions of a second (and an all-day event's end,
    23:59:59.999999): the cell of an unchanged export is then no change, and
    an edit of another column does not drop the fraction.
    """

    def save(self, instance, row, is_m2m=False, **kwargs):
        stored = getattr(instance, self.attribute, None)
        super().save(instance, row, is_m2m, **kwargs)
        cleaned = getattr(instance, self.attribute, None)
        if stored and cleaned and cleaned == stored.replace(microsecond=0):
            setattr(instance, self.attribute, stored)


class NaturalKeyResource(resources.ModelResource):
    """Shared behaviour: rows found by slug, validated whole, derived fields filled first."""

    class Meta:
        import_id_fields = ("slug",)
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
        report_skipped = True

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        field = super().field_from_django_field(field_name, django_field, readonly)
        if isinstance(django_field, models.DateTimeField):
            field = DateTimeToTheSecondField(
                attribute=field.attribute,
                column_name=field.column_name,
                widget=field.widget,
                readonly=field.readonly,
                default=field.default,
            )
        return field

    def prepare_instance(self, instance):
        """Fill fields that ``save()`` would derive, so that ``full_clean()`` passes."""
        instance.fill_derived_fields()

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors.update(error.error_dict)
        errors.update(self.row_errors(instance, row, **kwargs))
        if errors:
            raise ValidationError(errors)

    def row_errors(self, instance, row, **kwargs):
        """Return ``{field: [ValidationError...]}``: what the row's own fields do not say.

        import-export checks many-to-many values only after saving the row;
        they are checked here too, so that an unknown project or topic is a
        validation error of its row in the dry run like any other.
        """
        errors = {}
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row, **kwargs)
                except ValueError as error:
                    errors[field.attribute] = [ValidationError(str(error), code="invalid")]
        return errors

    def as_saved(self, instance):
        """Give ``instance`` the values its save would store."""
        # An empty spreadsheet cell reads as None or ""; text columns store "",
        # a nullable one (a region's NUTS code, unique when given) NULL.
        for field in instance._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                if getattr(instance, field.attname) in (None, ""):
                    setattr(instance, field.attname, None if field.null else "")
        self.prepare_instance(instance)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # Compared as it would be saved (empty cells as stored, derived fields
        # filled): a row of an unchanged export is unchanged.
        if not import_validation_errors:
            self.as_saved(instance)
        return super().skip_row(instance, original, row, import_validation_errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        self.as_saved(instance)
        super().validate_instance(instance, import_validation_errors, validate_unique)


class OrganisationResource(NaturalKeyResource):
    region = fields.Field(attribute="region", column_name="region", widget=RegionWidget())

    class Meta:
        model = Organisation
        fields = ("slug", "name", "name_en", "acronym", "kind", "region", "city", "website")
        export_order = fields


class ProgrammeWidget(StrictForeignKeyWidget):
    """A programme by short name, name or slug; written as its short name, or its name."""

    def __init__(self):
        super().__init__(Programme, ["short_name", "name", "slug"], label=gettext_lazy("programme"))

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value.short_name or value.name


def regions_widget():
    return StrictManyToManyWidget(Region, field="slug", label=gettext_lazy("region slug(s)"))


class RegionResource(NaturalKeyResource):
    parent = fields.Field(attribute="parent", column_name="parent", widget=RegionWidget())
    covers = fields.Field(
        attribute="covers",
        column_name="covers",
        widget=regions_widget(),
    )

    class Meta:
        model = Region
        fields = (
            "slug",
            "nuts_code",
            "name",
            "name_en",
            "kind",
            "level",
            "parent",
            "covers",
            "label_lat",
            "label_lon",
        )
        export_order = fields

    def get_instance(self, instance_loader, row):
        # A NUTS region is found by its code when the file gives no slug.
        slug = str(row.get("slug") or "").strip()
        code = str(row.get("nuts_code") or "").strip().upper()
        if slug:
            return Region.objects.filter(slug=slug).first()
        if code:
            return Region.objects.filter(nuts_code=code).first()
        return None


# Content translations (core.translations) as extra columns <field>_<language>.

TRANSLATION_LANGUAGES = [code for code, _name in settings.LANGUAGES]


class TranslationField(fields.Field):
    """One text of one translation, as a column ``<field>_<language>``.

    On import the cell is kept on the row (``imported_<column>``) and written
    by ``TranslationColumnsMixin.after_save_instance``; the kept value also
    makes a row whose translations alone changed count as changed.
    """

    def __init__(self, language, name):
        column = f"{name}_{language}"
        super().__init__(attribute=f"imported_{column}", column_name=column)
        self.language, self.name = language, name

    def get_value(self, instance):
        if hasattr(instance, self.attribute):
            # An empty XLSX cell reads as None: the same as no translation.
            return getattr(instance, self.attribute) or ""
        if instance.pk is None:
            return ""
        # Prefetched for exports (TranslationColumnsMixin.filter_export).
        for found in instance.translations.all():
            if found.language_code == self.language:
                return getattr(found, f"translated_{self.name}")
        return ""


class TranslationColumnsMixin:
    """A resource of a translatable model: its staff translations as extra columns.

    ``<field>_<language>`` (``title_pl``) after the original fields, each
    once. An empty set of a language's columns removes that translation,
    absent columns leave it alone; a translation without its first field (the
    title) or in the row's original language is refused, naming its column.
    A model field of the same name as a column (a project's ``title_en``,
    its English title) is the column ``english_<field>``.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # {column of a model field: its new column}: the model's own English
        # title (``title_en``) moves to ``english_title``, so that ``title_en``
        # is the English version's, as every other translation column.
        self.moved_columns = {}
        for language in TRANSLATION_LANGUAGES:
            for name in self.translated_fields():
                field = TranslationField(language, name)
                own = self.fields.pop(field.column_name, None)
                if own is not None:
                    own.column_name = f"english_{name}"
                    self.fields[own.column_name] = own
                    self.moved_columns[field.column_name] = own.column_name
                self.fields[field.column_name] = field

    def translation_model(self):
        return translation_model(self._meta.model)

    def translated_fields(self):
        return self.translation_model().FIELDS

    def get_export_order(self):
        return self.with_translation_columns(super().get_export_order())

    def get_import_order(self):
        return self.with_translation_columns(super().get_import_order())

    def with_translation_columns(self, order):
        """Return ``order`` with each translation column once, after the original fields."""
        columns = self.translation_columns()
        own = []
        for name in order:
            name = self.moved_columns.get(name, name)
            if name not in columns and name not in own:
                own.append(name)
        return (*own, *columns)

    def translation_columns(self):
        return [
            f"{name}_{language}"
            for language in TRANSLATION_LANGUAGES
            for name in self.translated_fields()
        ]

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset, **kwargs).prefetch_related("translations")

    def row_errors(self, instance, row, **kwargs):
        errors = super().row_errors(instance, row, **kwargs)
        first = self.translated_fields()[0]
        if first == "name":
            needs_first = gettext("A translation needs a name (column %(column)s).")
        else:
            needs_first = gettext("A translation needs a title (column %(column)s).")
        for language in TRANSLATION_LANGUAGES:
            texts = self.imported_texts(instance, language)
            if texts and any(texts.values()) and not texts.get(first):
                errors[f"imported_{first}_{language}"] = [
                    ValidationError(
                        needs_first % {"column": f"{first}_{language}"}, code="required"
                    )
                ]
            elif language == instance.language and texts and any(texts.values()):
                errors[f"imported_{first}_{language}"] = [
                    ValidationError(
                        gettext(
                            "Column %(column)s is in the original language: "
                            "put that text in the original columns."
                        )
                        % {"column": f"{first}_{language}"},
                        code="original_language",
                    )
                ]
        return errors

    def imported_texts(self, instance, language):
        """Return ``{field: text}`` of the ``language`` columns the row had ({} for none)."""
        texts = {}
        for name in self.translated_fields():
            attribute = f"imported_{name}_{language}"
            if hasattr(instance, attribute):
                texts[name] = (getattr(instance, attribute) or "").strip()
        return texts

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        if instance.pk is None:
            return
        model = self.translation_model()
        for language in TRANSLATION_LANGUAGES:
            texts = self.imported_texts(instance, language)
            if not texts:
                # A file without this language's columns leaves its translation alone.
                continue
            existing = model.objects.filter(master=instance, language_code=language)
            if not any(texts.values()):
                existing.delete()
                continue
            found = existing.first() or model(master=instance, language_code=language)
            for name, text in texts.items():
                setattr(found, f"translated_{name}", text)
            found.full_clean()
            found.save()


class ProjectResource(TranslationColumnsMixin, NaturalKeyResource):
    """Projects; their editors (staff accounts) stay out of files."""

    programme = fields.Field(
        attribute="programme", column_name="programme", widget=ProgrammeWidget()
    )
    area = fields.Field(attribute="area", column_name="area", widget=RegionWidget())
    topics = fields.Field(attribute="topics", column_name="topics", widget=topics_widget())
    partner_regions = fields.Field(
        attribute="partner_regions", column_name="partner_regions", widget=regions_widget()
    )
    policy_instruments = fields.Field(
        attribute="policy_instruments",
        column_name="policy_instruments",
        widget=StrictManyToManyWidget(
            PolicyInstrument, field="slug", label=gettext_lazy("policy instrument slug(s)")
        ),
    )

    class Meta:
        model = Project
        fields = (
            "slug",
            "acronym",
            "title",
            "title_en",
            "language",
            "programme",
            "summary",
            "objectives",
            "topics",
            "area",
            "website",
            "policy_instruments",
            "start_date",
            "end_date",
            "total_budget",
            "eu_cofinancing",
            "budget_is_approximate",
            "stated_partner_count",
            "partner_regions",
        )
        export_order = fields


class PolicyInstrumentResource(TranslationColumnsMixin, NaturalKeyResource):
    region = fields.Field(attribute="region", column_name="region", widget=RegionWidget())

    class Meta:
        model = PolicyInstrument
        fields = (
            "slug",
            "name",
            "name_en",
            "language",
            "region",
            "programme_period",
            "website",
            "description",
        )
        export_order = fields
