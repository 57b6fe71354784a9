"""Factories for the domain models; one code path for every test's data."""

import datetime

import factory
from django.utils import timezone

from core.models import (
    Organisation,
    Partnership,
    Person,
    Programme,
    Project,
    PublicationState,
    Region,
    Topic,
)
from events.models import (
    Event,
    Material,
    Participant,
    ParticipantGroup,
    ParticipationRole,
    Presentation,
)
from practices.models import GoodPractice, PracticeProposal, PracticeStatus, Transfer


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Interreg Programme {n}")
    short_name = factory.Sequence(lambda n: f"IP{n}")
    fund = Programme.Fund.ERDF


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")


class RegionFactory(factory.django.DjangoModelFactory):
    """A NUTS region; pass ``nuts_code`` and ``parent`` to build a hierarchy."""

    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Region {n}")
    kind = Region.Kind.NUTS
    nuts_code = factory.Sequence(lambda n: f"X{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    label_lat = 50.0
    label_lon = 10.0


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.PUBLIC_AUTHORITY
    region = factory.SubFactory(RegionFactory)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    acronym = factory.Sequence(lambda n: f"PROJ{n}")
    title = factory.Sequence(lambda n: f"Project number {n}")
    programme = factory.SubFactory(ProgrammeFactory)
    start_date = datetime.date(2019, 8, 1)
    end_date = datetime.date(2023, 7, 31)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Partnership.Role.PARTNER


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"person{n}@private.example")


class GoodPracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoodPractice
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Good practice {n}")
    summary = "A short summary of what the practice does and achieved."
    description = "A longer description of the practice."
    region = factory.SubFactory(RegionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    publication_state = PublicationState.PUBLISHED
    start_date = datetime.date(2018, 1, 1)
    status = PracticeStatus.ONGOING

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)

    @factory.post_generation
    def projects(self, create, extracted, **kwargs):
        if create and extracted:
            self.projects.set(extracted)


class TransferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Transfer

    practice = factory.SubFactory(GoodPracticeFactory)
    region = factory.SubFactory(RegionFactory)
    year = 2022


class PracticeProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeProposal

    title = factory.Sequence(lambda n: f"Proposed practice {n}")
    summary = "What it is and what it achieved."
    proposer_name = "Proposer"
    proposer_email = factory.Sequence(lambda n: f"proposer{n}@private.example")
    consent_to_contact = True
    state = PracticeProposal.State.SUBMITTED


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Thematic seminar {n}")
    kind = Event.Kind.THEMATIC_SEMINAR
    format = Event.Format.IN_PERSON
    project = factory.SubFactory(ProjectFactory)
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=8))
    city = "Leuven"


class PresentationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Presentation

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Presentation {n}")
    presenter = factory.SubFactory(PersonFactory)
    organisation = factory.SelfAttribute("presenter.organisation")


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Slides {n}")
    url = "https://example.org/slides.pdf"


class ParticipantFactory(factory.django.DjangoModelFactory):
    """A named person from their organisation; pass ``person=None`` for an organisation alone."""

    class Meta:
        model = Participant

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)
    organisation = factory.LazyAttribute(
        lambda o: o.person.organisation if o.person else OrganisationFactory()
    )


class ParticipantGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParticipantGroup

    event = factory.SubFactory(EventFactory)
    role = ParticipationRole.PARTNER_REPRESENTATIVE
