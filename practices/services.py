"""The proposal workflow: submission, confirmation, review and its e-mails.

Every state change goes through one function here; the table of allowed
transitions is the whole state machine. Views and admin actions call these
functions and never set ``PracticeProposal.state`` themselves.
"""

import calendar
import datetime
import hashlib
import logging
import re
import smtplib
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Min, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.admin_scoping import is_portal_admin
from core.models import Organisation, Person, PublicationState
from infra.links import url_for_slug
from infra.text import one_line
from practices import uploads
from practices.filters import filter_chips, saved_filterset
from practices.models import (
    ContactMessage,
    GoodPractice,
    Interest,
    PracticeProposal,
    SavedSearch,
    Transfer,
    Validation,
)
from practices.selectors import version_annotations

logger = logging.getLogger(__name__)

State = PracticeProposal.State

CONFIRM_SALT = "practices.proposal.confirm"
STATUS_SALT = "practices.proposal.status"
EMAIL_SALT = "practices.proposal.email"
DEFAULT_CONFIRM_MAX_AGE = 3 * 24 * 60 * 60
DEFAULT_STATUS_MAX_AGE = 365 * 24 * 60 * 60
PORTAL_ADMINS_GROUP = "Portal administrators"

# action -> (states it may start from, state it leads to)
TRANSITIONS = {
    "confirm": ({State.UNCONFIRMED}, State.SUBMITTED),
    "start_review": ({State.SUBMITTED}, State.IN_REVIEW),
    "request_changes": ({State.SUBMITTED, State.IN_REVIEW}, State.CHANGES_REQUESTED),
    "resubmit": ({State.CHANGES_REQUESTED}, State.SUBMITTED),
    "accept": ({State.SUBMITTED, State.IN_REVIEW}, State.ACCEPTED),
    "decline": ({State.SUBMITTED, State.IN_REVIEW, State.CHANGES_REQUESTED}, State.DECLINED),
}

ACTION_LABELS = {
    "confirm": _("confirm"),
    "start_review": _("start the review of"),
    "request_changes": _("request changes to"),
    "resubmit": _("resubmit"),
    "accept": _("accept"),
    "decline": _("decline"),
}


class NoAddressWaiting(Exception):
    """Raised when an address-change link names an address that is no longer waiting."""


class IllegalTransition(Exception):
    """Raised when an action does not apply to a proposal in its current state."""

    def __init__(self, proposal, action):
        self.proposal = proposal
        self.action = action
        self.state = State(proposal.state)
        super().__init__(
            _("Cannot %(action)s “%(title)s”: it is “%(state)s”.")
            % {"action": ACTION_LABELS[action], "title": proposal.title, "state": self.state.label}
        )


def _transition(proposal, action, *, user=None, **changes):
    """Move ``proposal`` along ``action`` under a row lock; return the fresh row."""
    sources, target = TRANSITIONS[action]
    locked = PracticeProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.state not in sources:
        raise IllegalTransition(locked, action)
    locked.state = target
    for field, value in changes.items():
        setattr(locked, field, value)
    if user is not None and user.is_authenticated:
        locked._history_user = user
    locked.save()
    return locked


# Signed links -----------------------------------------------------------------


def confirm_max_age():
    value = getattr(settings, "PROPOSAL_CONFIRM_MAX_AGE", DEFAULT_CONFIRM_MAX_AGE)
    if isinstance(value, datetime.timedelta):
        return value
    return datetime.timedelta(seconds=int(value))


def confirm_max_age_days():
    """The time to confirm, in whole days (at least one), as the e-mails say it."""
    return max(1, round(confirm_max_age().total_seconds() / 86400))


def confirm_cutoff(now=None):
    """Rows created before this and still unconfirmed have outlived their link."""
    return (now or timezone.now()) - confirm_max_age()


def _save_unconfirmed(row, *, language, ip_address):
    """Save a visitor's new row (interest, saved search), unconfirmed until its link is opened."""
    row.state = type(row).State.UNCONFIRMED
    row.language = (language or settings.LANGUAGE_CODE)[:8]
    row.submitter_ip_hash = hash_ip(ip_address) if ip_address else ""
    row.full_clean()
    row.save()


def delete_unconfirmed(model, *, now=None):
    """Delete the unconfirmed rows of ``model`` (and so their address) whose link expired."""
    deleted, _by_model = model.objects.filter(
        state=model.State.UNCONFIRMED, created_at__lt=confirm_cutoff(now)
    ).delete()
    return deleted


def confirmation_token(proposal):
    return signing.dumps(str(proposal.public_id), salt=CONFIRM_SALT)


def status_max_age():
    return datetime.timedelta(
        seconds=int(getattr(settings, "PROPOSAL_STATUS_MAX_AGE", DEFAULT_STATUS_MAX_AGE))
    )


def status_token(proposal):
    # Timestamped: a link works for status_max_age() after it was made. Every
    # e-mail to the proposer brings a fresh one, so a review lasting months
    # keeps a working link.
    return signing.dumps(str(proposal.public_id), salt=STATUS_SALT)


def proposal_from_confirmation_token(token):
    """Return the proposal; raise signing.SignatureExpired, signing.BadSignature
    or PracticeProposal.DoesNotExist."""
    public_id = signing.loads(token, salt=CONFIRM_SALT, max_age=confirm_max_age())
    return PracticeProposal.objects.get(public_id=public_id)


def email_change_token(proposal):
    # Names the address too: a later change makes the earlier link useless.
    return signing.dumps(
        {"proposal": str(proposal.public_id), "email": proposal.pending_email}, salt=EMAIL_SALT
    )


def email_change_from_token(token):
    """Return ``(proposal, address)``; raise signing.SignatureExpired,
    signing.BadSignature or PracticeProposal.DoesNotExist."""
    payload = signing.loads(token, salt=EMAIL_SALT, max_age=confirm_max_age())
    if not isinstance(payload, dict):
        raise signing.BadSignature("Not an address change.")
    proposal = PracticeProposal.objects.get(public_id=payload.get("proposal"))
    return proposal, str(payload.get("email", ""))


def proposal_from_status_token(token):
    """Return the proposal; raise signing.SignatureExpired, signing.BadSignature
    or PracticeProposal.DoesNotExist."""
    public_id = signing.loads(token, salt=STATUS_SALT, max_age=status_max_age())
    return PracticeProposal.objects.select_related(
        "region", "project", "organisation", "practice"
    ).get(public_id=public_id)


def default_base_url():
    return settings.SITE_URL


def _absolute(base_url, path):
    return (base_url or default_base_url()).rstrip("/") + path


def _proposer_urls(proposal, base_url):
    with translation.override(proposal.proposer_language or settings.LANGUAGE_CODE):
        token = status_token(proposal)
        return {
            "confirm_url": _absolute(
                base_url,
                reverse(
                    "practices:proposal-confirm", kwargs={"token": confirmation_token(proposal)}
                ),
            ),
            "status_url": _absolute(
                base_url, reverse("practices:proposal-status", kwargs={"token": token})
            ),
            "edit_url": _absolute(
                base_url, reverse("practices:proposal-edit", kwargs={"token": token})
            ),
        }


# Addresses -------------------------------------------------------------------


def hash_ip(ip_address):
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip_address}".encode()).hexdigest()


# E-mail -----------------------------------------------------------------------

# Every proposer value in a mail goes through ``one_line`` (infra.text): a
# line break typed by a proposer must not become a "Bcc:" line of its own.


class ProposalForMail:
    """A proposal as the e-mail templates see it: every text on one line.

    Only the reviewers' message keeps its lines; staff write it.
    """

    _STAFF_TEXTS = frozenset({"reviewer_message", "reviewer_notes"})

    def __init__(self, proposal):
        self._proposal = proposal

    def __getattr__(self, name):
        value = getattr(self._proposal, name)
        if isinstance(value, str) and name not in self._STAFF_TEXTS:
            return one_line(value)
        return value


def _send(kind, *, to, context, language=None):
    """Render templates/practices/emails/<kind>{_subject.txt,.txt,.html} and send."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"site_name": settings.SITE_NAME, **context}
        subject = render_to_string(f"practices/emails/{kind}_subject.txt", context)
        subject = " ".join(subject.split())
        text = render_to_string(f"practices/emails/{kind}.txt", context)
        html = render_to_string(f"practices/emails/{kind}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(html, "text/html")
    message.send()


def _mail_proposer(kind, proposal, *, base_url, **extra):
    _send(
        kind,
        to=[proposal.proposer_email],
        language=proposal.proposer_language,
        context={
            "proposal": ProposalForMail(proposal),
            **_proposer_urls(proposal, base_url),
            **extra,
        },
    )


def staff_recipients(proposal):
    """E-mail addresses of the staff who review ``proposal``.

    The editors of its project; without a project, or when they have no
    address, the portal administrators, else the superusers.
    """
    User = get_user_model()
    active = User.objects.filter(is_active=True).exclude(email="")
    emails = []
    if proposal.project_id:
        emails = list(
            active.filter(edited_projects=proposal.project_id).values_list("email", flat=True)
        )
    if not emails:
        emails = list(
            active.filter(groups__name=PORTAL_ADMINS_GROUP).values_list("email", flat=True)
        )
    if not emails:
        emails = list(active.filter(is_superuser=True).values_list("email", flat=True))
    return sorted(set(emails))


def _mail_staff(kind, proposal, *, base_url):
    recipients = staff_recipients(proposal)
    if not recipients:
        logger.warning("No staff address to notify about proposal %s", proposal.pk)
        return
    admin_url = _absolute(
        base_url, reverse("admin:practices_practiceproposal_change", args=[proposal.pk])
    )
    context = {"proposal": ProposalForMail(proposal), "admin_url": admin_url}
    _send(kind, to=recipients, context=context)


# The workflow -----------------------------------------------------------------


def submit_proposal(*, proposal, topics=(), files=(), ip_address="", language="", base_url=""):
    """Save a new, unconfirmed proposal with its files; e-mail the confirmation link."""
    proposal.state = State.UNCONFIRMED
    proposal.proposer_language = (language or settings.LANGUAGE_CODE)[:8]
    proposal.submitter_ip_hash = hash_ip(ip_address) if ip_address else ""
    proposal.full_clean()
    with transaction.atomic():
        proposal.save()
        proposal.topics.set(topics)
        for uploaded in files:
            uploads.save_attachment(proposal=proposal, uploaded=uploaded)
    _mail_proposer(
        "confirm",
        proposal,
        base_url=base_url,
        max_age_days=confirm_max_age_days(),
    )
    return proposal


def confirm_proposal(*, proposal, base_url=""):
    """Put a proposal in the review queue once its e-mail address is confirmed."""
    with transaction.atomic():
        proposal = _transition(proposal, "confirm", confirmed_at=timezone.now())
    _mail_staff("staff_new", proposal, base_url=base_url)
    return proposal


def start_review(*, proposal, user=None):
    with transaction.atomic():
        return _transition(proposal, "start_review", user=user)


def request_changes(*, proposal, message, user=None, base_url=""):
    """Send the proposal back to its proposer with what to change."""
    if not message.strip():
        raise ValueError("A request for changes needs a message.")
    with transaction.atomic():
        proposal = _transition(
            proposal, "request_changes", user=user, reviewer_message=message.strip()
        )
    _mail_proposer("changes_requested", proposal, base_url=base_url)
    return proposal


def resubmit(*, proposal, topics=None, files=(), base_url=""):
    """Put an edited proposal back in the queue; ``proposal`` carries the edits.

    A changed e-mail address is not taken over: it waits in
    ``pending_email`` for the link sent to it, and mail keeps going to the
    confirmed address until then.
    """
    proposal.full_clean()
    with transaction.atomic():
        locked = PracticeProposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.state not in TRANSITIONS["resubmit"][0]:
            raise IllegalTransition(locked, "resubmit")
        typed = proposal.proposer_email.strip()
        proposal.proposer_email = locked.proposer_email
        proposal.pending_email = "" if typed.lower() == locked.proposer_email.lower() else typed
        proposal.state = TRANSITIONS["resubmit"][1]
        proposal.save()
        if topics is not None:
            proposal.topics.set(topics)
        for uploaded in files:
            uploads.save_attachment(proposal=proposal, uploaded=uploaded)
    _mail_staff("staff_resubmitted", proposal, base_url=base_url)
    if proposal.pending_email:
        _mail_new_address(proposal, base_url=base_url)
    return proposal


def _mail_new_address(proposal, *, base_url):
    path = reverse(
        "practices:proposal-confirm-email", kwargs={"token": email_change_token(proposal)}
    )
    _send(
        "confirm_email",
        to=[proposal.pending_email],
        language=proposal.proposer_language,
        context={
            "proposal": ProposalForMail(proposal),
            "confirm_url": _absolute(base_url, path),
            "max_age_days": confirm_max_age_days(),
        },
    )


def confirm_email_change(*, proposal, email):
    """Make ``email`` the proposer's address if it is the one waiting; return the proposal.

    Raises NoAddressWaiting when another address (or none) is waiting.
    """
    with transaction.atomic():
        locked = PracticeProposal.objects.select_for_update().get(pk=proposal.pk)
        if not email or locked.pending_email != email:
            raise NoAddressWaiting(email)
        locked.proposer_email = email
        locked.pending_email = ""
        locked.save(update_fields=["proposer_email", "pending_email", "updated_at"])
    return locked


def _organisation_for(proposal):
    if proposal.organisation_id:
        return proposal.organisation
    name = proposal.organisation_name.strip()
    if not name:
        return None
    existing = (
        Organisation.objects.filter(Q(name__iexact=name) | Q(name_en__iexact=name))
        .order_by("pk")
        .first()
    )
    if existing:
        return existing
    organisation = Organisation(name=name, region=proposal.region, city=proposal.city)
    organisation.full_clean(exclude=["slug"])
    organisation.save()
    return organisation


def accept_proposal(*, proposal, user=None, message="", base_url=""):
    """Create a draft practice from the proposal, link it, and tell the proposer."""
    with transaction.atomic():
        proposal = _transition(proposal, "accept", user=user, reviewer_message=message.strip())
        organisation = _organisation_for(proposal)
        if organisation and not proposal.organisation_id:
            proposal.organisation = organisation
        contact = None
        if proposal.consent_to_contact:
            contact = Person.objects.create(
                name=proposal.proposer_name,
                email=proposal.proposer_email,
                organisation=organisation
                if organisation
                and proposal.proposer_organisation.strip().lower()
                in {organisation.name.lower(), organisation.name_en.lower()}
                else None,
            )
        practice = GoodPractice(
            **proposal.content(),
            organisation=organisation,
            contact=contact,
            publication_state=PublicationState.DRAFT,
        )
        if user is not None and user.is_authenticated:
            practice._history_user = user
        practice.full_clean(exclude=["slug"])
        practice.save()
        practice.topics.set(proposal.topics.all())
        if proposal.project_id:
            practice.projects.set([proposal.project_id])
        proposal.practice = practice
        proposal.save(update_fields=["practice", "organisation", "updated_at"])
    _mail_proposer("accepted", proposal, base_url=base_url)
    return practice


def decline_proposal(*, proposal, reason, user=None, base_url=""):
    """Decline the proposal and tell the proposer why."""
    if not reason.strip():
        raise ValueError("Declining a proposal needs a reason.")
    with transaction.atomic():
        proposal = _transition(proposal, "decline", user=user, reviewer_message=reason.strip())
    _mail_proposer("declined", proposal, base_url=base_url)
    return proposal


def expire_unconfirmed(*, now=None):
    """Delete proposals never confirmed within the allowed time, with their files."""
    expired = PracticeProposal.objects.filter(
        state=State.UNCONFIRMED, created_at__lt=confirm_cutoff(now)
    )
    count = 0
    for proposal in expired.prefetch_related("attachments"):
        files = [a.file for a in proposal.attachments.all()]
        with transaction.atomic():
            pk = proposal.pk
            proposal.delete()
            # Nobody confirmed the address: keep no copy of it in the history.
            PracticeProposal.history.filter(id=pk).delete()
        for file in files:
            file.storage.delete(file.name)
        count += 1
    return count


def state_history(proposal):
    """Return [(state label, date)] of each change of state, oldest first."""
    rows = proposal.history.order_by("history_date", "history_id").values_list(
        "state", "history_date"
    )
    changes = []
    for state, when in rows:
        if not changes or changes[-1][0] != state:
            changes.append((state, when))
    return [(State(state).label, when) for state, when in changes]


# Expert validation -------------------------------------------------------------


class NotAllowed(Exception):
    """Raised when a user may not take an action (a verdict by an editor)."""


def propose_validation(*, practice, expert, date, summary, user=None):
    """Record an expert's or panel's opinion, without a verdict yet."""
    validation = Validation(practice=practice, expert=expert, date=date, summary=summary)
    if user is not None and user.is_authenticated:
        validation.proposed_by = user
        validation._history_user = user
    validation.full_clean()
    validation.save()
    return validation


def record_verdict(*, validation, verdict, user):
    """Record the verdict of a proposed validation; the practice then shows it.

    Only portal administrators record verdicts. A recorded validation is
    never changed: a new opinion is a new validation, so the history stays.
    The verdict recorded last is the one in force.
    """
    if not is_portal_admin(user):
        raise NotAllowed(_("Only portal administrators record the verdict of a validation."))
    if verdict not in Validation.Verdict.values:
        raise ValueError(f"Unknown verdict {verdict!r}")
    with transaction.atomic():
        locked = Validation.objects.select_for_update().get(pk=validation.pk)
        if locked.verdict:
            raise IllegalVerdict(locked)
        locked.verdict = verdict
        locked.recorded_by = user
        locked.recorded_at = timezone.now()
        locked._history_user = user
        locked.save()
        practice = GoodPractice.objects.select_for_update().get(pk=locked.practice_id)
        if verdict == Validation.Verdict.VALIDATED:
            practice.validated_on = locked.date
            practice.validated_by = locked.expert
            practice.validation_summary = locked.summary
            practice.validation_fingerprint = practice.fingerprint()
        else:
            practice.validated_on = None
            practice.validated_by = practice.validation_summary = ""
            practice.validation_fingerprint = ""
        practice.edited_since_validation = False
        practice._history_user = user
        practice.save(
            update_fields=[
                "validated_on",
                "validated_by",
                "validation_summary",
                "validation_fingerprint",
                "edited_since_validation",
                "updated_at",
            ]
        )
    return locked


class IllegalVerdict(Exception):
    """Raised when a validation already has its verdict."""

    def __init__(self, validation):
        self.validation = validation
        super().__init__(_("This validation already has its verdict; record a new one instead."))


# Contact the people behind a practice ------------------------------------------

# As infra.text.one_line's characters, but a message keeps its line breaks.
_CONTROLS_BUT_NEWLINES = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+"
)
# What a mail server that is down or refuses raises through Django's SMTP backend.
MAIL_ERRORS = (smtplib.SMTPException, OSError)


def plain_text(text):
    """Return ``text`` with line breaks kept and every other control character a space."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS_BUT_NEWLINES.sub(" ", text).strip()


class NoContactRoute(Exception):
    """Raised when nobody can receive messages about a practice."""


def contact_route(practice):
    """Return ``(ContactMessage.Recipient, [addresses])`` for messages about ``practice``.

    Its contact person when they have an address; else the editors of its
    projects; else ``(None, [])``: the form is not offered.
    """
    contact = practice.contact
    if contact is not None and contact.email:
        return ContactMessage.Recipient.OWNER, [contact.email]
    User = get_user_model()
    editors = (
        User.objects.filter(is_active=True, edited_projects__practices=practice)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    emails = sorted(set(editors))
    if emails:
        return ContactMessage.Recipient.EDITORS, emails
    return None, []


def relay_message(*, practice, name, email, organisation="", body, ip_address="", language=""):
    """Keep a visitor's message about ``practice`` and try to send it at once.

    Return ``(message, sent)``: when the mail server is down the message
    waits for ``manage.py relay_messages``. Raises NoContactRoute.
    """
    recipient, _emails = contact_route(practice)
    if recipient is None:
        raise NoContactRoute(practice)
    body = plain_text(body)
    message = ContactMessage(
        practice=practice,
        recipient=recipient,
        sender_name=one_line(name),
        sender_email=one_line(email),
        sender_organisation=one_line(organisation),
        body=body,
        length=len(body),
        language=(language or settings.LANGUAGE_CODE)[:8],
        sender_ip_hash=hash_ip(ip_address) if ip_address else "",
    )
    message.full_clean()
    message.save()
    return message, deliver_message(message)


def deliver_message(message):
    """Send one waiting message; return True when it went out.

    The message is claimed (waiting -> sending) in its own statement before
    the mail is handed over, so that two runs never both send it; after the
    mail server took it, what the sender typed is erased.
    """
    claimed = ContactMessage.objects.filter(
        pk=message.pk, state=ContactMessage.State.WAITING
    ).update(state=ContactMessage.State.SENDING, attempts=F("attempts") + 1)
    if not claimed:
        return False
    message = ContactMessage.objects.select_related("practice", "practice__contact").get(
        pk=message.pk
    )
    recipient, emails = contact_route(message.practice)
    try:
        if not emails:
            raise NoContactRoute(message.practice)
        _send_relay(message, recipient, emails)
    except (*MAIL_ERRORS, NoContactRoute) as error:
        logger.warning("Relayed message %s kept to retry: %s", message.pk, type(error).__name__)
        ContactMessage.objects.filter(pk=message.pk).update(
            state=ContactMessage.State.WAITING, last_error=type(error).__name__[:200]
        )
        return False
    ContactMessage.objects.filter(pk=message.pk).update(
        state=ContactMessage.State.SENT,
        sent_at=timezone.now(),
        recipient=recipient,
        sender_name="",
        sender_email="",
        sender_organisation="",
        body="",
        last_error="",
    )
    return True


def _send_relay(message, recipient, emails):
    practice = message.practice
    # The owner reads it in the practice's language when the portal has it.
    languages = {code for code, _name in settings.LANGUAGES}
    language = practice.language if practice.language in languages else settings.LANGUAGE_CODE
    context = {
        "site_name": settings.SITE_NAME,
        "message": message,
        "practice": practice,
        "to_editors": recipient == ContactMessage.Recipient.EDITORS,
        "practice_url": _absolute("", practice.get_absolute_url()),
    }
    with translation.override(language):
        subject = " ".join(
            render_to_string("practices/emails/contact_subject.txt", context).split()
        )
        text = render_to_string("practices/emails/contact.txt", context)
    mail = EmailMessage(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        emails,
        reply_to=[message.sender_email],
    )
    mail.send()


def deliver_waiting():
    """Send every message still waiting; return ``(sent, still waiting)``."""
    sent = kept = 0
    waiting = ContactMessage.objects.filter(state=ContactMessage.State.WAITING).order_by("pk")
    for message in waiting.only("pk").iterator(chunk_size=200):
        if deliver_message(message):
            sent += 1
        else:
            kept += 1
    return sent, kept


# "We want to learn from this" ----------------------------------------------------

INTEREST_SALT = "practices.interest.confirm"


def interest_token(interest):
    return signing.dumps(str(interest.public_id), salt=INTEREST_SALT)


def interest_from_token(token):
    """Return the interest; raise signing.SignatureExpired, signing.BadSignature
    or Interest.DoesNotExist."""
    public_id = signing.loads(token, salt=INTEREST_SALT, max_age=confirm_max_age())
    return Interest.objects.select_related("practice", "region").get(public_id=public_id)


def submit_interest(*, interest, ip_address="", language="", base_url=""):
    """Save a new, unconfirmed interest; e-mail the confirmation link."""
    interest.organisation = one_line(interest.organisation)
    interest.note = plain_text(interest.note)
    _save_unconfirmed(interest, language=language, ip_address=ip_address)
    path = reverse("practices:interest-confirm", kwargs={"token": interest_token(interest)})
    _send(
        "interest_confirm",
        to=[interest.email],
        language=interest.language,
        context={
            "interest": interest,
            "practice": interest.practice,
            "confirm_url": _absolute(base_url, path),
            "max_age_days": confirm_max_age_days(),
        },
    )
    return interest


def confirm_interest(*, interest, base_url=""):
    """Put a confirmed interest before staff; return it. Confirming twice changes nothing."""
    with transaction.atomic():
        locked = Interest.objects.select_for_update().get(pk=interest.pk)
        if locked.state != Interest.State.UNCONFIRMED:
            return locked
        locked.state = Interest.State.CONFIRMED
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["state", "confirmed_at"])
    recipients = interest_staff_recipients(locked.practice)
    if recipients:
        admin_url = _absolute(
            base_url, reverse("admin:practices_interest_change", args=[locked.pk])
        )
        _send(
            "staff_interest",
            to=recipients,
            context={"interest": locked, "practice": locked.practice, "admin_url": admin_url},
        )
    return locked


def interest_staff_recipients(practice):
    """The editors of the practice's projects, else the portal administrators."""
    User = get_user_model()
    active = User.objects.filter(is_active=True).exclude(email="")
    emails = set(active.filter(edited_projects__practices=practice).values_list("email", flat=True))
    if not emails:
        emails = set(
            active.filter(groups__name=PORTAL_ADMINS_GROUP).values_list("email", flat=True)
        )
    return sorted(emails)


def interest_to_transfer(*, interest, user=None):
    """Record a confirmed interest as a transfer in state "interested"; return the transfer.

    A region already recorded for the practice keeps its transfer (and state).
    """
    with transaction.atomic():
        locked = Interest.objects.select_for_update().get(pk=interest.pk)
        if locked.state == Interest.State.UNCONFIRMED:
            raise ValueError("An unconfirmed interest cannot become a transfer.")
        if locked.transfer_id:
            return locked.transfer
        transfer, created = Transfer.objects.get_or_create(
            practice_id=locked.practice_id,
            region_id=locked.region_id,
            defaults={
                "state": Transfer.State.INTERESTED,
                "organisation_name": locked.organisation,
                "show_region": locked.show_region,
                "note": locked.note,
            },
        )
        locked.transfer = transfer
        locked.state = Interest.State.TRANSFERRED
        locked.save(update_fields=["transfer", "state"])
    return transfer


def expire_unconfirmed_interests(*, now=None):
    """Delete interests never confirmed within the allowed time (and so their address)."""
    return delete_unconfirmed(Interest, now=now)


# Saved searches with e-mail alerts ------------------------------------------------

ALERT_CONFIRM_SALT = "practices.alerts.confirm"
ALERT_MANAGE_SALT = "practices.alerts.manage"
# Practices listed in one digest; the rest are counted, with a link to the list.
DIGEST_MAX_PRACTICES = 20
# New practices read per distinct search and run (newest first).
DIGEST_MAX_READ = 1000
# Subscriptions claimed, and mails sent through one connection, at a time.
ALERT_BATCH = 200
# A claim older than this belongs to a run that died: the next run takes it over.
ALERT_CLAIM_TIMEOUT = datetime.timedelta(hours=1)
# Practices published in the last minute wait for the next run: a save still
# inside its transaction is not missed by a mark set past it.
ALERT_SETTLE = datetime.timedelta(minutes=1)
# A digest is due a little before a full period, so that a daily cron at a
# fixed hour sends weekly ones every seventh day, not every eighth.
ALERT_DUE_SLACK = datetime.timedelta(hours=2)


def alert_confirm_token(search):
    return signing.dumps(str(search.public_id), salt=ALERT_CONFIRM_SALT)


def alert_manage_token(search):
    # Not timestamped: every digest carries it, and it must work as long as
    # the subscription lives. Unsubscribing deletes the row, and the link with it.
    return signing.dumps(str(search.public_id), salt=ALERT_MANAGE_SALT)


def saved_search_from_token(token, *, manage):
    """Return the saved search of a confirm (``manage=False``) or manage link.

    Raise signing.SignatureExpired (confirm links only), signing.BadSignature
    or SavedSearch.DoesNotExist.
    """
    if manage:
        public_id = signing.loads(token, salt=ALERT_MANAGE_SALT)
    else:
        public_id = signing.loads(token, salt=ALERT_CONFIRM_SALT, max_age=confirm_max_age())
    return SavedSearch.objects.get(public_id=public_id)


def alert_urls(search, base_url=""):
    """The absolute confirm, manage and unsubscribe links of ``search``, in its language."""
    with translation.override(search.language or settings.LANGUAGE_CODE):
        manage = alert_manage_token(search)
        return {
            "confirm_url": _absolute(
                base_url,
                reverse("practices:alert-confirm", kwargs={"token": alert_confirm_token(search)}),
            ),
            "manage_url": _absolute(
                base_url, reverse("practices:alert-manage", kwargs={"token": manage})
            ),
            "unsubscribe_url": _absolute(
                base_url, reverse("practices:alert-unsubscribe", kwargs={"token": manage})
            ),
            "list_url": _absolute(base_url, reverse("practices:practice-list"))
            + "?"
            + "&".join(filter(None, [search.filters, "sort=newest"])),
        }


def next_due(frequency, after):
    """When the digest after one sent (or a subscription confirmed) at ``after`` is due."""
    if frequency == SavedSearch.Frequency.MONTHLY:
        year, month = (after.year + 1, 1) if after.month == 12 else (after.year, after.month + 1)
        last_day = calendar.monthrange(year, month)[1]
        due = after.replace(year=year, month=month, day=min(after.day, last_day))
    else:
        due = after + datetime.timedelta(days=7)
    return due - ALERT_DUE_SLACK


def subscribe(*, search, ip_address="", language="", base_url=""):
    """Save a new, unconfirmed saved search; e-mail the confirmation link."""
    _save_unconfirmed(search, language=language, ip_address=ip_address)
    _send(
        "alert_confirm",
        to=[search.email],
        language=search.language,
        context={
            "search": search,
            "chips": _search_chips(search.filters),
            **alert_urls(search, base_url),
            "max_age_days": confirm_max_age_days(),
        },
    )
    return search


def confirm_subscription(*, search, now=None):
    """Start the alerts of a saved search; return it. Confirming twice changes nothing.

    The first digest lists the practices made public after this moment.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = SavedSearch.objects.select_for_update().get(pk=search.pk)
        if locked.state != SavedSearch.State.UNCONFIRMED:
            return locked
        locked.state = SavedSearch.State.CONFIRMED
        locked.confirmed_at = locked.sent_until = now
        locked.next_due_at = next_due(locked.frequency, now)
        locked.save(update_fields=["state", "confirmed_at", "sent_until", "next_due_at"])
    return locked


def change_frequency(*, search, frequency):
    """Set how often ``search`` is sent; the next digest is due one new period after the last."""
    if frequency not in SavedSearch.Frequency.values:
        raise ValueError(f"Unknown frequency {frequency!r}")
    with transaction.atomic():
        locked = SavedSearch.objects.select_for_update().get(pk=search.pk)
        locked.frequency = frequency
        fields = ["frequency"]
        if locked.state == SavedSearch.State.CONFIRMED:
            locked.next_due_at = next_due(frequency, locked.last_sent_at or locked.confirmed_at)
            fields.append("next_due_at")
        locked.save(update_fields=fields)
    return locked


def unsubscribe(*, search):
    """Delete a saved search, and with it the address. Return whether it still existed."""
    deleted, _by_model = SavedSearch.objects.filter(pk=search.pk).delete()
    return bool(deleted)


def expire_unconfirmed_searches(*, now=None):
    """Delete saved searches never confirmed within the allowed time (and so their address)."""
    return delete_unconfirmed(SavedSearch, now=now)


def _search_chips(filters):
    """The filters of a saved search as ``[{"label", "value"}]``, in the active language."""
    filterset = saved_filterset(filters)
    return filter_chips(filterset)


def _new_practices(filterset):
    """The practices of a saved search's filter set (made public in a window), newest first.

    ``[{"pk", "first_public_at", "title", "summary", "url"}]``, titles and
    summaries in the active language where translated. At most
    ``DIGEST_MAX_READ``: a digest lists ``DIGEST_MAX_PRACTICES`` of them.
    """
    rows = (
        filterset.qs.order_by("-first_public_at", "-id")
        .annotate(**version_annotations())
        .values(
            "pk", "slug", "first_public_at", "title", "summary", "version_title", "version_summary"
        )
    )[:DIGEST_MAX_READ]
    detail = url_for_slug("practices:practice-detail")
    return [
        {
            "pk": row["pk"],
            "first_public_at": row["first_public_at"],
            "title": row["version_title"] or row["title"],
            "summary": one_line(row["version_summary"] or row["summary"])[:300],
            "url": _absolute("", detail(row["slug"])),
        }
        for row in rows
    ]


def _digest_message(search, practices, group, connection):
    """The digest mail of one subscription (RFC 8058 one-click unsubscribe headers)."""
    urls = alert_urls(search)
    context = {
        "site_name": settings.SITE_NAME,
        "count": len(practices),
        "practices": practices[:DIGEST_MAX_PRACTICES],
        "more": max(0, len(practices) - DIGEST_MAX_PRACTICES),
        "capped": len(practices) >= DIGEST_MAX_READ,
        "chips": group["chips"],
        "frequency": SavedSearch.Frequency(search.frequency).label,
        **urls,
    }
    subject = " ".join(
        render_to_string("practices/emails/alert_digest_subject.txt", context).split()
    )
    text = render_to_string("practices/emails/alert_digest.txt", context)
    html = render_to_string("practices/emails/alert_digest.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [search.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{urls['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def send_alerts(*, now=None, batch_size=ALERT_BATCH, progress=None):
    """Send every confirmed saved search that is due its digest; return the counts.

    Subscriptions of one search in one language form a group whose new
    practices are read once. The due subscriptions are taken in batches in
    the order of their group, so that a group's practices are kept only
    while its batches are sent. Each batch is claimed in one UPDATE (a
    second run skips it), sent through one connection, and recorded in one
    UPDATE per outcome: sent (mark moved to this run's cutoff), nothing new
    (mark moved, no mail), or kept (mail server down: claim released, mark
    unchanged, the next run sends it). ``progress(counts)`` is called after
    each batch.
    """
    now = now or timezone.now()
    until = now - ALERT_SETTLE
    stale = now - ALERT_CLAIM_TIMEOUT
    due = SavedSearch.objects.filter(state=SavedSearch.State.CONFIRMED, next_due_at__lte=now)
    claimable = due.filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
    groups = {
        (row["filters"], row["language"]): row
        for row in claimable.values("filters", "language").annotate(since=Min("sent_until"))
    }
    counts = {"groups": len(groups), "sent": 0, "nothing_new": 0, "kept": 0}
    ids = list(claimable.order_by("filters", "language", "pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        _send_batch(ids[start : start + batch_size], groups, now, until, counts)
        if progress:
            progress(counts)
    return counts


def _group_practices(group, until):
    """Read a group's new practices and the description of its search, once a run."""
    if "practices" not in group:
        with translation.override(group["language"] or settings.LANGUAGE_CODE):
            # New to the portal, not newly dated: an imported or approved
            # practice keeps its original publication date.
            window = GoodPractice.objects.published().filter(
                first_public_at__gt=group["since"], first_public_at__lte=until
            )
            # One filter set for the digest's description and its practices:
            # each topic, region or project of the search is looked up once.
            filterset = saved_filterset(group["filters"], queryset=window)
            group["chips"] = filter_chips(filterset)
            group["practices"] = _new_practices(filterset)
    return group


def _send_batch(ids, groups, now, until, counts):
    stale = now - ALERT_CLAIM_TIMEOUT
    claim = uuid.uuid4()
    SavedSearch.objects.filter(
        pk__in=ids, state=SavedSearch.State.CONFIRMED, next_due_at__lte=now
    ).filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale)).update(
        claim=claim, claimed_at=now
    )
    claimed = list(
        SavedSearch.objects.filter(claim=claim)
        .only("pk", "public_id", "email", "frequency", "language", "filters", "sent_until")
        .order_by("filters", "language", "pk")
    )
    in_batch = {(search.filters, search.language) for search in claimed}
    # Groups behind this batch are done: their practices are let go.
    for key, group in groups.items():
        if key not in in_batch:
            group.pop("practices", None)
    outcome = {"sent": [], "nothing_new": [], "kept": []}
    mails = []
    for search in claimed:
        key = (search.filters, search.language)
        fresh = {"filters": search.filters, "language": search.language}
        group = groups.setdefault(key, {**fresh, "since": search.sent_until})
        if search.sent_until < group["since"]:
            # Became claimable after the groups were read, with an older mark.
            group["since"] = search.sent_until
            group.pop("practices", None)
        group = _group_practices(group, until)
        new = [p for p in group["practices"] if p["first_public_at"] > search.sent_until]
        if new:
            mails.append((search, new, group))
        else:
            outcome["nothing_new"].append(search)
    error = ""
    if mails:
        connection = get_connection()
        try:
            connection.open()
            for search, new, group in mails:
                if error:
                    outcome["kept"].append(search)
                    continue
                try:
                    with translation.override(search.language or settings.LANGUAGE_CODE):
                        message = _digest_message(search, new, group, connection)
                    connection.send_messages([message])
                except MAIL_ERRORS as failure:
                    error = type(failure).__name__
                    outcome["kept"].append(search)
                else:
                    outcome["sent"].append(search)
        except MAIL_ERRORS as failure:
            error = type(failure).__name__
            done = {s.pk for s in outcome["sent"]} | {s.pk for s in outcome["kept"]}
            outcome["kept"].extend(s for s, _new, _group in mails if s.pk not in done)
        finally:
            try:
                connection.close()
            except MAIL_ERRORS:
                pass
    if error:
        logger.warning("Alert digests kept to retry: %s (%d)", error, len(outcome["kept"]))
    released = {"claim": None, "claimed_at": None}
    for frequency in SavedSearch.Frequency.values:
        moved = {"sent_until": until, "next_due_at": next_due(frequency, now), **released}
        sent = [s.pk for s in outcome["sent"] if s.frequency == frequency]
        if sent:
            SavedSearch.objects.filter(pk__in=sent, claim=claim).update(
                last_sent_at=now, digests_sent=F("digests_sent") + 1, last_error="", **moved
            )
        quiet = [s.pk for s in outcome["nothing_new"] if s.frequency == frequency]
        if quiet:
            SavedSearch.objects.filter(pk__in=quiet, claim=claim).update(**moved)
    if outcome["kept"]:
        SavedSearch.objects.filter(pk__in=[s.pk for s in outcome["kept"]], claim=claim).update(
            last_error=error[:200], **released
        )
    for name, searches in outcome.items():
        counts[name] += len(searches)
