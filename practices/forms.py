"""Forms of the practices app: the public practice proposal."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.lookup import ComboboxInput, LookupField
from core.models import CONTENT_LANGUAGES, Organisation, Topic
from practices import uploads
from practices.models import Interest, PracticeProposal, PracticeStatus, SavedSearch
from practices.services import one_line, plain_text

HONEYPOT_FIELD = "homepage"


def honeypot_field():
    # Hidden from people; bots that fill every field give themselves away.
    return forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field taking several files, each checked by its content."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        files = [f for f in files if f]
        if len(files) > uploads.max_files():
            raise ValidationError(
                _("Attach at most %(max)d files."),
                code="too_many_files",
                params={"max": uploads.max_files()},
            )
        errors = []
        cleaned = []
        for uploaded in files:
            try:
                cleaned.append(super().clean(uploaded, initial))
                uploads.validate_upload(uploaded)
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return cleaned


class ProposalForm(forms.ModelForm):
    """The public proposal form, in the order of the Interreg Europe template."""

    organisation_name = forms.CharField(
        label=_("Organisation in charge"),
        max_length=255,
        required=False,
        widget=ComboboxInput("organisation"),
        help_text=_(
            "The main institution that runs the practice. Start typing to pick one we "
            "already know, or type its full name in its own language."
        ),
    )
    region = LookupField(
        kind="region",
        label=_("Region"),
        required=False,
        help_text=_(
            "Where the practice runs: the most precise region you can choose, e.g. the "
            "county rather than the country. Type part of its name or its NUTS code "
            "(e.g. Mazow or PL91) and choose it."
        ),
    )
    project = LookupField(
        kind="project",
        label=_("Project it is linked to"),
        required=False,
        help_text=_(
            "If you found the practice during an interregional project, type its acronym "
            "or title and choose it. Leave empty if it is not linked to a project."
        ),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every topic the practice is about."),
    )
    attachments = MultipleFileField(
        label=_("Attachments (optional)"),
        required=False,
        help_text=_(
            "Slides, a report or photos: PDF, DOCX, PPTX, ODT, ODP, PNG or JPEG, "
            "up to %(max_files)d files."
        ),
    )
    further_information = forms.URLField(
        label=_("Link to more information"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("A web page about the practice, e.g. on your website."),
    )
    homepage = honeypot_field()

    class Meta:
        model = PracticeProposal
        fields = [
            "title",
            "project",
            "region",
            "city",
            "summary",
            "organisation_name",
            *PracticeProposal.DESCRIPTION_FIELDS,
            "start_date",
            "end_date",
            "status",
            "topics",
            "keywords",
            "further_information",
            "language",
            "proposer_name",
            "proposer_organisation",
            "proposer_email",
            "consent_to_contact",
        ]
        labels = {
            "title": _("Title of the practice"),
            "city": _("City or town"),
            "summary": _("Summary"),
            "description": _("Detailed description"),
            "resources_needed": _("Resources needed"),
            "evidence_of_success": _("Evidence of success"),
            "difficulties": _("Difficulties and lessons learned"),
            "potential_for_transfer": _("Potential for learning or transfer"),
            "start_date": _("Start date"),
            "end_date": _("End date (if it has ended)"),
            "status": _("Is it still running?"),
            "keywords": _("Keywords"),
            "further_information": _("Link to more information"),
            "language": _("Language you write in"),
            "proposer_name": _("Your name"),
            "proposer_organisation": _("Your organisation"),
            "proposer_email": _("Your e-mail address"),
            "consent_to_contact": _("You may contact me about this practice"),
        }
        help_texts = {
            "title": _(
                "At most 100 characters. Name the practice itself, not the project or the "
                "organisation, e.g. “Regional 4.0 audit for SMEs”."
            ),
            "city": _("Where the organisation in charge is based, if it matters."),
            "summary": _(
                "Two or three sentences that make someone want to read more: what it is, "
                "for whom, and its main result."
            ),
            "description": _(
                "What the practice is, who it is for, how it works step by step, and who "
                "runs it. Write for someone from another country."
            ),
            "resources_needed": _(
                "What it takes to run: budget (in euro, per year or in total), staff, "
                "equipment, partners."
            ),
            "evidence_of_success": _(
                "Results you can count or show: companies supported, jobs, money raised, "
                "evaluations. Say how you know."
            ),
            "difficulties": _(
                "What went wrong or was hard, and what you would do differently. Lessons "
                "from failures are valuable too."
            ),
            "potential_for_transfer": _(
                "Why another region could learn from it or adopt it, and what it would "
                "need to do so."
            ),
            "start_date": _("When the practice started, as exactly as you know it."),
            "end_date": _("Leave empty if it is still running."),
            "keywords": _("A few words people might search for, separated by commas."),
            "further_information": _("A web page about the practice, e.g. on your website."),
            "language": _(
                "Write in the language you know best; we show readers which language it is."
            ),
            "proposer_name": _("So that we know whom to write to."),
            "proposer_organisation": _("Optional."),
            "proposer_email": _(
                "We send a confirmation link to this address. It is never shown on the website."
            ),
            "consent_to_contact": _(
                "Staff may write to you with questions, and put interested regions in touch "
                "with you. Your address is never published."
            ),
        }
        error_messages = {
            "title": {"required": _("Enter the title of the practice.")},
            "summary": {"required": _("Enter a short summary of the practice.")},
            "proposer_name": {"required": _("Enter your name.")},
            "proposer_email": {
                "required": _("Enter your e-mail address: we send the confirmation link there."),
                "invalid": _("Enter an e-mail address like name@example.org."),
            },
        }
        widgets = {
            "title": forms.TextInput(attrs={"data-counter": "true", "autocomplete": "off"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "resources_needed": forms.Textarea(attrs={"rows": 4}),
            "evidence_of_success": forms.Textarea(attrs={"rows": 4}),
            "difficulties": forms.Textarea(attrs={"rows": 4}),
            "potential_for_transfer": forms.Textarea(attrs={"rows": 4}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "status": forms.RadioSelect,
            "proposer_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "proposer_organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
            "proposer_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = list(PracticeStatus.choices)
        self.fields["language"].choices = list(CONTENT_LANGUAGES)
        self.fields["attachments"].help_text = self.fields["attachments"].help_text % {
            "max_files": uploads.max_files()
        }
        self.fields["attachments"].widget.attrs["accept"] = uploads.accept_attribute()
        # Every field is bounded; the browser shows the limit too.
        for name in ("summary", "description", "city", "keywords"):
            self.fields[name].widget.attrs.setdefault(
                "maxlength", str(self.fields[name].max_length)
            )
        if self.instance.pk:
            self.fields["organisation_name"].initial = (
                self.instance.organisation.name
                if self.instance.organisation_id
                else self.instance.organisation_name
            )
            self.fields["attachments"].label = _("More attachments (optional)")
        elif not self.is_bound:
            language = (get_language() or "en").split("-")[0]
            if language in dict(CONTENT_LANGUAGES):
                self.fields["language"].initial = language

    def topic_options(self):
        """The topic checkboxes as (id, value, label, checked), for one template loop."""
        field = self["topics"]
        selected = {str(getattr(value, "pk", value)) for value in field.value() or ()}
        return [
            (f"{field.auto_id}_{index}", str(value), label, str(value) in selected)
            for index, (value, label) in enumerate(field.field.choices)
        ]

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        # Files already attached stay; a resubmission may add more up to the limit.
        existing = self.instance.attachments.count() if self.instance.pk else 0
        if files and existing + len(files) > uploads.max_files():
            raise ValidationError(
                _("A proposal may have at most %(max)d files; it already has %(existing)d."),
                code="too_many_files",
                params={"max": uploads.max_files(), "existing": existing},
            )
        return files

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return cleaned

    def save(self, commit=True):
        proposal = super().save(commit=False)
        name = self.cleaned_data.get("organisation_name", "").strip()
        organisation = None
        if name:
            organisation = (
                Organisation.objects.filter(Q(name__iexact=name) | Q(name_en__iexact=name))
                .order_by("pk")
                .first()
            )
        proposal.organisation = organisation
        proposal.organisation_name = "" if organisation else name
        if commit:
            proposal.save()
            self.save_m2m()
        return proposal

    def is_spam(self):
        """Return True when the hidden honeypot field was filled in."""
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())


class ReviewMessageForm(forms.Form):
    """The message staff send with "request changes" or "decline"."""

    message = forms.CharField(
        label=_("Message to the proposer"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text=_(
            "Sent by e-mail and shown on the proposer's status page. Be specific and "
            "write in plain words."
        ),
    )


CONTACT_MESSAGE_MAX_LENGTH = 5000


class VisitorFormMixin:
    """What the public forms of a practice share: a honeypot and their sections.

    ``sections`` is ``[(legend, [field names])]``; the one template
    ``practices/_visitor_form.html`` lays every such form out.
    """

    sections = ()

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.sections]

    def is_spam(self):
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())


class ContactForm(VisitorFormMixin, forms.Form):
    """A visitor's message to the people behind a practice (plain text, relayed)."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your name.")},
    )
    email = forms.EmailField(
        label=_("Your e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your e-mail address: the reply comes there."),
            "invalid": _("Enter an e-mail address like name@example.org."),
        },
        help_text=_(
            "Their reply comes to this address. We do not show it to them: they see it "
            "only in the reply they write."
        ),
    )
    organisation = forms.CharField(
        label=_("Your organisation"),
        max_length=255,
        required=False,
        help_text=_("Optional."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=CONTACT_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text, at most 5,000 characters."),
        error_messages={"required": _("Write your message.")},
    )
    consent = forms.BooleanField(
        label=_("I agree that the portal passes my name, organisation, e-mail and message on."),
        help_text=_("We keep your message only until it is sent; then only its date remains."),
        error_messages={"required": _("Tick this box so that we may pass your message on.")},
    )
    homepage = honeypot_field()
    sections = [
        (_("Your message"), ["message"]),
        (_("About you"), ["name", "organisation", "email", "consent"]),
    ]

    def clean_name(self):
        return self._one_line("name")

    def clean_organisation(self):
        return self._one_line("organisation")

    def _one_line(self, name):
        value = one_line(self.cleaned_data[name])
        if self.fields[name].required and not value:
            raise ValidationError(self.fields[name].error_messages["required"], code="required")
        return value

    def clean_message(self):
        value = plain_text(self.cleaned_data["message"])
        if not value:
            raise ValidationError(
                self.fields["message"].error_messages["required"], code="required"
            )
        return value


class InterestForm(VisitorFormMixin, forms.ModelForm):
    """ "We want to learn from this": who, where, what, and an address to confirm."""

    region = LookupField(
        kind="region",
        label=_("Your region"),
        help_text=_("Type part of its name or its NUTS code (e.g. Mazow or PL91) and choose it."),
        error_messages={"required": _("Choose your region.")},
    )
    homepage = honeypot_field()
    sections = [(_("About you"), ["organisation", "region", "note", "email", "show_region"])]

    class Meta:
        model = Interest
        fields = ["organisation", "region", "note", "email", "show_region"]
        # The model's labels name the person for staff; the visitor is "you".
        labels = {"organisation": _("Your organisation"), "email": _("Your e-mail")}
        help_texts = {
            "note": _("Optional, at most 1,000 characters: what you would like to know or see."),
            "email": _(
                "We send a confirmation link to this address. It is never shown on the website."
            ),
            "show_region": _(
                "If you agree, the practice page names your region among those interested. "
                "Otherwise it is only counted."
            ),
        }
        error_messages = {
            "organisation": {"required": _("Enter the name of your organisation.")},
            "email": {
                "required": _("Enter your e-mail address: we send the confirmation link there."),
                "invalid": _("Enter an e-mail address like name@example.org."),
            },
        }
        widgets = {
            "organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
            "note": forms.Textarea(attrs={"rows": 4, "maxlength": "1000"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def clean_organisation(self):
        value = one_line(self.cleaned_data["organisation"])
        if not value:
            raise ValidationError(_("Enter the name of your organisation."), code="required")
        return value

    def clean_note(self):
        return plain_text(self.cleaned_data["note"])


class SavedSearchForm(VisitorFormMixin, forms.ModelForm):
    """ "E-mail me new practices like these": an address to confirm and how often."""

    homepage = honeypot_field()
    sections = [(_("Your alert"), ["email", "frequency"])]

    class Meta:
        model = SavedSearch
        fields = ["email", "frequency"]
        labels = {"email": _("Your e-mail")}
        help_texts = {
            "email": _(
                "We send a confirmation link to this address, then the digests. It is never "
                "shown on the website and is deleted when you unsubscribe."
            ),
        }
        error_messages = {
            "email": {
                "required": _("Enter your e-mail address: we send the confirmation link there."),
                "invalid": _("Enter an e-mail address like name@example.org."),
            },
            "frequency": {"required": _("Choose how often you want the e-mail.")},
        }
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "frequency": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A radio list without its empty "---------" choice.
        self.fields["frequency"].choices = SavedSearch.Frequency.choices


class FrequencyForm(forms.Form):
    """The "manage my alerts" page: how often the digest comes."""

    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=SavedSearch.Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how often you want the e-mail.")},
    )
