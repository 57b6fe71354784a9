"""The core domain every app uses: who cooperates, where, in which project."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from parler.fields import TranslationsForeignKey
from simple_history.models import HistoricalRecords

from core.countries import region_name
from core.regions import in_subtrees, path_slugs
from core.translations import ContentTranslation, ShownTitle, Translatable
from infra.text import date_text

# A NUTS code is a two-letter country code followed by one character per level.
NUTS_CODE_PATTERN = r"^[A-Z]{2}[A-Z0-9]{0,3}$"
nuts_code_validator = RegexValidator(
    NUTS_CODE_PATTERN,
    _("Enter a NUTS code: two capital letters and up to three letters or digits, e.g. PL91."),
)

# Languages the partners write in; the interface itself is EN/PL/RO.
CONTENT_LANGUAGES = [
    ("en", _("English")),
    ("pl", _("Polish")),
    ("ro", _("Romanian")),
    ("it", _("Italian")),
    ("es", _("Spanish")),
    ("ca", _("Catalan")),
    ("fi", _("Finnish")),
    ("lt", _("Lithuanian")),
    ("nl", _("Dutch")),
    ("de", _("German")),
    ("fr", _("French")),
    ("sl", _("Slovenian")),
    ("et", _("Estonian")),
    ("sv", _("Swedish")),
    ("da", _("Danish")),
]


def unique_slug(instance, value, *, max_length=80):
    """Return a slug for ``value`` that no other row of the model uses."""
    base = slugify(value)[:max_length].strip("-") or "item"
    model = type(instance)
    reserved = getattr(model, "reserved_slugs", frozenset())
    slug, n = base, 2
    while (
        slug in reserved
        or model._default_manager.filter(slug=slug).exclude(pk=instance.pk).exists()
    ):
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)] + suffix
        n += 1
    return slug


class SlugMixin(models.Model):
    """A model whose rows get a unique slug from ``slug_source()`` when they have none."""

    slug_max_length = 80
    # Slugs that a fixed route of the same URL prefix answers before the
    # detail page: a row with one of them could never be reached.
    reserved_slugs = frozenset()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if self.slug in self.reserved_slugs and "slug" not in (exclude or ()):
            message = _("“%(slug)s” is the address of another page; choose another slug.")
            errors.setdefault("slug", []).append(
                ValidationError(message, code="reserved", params={"slug": self.slug})
            )
        if errors:
            raise ValidationError(errors)

    def slug_source(self):
        """Return the text the slug is made from, or None while it cannot be made."""
        raise NotImplementedError

    def fill_derived_fields(self):
        """Fill what ``save()`` derives (an import validates rows before saving them)."""
        if not self.slug:
            source = self.slug_source()
            if source is not None:
                self.slug = unique_slug(self, source, max_length=self.slug_max_length)


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(publication_state=PublicationState.PUBLISHED)


class Programme(SlugMixin, models.Model):
    class Fund(models.TextChoices):
        ERDF = "ERDF", _("European Regional Development Fund")
        ESF = "ESF", _("European Social Fund")
        IPA = "IPA", _("Instrument for Pre-accession Assistance")
        NDICI = "NDICI", _("Neighbourhood, Development and International Cooperation")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    fund = models.CharField(_("fund"), max_length=10, choices=Fund, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self):
        return self.short_name or self.name

    def slug_source(self):
        return self.short_name or self.name


class Topic(SlugMixin, models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("practices:practice-list") + f"?topic={self.slug}"

    def slug_source(self):
        return self.name


class RegionQuerySet(models.QuerySet):
    def countries(self):
        return self.filter(kind=Region.Kind.NUTS, level=0)

    def within(self, *regions):
        """Return ``regions`` and every region below them in the hierarchy."""
        if not regions:
            return self.none()
        return self.filter(in_subtrees(*regions))


class Region(SlugMixin, models.Model):
    class Kind(models.TextChoices):
        NUTS = "nuts", _("NUTS region")
        CITY_REGION = "city_region", _("City-region")
        MACRO_REGION = "macro_region", _("Macro-region")
        OTHER = "other", _("Other area")

    # What the search box matches (core.search.search_names), main name first.
    SEARCH_FIELDS = ("name", "name_en", "nuts_code")

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.NUTS)
    nuts_code = models.CharField(
        _("NUTS 2021 code"),
        max_length=5,
        unique=True,
        null=True,
        blank=True,
        validators=[nuts_code_validator],
    )
    level = models.PositiveSmallIntegerField(
        _("NUTS level"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(3)],
        help_text=_("0 for a country, 1–3 for the NUTS levels below it; empty for other areas."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of slugs ("/es/es5/es51/") so that "this region and
    # everything below it" is one indexed prefix match, not a recursive query.
    path = models.CharField(max_length=500, editable=False, db_index=True)
    country_code = models.CharField(
        _("country code"), max_length=2, blank=True, editable=False, db_index=True
    )
    covers = models.ManyToManyField(
        "self",
        verbose_name=_("NUTS regions covered"),
        symmetrical=False,
        blank=True,
        related_name="covered_by",
        help_text=_("For a city-region or macro-region: the NUTS regions it lies in."),
    )
    label_lat = models.FloatField(
        _("label point latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    label_lon = models.FloatField(
        _("label point longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    outline = models.JSONField(_("outline (GeoJSON geometry)"), null=True, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=Q(nuts_code__isnull=True) | Q(nuts_code__regex=NUTS_CODE_PATTERN),
                name="region_nuts_code_shape",
                violation_error_message=_(
                    "A NUTS code is two capital letters and up to three letters or digits."
                ),
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__lte=3),
                name="region_level_0_to_3",
            ),
            models.CheckConstraint(
                # "level IS NOT NULL": a NULL level would make the comparison
                # NULL, which a CHECK lets through.
                condition=Q(nuts_code__isnull=True)
                | Q(Q(level__isnull=False), Exact(Length("nuts_code"), models.F("level") + 2)),
                name="region_level_matches_nuts_code",
                violation_error_message=_("The NUTS level must match the length of the code."),
            ),
        ]

    def __str__(self):
        if self.nuts_code:
            return f"{self.name} ({self.nuts_code})"
        return self.name

    def save(self, *args, **kwargs):
        old_path = None
        if self.pk:
            old_path = type(self).objects.filter(pk=self.pk).values_list("path", flat=True).first()
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            for child in self.children.all():
                child.save()

    def get_absolute_url(self):
        return reverse("exchange:region-detail", kwargs={"slug": self.slug})

    def slug_source(self):
        return self.nuts_code or self.name_en or self.name

    def fill_derived_fields(self):
        """Derive the level from the NUTS code, then the slug, path and country code."""
        if self.nuts_code:
            self.nuts_code = self.nuts_code.upper()
            self.level = len(self.nuts_code) - 2
        super().fill_derived_fields()
        self.path = self.compute_path()
        self.country_code = self.compute_country_code()

    def compute_path(self):
        prefix = self.parent.path if self.parent_id else "/"
        return f"{prefix}{self.slug}/"

    def compute_country_code(self):
        if self.nuts_code:
            return self.nuts_code[:2]
        if self.parent_id:
            return self.parent.country_code
        return ""

    @property
    def display_name(self):
        """The English name, or the original; a country's in the page's language."""
        # A two-letter NUTS code is a country's. Only a loaded code is read:
        # a deferred one would cost a query per row.
        if "nuts_code" in self.get_deferred_fields():
            return self.name_en or self.name
        return region_name(self.nuts_code, self.name, self.name_en)

    @property
    def is_country(self):
        return self.kind == self.Kind.NUTS and self.level == 0

    def ancestors(self, *fields):
        """Return the regions above this one, country first, with ``fields`` (default: all).

        Never the outline (GeoJSON, up to hundreds of kB a country): callers
        name and link the ancestors, they do not draw them.
        """
        slugs = path_slugs(self.path)[:-1]
        regions = Region.objects.filter(slug__in=slugs)
        regions = regions.only(*fields) if fields else regions.defer("outline")
        by_slug = {r.slug: r for r in regions}
        return [by_slug[s] for s in slugs if s in by_slug]


class Organisation(SlugMixin, models.Model):
    class Kind(models.TextChoices):
        PUBLIC_AUTHORITY = "public_authority", _("Public authority")
        REGIONAL_AGENCY = "regional_agency", _("Regional development agency")
        RESEARCH = "research", _("Research organisation or university")
        BUSINESS_SUPPORT = "business_support", _("Business support organisation")
        CHAMBER = "chamber", _("Chamber or association")
        COMPANY = "company", _("Company")
        NGO = "ngo", _("Non-governmental organisation")
        OTHER = "other", _("Other")

    # What the search box matches (core.search.search_names), main name first.
    SEARCH_FIELDS = ("name", "name_en", "acronym")

    name = models.CharField(_("name (original)"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind, default=Kind.OTHER)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            models.Index(fields=["name"], name="organisation_name_idx"),
            # A region page's first organisations by name, read from the index
            # alone (a country's 1,500 rows otherwise fetched to be sorted).
            models.Index(fields=["region", "name", "id"], name="organisation_region_name_idx"),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("exchange:organisation-detail", kwargs={"slug": self.slug})

    def slug_source(self):
        return self.acronym or self.name_en or self.name

    @property
    def display_name(self):
        return self.name_en or self.name


class PolicyInstrument(Translatable, SlugMixin, models.Model):
    """A policy a project aims to improve, a practice influenced or a meeting discussed.

    A regional operational programme or one of its actions, a strategy, a
    smart specialisation: named in its own language, as the sources name it.
    """

    # What the search box matches (core.search.search_names), main name first.
    SEARCH_FIELDS = ("name", "name_en", "translation_words")

    name = models.CharField(_("name (original)"), max_length=300)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    language = models.CharField(
        _("language of the name"), max_length=8, choices=CONTENT_LANGUAGES, default="en"
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policy_instruments",
    )
    programme_period = models.CharField(
        _("programme period"),
        max_length=20,
        blank=True,
        help_text=_("E.g. 2014–2020; empty when the sources do not say."),
    )
    website = models.URLField(_("link"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    # The words of its staff translations, for the search by name (core.translations).
    translation_words = models.TextField(editable=False, blank=True, default="")

    class Meta:
        ordering = ["name"]
        verbose_name = _("policy instrument")
        verbose_name_plural = _("policy instruments")

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("exchange:policy-instrument-detail", kwargs={"slug": self.slug})

    def slug_source(self):
        return self.name_en or self.name

    @property
    def display_name(self):
        return self.name_en or self.name


class ProjectQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("programme").order_by("-start_date", "acronym")

    def running_on(self, day):
        """Projects known to run on ``day``: both dates given, ``day`` between them."""
        return self.filter(start_date__lte=day, end_date__gte=day)

    def status_not_stated_on(self, day):
        """Projects whose dates do not tell whether they run on ``day``."""
        return self.filter(
            Q(start_date__isnull=True) | Q(end_date__isnull=True),
            Q(start_date__lte=day) | Q(start_date__isnull=True),
            Q(end_date__gte=day) | Q(end_date__isnull=True),
        )

    def active_in(self, year):
        """Projects running at some time in ``year`` (as ``GoodPractice.active_in``)."""
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        return self.filter(
            Q(start_date__lte=end) | Q(start_date__isnull=True),
            Q(end_date__gte=start) | Q(end_date__isnull=True),
        )


class Project(ShownTitle, Translatable, SlugMixin, models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        CLOSED = "closed", _("Closed")
        # Without the dates that decide it, the status is not guessed.
        NOT_STATED = "not_stated", _("Not stated")

    # What the search box matches (core.search.search_names), main name first.
    SEARCH_FIELDS = ("title", "title_en", "acronym", "translation_words")

    acronym = models.CharField(
        _("acronym"),
        max_length=60,
        blank=True,
        help_text=_("Leave empty when the project has none: never make one up."),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title (original language)"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    language = models.CharField(
        _("language of the text"), max_length=8, choices=CONTENT_LANGUAGES, default="en"
    )
    summary = models.TextField(_("summary"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    # The words of its staff translations, for the search by name (core.translations).
    translation_words = models.TextField(editable=False, blank=True, default="")
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    total_budget = models.DecimalField(
        _("total budget (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    eu_cofinancing = models.DecimalField(
        _("EU co-financing (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    budget_is_approximate = models.BooleanField(
        _("amounts are approximate"),
        default=False,
        help_text=_("Tick when the source gives the amounts as approximate (“around …”)."),
    )
    website = models.URLField(_("website"), blank=True)
    area = models.ForeignKey(
        Region,
        verbose_name=_("cooperation area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects_in_area",
        help_text=_("The programme area or macro-region the project covers, if any."),
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True)
    stated_partner_count = models.PositiveSmallIntegerField(
        _("number of partners"),
        null=True,
        blank=True,
        help_text=_("As the sources state it, also when they do not name every partner."),
    )
    partner_regions = models.ManyToManyField(
        Region,
        verbose_name=_("partners' regions or countries"),
        blank=True,
        related_name="projects_with_partners",
        help_text=_(
            "Where the partners come from, as the sources say, also for partners they do not "
            "name (e.g. “7 partners from 7 countries: …”)."
        ),
    )
    policy_instruments = models.ManyToManyField(
        PolicyInstrument,
        verbose_name=_("policy instruments it aims to improve"),
        blank=True,
        related_name="projects",
    )
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("editors"),
        blank=True,
        related_name="edited_projects",
        help_text=_("Staff who curate this project's practices, events and proposals."),
    )

    objects = ProjectQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[topics])

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        # The project listing's order (newest first): its page read from the
        # index instead of sorting every project.
        indexes = [models.Index(fields=["-start_date", "acronym", "id"], name="project_newest_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["acronym"],
                condition=~Q(acronym=""),
                name="project_acronym_unique",
                violation_error_message=_("Another project has this acronym."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="project_end_after_start",
                violation_error_message=_("The project cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(eu_cofinancing__isnull=True)
                | Q(total_budget__isnull=True)
                | Q(eu_cofinancing__lte=models.F("total_budget")),
                name="project_cofinancing_within_budget",
                violation_error_message=_("EU co-financing cannot exceed the total budget."),
            ),
        ]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("exchange:project-detail", kwargs={"slug": self.slug})

    def slug_source(self):
        return self.acronym or self.title_en or self.title

    @property
    def display_title(self):
        return self.title_en or self.title

    @property
    def label(self):
        """The short name pages show: the acronym, or the title of a project without one."""
        return self.acronym or self.display_title

    def status_on(self, day):
        return project_status(self.start_date, self.end_date, day)

    @property
    def status(self):
        return self.status_on(timezone.localdate())

    def get_status_display(self):
        return self.Status(self.status).label

    # What the exchange/_project_*.html includes write, as the project
    # listing's rows carry it (portal.views.ProjectListView): the same
    # functions put it together for both (title_text/title_lang: ShownTitle).
    @property
    def status_label(self):
        return self.get_status_display()

    @property
    def start_text(self):
        return date_text(self.start_date)

    @property
    def end_text(self):
        return date_text(self.end_date)

    @property
    def start_iso(self):
        return self.start_date and self.start_date.isoformat()

    @property
    def end_iso(self):
        return self.end_date and self.end_date.isoformat()


def project_status(start_date, end_date, day):
    """Return the status (``Project.Status``) on ``day`` of a project with these dates."""
    if start_date and day < start_date:
        return Project.Status.PLANNED
    if end_date and day > end_date:
        return Project.Status.CLOSED
    if start_date and end_date:
        return Project.Status.RUNNING
    return Project.Status.NOT_STATED


class ProjectTranslation(ContentTranslation):
    """A staff-entered version of a project's title, summary and objectives (core.translations)."""

    FIELDS = ("title", "summary", "objectives")
    SEARCH_FIELDS = ("title",)

    master = TranslationsForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="translations"
    )
    translated_title = models.CharField(_("title"), max_length=300)
    translated_summary = models.TextField(_("summary"), blank=True)
    translated_objectives = models.TextField(_("objectives"), blank=True)

    class Meta(ContentTranslation.Meta):
        verbose_name = _("project translation")
        verbose_name_plural = _("project translations")


class PolicyInstrumentTranslation(ContentTranslation):
    """A staff-entered version of a policy instrument's name and description."""

    FIELDS = ("name", "description")
    SEARCH_FIELDS = ("name",)

    master = TranslationsForeignKey(
        PolicyInstrument,
        verbose_name=_("policy instrument"),
        on_delete=models.CASCADE,
        related_name="translations",
    )
    translated_name = models.CharField(_("name"), max_length=300)
    translated_description = models.TextField(_("description"), blank=True)

    class Meta(ContentTranslation.Meta):
        verbose_name = _("policy instrument translation")
        verbose_name_plural = _("policy instrument translations")


class Partnership(models.Model):
    class Role(models.TextChoices):
        LEAD_PARTNER = "lead", _("Lead partner")
        PARTNER = "partner", _("Partner")
        ADVISORY_PARTNER = "advisory", _("Advisory partner")
        ASSOCIATED = "associated", _("Associated partner")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="partnerships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="partnerships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.PARTNER)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region represented"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partnerships",
    )

    class Meta:
        ordering = ["project", "role", "organisation__name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation"],
                name="partnership_unique_project_organisation",
                violation_error_message=_("This organisation is already a partner of the project."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.project} ({self.get_role_display()})"


class Person(models.Model):
    name = models.CharField(_("name"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    # Private: never rendered on a public page, export, feed or API response.
    email = models.EmailField(_("e-mail (private)"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name
