"""The seed content: every entity of SEED-FACTS.md, loaded idempotently."""

import datetime
import io
import re
import zoneinfo
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction

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
from events.models import Event, Material, Presentation
from portal import demo_content
from practices.models import GoodPractice, PracticeStatus

pytestmark = pytest.mark.django_db

LEUVEN = "smarty-1st-thematic-seminar-leuven-2020"


def load(*args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once for a class of read-only tests, then roll it back."""
    with django_db_blocker.unblock(), transaction.atomic():
        load()
        yield
        transaction.set_rollback(True)


def snapshot():
    """Every row of every table the portal owns, history included."""
    rows = {}
    for label in ("exchange", "practices", "events", "auth"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            rows[model._meta.db_table] = sorted(
                model._default_manager.order_by().values_list(), key=repr
            )
    return rows


@pytest.mark.usefixtures("demo")
class TestCounts:
    def test_counts(self):
        assert Programme.objects.count() == 2
        assert Project.objects.count() == 3
        assert GoodPractice.objects.count() == 7
        assert GoodPractice.objects.published().count() == 7
        assert Event.objects.count() == 6
        assert Event.objects.published().count() == 6
        assert Topic.objects.count() == len(demo_content.TOPICS)
        assert Region.objects.count() == len(demo_content.NUTS_REGIONS) + 2
        assert Organisation.objects.count() == len(demo_content.ORGANISATIONS)
        assert Partnership.objects.count() == len(demo_content.PARTNERSHIPS)
        assert Person.objects.count() == len(demo_content.PEOPLE)
        assert Presentation.objects.count() == 7 + sum(
            len(e["presentations"]) for e in demo_content.EVENTS
        )

    def test_every_row_passes_model_validation(self):
        for model in (
            Programme,
            Topic,
            Region,
            Organisation,
            Project,
            Partnership,
            Person,
            GoodPractice,
            Event,
            Presentation,
        ):
            for obj in model.objects.all():
                obj.full_clean()

    def test_no_made_up_links(self):
        # The seeds give no address for any material: none is invented.
        assert Material.objects.count() == 0
        assert not Event.objects.exclude(online_link="").exists()
        assert not GoodPractice.objects.exclude(further_information="").exists()

    def test_no_user_unless_asked(self):
        assert not get_user_model().objects.exists()


class TestIdempotency:
    def test_second_run_changes_nothing(self):
        first_output = load()
        before = snapshot()
        second_output = load()
        assert snapshot() == before
        assert "0 created, 0 updated, 0 removed" in second_output
        assert "created, 0 updated, 0 removed, 0 unchanged" in first_output

    def test_second_run_repairs_an_edited_fact(self):
        load()
        smarty = Project.objects.get(acronym="SMARTY")
        Project.objects.filter(pk=smarty.pk).update(total_budget=Decimal("3000000"))
        GoodPractice.objects.get(slug="plant-run").topics.clear()
        output = load()
        smarty.refresh_from_db()
        assert smarty.total_budget == Decimal("2420000.00")
        assert GoodPractice.objects.get(slug="plant-run").topics.exists()
        assert "0 created, 2 updated" in output

    def test_rows_of_the_earlier_demo_are_corrected_in_place(self):
        load()
        # What the earlier demo content stored.
        romanian = Project.objects.get(language="ro")
        Project.objects.filter(pk=romanian.pk).update(acronym="IMM 4.0", slug="imm-4-0")
        smarty = Project.objects.get(acronym="SMARTY")
        Project.objects.filter(pk=smarty.pk).update(
            title="Smart SMEs towards Industry 4.0", language="en", budget_is_approximate=False
        )
        Partnership.objects.create(
            project=smarty, organisation=Organisation.objects.get(slug="flanders-make")
        )
        GoodPractice.objects.update(status="ongoing", resources_needed="To be completed.")
        leuven = Event.objects.get(slug=LEUVEN)
        Event.objects.filter(pk=leuven.pk).update(
            all_day=False, start=leuven.start.replace(hour=8), end=leuven.end.replace(hour=16)
        )
        Presentation.objects.create(event=leuven, title="A talk no seed mentions")
        counts = {m: m.objects.count() for m in (Project, Organisation, Event, Presentation)}

        output = load()

        romanian.refresh_from_db()
        assert (romanian.acronym, romanian.slug) == ("", demo_content.ROMANIAN_PROJECT)
        smarty.refresh_from_db()
        assert smarty.title.startswith("Inteligentne MŚP") and smarty.budget_is_approximate
        assert not smarty.partnerships.filter(organisation__slug="flanders-make").exists()
        assert set(GoodPractice.objects.values_list("status", "resources_needed")) == {
            ("unknown", "")
        }
        leuven.refresh_from_db()
        assert leuven.all_day and leuven.first_day == datetime.date(2020, 2, 25)
        assert not leuven.presentations.filter(title="A talk no seed mentions").exists()
        assert counts[Project] == Project.objects.count()
        assert counts[Organisation] == Organisation.objects.count()
        assert counts[Presentation] == Presentation.objects.count() + 1
        assert "0 created" in output and "2 removed" in output


@pytest.mark.usefixtures("demo")
class TestRegions:
    def test_catalonia_sits_under_spain(self):
        catalonia = Region.objects.get(nuts_code="ES51")
        assert catalonia.name == "Cataluña"
        assert catalonia.name_en == "Catalonia"
        assert catalonia.level == 2
        assert catalonia.parent.nuts_code == "ES5"
        assert catalonia.parent.parent.nuts_code == "ES"
        assert catalonia.country_code == "ES"
        assert catalonia.path == "/es/es5/es51/"
        spain = Region.objects.get(nuts_code="ES")
        assert catalonia in Region.objects.within(spain)
        assert Region.objects.get(nuts_code="ES41").parent.nuts_code == "ES4"

    @pytest.mark.parametrize(
        ("code", "chain"),
        [
            ("FI1D7", ["FI", "FI1", "FI1D"]),
            ("ITI1", ["IT", "ITI"]),
            ("SI0", ["SI"]),
            ("PL91", ["PL", "PL9"]),
            ("PL92", ["PL", "PL9"]),
            ("BE24", ["BE", "BE2"]),
            ("BE22", ["BE", "BE2"]),
            ("RO32", ["RO", "RO3"]),
            ("UKE4", ["UK", "UKE"]),
            ("DE3", ["DE"]),
        ],
    )
    def test_every_nuts_region_has_its_ancestors(self, code, chain):
        region = Region.objects.get(nuts_code=code)
        assert [a.nuts_code for a in region.ancestors()] == chain
        assert region.level == len(code) - 2
        assert region.label_lat is not None and region.label_lon is not None

    def test_countries(self):
        codes = set(Region.objects.countries().values_list("nuts_code", flat=True))
        assert {"BE", "DE", "ES", "FI", "IT", "LT", "PL", "RO", "SI", "UK"} <= codes

    def test_label_points_are_eurostats(self):
        lapland = Region.objects.get(nuts_code="FI1D7")
        assert (lapland.label_lat, lapland.label_lon) == (67.716, 26.322)
        assert lapland.name == "Lappi" and lapland.name_en == "Lapland"

    def test_leeds_city_region_is_not_a_nuts_region(self):
        leeds = Region.objects.get(slug="leeds-city-region")
        assert leeds.kind == Region.Kind.CITY_REGION
        assert leeds.nuts_code is None and leeds.level is None
        assert leeds.parent.nuts_code == "UKE"
        assert leeds.country_code == "UK"
        # Only what the sources say it lies in.
        assert set(leeds.covers.values_list("nuts_code", flat=True)) == {"UKE4"}

    def test_baltic_sea_region_is_a_macro_region(self):
        bsr = Region.objects.get(slug="baltic-sea-region")
        assert bsr.kind == Region.Kind.MACRO_REGION
        assert bsr.nuts_code is None and bsr.parent is None
        assert bsr.path == "/baltic-sea-region/"
        # The seeds do not say what it takes in: no made-up partial list.
        assert not bsr.covers.exists()


@pytest.mark.usefixtures("demo")
class TestProjects:
    def test_smarty(self):
        smarty = Project.objects.get(acronym="SMARTY")
        assert smarty.programme.name == "Interreg Europe"
        assert smarty.programme.fund == Programme.Fund.ERDF
        assert smarty.total_budget == Decimal("2420000.00")
        assert smarty.eu_cofinancing == Decimal("1990000.00")
        assert smarty.start_date == datetime.date(2019, 8, 1)
        assert smarty.end_date == datetime.date(2023, 7, 31)
        assert smarty.status_on(datetime.date(2020, 2, 25)) == Project.Status.RUNNING
        assert smarty.topics.filter(name="Industry 4.0").exists()

    def test_smarty_partners_are_only_those_the_seeds_name(self):
        partners = {
            p.organisation.slug: p.region.nuts_code
            for p in Partnership.objects.filter(project__acronym="SMARTY").select_related(
                "organisation", "region"
            )
        }
        # Presenters' institutions, the Leuven host and ICE are not partners.
        assert partners == {"umwm": "PL9", "lukasiewicz-itee": "PL9", "icamcyl": "ES41"}

    def test_smarty_title_and_approximate_budget(self):
        smarty = Project.objects.get(acronym="SMARTY")
        assert smarty.title == "Inteligentne MŚP w kierunku Przemysłu 4.0 – SMARTY"
        assert smarty.language == "pl"
        assert smarty.title_en == "Smart SMEs towards Industry 4.0"
        assert smarty.budget_is_approximate

    def test_diginno(self):
        diginno = Project.objects.get(acronym="DIGINNO")
        assert diginno.programme.name == "Interreg Baltic Sea Region"
        assert diginno.area.slug == "baltic-sea-region"
        # The seminar's organisers are not said to be DIGINNO partners.
        assert not diginno.partnerships.exists()

    def test_romanian_project(self):
        project = Project.objects.get(language="ro")
        assert project.title.startswith("Întărirea capacității IMM-urilor")
        assert project.acronym == ""  # none in the seed, none invented
        assert project.slug.startswith("intarirea-capacitatii-imm-urilor")
        assert project.title_en
        assert project.programme is None
        for country in ("Italia", "Belgia", "Finlanda", "Polonia", "Spania", "Lituania"):
            assert country in project.summary
        partner = project.partnerships.get()
        assert partner.organisation.acronym == "OIR POSDRU BI"
        assert partner.region.nuts_code == "RO32"


@pytest.mark.usefixtures("demo")
class TestPractices:
    def test_seven_practices_each_presented_at_leuven(self):
        seminar = Event.objects.get(slug=LEUVEN)
        assert seminar.title == "1st Interregional Thematic Seminar"
        for practice in GoodPractice.objects.all():
            presentation = practice.presentations.get()
            assert presentation.event == seminar
            assert presentation.presenter is not None
            assert presentation.organisation == presentation.presenter.organisation
            assert practice.contact == presentation.presenter

    def test_organisation_in_charge_only_where_a_seed_says(self):
        in_charge = dict(
            GoodPractice.objects.exclude(organisation=None).values_list(
                "slug", "organisation__acronym"
            )
        )
        # Seed 002: ICE "promotes the Centr@tec program"; the others name presenters only.
        assert in_charge == {"centr-tec-programme": "ICE"}

    @pytest.mark.parametrize(
        ("presenter", "region", "organisation"),
        [
            ("Ana Cvetko", "SI0", "svrk"),
            # "at the national level": placed in Poland, not in the presenter's Mazovia.
            ("Anna Pajak", "PL", "lukasiewicz-itee"),
            ("Eduard Balbuena", "ES51", "i2cat"),
            ("Craig Lawrance", "leeds-city-region", "textile-centre-of-excellence"),
            ("Paolo Guarnieri", "ITI1", "comune-di-prato"),
            ("Alex Clarke", "leeds-city-region", "leeds-city-region-lep-wyca"),
            ("Victoria Molpeceres", "ES41", "ice-castilla-y-leon"),
        ],
    )
    def test_presenters(self, presenter, region, organisation):
        practice = GoodPractice.objects.get(presentations__presenter__name=presenter)
        assert region in (practice.region.nuts_code, practice.region.slug)
        assert practice.presentations.get().organisation.slug == organisation

    def test_victoria_molpeceres(self):
        person = Person.objects.get(name="Victoria Molpeceres")
        assert person.job_title == "Head of Unit Industry 4.0"
        assert person.organisation.acronym == "ICE"

    def test_what_the_seeds_do_not_say_stays_empty(self):
        smarty = Project.objects.get(acronym="SMARTY")
        for practice in GoodPractice.objects.all():
            assert len(practice.title) <= 100
            assert practice.publication_state == PublicationState.PUBLISHED
            assert practice.published_at is not None
            assert practice.status == PracticeStatus.NOT_STATED
            assert practice.summary.strip()
            assert practice.start_date is None and practice.end_date is None
            for field in ("resources_needed", "evidence_of_success", "difficulties"):
                assert getattr(practice, field) == "", (practice.slug, field)
            assert "To be completed" not in practice.description
            assert practice.topics.exists()
            assert list(practice.projects.all()) == [smarty]
            practice.full_clean()

    def test_company_cases_are_presentations_without_a_practice(self):
        for company, person in (("RADMOT", "Piotr Stańczyk"), ("TREND GLASS", "Michał Kaleta")):
            presentation = Presentation.objects.get(organisation__name=company)
            assert presentation.practice is None
            assert presentation.presenter.name == person
            assert presentation.event.slug == "smarty-2nd-thematic-seminar-2020"


@pytest.mark.usefixtures("demo")
class TestEvents:
    @pytest.mark.parametrize(
        ("slug", "first", "last", "kind", "format", "organisers"),
        [
            (
                "diginno-policy-seminar-berlin-2019",
                datetime.date(2019, 11, 18),
                datetime.date(2019, 11, 19),
                Event.Kind.POLICY_SEMINAR,
                Event.Format.IN_PERSON,
                {"itl", "aalborg-university-copenhagen", "bmwi"},
            ),
            (
                LEUVEN,
                datetime.date(2020, 2, 25),
                datetime.date(2020, 2, 26),
                Event.Kind.THEMATIC_SEMINAR,
                Event.Format.IN_PERSON,
                set(),  # Flanders Make hosted it; the seed names no organiser
            ),
            (
                "smarty-policy-brokerage-workshop-2020",
                datetime.date(2020, 6, 4),
                datetime.date(2020, 6, 5),
                Event.Kind.POLICY_BROKERAGE,
                Event.Format.ONLINE,
                {"regional-council-of-lapland"},
            ),
            (
                "smarty-2nd-stakeholder-group-meeting-2020",
                datetime.date(2020, 7, 14),
                datetime.date(2020, 7, 14),
                Event.Kind.STAKEHOLDER_MEETING,
                Event.Format.ONLINE,
                {"lukasiewicz-itee", "umwm"},
            ),
            (
                "workshop-digitalizare-imm-2020",
                datetime.date(2020, 7, 29),
                datetime.date(2020, 7, 29),
                Event.Kind.WORKSHOP,
                Event.Format.ONLINE,
                {"oir-posdru-bi"},
            ),
            (
                "smarty-2nd-thematic-seminar-2020",
                datetime.date(2020, 9, 8),
                datetime.date(2020, 9, 9),
                Event.Kind.THEMATIC_SEMINAR,
                Event.Format.ONLINE,
                {"lukasiewicz-itee"},
            ),
        ],
    )
    def test_event_facts(self, slug, first, last, kind, format, organisers):
        event = Event.objects.get(slug=slug)
        zone = zoneinfo.ZoneInfo(event.time_zone)
        # The seeds give days, not hours.
        assert event.all_day
        assert (event.first_day, event.last_day) == (first, last)
        assert event.start.astimezone(zone).time() == datetime.time.min
        assert event.kind == kind
        assert event.format == format
        assert set(event.organisers.values_list("slug", flat=True)) == organisers
        assert event.description and event.summary
        event.full_clean()

    def test_places_and_time_zones(self):
        berlin = Event.objects.get(slug="diginno-policy-seminar-berlin-2019")
        assert (berlin.city, berlin.region.nuts_code, berlin.time_zone) == (
            "Berlin",
            "DE3",
            "Europe/Berlin",
        )
        assert "Estonii" in berlin.venue
        leuven = Event.objects.get(slug=LEUVEN)
        assert (leuven.city, leuven.region.nuts_code, leuven.time_zone) == (
            "Leuven",
            "BE24",
            "Europe/Brussels",
        )
        assert Event.objects.get(slug="workshop-digitalizare-imm-2020").time_zone == (
            "Europe/Bucharest"
        )

    def test_original_language_titles_are_kept(self):
        for event in Event.objects.exclude(language="en"):
            assert event.title_en and event.title != event.title_en
        stakeholders = Event.objects.get(slug="smarty-2nd-stakeholder-group-meeting-2020")
        assert stakeholders.language == "pl"
        assert stakeholders.title == "2. spotkanie Regionalnej Grupy Interesariuszy"
        assert Event.objects.get(slug="workshop-digitalizare-imm-2020").language == "ro"
        assert Event.objects.get(slug="diginno-policy-seminar-berlin-2019").project.acronym == (
            "DIGINNO"
        )

    def test_events_are_past(self):
        assert Event.objects.upcoming().count() == 0
        assert list(Event.objects.past().values_list("slug", flat=True))[:1] == [
            "smarty-2nd-thematic-seminar-2020"
        ]


class TestAdminOption:
    def test_password_from_the_environment(self, monkeypatch):
        monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "a-long-demo-password-1")
        output = load("--with-admin")
        admin = get_user_model().objects.get(username="admin")
        assert admin.is_superuser and admin.is_staff
        assert admin.check_password("a-long-demo-password-1")
        assert "a-long-demo-password-1" not in output

    @pytest.mark.parametrize("weak", ["admin", "password123", "12345678901234", "short-pw"])
    def test_a_weak_password_from_the_environment_is_refused(self, monkeypatch, weak):
        monkeypatch.setenv("DEMO_ADMIN_PASSWORD", weak)
        with pytest.raises(CommandError, match="DEMO_ADMIN_PASSWORD is refused"):
            load("--with-admin")
        assert not get_user_model().objects.filter(username="admin").exists()

    def test_generated_password_is_printed_once(self, monkeypatch):
        monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
        output = load("--with-admin")
        password = re.search(r"password: (\S+)", output).group(1)
        assert len(password) >= 16
        admin = get_user_model().objects.get(username="admin")
        assert admin.check_password(password)
        again = load("--with-admin")
        assert password not in again
        admin.refresh_from_db()
        assert admin.check_password(password)

    def test_passwords_differ_between_databases(self, monkeypatch):
        monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
        first = re.search(r"password: (\S+)", load("--with-admin")).group(1)
        get_user_model().objects.all().delete()
        second = re.search(r"password: (\S+)", load("--with-admin")).group(1)
        assert first != second
