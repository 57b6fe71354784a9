"""Events where practices are presented: seminars, workshops, study visits."""

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from parler.fields import TranslationsForeignKey
from simple_history.models import HistoricalRecords

from core.models import (
    CONTENT_LANGUAGES,
    Organisation,
    Person,
    PolicyInstrument,
    Project,
    PublicationState,
    PublishableQuerySet,
    Region,
    SlugMixin,
)
from core.translations import ContentTranslation, ShownTitle, Translatable
from practices.models import GoodPractice


def validate_time_zone(value):
    # A validator rather than choices: the list of zones comes from the
    # machine's tz database and must not leak into migrations.
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone: %(zone)s"), params={"zone": value})


def whole_days(start, end, zone):
    """Widen ``start`` and ``end`` to the first and last moments of their days in ``zone``."""
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    return (
        datetime.datetime.combine(first, datetime.time.min, tzinfo=zone),
        datetime.datetime.combine(last, datetime.time.max, tzinfo=zone),
    )


def participation_event_ids(regions):
    """The ids of the events with participants from ``regions``: one UNION, as a subquery.

    Read through the participation tables' indexes rather than by walking the
    event table, which a date-ordered, limited query would otherwise do.
    """
    return (
        Participant.objects.filter(organisation__region__in=regions)
        .order_by()
        .values("event_id")
        .union(
            Event.regions_represented.through.objects.filter(region__in=regions)
            .order_by()
            .values("event_id")
        )
    )


class EventQuerySet(PublishableQuerySet):
    def upcoming(self):
        return self.filter(end__gte=timezone.now()).order_by("start")

    def past(self):
        return self.filter(end__lt=timezone.now()).order_by("-start")

    def for_listing(self):
        return self.select_related("project", "region")

    def took_part_in(self, regions):
        """Events with participants from ``regions`` (ids: a list or a subquery).

        A participating organisation based there, or the region among those
        represented (see ``participation_event_ids``).
        """
        return self.filter(pk__in=participation_event_ids(regions))


class Event(ShownTitle, Translatable, SlugMixin, models.Model):
    class Kind(models.TextChoices):
        THEMATIC_SEMINAR = "thematic_seminar", _("Thematic seminar")
        STAKEHOLDER_MEETING = "stakeholder_meeting", _("Stakeholder group meeting")
        POLICY_BROKERAGE = "policy_brokerage", _("Policy brokerage workshop")
        POLICY_SEMINAR = "policy_seminar", _("Policy seminar")
        STEERING_COMMITTEE = "steering_committee", _("Steering committee")
        STUDY_VISIT = "study_visit", _("Study visit")
        WORKSHOP = "workshop", _("Workshop")
        CONFERENCE = "conference", _("Conference")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    # What the search box matches (core.search.search_names), main name first.
    SEARCH_FIELDS = ("title", "title_en", "city", "translation_words")

    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    slug = models.SlugField(_("slug"), max_length=110, unique=True)
    slug_max_length = 100
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    format = models.CharField(_("format"), max_length=20, choices=Format, default=Format.IN_PERSON)
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(
        _("language of the text"), max_length=8, choices=CONTENT_LANGUAGES, default="en"
    )
    # The words of its staff translations, for the search by name (core.translations).
    translation_words = models.TextField(editable=False, blank=True, default="")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    all_day = models.BooleanField(
        _("dates only"),
        default=False,
        help_text=_(
            "Tick when only the days are known: pages and calendars then show the dates "
            "without hours."
        ),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=40,
        default="Europe/Brussels",
        validators=[validate_time_zone],
        help_text=_("Where the event takes place, or the organiser's time zone if online."),
    )
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    online_link = models.URLField(_("online link"), max_length=500, blank=True)
    organisers = models.ManyToManyField(
        Organisation, verbose_name=_("organisers"), blank=True, related_name="events_organised"
    )
    policy_instruments = models.ManyToManyField(
        PolicyInstrument,
        verbose_name=_("policy instruments discussed"),
        blank=True,
        related_name="events",
    )
    regions_represented = models.ManyToManyField(
        Region,
        verbose_name=_("regions represented"),
        blank=True,
        related_name="events_represented",
        help_text=_("The regions or countries whose people took part, as the sources name them."),
    )
    publication_state = models.CharField(
        _("publication state"),
        max_length=10,
        choices=PublicationState,
        default=PublicationState.PUBLISHED,
        db_index=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = EventQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[organisers, regions_represented])

    class Meta:
        ordering = ["-start"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["start"], name="event_start_idx"),
            # The listing's order (upcoming first) and the home page's next
            # events: read from this index alone, not from every event row.
            models.Index(
                fields=["publication_state", "end", "start"],
                include=["id"],
                name="event_listing_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")),
                name="event_end_after_start",
                violation_error_message=_("The event cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.display_title

    def get_absolute_url(self):
        return reverse("events:event-detail", kwargs={"slug": self.slug})

    def fill_derived_fields(self):
        if self.all_day and self.start and self.end:
            # Stored as whole days, so that "upcoming" and "past" hold until
            # the last day is over wherever the event takes place.
            try:
                zone = self.tzinfo
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                zone = None  # full_clean() names the bad zone
            if zone is not None:
                self.start, self.end = whole_days(self.start, self.end, zone)
        super().fill_derived_fields()

    def slug_source(self):
        if self.start is None:
            return None
        return f"{self.title_en or self.title} {self.start:%Y}"

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The event cannot end before it starts.")})
        if self.format in (self.Format.ONLINE, self.Format.HYBRID) and not self.online_link:
            # Past online events often have no link left to publish; only warn
            # for ones still to come.
            if self.end and self.end >= timezone.now():
                raise ValidationError(
                    {"online_link": _("An online or hybrid event needs its online link.")}
                )

    @property
    def display_title(self):
        return self.title_en or self.title

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_upcoming(self):
        return self.end >= timezone.now()

    @property
    def first_day(self):
        """The day the event starts, where it takes place."""
        return self.start.astimezone(self.tzinfo).date()

    @property
    def last_day(self):
        """The day the event ends, where it takes place."""
        return self.end.astimezone(self.tzinfo).date()


class Presentation(models.Model):
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="presentations"
    )
    title = models.CharField(_("title"), max_length=300)
    presenter = models.ForeignKey(
        Person,
        verbose_name=_("presenter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="presentations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="presentations",
    )
    practice = models.ForeignKey(
        GoodPractice,
        verbose_name=_("practice presented"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="presentations",
    )
    order = models.PositiveSmallIntegerField(_("order on the agenda"), default=0)

    class Meta:
        ordering = ["event", "order", "id"]
        verbose_name = _("presentation")
        verbose_name_plural = _("presentations")

    def __str__(self):
        return self.title

    @property
    def public_practice(self):
        """Return the practice presented if it is published, else None.

        A talk may present a practice still in draft: pages name it without
        a link then, never a link to a page that answers 404.
        """
        practice = self.practice
        if practice is None or practice.publication_state != PublicationState.PUBLISHED:
            return None
        return practice


class Material(models.Model):
    class Kind(models.TextChoices):
        SLIDES = "slides", _("Slides")
        REPORT = "report", _("Report")
        AGENDA = "agenda", _("Agenda")
        MINUTES = "minutes", _("Minutes")
        VIDEO = "video", _("Video")
        OTHER = "other", _("Other")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="materials"
    )
    presentation = models.ForeignKey(
        Presentation,
        verbose_name=_("presentation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="materials",
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.OTHER)
    file = models.FileField(_("file"), upload_to="materials/%Y/", blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=CONTENT_LANGUAGES, default="en"
    )

    class Meta:
        ordering = ["event", "title"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""),
                name="material_file_or_link",
                violation_error_message=_("Give a file or a link."),
            ),
        ]

    def __str__(self):
        return self.title


class ParticipationRole(models.TextChoices):
    """A participant's role at an event; empty when the sources do not state it."""

    PARTNER_REPRESENTATIVE = "partner", _("Partner representative")
    INVITED_EXPERT = "expert", _("Invited expert")
    SPEAKER = "speaker", _("Speaker")
    GUEST = "guest", _("Guest")
    HOST = "host", _("Host")


# For groups of people: "Partner representatives: 19 people".
ROLE_PLURALS = {
    ParticipationRole.PARTNER_REPRESENTATIVE: _("Partner representatives"),
    ParticipationRole.INVITED_EXPERT: _("Invited experts"),
    ParticipationRole.SPEAKER: _("Speakers"),
    ParticipationRole.GUEST: _("Guests"),
    ParticipationRole.HOST: _("Hosts"),
}


class ParticipantQuerySet(models.QuerySet):
    def for_page(self):
        """What a public page shows of a participant: never the person's e-mail address."""
        return self.select_related("person", "organisation", "organisation__region").only(
            "event_id",
            "role",
            "people_count",
            "person__name",
            "person__job_title",
            "organisation__slug",
            "organisation__name",
            "organisation__name_en",
            "organisation__acronym",
            "organisation__region__slug",
            "organisation__region__name",
            "organisation__region__name_en",
            "organisation__region__nuts_code",
            "organisation__region__path",
            "organisation__region__country_code",
        )


class Participant(models.Model):
    """An organisation, or a named person, that took part in an event."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="participants"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="participations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
        help_text=_("For a named person: the organisation they came from."),
    )
    role = models.CharField(
        _("role at the event"),
        max_length=20,
        choices=ParticipationRole,
        blank=True,
        help_text=_("Leave empty when the sources do not say."),
    )
    people_count = models.PositiveIntegerField(
        _("number of people"),
        null=True,
        blank=True,
        help_text=_("How many people came from the organisation, when known."),
    )

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["event", "organisation__name", "person__name", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organisation__isnull=False),
                name="participant_person_or_organisation",
                violation_error_message=_("Give the person's name or the organisation, or both."),
            ),
            models.CheckConstraint(
                condition=Q(people_count__isnull=True) | Q(people_count__gte=0),
                name="participant_count_not_negative",
                violation_error_message=_("The number of people cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=True) | Q(people_count__isnull=True),
                name="participant_person_without_count",
                violation_error_message=_(
                    "A named person is one person: leave the number of people empty."
                ),
            ),
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(person__isnull=False),
                name="participant_unique_person",
                violation_error_message=_("This person is already listed for the event."),
            ),
            models.UniqueConstraint(
                fields=["event", "organisation"],
                condition=Q(person__isnull=True),
                name="participant_unique_organisation",
                violation_error_message=_("This organisation is already listed for the event."),
            ),
        ]

    def __str__(self):
        if self.person_id and self.organisation_id:
            return f"{self.person} ({self.organisation})"
        return str(self.person or self.organisation)


class ParticipantGroup(models.Model):
    """People who took part without being named: "19 partner representatives from 7 regions"."""

    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="participant_groups",
    )
    role = models.CharField(
        _("role at the event"), max_length=20, choices=ParticipationRole, blank=True
    )
    description = models.CharField(
        _("who they were"),
        max_length=300,
        blank=True,
        help_text=_(
            "As the source puts it, in the event's language, e.g. “representatives of "
            "industry and public institutions”."
        ),
    )
    people_count = models.PositiveIntegerField(
        _("number of people"), null=True, blank=True, help_text=_("Empty when not stated.")
    )
    region_count = models.PositiveSmallIntegerField(
        _("number of regions they came from"),
        null=True,
        blank=True,
        help_text=_("When the source counts the regions without naming them all."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["event", "order", "id"]
        verbose_name = _("group of participants")
        verbose_name_plural = _("groups of participants")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="") | ~Q(description=""),
                name="participantgroup_says_who",
                violation_error_message=_("Give the group's role or say who they were."),
            ),
            models.CheckConstraint(
                condition=(Q(people_count__isnull=True) | Q(people_count__gte=0))
                & (Q(region_count__isnull=True) | Q(region_count__gte=0)),
                name="participantgroup_counts_not_negative",
                violation_error_message=_("A number of people or regions cannot be negative."),
            ),
        ]

    def __str__(self):
        who = self.get_role_display() if self.role else self.description
        return f"{self.people_count} × {who}" if self.people_count is not None else str(who)

    @property
    def role_plural(self):
        return ROLE_PLURALS.get(self.role, "")


class OutputQuerySet(PublishableQuerySet):
    def for_listing(self):
        return self.select_related("project", "event").prefetch_related(
            models.Prefetch(
                "regions", queryset=Region.objects.only("slug", "name", "name_en", "nuts_code")
            )
        )


class Output(Translatable, SlugMixin, models.Model):
    """What a project produced: a study, an analysis, a survey, an action plan, a report..."""

    class Kind(models.TextChoices):
        STUDY = "study", _("Study")
        REGIONAL_ANALYSIS = "regional_analysis", _("Regional analysis")
        SURVEY = "survey", _("Survey")
        ACTION_PLAN = "action_plan", _("Action plan")
        REPORT = "report", _("Report")
        PRESENTATION = "presentation", _("Presentation")
        OTHER = "other", _("Other")

    # What the search box matches (core.search.search_names), main name first.
    SEARCH_FIELDS = ("title", "summary", "translation_words")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=110, unique=True)
    slug_max_length = 100
    kind = models.CharField(_("type"), max_length=30, choices=Kind, default=Kind.OTHER)
    language = models.CharField(
        _("language"), max_length=8, choices=CONTENT_LANGUAGES, default="en"
    )
    date = models.DateField(
        _("date"), null=True, blank=True, help_text=_("Empty when the sources give none.")
    )
    summary = models.TextField(_("summary"), blank=True)
    # The words of its staff translations, for the search by name (core.translations).
    translation_words = models.TextField(editable=False, blank=True, default="")
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outputs",
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("event where it was presented"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outputs",
    )
    regions = models.ManyToManyField(
        Region, verbose_name=_("regions concerned"), blank=True, related_name="outputs"
    )
    file = models.FileField(_("file"), upload_to="outputs/%Y/", blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    publication_state = models.CharField(
        _("publication state"),
        max_length=10,
        choices=PublicationState,
        default=PublicationState.PUBLISHED,
        db_index=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = OutputQuerySet.as_manager()

    class Meta:
        ordering = [models.F("date").desc(nulls_last=True), "title", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""),
                name="output_file_or_link",
                violation_error_message=_("Give a file or a link."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        """Where the document is: its file (sent as a download) or its link."""
        if self.file:
            return reverse("documents:document-download", kwargs={"slug": self.slug})
        return self.url

    def slug_source(self):
        return self.title or None


class EventTranslation(ContentTranslation):
    """A staff-entered version of an event's title, summary and description (core.translations)."""

    FIELDS = ("title", "summary", "description")
    SEARCH_FIELDS = ("title",)

    master = TranslationsForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="translations"
    )
    translated_title = models.CharField(_("title"), max_length=300)
    translated_summary = models.TextField(_("summary"), blank=True)
    translated_description = models.TextField(_("description"), blank=True)

    class Meta(ContentTranslation.Meta):
        verbose_name = _("event translation")
        verbose_name_plural = _("event translations")


class OutputTranslation(ContentTranslation):
    """A staff-entered version of a document's title and summary (core.translations)."""

    FIELDS = ("title", "summary")
    SEARCH_FIELDS = ("title", "summary")

    master = TranslationsForeignKey(
        Output, verbose_name=_("document"), on_delete=models.CASCADE, related_name="translations"
    )
    translated_title = models.CharField(_("title"), max_length=300)
    translated_summary = models.TextField(_("summary"), blank=True)

    class Meta(ContentTranslation.Meta):
        verbose_name = _("document translation")
        verbose_name_plural = _("document translations")
