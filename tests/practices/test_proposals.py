"""The practice proposal: public form, e-mail confirmation, private status page, review."""

import datetime
import io
import os
import re
import time
from unittest import mock

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Organisation, Person, PublicationState
from practices import services
from practices.models import GoodPractice, PracticeProposal, ProposalAttachment
from tests.factories import (
    OrganisationFactory,
    PracticeProposalFactory,
    ProjectFactory,
    RegionFactory,
    TopicFactory,
)
from tests.practices.proposal_helpers import (
    DOCX_BYTES,
    EXE_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    form_data,
    links_in,
    plain_zip_bytes,
    upload,
)

pytestmark = pytest.mark.django_db

State = PracticeProposal.State
PROPOSE_URL = "/practices/propose/"


@pytest.fixture
def project_with_editor():
    editor = User.objects.create_user("editor", "editor@staff.example", "pw", is_staff=True)
    project = ProjectFactory(acronym="SMARTY")
    project.editors.add(editor)
    return project


def confirm_link(message):
    return next(link for link in links_in(message.body) if "/proposals/confirm/" in link)


def status_link(message):
    return next(
        link
        for link in links_in(message.body)
        if "/proposals/" in link and "/confirm/" not in link and not link.endswith("/edit/")
    )


def status_page_of(path):
    """The proposal a status-page path leads to (links are timestamped, so they differ)."""
    token = path.rstrip("/").rsplit("/", 1)[-1]
    return services.proposal_from_status_token(token)


def path_of(link):
    return re.sub(r"^https?://[^/]+", "", link)


def submit(client, **overrides):
    return client.post(PROPOSE_URL, form_data(**overrides))


def run_action(client, action, proposals, **extra):
    url = reverse("admin:practices_practiceproposal_changelist")
    data = {"action": action, "_selected_action": [p.pk for p in proposals], **extra}
    return client.post(url, data, follow=True)


# The form page ------------------------------------------------------------------------


def test_form_page_shows_every_template_field_and_a_honeypot(client):
    RegionFactory(nuts_code="PL", name="Polska", name_en="Poland")
    TopicFactory(name="Clusters")
    response = client.get(PROPOSE_URL)
    assert response.status_code == 200
    html = response.content.decode()
    for name in [
        "title",
        "summary",
        "description",
        "resources_needed",
        "evidence_of_success",
        "difficulties",
        "potential_for_transfer",
        "start_date",
        "end_date",
        "status",
        "region",
        "city",
        "organisation_name",
        "topics",
        "project",
        "further_information",
        "language",
        "proposer_name",
        "proposer_organisation",
        "proposer_email",
        "consent_to_contact",
        "attachments",
    ]:
        assert f'name="{name}"' in html, name
    assert 'maxlength="100"' in html
    assert "data-counter" in html
    # Project, region and organisation are comboboxes, not selects of thousands.
    assert html.count("data-combobox=") == 3
    assert "<optgroup" not in html and "<datalist" not in html
    honeypot = re.search(r"<input[^>]*name=\"homepage\"[^>]*>", html).group(0)
    assert 'tabindex="-1"' in honeypot
    assert 'autocomplete="off"' in honeypot
    assert "Leave this field empty" in html
    assert "csrfmiddlewaretoken" in html
    # The strict CSP to come: no inline script or style.
    assert "<script>" not in html and "<style" not in html and 'style="' not in html
    assert "js/proposal-form.js" in html


def test_every_text_field_is_bounded(client):
    from practices.forms import ProposalForm

    form = ProposalForm()
    for name, field in form.fields.items():
        if hasattr(field, "max_length") and name not in ("attachments",):
            assert field.max_length, name


@pytest.mark.parametrize("rows", [1, 50])
def test_form_page_query_count_does_not_grow(client, django_assert_max_num_queries, rows):
    country = RegionFactory(nuts_code="PL", name="Polska")
    for _ in range(rows):
        RegionFactory(parent=country, nuts_code=None, kind="other")
        TopicFactory()
        OrganisationFactory(region=country)
        ProjectFactory()
    with django_assert_max_num_queries(4):
        response = client.get(PROPOSE_URL)
    assert response.status_code == 200


# Happy path ---------------------------------------------------------------------------


def test_submit_confirm_review_change_resubmit_accept(client, admin_client, project_with_editor):
    country = RegionFactory(nuts_code="IT", name="Italia", name_en="Italy")
    region = RegionFactory(nuts_code="ITI1", name="Toscana", parent=country)
    topic = TopicFactory(name="Industry 4.0")
    data = form_data(
        region=region.nuts_code,
        project=project_with_editor.slug,
        topics=[str(topic.pk)],
        organisation_name="Municipality of Prato",
        title="<b>Regional 4.0 audit</b> for SMEs",
    )
    data["attachments"] = [upload("slides.pdf", PDF_BYTES), upload("photo.png", PNG_BYTES)]

    # 1. Submit: nothing enters the queue, the proposer gets a confirmation link.
    response = client.post(PROPOSE_URL, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("practices:proposal-sent")
    assert "Check your e-mail" in client.get(response["Location"]).content.decode()
    proposal = PracticeProposal.objects.get()
    assert proposal.state == State.UNCONFIRMED
    assert not PracticeProposal.objects.in_queue().exists()
    assert proposal.organisation is None
    assert proposal.organisation_name == "Municipality of Prato"
    assert list(proposal.topics.all()) == [topic]
    attachments = list(proposal.attachments.order_by("original_name"))
    assert [a.original_name for a in attachments] == ["photo.png", "slides.pdf"]
    for attachment in attachments:
        stored = attachment.file.name.rsplit("/", 1)[-1]
        assert re.fullmatch(r"[0-9a-f]{32}\.(pdf|png)", stored)
    assert attachments[1].content_type == "application/pdf"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["paola.rossi@private.example"]
    assert "<b>Regional 4.0 audit</b>" in message.subject  # plain text, not escaped
    assert message.alternatives[0][1] == "text/html"
    assert "&lt;b&gt;" in message.alternatives[0][0]  # escaped in HTML
    confirm_path = path_of(confirm_link(message))
    status_path = path_of(status_link(message))
    assert str(proposal.public_id) not in confirm_path  # signed, not the bare id

    # 2. Confirm: the link shows a button; pressing it puts the proposal in the queue.
    response = client.get(confirm_path)
    assert response.status_code == 200
    assert "Confirm and send for review" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == State.UNCONFIRMED  # a link scanner's GET confirms nothing
    response = client.post(confirm_path)
    assert response.status_code == 302
    assert status_page_of(path_of(response["Location"])) == proposal
    proposal.refresh_from_db()
    assert proposal.state == State.SUBMITTED
    assert proposal.confirmed_at is not None
    staff_message = mail.outbox[1]
    assert staff_message.to == ["editor@staff.example"]
    admin_path = reverse("admin:practices_practiceproposal_change", args=[proposal.pk])
    assert any(link.endswith(admin_path) for link in links_in(staff_message.body))
    # Confirming twice is harmless.
    response = client.post(confirm_path, follow=True)
    assert "already confirmed" in response.content.decode()
    assert len(mail.outbox) == 2

    # 3. Staff start the review in the admin.
    changelist = admin_client.get(reverse("admin:practices_practiceproposal_changelist"))
    assert "&lt;b&gt;Regional 4.0 audit&lt;/b&gt;" in changelist.content.decode()
    response = run_action(admin_client, "start_review_action", [proposal])
    assert "1 proposal is now in review." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == State.IN_REVIEW

    # 4. Request changes: an intermediate page asks for the message.
    response = run_action(admin_client, "request_changes_action", [proposal])
    assert response.status_code == 200
    assert 'name="message"' in response.content.decode()
    response = run_action(
        admin_client,
        "request_changes_action",
        [proposal],
        apply="1",
        message="Please add the number of firms audited.",
    )
    assert "Changes requested for 1 proposal." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == State.CHANGES_REQUESTED
    assert proposal.reviewer_message == "Please add the number of firms audited."
    changes_message = mail.outbox[2]
    assert changes_message.to == ["paola.rossi@private.example"]
    assert "Please add the number of firms audited." in changes_message.body
    edit_path = path_of(next(lnk for lnk in links_in(changes_message.body) if "/edit/" in lnk))
    assert edit_path.endswith("/edit/")
    assert status_page_of(edit_path.removesuffix("edit/")) == proposal

    # 5. The status page shows the state and the message; the proposer edits and resubmits.
    page = client.get(status_path)
    html = page.content.decode()
    assert "Changes requested" in html
    assert "Please add the number of firms audited." in html
    assert "paola.rossi@private.example" not in html
    assert "&lt;b&gt;Regional 4.0 audit&lt;/b&gt;" in html
    assert "noindex" in page["X-Robots-Tag"]
    assert "no-store" in page["Cache-Control"]
    form_page = client.get(edit_path)
    assert form_page.status_code == 200
    assert "Regional 4.0 audit" in form_page.content.decode()  # pre-filled
    edited = form_data(
        region=region.nuts_code,
        project=project_with_editor.slug,
        topics=[str(topic.pk)],
        organisation_name="Municipality of Prato",
        title="Regional 4.0 audit for SMEs",
        evidence_of_success="140 firms audited since 2018; 60 invested.",
    )
    response = client.post(edit_path, edited)
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == State.SUBMITTED
    assert proposal.evidence_of_success.startswith("140 firms")
    assert mail.outbox[3].to == ["editor@staff.example"]
    assert proposal.attachments.count() == 2  # files already attached stay
    # Editing is closed again once resubmitted.
    assert client.get(edit_path).status_code == 302

    # 6. Accept: a draft practice carries every field over.
    response = run_action(admin_client, "accept_action", [proposal])
    assert "1 proposal accepted" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == State.ACCEPTED
    practice = proposal.practice
    assert practice.publication_state == PublicationState.DRAFT
    for field in [
        "title",
        "summary",
        "description",
        "resources_needed",
        "evidence_of_success",
        "difficulties",
        "potential_for_transfer",
        "start_date",
        "end_date",
        "status",
        "city",
        "keywords",
        "further_information",
        "language",
    ]:
        assert getattr(practice, field) == getattr(proposal, field), field
    assert practice.region == region
    assert practice.language == "it"
    assert list(practice.topics.all()) == [topic]
    assert list(practice.projects.all()) == [project_with_editor]
    assert practice.organisation.name == "Municipality of Prato"
    assert proposal.organisation == practice.organisation
    assert practice.contact.email == "paola.rossi@private.example"
    accepted_message = mail.outbox[4]
    assert accepted_message.to == ["paola.rossi@private.example"]
    assert status_page_of(path_of(status_link(accepted_message))) == proposal

    # 7. The history of states is kept and shown.
    html = client.get(status_path).content.decode()
    positions = [
        html.index(label, html.index("History"))
        for label in ["Waiting for e-mail confirmation", "Submitted", "In review"]
    ]
    assert positions == sorted(positions)
    assert "Changes requested" in html and "Accepted" in html

    # 8. Once published, the practice page shows no proposer e-mail.
    practice.publication_state = PublicationState.PUBLISHED
    practice.save()
    public = client.get(practice.get_absolute_url())
    assert public.status_code == 200
    assert "paola.rossi@private.example" not in public.content.decode()


def test_links_carry_the_proposers_language(client):
    client.post("/pl" + PROPOSE_URL, form_data())
    proposal = PracticeProposal.objects.get()
    assert proposal.proposer_language == "pl"
    assert "/pl/practices/proposals/confirm/" in mail.outbox[0].body


def test_existing_organisation_is_matched_by_name(client):
    organisation = OrganisationFactory(name="Comune di Prato", name_en="Municipality of Prato")
    submit(client, organisation_name="municipality of prato")
    proposal = PracticeProposal.objects.get()
    assert proposal.organisation == organisation
    assert proposal.organisation_name == ""


# Refusals -----------------------------------------------------------------------------


def test_honeypot_looks_like_success_but_keeps_nothing(client):
    response = submit(client, homepage="http://spam.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("practices:proposal-sent")
    assert not PracticeProposal.objects.exists()
    assert mail.outbox == []


def test_rate_limit_answers_429(client, settings):
    settings.PROPOSAL_RATE_LIMIT = "2/h"
    assert submit(client).status_code == 302
    assert submit(client).status_code == 302
    response = submit(client)
    assert response.status_code == 429
    assert 3590 <= int(response["Retry-After"]) <= 3600
    assert "Too many proposals" in response.content.decode()
    assert PracticeProposal.objects.count() == 2
    # Another address is not affected; the address itself is stored only hashed.
    other = client.post(PROPOSE_URL, form_data(), REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 302
    assert all(
        "127.0.0.1" not in p.submitter_ip_hash and len(p.submitter_ip_hash) == 64
        for p in PracticeProposal.objects.all()
    )


def test_honeypot_hits_count_towards_the_rate_limit(client, settings):
    settings.PROPOSAL_RATE_LIMIT = "1/h"
    submit(client, homepage="spam")
    assert submit(client).status_code == 429


def test_errors_are_shown_next_to_fields_and_in_a_summary(client):
    response = submit(client, title="", proposer_email="not-an-address", end_date="2010-01-01")
    assert response.status_code == 400
    html = response.content.decode()
    assert "data-error-summary" in html
    assert 'href="#id_title"' in html
    assert 'href="#id_proposer_email"' in html
    assert 'href="#id_end_date"' in html
    title_input = re.search(r"<input[^>]*name=\"title\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in title_input
    assert "id_title_error" in title_input
    assert 'id="id_title_error"' in html
    assert "choose your attachments again" in html
    # What was typed is kept.
    assert "Free audits show small firms" in html
    assert "not-an-address" in html
    assert "<title>Error:" in html
    assert not PracticeProposal.objects.exists()


def test_title_longer_than_100_is_refused(client):
    response = submit(client, title="x" * 101)
    assert response.status_code == 400
    assert not PracticeProposal.objects.exists()


def test_oversized_file_is_refused(client, settings):
    settings.PROPOSAL_MAX_UPLOAD_BYTES = 1000
    data = form_data()
    data["attachments"] = [upload("big.pdf", PDF_BYTES + b"0" * 2000)]
    response = client.post(PROPOSE_URL, data)
    assert response.status_code == 400
    assert "at most 1000" in response.content.decode()
    assert not PracticeProposal.objects.exists()


def test_too_many_files_are_refused(client, settings):
    settings.PROPOSAL_MAX_FILES = 2
    data = form_data()
    data["attachments"] = [upload(f"f{i}.pdf", PDF_BYTES) for i in range(3)]
    response = client.post(PROPOSE_URL, data)
    assert response.status_code == 400
    assert "at most 2 files" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", EXE_BYTES),  # a program renamed
        ("report.docx", plain_zip_bytes()),  # a zip that is no document
        ("photo.png", PDF_BYTES),  # another allowed kind, but not the one named
        ("report.docx", PDF_BYTES),
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("report.pdf.exe", PDF_BYTES),
    ],
)
def test_wrong_file_type_disguised_by_its_extension_is_refused(client, name, content):
    data = form_data()
    data["attachments"] = [upload(name, content, "application/pdf")]
    response = client.post(PROPOSE_URL, data)
    assert response.status_code == 400
    assert not PracticeProposal.objects.exists()
    assert not ProposalAttachment.objects.exists()


def test_expired_confirmation_link_shows_a_clear_page(client):
    proposal = PracticeProposalFactory(state=State.UNCONFIRMED)
    with mock.patch("time.time", return_value=time.time() - 4 * 24 * 3600):
        token = services.confirmation_token(proposal)
    url = reverse("practices:proposal-confirm", kwargs={"token": token})
    response = client.get(url)
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert client.post(url).status_code == 410
    proposal.refresh_from_db()
    assert proposal.state == State.UNCONFIRMED


def test_tampered_links_are_404(client):
    proposal = PracticeProposalFactory(state=State.SUBMITTED)
    status_token = services.status_token(proposal)
    confirm_token = services.confirmation_token(proposal)
    tampered = status_token[:-1] + ("A" if status_token[-1] != "A" else "B")
    for url in [
        reverse("practices:proposal-status", kwargs={"token": tampered}),
        reverse("practices:proposal-edit", kwargs={"token": tampered}),
        reverse("practices:proposal-confirm", kwargs={"token": tampered}),
        # A valid token for another purpose does not open the page.
        reverse("practices:proposal-status", kwargs={"token": confirm_token}),
        reverse("practices:proposal-confirm", kwargs={"token": status_token}),
        reverse("practices:proposal-status", kwargs={"token": str(proposal.public_id)}),
    ]:
        assert client.get(url).status_code == 404, url


def test_link_to_a_deleted_proposal_is_404(client):
    proposal = PracticeProposalFactory(state=State.SUBMITTED)
    token = services.status_token(proposal)
    proposal.delete()
    url = reverse("practices:proposal-status", kwargs={"token": token})
    assert client.get(url).status_code == 404


def test_edit_page_refused_unless_changes_requested(client):
    proposal = PracticeProposalFactory(state=State.IN_REVIEW)
    token = services.status_token(proposal)
    url = reverse("practices:proposal-edit", kwargs={"token": token})
    assert client.get(url).status_code == 302
    response = client.post(url, form_data(title="Hijacked"))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title != "Hijacked"


@pytest.mark.parametrize(
    ("state", "action", "kwargs"),
    [
        (State.DECLINED, services.accept_proposal, {}),
        (State.ACCEPTED, services.accept_proposal, {}),
        (State.ACCEPTED, services.decline_proposal, {"reason": "No"}),
        (State.UNCONFIRMED, services.start_review, {}),
        (State.UNCONFIRMED, services.accept_proposal, {}),
        (State.IN_REVIEW, services.start_review, {}),
        (State.SUBMITTED, services.confirm_proposal, {}),
        (State.DECLINED, services.request_changes, {"message": "Add data"}),
    ],
)
def test_illegal_transitions_raise(state, action, kwargs):
    proposal = PracticeProposalFactory(state=state)
    with pytest.raises(services.IllegalTransition, match="Cannot"):
        action(proposal=proposal, **kwargs)
    proposal.refresh_from_db()
    assert proposal.state == state
    assert not GoodPractice.objects.exists()
    assert mail.outbox == []


def test_resubmit_without_a_request_is_illegal():
    proposal = PracticeProposalFactory(state=State.SUBMITTED)
    with pytest.raises(services.IllegalTransition):
        services.resubmit(proposal=proposal)


def test_accepting_twice_in_the_admin_is_refused_with_a_message(admin_client):
    proposal = PracticeProposalFactory(state=State.IN_REVIEW)
    run_action(admin_client, "accept_action", [proposal])
    response = run_action(admin_client, "accept_action", [proposal])
    html = response.content.decode()
    assert "Cannot accept" in html
    assert GoodPractice.objects.count() == 1


def test_declining_needs_a_reason_and_e_mails_it(admin_client):
    proposal = PracticeProposalFactory(state=State.SUBMITTED, proposer_language="en")
    response = run_action(admin_client, "decline_action", [proposal], apply="1", message="")
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.state == State.SUBMITTED
    run_action(
        admin_client, "decline_action", [proposal], apply="1", message="Not a public policy."
    )
    proposal.refresh_from_db()
    assert proposal.state == State.DECLINED
    assert proposal.reviewer_message == "Not a public policy."
    assert "Not a public policy." in mail.outbox[0].body
    assert mail.outbox[0].to == [proposal.proposer_email]


# Staff side ---------------------------------------------------------------------------


def test_admin_queue_hides_unconfirmed_and_filters(admin_client):
    project = ProjectFactory()
    PracticeProposalFactory(title="Waiting for the proposer", state=State.UNCONFIRMED)
    PracticeProposalFactory(title="In the queue", state=State.SUBMITTED, project=project)
    PracticeProposalFactory(title="Being read", state=State.IN_REVIEW)
    url = reverse("admin:practices_practiceproposal_changelist")
    html = admin_client.get(url).content.decode()
    assert "In the queue" in html and "Being read" in html
    assert "Waiting for the proposer" not in html
    html = admin_client.get(url, {"state": "in_review"}).content.decode()
    assert "Being read" in html and "In the queue" not in html
    html = admin_client.get(url, {"project__id__exact": project.pk}).content.decode()
    assert "In the queue" in html and "Being read" not in html


def test_admin_queue_query_count(admin_client):
    url = reverse("admin:practices_practiceproposal_changelist")
    counts = []
    for rows in (1, 50):
        PracticeProposalFactory.create_batch(rows, project=ProjectFactory(), region=RegionFactory())
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_attachments_download_for_staff_only(client, admin_client):
    data = form_data()
    data["attachments"] = [upload("slides.docx", DOCX_BYTES)]
    client.post(PROPOSE_URL, data)
    proposal = PracticeProposal.objects.get()
    proposal.state = State.SUBMITTED
    proposal.save()
    attachment = proposal.attachments.get()
    url = reverse("admin:practices_practiceproposal_attachment", args=[proposal.pk, attachment.pk])
    change = admin_client.get(
        reverse("admin:practices_practiceproposal_change", args=[proposal.pk])
    )
    assert url in change.content.decode()
    response = admin_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == DOCX_BYTES
    assert 'filename="slides.docx"' in response["Content-Disposition"]
    assert client.get(url).status_code == 302  # to the admin login


def test_staff_recipients_fall_back_to_portal_admins_then_superusers():
    proposal = PracticeProposalFactory(project=ProjectFactory())
    User.objects.create_superuser("root", "root@staff.example", "pw")
    assert services.staff_recipients(proposal) == ["root@staff.example"]
    admin = User.objects.create_user("admin", "portal@staff.example", "pw", is_staff=True)
    admin.groups.add(Group.objects.get_or_create(name="Portal administrators")[0])
    assert services.staff_recipients(proposal) == ["portal@staff.example"]
    editor = User.objects.create_user("ed", "ed@staff.example", "pw", is_staff=True)
    proposal.project.editors.add(editor)
    assert services.staff_recipients(proposal) == ["ed@staff.example"]


def test_accept_creates_organisation_and_no_contact_without_consent():
    proposal = PracticeProposalFactory(
        state=State.IN_REVIEW,
        organisation_name="Textile Centre of Excellence",
        consent_to_contact=False,
        language="en",
    )
    practice = services.accept_proposal(proposal=proposal)
    assert practice.organisation.name == "Textile Centre of Excellence"
    assert Organisation.objects.filter(name="Textile Centre of Excellence").count() == 1
    assert practice.contact is None
    assert not Person.objects.exists()


def test_accept_is_one_transaction(monkeypatch):
    proposal = PracticeProposalFactory(state=State.IN_REVIEW, organisation_name="New Org")

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(GoodPractice, "full_clean", explode)
    with pytest.raises(RuntimeError):
        services.accept_proposal(proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.state == State.IN_REVIEW
    assert not Organisation.objects.filter(name="New Org").exists()
    assert mail.outbox == []


# Expiry -------------------------------------------------------------------------------


def test_expire_proposals_deletes_old_unconfirmed_ones_with_their_files(client):
    data = form_data()
    data["attachments"] = [upload("slides.pdf", PDF_BYTES)]
    client.post(PROPOSE_URL, data)
    old = PracticeProposal.objects.get()
    path = old.attachments.get().file.path
    recent = PracticeProposalFactory(state=State.UNCONFIRMED)
    confirmed_old = PracticeProposalFactory(state=State.SUBMITTED)
    four_days_ago = timezone.now() - datetime.timedelta(days=4)
    PracticeProposal.objects.filter(pk__in=[old.pk, confirmed_old.pk]).update(
        created_at=four_days_ago
    )
    out = io.StringIO()
    call_command("expire_proposals", stdout=out)
    assert "Deleted 1" in out.getvalue()
    remaining = set(PracticeProposal.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, confirmed_old.pk}
    assert not os.path.exists(path)
    assert not PracticeProposal.history.filter(id=old.pk).exists()


def test_status_page_renders_html_as_text(client):
    proposal = PracticeProposalFactory(
        title="<script>alert(1)</script>", summary="<img src=x onerror=alert(1)>"
    )
    html = client.get(
        reverse("practices:proposal-status", kwargs={"token": services.status_token(proposal)})
    ).content.decode()
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_a_huge_request_is_refused_before_it_is_read(client, settings):
    settings.PROPOSAL_MAX_UPLOAD_BYTES = 1000
    settings.PROPOSAL_MAX_FILES = 1
    data = form_data()
    data["attachments"] = [upload("huge.pdf", PDF_BYTES + b"0" * (4 * 1024 * 1024))]
    response = client.post(PROPOSE_URL, data)
    assert response.status_code == 413
    assert "The files are too large" in response.content.decode()
    assert not PracticeProposal.objects.exists()


def test_client_address_behind_a_trusted_proxy(rf, settings):
    from infra.ratelimit import client_ip

    request = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_ip(request) == "10.0.0.1"  # no proxy trusted: the header is ignored
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"  # not the address the client made up


@pytest.mark.parametrize("rows", [1, 50])
def test_status_page_query_count_does_not_grow(client, django_assert_max_num_queries, rows):
    proposal = PracticeProposalFactory(region=RegionFactory(), project=ProjectFactory())
    proposal.topics.set(TopicFactory.create_batch(rows))
    for i in range(rows):
        ProposalAttachment.objects.create(
            proposal=proposal,
            file=f"proposals/x{i}.pdf",
            original_name=f"{i}.pdf",
            content_type="application/pdf",
            size=100,
        )
        proposal.save()  # one more history row
    url = reverse("practices:proposal-status", kwargs={"token": services.status_token(proposal)})
    with django_assert_max_num_queries(4):
        response = client.get(url)
    assert response.status_code == 200


def test_a_project_can_link_to_the_form_with_itself_chosen(client):
    project = ProjectFactory(acronym="SMARTY")
    html = client.get(PROPOSE_URL, {"project": project.slug}).content.decode()
    assert f'value="{project.slug}"' in html
    assert f'data-combobox-label="SMARTY – {project.display_title}"' in html
    assert client.get(PROPOSE_URL, {"project": "no-such-project"}).status_code == 200


def test_control_characters_typed_by_a_proposer_stay_on_one_line_in_e_mails(
    client, project_with_editor
):
    # Issue 15 item 15: the confirmation goes to any address the proposer gives.
    response = submit(
        client,
        proposer_name="Eve\r\nBcc: victim@evil.example\u2028Subject: Win",
        title="Audit\nTo: everyone@evil.example",
        project=project_with_editor.slug,
        proposer_email="victim@elsewhere.example",
    )
    assert response.status_code == 302
    (confirmation,) = mail.outbox
    client.post(path_of(confirm_link(confirmation)))
    assert len(mail.outbox) == 2  # and the staff notice
    for message in mail.outbox:
        for body in (message.body, message.alternatives[0][0]):
            lines = body.splitlines()
            assert not any(
                line.lstrip().startswith(("Bcc:", "To:", "Subject:")) for line in lines
            ), body
        assert "\n" not in message.subject
    assert "Hello Eve Bcc: victim@evil.example Subject: Win," in confirmation.body
    assert "“Audit To: everyone@evil.example”" in confirmation.body


# A changed address needs a fresh confirmation (issue 15 item 13) ----------------------


def changes_requested_proposal(**fields):
    proposal = PracticeProposalFactory(
        state=State.CHANGES_REQUESTED,
        proposer_email="paola.rossi@private.example",
        consent_to_contact=True,
        reviewer_message="Add figures.",
        **fields,
    )
    return proposal


def edit(client, proposal, **overrides):
    path = reverse("practices:proposal-edit", kwargs={"token": services.status_token(proposal)})
    data = form_data(title=proposal.title, summary=proposal.summary, **overrides)
    return client.post(path, data)


def email_link(message):
    return path_of(next(link for link in links_in(message.body) if "/proposals/email/" in link))


def test_a_changed_address_waits_for_its_own_confirmation(client, admin_client):
    proposal = changes_requested_proposal()
    response = edit(client, proposal, proposer_email="eve@attacker.example")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == State.SUBMITTED
    assert proposal.proposer_email == "paola.rossi@private.example"
    assert proposal.pending_email == "eve@attacker.example"
    (link_message,) = [m for m in mail.outbox if m.to == ["eve@attacker.example"]]
    # Until it is confirmed, mail and the contact made on acceptance use the confirmed one.
    services.accept_proposal(proposal=proposal)
    assert mail.outbox[-1].to == ["paola.rossi@private.example"]
    assert Person.objects.get().email == "paola.rossi@private.example"
    # A link scanner's GET changes nothing; the button does.
    path = email_link(link_message)
    assert client.get(path).status_code == 200
    proposal.refresh_from_db()
    assert proposal.proposer_email == "paola.rossi@private.example"
    response = client.post(path)
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.proposer_email == "eve@attacker.example"
    assert proposal.pending_email == ""


def test_an_unchanged_address_sends_no_link(client):
    proposal = changes_requested_proposal()
    edit(client, proposal, proposer_email="Paola.Rossi@private.example")
    proposal.refresh_from_db()
    assert proposal.pending_email == ""
    assert all("/proposals/email/" not in m.body for m in mail.outbox)


def test_an_address_change_link_expires_and_a_newer_change_replaces_it(client):
    proposal = changes_requested_proposal()
    edit(client, proposal, proposer_email="first@private.example")
    first = email_link(mail.outbox[-1])
    proposal.refresh_from_db()
    services.request_changes(proposal=proposal, message="Once more.")
    edit(client, proposal, proposer_email="second@private.example")
    assert client.post(first).status_code == 302  # refused with a message
    proposal.refresh_from_db()
    assert proposal.proposer_email == "paola.rossi@private.example"
    assert proposal.pending_email == "second@private.example"
    second = email_link(mail.outbox[-1])
    later = time.time() + services.confirm_max_age().total_seconds() + 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.post(second)
    assert response.status_code == 410
    proposal.refresh_from_db()
    assert proposal.proposer_email == "paola.rossi@private.example"


# Status links expire, and survive a key rotation ----------------------------------------


def test_status_and_edit_links_expire_after_the_stated_maximum_age(client, settings):
    settings.PROPOSAL_STATUS_MAX_AGE = 30 * 24 * 60 * 60
    proposal = changes_requested_proposal()
    token = services.status_token(proposal)
    status = reverse("practices:proposal-status", kwargs={"token": token})
    edit_path = reverse("practices:proposal-edit", kwargs={"token": token})
    assert client.get(status).status_code == 200
    later = time.time() + settings.PROPOSAL_STATUS_MAX_AGE + 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        for path in (status, edit_path):
            response = client.get(path)
            assert response.status_code == 410
            html = response.content.decode()
            assert "This link has expired" in html
            assert proposal.title not in html


def test_status_links_survive_a_key_rotation(client, settings):
    proposal = PracticeProposalFactory()
    token = services.status_token(proposal)
    path = reverse("practices:proposal-status", kwargs={"token": token})
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-key-after-rotation-0123456789abcdef"
    assert client.get(path).status_code == 404  # without the old key: not valid
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert client.get(path).status_code == 200
