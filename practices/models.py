"""Good practices, the regions that adopted them, and proposals from visitors."""

import datetime
import hashlib
import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Length, Lower, Trim
from django.db.models.lookups import In, LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from parler.fields import TranslationsForeignKey
from parler.models import TranslatableModelMixin
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
    Topic,
)
from core.translations import ContentTranslation

TITLE_MAX_LENGTH = 100


class PracticeStatus(models.TextChoices):
    ONGOING = "ongoing", _("Ongoing")
    ENDED = "ended", _("Ended")
    # The default: a status nobody stated is not guessed as "ongoing".
    NOT_STATED = "unknown", _("Not stated")


# What partners type in a template section they have not written yet: such a
# section counts as missing, like an empty one. Lower-case ASCII, compared
# after trimming spaces and lowering case (the same in SQL and in Python).
PLACEHOLDER_TEXTS = frozenset(
    {"", "-", "--", ".", "..", "...", "?", "x", "tbd", "tba", "tbc", "n/a", "na", "none", "todo"}
)


def section_written(text):
    """Whether a template section holds text rather than nothing or a placeholder."""
    return text.strip(" ").lower() not in PLACEHOLDER_TEXTS


def completeness_expression(fields):
    """Return the SQL expression of ``section_written`` summed over ``fields``, as a percentage."""
    written = [
        Case(
            When(In(Lower(Trim(name)), sorted(PLACEHOLDER_TEXTS)), then=Value(0)),
            default=Value(1),
        )
        for name in fields
    ]
    total = written[0]
    for term in written[1:]:
        total = total + term
    return total * Value(100) / Value(len(fields))


class PracticeContent(models.Model):
    """The fields of the Interreg Europe good-practice template.

    Shared by published practices and by visitors' proposals, so that
    accepting a proposal carries every field over (``content()``).
    """

    # The template's long texts, in its order: the "Description" section of
    # the form, the admin, the exports and the API, after the summary.
    DESCRIPTION_FIELDS = (
        "description",
        "resources_needed",
        "evidence_of_success",
        "difficulties",
        "potential_for_transfer",
    )

    title = models.CharField(
        _("title"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("At most 100 characters. Name the practice, not the project."),
    )
    summary = models.TextField(
        _("summary"),
        max_length=2000,
        help_text=_("Two or three sentences for the listing: what it is and what it achieved."),
    )
    description = models.TextField(
        _("detailed description"),
        max_length=20000,
        blank=True,
        help_text=_("What the practice is, who it is for and how it works."),
    )
    resources_needed = models.TextField(
        _("resources needed"),
        max_length=5000,
        blank=True,
        help_text=_("Money, staff and equipment it takes to run it."),
    )
    evidence_of_success = models.TextField(
        _("evidence of success"),
        max_length=5000,
        blank=True,
        help_text=_("Tangible, measurable results achieved so far."),
    )
    difficulties = models.TextField(
        _("difficulties encountered and lessons learned"), max_length=5000, blank=True
    )
    potential_for_transfer = models.TextField(
        _("potential for learning or transfer"),
        max_length=5000,
        blank=True,
        help_text=_("Why another region could learn from it or adopt it."),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PracticeStatus, default=PracticeStatus.NOT_STATED
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    keywords = models.CharField(_("keywords"), max_length=255, blank=True)
    further_information = models.URLField(
        _("further information (web link)"), max_length=500, blank=True
    )
    language = models.CharField(
        _("original language"),
        max_length=8,
        choices=CONTENT_LANGUAGES,
        default="en",
        help_text=_("The language the texts of this practice are written in."),
    )

    class Meta:
        abstract = True

    def content(self):
        """Return every field of the template as ``{name: value}``."""
        return {field.name: getattr(self, field.name) for field in PracticeContent._meta.fields}


class GoodPracticeQuerySet(PublishableQuerySet):
    def for_listing(self):
        return self.select_related("region", "organisation").order_by("-published_at", "-id")

    def active_in(self, year):
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        return self.filter(
            Q(start_date__lte=end) | Q(start_date__isnull=True),
            Q(end_date__gte=start) | Q(end_date__isnull=True),
        )


class GoodPractice(TranslatableModelMixin, SlugMixin, PracticeContent):
    slug = models.SlugField(_("slug"), max_length=110, unique=True)
    slug_max_length = 100
    # The fixed routes of practices/urls.py that come before the detail page.
    reserved_slugs = frozenset({"propose", "proposals", "interests", "alerts"})
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practices",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation in charge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practices",
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="practices"
    )
    projects = models.ManyToManyField(
        Project, verbose_name=_("projects"), blank=True, related_name="practices"
    )
    policy_instruments = models.ManyToManyField(
        PolicyInstrument,
        verbose_name=_("policy instruments it influenced"),
        blank=True,
        related_name="practices",
    )
    contact = models.ForeignKey(
        Person,
        verbose_name=_("contact person (private)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practices_in_contact",
    )
    expert_opinion = models.TextField(_("expert opinion"), blank=True)
    # The verdict in force, copied from the last recorded ``Validation`` by
    # practices.services.record_verdict: cards, filters, the API and exports
    # read it without a join. Empty when the last verdict was "not validated".
    validated_on = models.DateField(_("validated on"), null=True, blank=True, editable=False)
    validated_by = models.CharField(_("validated by"), max_length=200, blank=True, editable=False)
    validation_summary = models.TextField(
        _("summary of the validation"), blank=True, editable=False
    )
    # The substance (texts) as validated; a later save with other texts sets
    # edited_since_validation ("validated on <date>, edited since").
    validation_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    edited_since_validation = models.BooleanField(
        _("edited since its validation"), default=False, editable=False
    )
    publication_state = models.CharField(
        _("publication state"),
        max_length=10,
        choices=PublicationState,
        default=PublicationState.DRAFT,
        db_index=True,
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # When the portal first showed it, whatever date ``published_at`` states
    # (an imported or approved practice may carry its original one): alert
    # digests list the practices made public since the last digest.
    first_public_at = models.DateTimeField(
        _("first made public on the portal"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    # Filled by a PostgreSQL trigger (see the search migration); unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    # The share of the template's sections written (not empty, not a
    # placeholder), computed and stored by the database on every write, bulk
    # ones included, so that staff can sort and filter 100,000 practices by it.
    completeness = models.GeneratedField(
        expression=completeness_expression(PracticeContent.DESCRIPTION_FIELDS),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
        verbose_name=_("completeness (%)"),
    )

    objects = GoodPracticeQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[topics, projects], excluded_fields=["search_vector", "completeness"]
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        indexes = [
            models.Index(
                fields=["publication_state", "-published_at"], name="practice_published_idx"
            ),
            models.Index(fields=["title"], name="practice_title_idx"),
            # The listing's validated=1 filter, newest first: a few practices
            # among 100,000, never found by walking the publication index.
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(validated_on__isnull=False),
                name="practice_validated_idx",
            ),
            models.Index(fields=["completeness", "id"], name="practice_completeness_idx"),
            # A region page ranks its transfers by their practices' titles,
            # published ones only: an index-only lookup for each, not a heap visit.
            models.Index(
                fields=["id"],
                include=["title"],
                condition=Q(publication_state=PublicationState.PUBLISHED),
                name="practice_published_title_idx",
            ),
            # The alert digests' window: what became public since the last run.
            models.Index(
                fields=["publication_state", "first_public_at"], name="practice_first_public_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(LessThanOrEqual(Length("title"), TITLE_MAX_LENGTH)),
                name="practice_title_max_100",
                violation_error_message=_("The title may have at most 100 characters."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="practice_end_after_start",
                violation_error_message=_("The practice cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.publication_state == PublicationState.PUBLISHED:
            now = timezone.now()
            if not self.published_at:
                self.published_at = now
            if not self.first_public_at:
                self.first_public_at = now
        if self.validation_fingerprint and kwargs.get("update_fields") is None:
            self.edited_since_validation = self.fingerprint() != self.validation_fingerprint
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("practices:practice-detail", kwargs={"slug": self.slug})

    def slug_source(self):
        # None without a title: an import refuses such a row, with no "item" slug made.
        return self.title or None

    def missing_sections(self):
        """Return the names of the template sections nobody has written yet.

        The same definition as ``completeness``: empty or a placeholder.
        """
        return [
            self._meta.get_field(name).verbose_name
            for name in self.DESCRIPTION_FIELDS
            if not section_written(getattr(self, name))
        ]

    @property
    def keyword_list(self):
        return [k.strip() for k in self.keywords.split(",") if k.strip()]

    # What an expert judged: the texts. A new date, link or topic is no new substance.
    SUBSTANCE_FIELDS = ("title", "summary", *PracticeContent.DESCRIPTION_FIELDS)

    def fingerprint(self):
        """Return a digest of the substance, ignoring changes of white space only."""
        texts = (" ".join(getattr(self, name).split()) for name in self.SUBSTANCE_FIELDS)
        return hashlib.sha256("\x1f".join(texts).encode()).hexdigest()


class Validation(models.Model):
    """An expert's or panel's opinion on a practice: kept, never rewritten.

    Editors propose one (no verdict); a portal administrator records the
    verdict (practices.services.record_verdict), which the practice then shows.
    """

    # The practice carries the verdict in force: a proposal changes no public page.
    public_content = False

    class Verdict(models.TextChoices):
        VALIDATED = "validated", _("Validated")
        NOT_VALIDATED = "not_validated", _("Not validated")

    practice = models.ForeignKey(
        GoodPractice,
        verbose_name=_("practice"),
        on_delete=models.CASCADE,
        related_name="validations",
    )
    expert = models.CharField(
        _("validated by"), max_length=200, help_text=_("A named expert or panel.")
    )
    date = models.DateField(_("date of the opinion"))
    summary = models.TextField(
        _("public summary of the opinion"),
        max_length=3000,
        help_text=_("Shown on the practice page when the practice is validated."),
    )
    verdict = models.CharField(
        _("verdict"),
        max_length=20,
        choices=Verdict,
        blank=True,
        help_text=_("Recorded by a portal administrator; empty while the validation is proposed."),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verdict recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    recorded_at = models.DateTimeField(_("verdict recorded"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("validation")
        verbose_name_plural = _("validations")

    def __str__(self):
        return f"{self.practice} – {self.expert} ({self.date})"

    @property
    def is_recorded(self):
        return bool(self.verdict)


class PracticeTranslation(ContentTranslation):
    """A staff-entered version of a practice's texts in one interface language.

    The practice's own fields stay the original, in whatever language it was
    written (``language``); a translation is extra. Its fields are named
    ``translated_<field>`` so that ``practice.title`` keeps meaning the
    original everywhere (django-parler proxies these names onto the practice
    for the active language).
    """

    # The practice's texts a translation carries, by their names on the practice.
    FIELDS = ("title", "summary", *PracticeContent.DESCRIPTION_FIELDS)
    # None for the search by name: practices have their own index (search_index.py).
    SEARCH_FIELDS = ()

    master = TranslationsForeignKey(
        GoodPractice,
        verbose_name=_("practice"),
        on_delete=models.CASCADE,
        related_name="translations",
    )
    translated_title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    translated_summary = models.TextField(_("summary"), max_length=2000, blank=True)
    translated_description = models.TextField(
        _("detailed description"), max_length=20000, blank=True
    )
    translated_resources_needed = models.TextField(
        _("resources needed"), max_length=5000, blank=True
    )
    translated_evidence_of_success = models.TextField(
        _("evidence of success"), max_length=5000, blank=True
    )
    translated_difficulties = models.TextField(
        _("difficulties encountered and lessons learned"), max_length=5000, blank=True
    )
    translated_potential_for_transfer = models.TextField(
        _("potential for learning or transfer"), max_length=5000, blank=True
    )

    class Meta:
        verbose_name = _("practice translation")
        verbose_name_plural = _("practice translations")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["language_code", "master"],
                name="practice_translation_unique_language",
                violation_error_message=_("This practice already has a version in this language."),
            ),
        ]


class PracticeTally(models.Model):
    """Published practices counted per region, per topic and year, per project.

    Kept exact by database triggers (``practices/tally.py``), read by the
    insights page's charts without filters or with a topic only, instead of
    counting 87,000 practices and their links. ``scope``: every published
    practice (0) or those of one topic (its id); ``key`` is a region (0:
    none), topic or project id.
    """

    scope = models.IntegerField()
    kind = models.CharField(max_length=8)  # "region", "topic" or "project"
    key = models.IntegerField()
    # Topics: the practice's year (start, else publication), 0 for none.
    year = models.IntegerField()
    # Regions and projects: the practices' completeness.
    completeness = models.PositiveSmallIntegerField()
    practices = models.IntegerField()

    class Meta:
        # Written by the database only: no one edits it.
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "kind", "key", "year", "completeness"],
                name="practice_tally_scope_key",
            )
        ]

    def __str__(self):
        return (
            f"{self.scope} {self.kind} {self.key} {self.year} {self.completeness}: {self.practices}"
        )


class Transfer(models.Model):
    """A region learning from a practice, from interest to adoption: what no peer portal records."""

    class State(models.TextChoices):
        INTERESTED = "interested", _("Interested")
        STUDY_VISIT = "study_visit", _("In study visit")
        ADOPTING = "adopting", _("Adopting")
        ADOPTED = "adopted", _("Adopted")
        DROPPED = "dropped", _("Dropped")

    # Learning, not yet adopted: what a region page lists as wanted.
    LEARNING = (State.INTERESTED, State.STUDY_VISIT, State.ADOPTING)

    practice = models.ForeignKey(
        GoodPractice,
        verbose_name=_("practice"),
        on_delete=models.CASCADE,
        related_name="transfers",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("adopting region"),
        on_delete=models.PROTECT,
        related_name="transfers_in",
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Every record before the states existed was an adoption.
    state = models.CharField(
        _("state"), max_length=12, choices=State, default=State.ADOPTED, db_index=True
    )
    organisation_name = models.CharField(_("organisation"), max_length=255, blank=True)
    show_region = models.BooleanField(
        _("region shown on public pages"),
        default=True,
        help_text=_("Untick when the region did not agree to be named; it is still counted."),
    )

    class Meta:
        ordering = ["year", "region__name"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "region"],
                name="transfer_unique_practice_region",
                violation_error_message=_("This region is already recorded as adopting it."),
            ),
        ]

    def __str__(self):
        return f"{self.practice} → {self.region}"


class ProposalQuerySet(models.QuerySet):
    def in_queue(self):
        """Proposals the proposer has confirmed, i.e. the ones staff review."""
        return self.exclude(state=PracticeProposal.State.UNCONFIRMED)


class PracticeProposal(PracticeContent):
    # No public page shows a proposal: its edits leave cached pages alone.
    public_content = False

    class State(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Waiting for e-mail confirmation")
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("In review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    # Unguessable, and the only key to the proposer's private status page.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation in charge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    organisation_name = models.CharField(
        _("organisation in charge (if not listed)"), max_length=255, blank=True
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="proposals"
    )
    proposer_name = models.CharField(_("your name"), max_length=200)
    proposer_email = models.EmailField(_("your e-mail"), max_length=254)
    # A new address the proposer typed in the edit form: mail keeps going to
    # proposer_email until the link sent to this one is opened.
    pending_email = models.EmailField(
        _("new e-mail, not yet confirmed"), max_length=254, blank=True, editable=False
    )
    proposer_organisation = models.CharField(_("your organisation"), max_length=255, blank=True)
    consent_to_contact = models.BooleanField(
        _("I agree to be contacted about this proposal"), default=False
    )
    # The interface language the proposer used, so that later e-mails (sent
    # from an editor's admin session) reach them in that language.
    proposer_language = models.CharField(
        _("proposer's interface language"), max_length=8, blank=True, editable=False
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State, default=State.UNCONFIRMED, db_index=True
    )
    reviewer_message = models.TextField(_("message to the proposer"), blank=True)
    reviewer_notes = models.TextField(_("internal notes"), blank=True)
    practice = models.OneToOneField(
        GoodPractice,
        verbose_name=_("resulting practice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposal",
    )
    submitter_ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = ProposalQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["submitter_ip_hash"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("practice proposal")
        verbose_name_plural = _("practice proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(LessThanOrEqual(Length("title"), TITLE_MAX_LENGTH)),
                name="proposal_title_max_100",
            ),
        ]

    def __str__(self):
        return self.title


class ProposalAttachment(models.Model):
    public_content = False

    proposal = models.ForeignKey(
        PracticeProposal, on_delete=models.CASCADE, related_name="attachments"
    )
    # Stored under a random name outside the static root; see practices.uploads.
    file = models.FileField(_("file"), upload_to="proposals/%Y/%m/")
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class ContactMessage(models.Model):
    """A visitor's message relayed to the people behind a practice.

    What was typed (and the sender's address) is kept only until the mail
    is sent, so that a mail server that is down loses nothing; staff see the
    metadata only. ``state`` makes each message go out at most once.
    """

    public_content = False

    class Recipient(models.TextChoices):
        OWNER = "owner", _("the practice's contact person")
        EDITORS = "editors", _("the project's editors")

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")

    practice = models.ForeignKey(
        GoodPractice,
        verbose_name=_("practice"),
        on_delete=models.CASCADE,
        related_name="contact_messages",
    )
    recipient = models.CharField(_("relayed to"), max_length=10, choices=Recipient)
    state = models.CharField(
        _("state"), max_length=10, choices=State, default=State.WAITING, db_index=True
    )
    sender_name = models.CharField(max_length=200, blank=True)
    sender_email = models.EmailField(max_length=254, blank=True)
    sender_organisation = models.CharField(max_length=255, blank=True)
    body = models.TextField(blank=True)
    length = models.PositiveIntegerField(_("length of the message (characters)"), default=0)
    language = models.CharField(max_length=8, blank=True)
    sender_ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts to send"), default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("relayed message")
        verbose_name_plural = _("relayed messages")

    def __str__(self):
        return f"{self.practice} ({self.created_at:%Y-%m-%d %H:%M})"


class Interest(models.Model):
    """A visitor's "we want to learn from this", kept until staff turn it into a transfer.

    The address is confirmed by a link (double opt-in); unconfirmed interests
    expire (``manage.py expire_proposals``). No public page shows an interest:
    the transfer made from it does.
    """

    public_content = False

    class State(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Waiting for e-mail confirmation")
        CONFIRMED = "confirmed", _("Confirmed, to review")
        TRANSFERRED = "transferred", _("Turned into a transfer")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(
        GoodPractice, verbose_name=_("practice"), on_delete=models.CASCADE, related_name="interests"
    )
    organisation = models.CharField(_("your organisation"), max_length=255)
    region = models.ForeignKey(
        Region, verbose_name=_("your region"), on_delete=models.PROTECT, related_name="interests"
    )
    note = models.TextField(_("what you would like to learn"), max_length=1000, blank=True)
    email = models.EmailField(_("your e-mail"), max_length=254)
    show_region = models.BooleanField(
        _("Show our region on the practice page"), default=False, blank=True
    )
    language = models.CharField(max_length=8, blank=True, editable=False)
    state = models.CharField(
        _("state"), max_length=12, choices=State, default=State.UNCONFIRMED, db_index=True
    )
    transfer = models.ForeignKey(
        Transfer,
        verbose_name=_("transfer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interests",
        editable=False,
    )
    submitter_ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("interest in learning")
        verbose_name_plural = _("interests in learning")

    def __str__(self):
        return f"{self.organisation} → {self.practice}"


class SavedSearch(models.Model):
    """A saved search of the practice listing whose new practices are e-mailed as a digest.

    Confirmed by a link (double opt-in); unconfirmed ones expire
    (``manage.py send_alerts``). Unsubscribing deletes the row, so the
    address lives only as long as the subscription. ``filters`` is the
    listing's filter state as a canonical query string: subscriptions to the
    same search in the same language are sent from one query.
    """

    public_content = False

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")

    class State(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Waiting for e-mail confirmation")
        CONFIRMED = "confirmed", _("Confirmed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("your e-mail"), max_length=254)
    filters = models.CharField(_("search"), max_length=2000, blank=True, editable=False)
    language = models.CharField(_("language"), max_length=8, editable=False)
    frequency = models.CharField(
        _("how often"), max_length=8, choices=Frequency, default=Frequency.WEEKLY
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State, default=State.UNCONFIRMED, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, editable=False)
    # The high-water mark: every practice made public (first_public_at) up to
    # this moment was either sent or not new. The next digest lists the later.
    sent_until = models.DateTimeField(null=True, blank=True, editable=False)
    next_due_at = models.DateTimeField(_("next digest due"), null=True, blank=True, editable=False)
    # Set while one run sends this subscription's digest: a second run skips it.
    claim = models.UUIDField(null=True, blank=True, editable=False, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_sent_at = models.DateTimeField(_("last digest"), null=True, blank=True, editable=False)
    digests_sent = models.PositiveIntegerField(_("digests sent"), default=0, editable=False)
    last_error = models.CharField(max_length=200, blank=True, editable=False)
    submitter_ip_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("saved search with alerts")
        verbose_name_plural = _("saved searches with alerts")
        indexes = [models.Index(fields=["state", "next_due_at"], name="savedsearch_due_idx")]

    def __str__(self):
        return f"{self.get_frequency_display()}: {self.filters or '*'}"
