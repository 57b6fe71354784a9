"""Generate a large, realistic, reproducible data set for benchmarks.

Everything here is bulk work: rows are built in Python (slugs, paths and
texts included) and written with ``bulk_create`` in batches, never with a
``save()`` per row, so 100,000 practices load in minutes. Nothing goes
through simple-history (``bulk_create`` sends no signals), so no history rows
are written.

Every generated row is recognisable, so that it never passes for seed
content: slugs start with ``fake-`` and generated e-mail addresses end in
``@fake.example``. Rows without a slug (partnerships, presentations, people,
transfers, proposals) hang off fake rows or carry a fake e-mail address.
"""

import datetime
import importlib
import random
import time
import uuid
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

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
from practices.models import GoodPractice, PracticeProposal, PracticeStatus, Transfer

FAKE_PREFIX = "fake-"
FAKE_EMAIL_DOMAIN = "fake.example"
# A word planted in a few practices so that a benchmark can search for
# something rare; "innovation" is the common word (in most English texts).
RARE_WORD = "aquaponics"
COMMON_WORD = "innovation"

# 37 countries, as in NUTS 2021 plus the candidate and EFTA countries.
COUNTRIES = [
    ("AT", "Österreich", "Austria", "de", 47.6, 14.1),
    ("BE", "Belgique/België", "Belgium", "nl", 50.6, 4.6),
    ("BG", "България", "Bulgaria", "en", 42.7, 25.3),
    ("CY", "Κύπρος", "Cyprus", "en", 35.0, 33.2),
    ("CZ", "Česko", "Czechia", "en", 49.8, 15.5),
    ("DE", "Deutschland", "Germany", "de", 51.1, 10.4),
    ("DK", "Danmark", "Denmark", "da", 56.0, 9.5),
    ("EE", "Eesti", "Estonia", "en", 58.7, 25.5),
    ("EL", "Ελλάδα", "Greece", "en", 39.1, 22.0),
    ("ES", "España", "Spain", "es", 40.2, -3.6),
    ("FI", "Suomi/Finland", "Finland", "fi", 63.0, 26.0),
    ("FR", "France", "France", "fr", 46.6, 2.4),
    ("HR", "Hrvatska", "Croatia", "en", 45.1, 15.6),
    ("HU", "Magyarország", "Hungary", "en", 47.2, 19.4),
    ("IE", "Éire/Ireland", "Ireland", "en", 53.2, -8.0),
    ("IT", "Italia", "Italy", "it", 42.8, 12.6),
    ("LT", "Lietuva", "Lithuania", "lt", 55.3, 23.9),
    ("LU", "Luxembourg", "Luxembourg", "fr", 49.8, 6.1),
    ("LV", "Latvija", "Latvia", "en", 56.9, 24.6),
    ("MT", "Malta", "Malta", "en", 35.9, 14.4),
    ("NL", "Nederland", "Netherlands", "nl", 52.2, 5.5),
    ("PL", "Polska", "Poland", "pl", 52.1, 19.4),
    ("PT", "Portugal", "Portugal", "en", 39.6, -8.0),
    ("RO", "România", "Romania", "ro", 45.9, 24.9),
    ("SE", "Sverige", "Sweden", "en", 62.2, 15.3),
    ("SI", "Slovenija", "Slovenia", "en", 46.1, 14.8),
    ("SK", "Slovensko", "Slovakia", "en", 48.7, 19.7),
    ("IS", "Ísland", "Iceland", "en", 64.9, -18.6),
    ("LI", "Liechtenstein", "Liechtenstein", "de", 47.1, 9.5),
    ("NO", "Norge", "Norway", "en", 61.4, 8.8),
    ("CH", "Schweiz/Suisse/Svizzera", "Switzerland", "de", 46.8, 8.2),
    ("ME", "Црна Гора", "Montenegro", "en", 42.7, 19.3),
    ("MK", "Северна Македонија", "North Macedonia", "en", 41.6, 21.7),
    ("AL", "Shqipëria", "Albania", "en", 41.1, 20.1),
    ("RS", "Србија", "Serbia", "en", 44.0, 20.9),
    ("TR", "Türkiye", "Türkiye", "en", 39.0, 35.2),
    ("UK", "United Kingdom", "United Kingdom", "en", 54.0, -2.5),
]
COUNTRY_LANGUAGE = {code: lang for code, _n, _e, lang, _la, _lo in COUNTRIES}
# Faker locales for place and person names, where Faker has one.
NAME_LOCALES = {
    "AT": "de_AT", "BE": "nl_BE", "BG": "bg_BG", "CY": "el_CY", "CZ": "cs_CZ", "DE": "de_DE",
    "DK": "da_DK", "EE": "et_EE", "EL": "el_GR", "ES": "es_ES", "FI": "fi_FI", "FR": "fr_FR",
    "HR": "hr_HR", "HU": "hu_HU", "IE": "en_IE", "IT": "it_IT", "LT": "lt_LT", "LU": "fr_FR",
    "LV": "lv_LV", "MT": "en_GB", "NL": "nl_NL", "PL": "pl_PL", "PT": "pt_PT", "RO": "ro_RO",
    "SE": "sv_SE", "SI": "sl_SI", "SK": "sk_SK", "IS": "is_IS", "LI": "de_CH", "NO": "no_NO",
    "CH": "de_CH", "ME": "sr_RS", "MK": "en_GB", "AL": "en_GB", "RS": "sr_RS", "TR": "tr_TR",
    "UK": "en_GB",
}  # fmt: skip
MACRO_REGIONS = [
    ("Baltic Sea Region", ["DE", "DK", "EE", "FI", "LT", "LV", "PL", "SE"]),
    ("Danube Region", ["AT", "BG", "CZ", "DE", "HR", "HU", "ME", "RO", "RS", "SI", "SK"]),
    ("Alpine Region", ["AT", "CH", "DE", "FR", "IT", "LI", "SI"]),
    ("Adriatic and Ionian Region", ["AL", "EL", "HR", "IT", "ME", "MK", "RS", "SI"]),
    ("North Sea Region", ["BE", "DE", "DK", "NL", "NO", "SE", "UK"]),
    ("Atlantic Area", ["ES", "FR", "IE", "PT"]),
]
PROGRAMMES = [
    ("Interreg Europe", "IE"),
    ("Interreg Baltic Sea Region", "BSR"),
    ("Interreg Central Europe", "CE"),
    ("Interreg Danube Region", "DRP"),
    ("Interreg Alpine Space", "AS"),
    ("Interreg North Sea", "NS"),
    ("Interreg North-West Europe", "NWE"),
    ("Interreg Euro-MED", "MED"),
    ("Interreg Atlantic Area", "AA"),
    ("Interreg Sudoe", "SUDOE"),
    ("URBACT", "URBACT"),
    ("ESPON", "ESPON"),
]
TOPICS = [
    "Industry 4.0", "Digitalisation of SMEs", "Clusters", "Smart specialisation",
    "Research and innovation", "Technology transfer", "Entrepreneurship", "Start-ups",
    "Skills and vocational training", "Low-carbon economy", "Energy efficiency",
    "Renewable energy", "Circular economy", "Waste management", "Water management",
    "Biodiversity", "Climate adaptation", "Sustainable mobility", "Public transport",
    "Cycling", "Rural development", "Agri-food", "Blue economy", "Tourism",
    "Cultural heritage", "Creative industries", "Health and ageing", "Social inclusion",
    "Public procurement", "E-government", "Broadband", "Urban regeneration", "Housing",
    "Air quality", "Forestry", "Bioeconomy", "Logistics", "Internationalisation of SMEs",
    "Youth employment", "Cross-border cooperation",
]  # fmt: skip

# Domain words mixed into the generic word lists, so that texts read like
# policy documents and searches have realistic hits.
DOMAIN_WORDS = {
    "en": "innovation region regional policy cluster SMEs entrepreneurs digital energy "
    "efficiency stakeholders municipality authority agency programme funding investment "
    "network partners transfer practice pilot results evidence training skills sustainable "
    "mobility circular economy tourism heritage rural urban smart specialisation research "
    "university companies support services platform strategy action plan cooperation",
    "pl": "innowacja region regionalny polityka klaster przedsiębiorstwa cyfrowy energia "
    "efektywność interesariusze gmina samorząd agencja program finansowanie inwestycje "
    "sieć partnerzy transfer praktyka pilotaż wyniki szkolenia umiejętności zrównoważony "
    "mobilność gospodarka obieg turystyka dziedzictwo wiejski miejski badania uczelnia "
    "wsparcie usługi platforma strategia współpraca województwo rozwój",
    "ro": "inovare regiune regională politică cluster întreprinderi digital energie "
    "eficiență actori municipiu autoritate agenție program finanțare investiții rețea "
    "parteneri transfer practică pilot rezultate instruire competențe durabil mobilitate "
    "economie circulară turism patrimoniu rural urban cercetare universitate sprijin "
    "servicii platformă strategie cooperare dezvoltare județ comunitate locală pentru "
    "și cu în de la prin care este sunt acest această proiect zonă cetățeni",
    "it": "innovazione regione regionale politica distretto imprese digitale energia "
    "efficienza comune autorità agenzia finanziamento investimenti rete partner "
    "trasferimento pratica risultati formazione competenze sostenibile mobilità turismo",
    "es": "innovación región regional política clúster pymes digital energía eficiencia "
    "municipio autoridad agencia programa financiación inversión red socios transferencia "
    "práctica resultados formación competencias sostenible movilidad turismo comarca",
    "fi": "innovaatio alue alueellinen politiikka klusteri yritykset digitaalinen energia "
    "tehokkuus sidosryhmät kunta viranomainen virasto ohjelma rahoitus investoinnit "
    "verkosto kumppanit siirto käytäntö pilotti tulokset koulutus osaaminen kestävä "
    "liikkuvuus kiertotalous matkailu kulttuuriperintö maaseutu kaupunki tutkimus "
    "yliopisto tuki palvelut alusta strategia yhteistyö kehittäminen maakunta ja on "
    "että ei se joka myös kanssa mukaan vuonna hanke toiminta asukkaat",
    "lt": "inovacijos regionas regioninė politika klasteris įmonės skaitmeninis energija "
    "efektyvumas suinteresuotosios savivaldybė institucija agentūra programa finansavimas "
    "investicijos tinklas partneriai perdavimas praktika bandomasis rezultatai mokymai "
    "įgūdžiai tvarus judumas žiedinė ekonomika turizmas paveldas kaimo miesto tyrimai "
    "universitetas parama paslaugos platforma strategija bendradarbiavimas plėtra "
    "apskritis ir yra kad su iš per tai projektas veikla gyventojai",
    "nl": "innovatie regio regionaal beleid cluster ondernemers digitaal energie "
    "gemeente provincie overheid netwerk partners overdracht praktijk resultaten",
    "de": "Innovation Region regional Politik Cluster Unternehmen digital Energie "
    "Effizienz Gemeinde Landkreis Behörde Agentur Förderung Netzwerk Partner Transfer",
    "fr": "innovation région régional politique pôle entreprises numérique énergie "
    "efficacité commune collectivité agence programme financement réseau partenaires",
    "da": "innovation region regional politik klynge virksomheder digital energi kommune "
    "myndighed netværk partnere overførsel praksis resultater uddannelse bæredygtig",
}
LOREM_LOCALES = {
    "en": "en_US",
    "pl": "pl_PL",
    "it": "it_IT",
    "es": "es_ES",
    "nl": "nl_NL",
    "de": "de_DE",
    "fr": "fr_FR",
    "da": "da_DK",
}
# Share of practice texts written in each language (the rest of Europe
# mostly writes in English).
LANGUAGE_WEIGHTS = {
    "en": 45,
    "pl": 10,
    "ro": 7,
    "it": 8,
    "es": 8,
    "fi": 4,
    "lt": 4,
    "nl": 5,
    "de": 5,
    "fr": 3,
    "da": 1,
}
ORGANISATION_PATTERNS = [
    (Organisation.Kind.PUBLIC_AUTHORITY, "Regional Authority of {place}", ""),
    (Organisation.Kind.PUBLIC_AUTHORITY, "Municipality of {place}", ""),
    (Organisation.Kind.REGIONAL_AGENCY, "{place} Regional Development Agency", "RDA"),
    (Organisation.Kind.RESEARCH, "University of {place}", "U"),
    (Organisation.Kind.RESEARCH, "{place} Institute of Technology", "IT"),
    (Organisation.Kind.BUSINESS_SUPPORT, "{place} Innovation Centre", "IC"),
    (Organisation.Kind.BUSINESS_SUPPORT, "{place} Technology Park", "TP"),
    (Organisation.Kind.CHAMBER, "{place} Chamber of Commerce", "CC"),
    (Organisation.Kind.COMPANY, "{place} Energy Cooperative", ""),
    (Organisation.Kind.NGO, "{place} Rural Network", ""),
    (Organisation.Kind.OTHER, "{place} Cluster Association", "CA"),
]
EVENT_TITLES = {
    Event.Kind.THEMATIC_SEMINAR: "Thematic seminar on {topic}",
    Event.Kind.STAKEHOLDER_MEETING: "Stakeholder group meeting: {topic}",
    Event.Kind.POLICY_BROKERAGE: "Policy brokerage workshop on {topic}",
    Event.Kind.POLICY_SEMINAR: "Policy seminar: {topic}",
    Event.Kind.STEERING_COMMITTEE: "Steering committee meeting",
    Event.Kind.STUDY_VISIT: "Study visit: {topic} in {city}",
    Event.Kind.WORKSHOP: "Workshop on {topic}",
    Event.Kind.CONFERENCE: "Final conference: {topic}",
}
ACRONYM_PARTS = (
    "INNO CLUSTER RIS GREEN DIGI BIO SMART ECO CIRC MOBI AGRI BLUE SKILL RURAL URBAN "
    "HERIT TOUR ENER CLIMA WATER HEALTH SOCIAL START TECH FOOD FOREST LOGI PORT TRANS NET"
).split()


class Pools:
    """Precomputed sentences and names; Faker per row would take hours."""

    def __init__(self, rng, seed=0):
        self.rng = rng
        self.seed = seed
        self.sentences = {lang: self._sentences(lang) for lang in LANGUAGE_WEIGHTS}
        self.places = {}
        self.first_names = {}
        self.last_names = {}

    def _words(self, lang):
        domain = DOMAIN_WORDS[lang].split()
        generic = []
        if lang in LOREM_LOCALES:
            module = importlib.import_module(f"faker.providers.lorem.{LOREM_LOCALES[lang]}")
            generic = list(module.Provider.word_list)
        # Domain words weigh as much as the whole generic list together.
        return generic + domain * max(1, len(generic) // max(1, len(domain)))

    def _sentences(self, lang, count=600):
        rng, words = self.rng, self._words(lang)
        result = []
        for _ in range(count):
            chosen = rng.choices(words, k=rng.randint(7, 22))
            sentence = " ".join(chosen)
            result.append(sentence[0].upper() + sentence[1:] + ".")
        return result

    def text(self, lang, min_sentences, max_sentences):
        return " ".join(
            self.rng.choices(self.sentences[lang], k=self.rng.randint(min_sentences, max_sentences))
        )

    def title(self, lang):
        words = self.rng.choice(self.sentences[lang]).rstrip(".").split()
        title = " ".join(words[: self.rng.randint(3, 10)])
        return title[:100].strip()

    def load_names(self, country_code, count=80):
        """Fill the place and person name pools of one country (Faker, once)."""
        if country_code in self.places:
            return
        from faker import Faker

        # Seeded per country: the names do not depend on which country
        # happens to be needed first.
        seed = random.Random(f"{self.seed}-{country_code}").getrandbits(32)
        try:
            fake = Faker(NAME_LOCALES.get(country_code, "en_GB"))
            fake.seed_instance(seed)
            places = sorted({fake.city() for _ in range(count)})
        except AttributeError:  # a locale Faker lacks, or one without cities
            fake = Faker("en_GB")
            fake.seed_instance(seed)
            places = sorted({fake.city() for _ in range(count)})
        self.places[country_code] = places
        self.first_names[country_code] = [fake.first_name() for _ in range(40)]
        self.last_names[country_code] = [fake.last_name() for _ in range(60)]

    def place(self, country_code, rng=None):
        self.load_names(country_code)
        return (rng or self.rng).choice(self.places[country_code])

    def person_name(self, country_code):
        self.load_names(country_code)
        return (
            f"{self.rng.choice(self.first_names[country_code])} "
            f"{self.rng.choice(self.last_names[country_code])}"
        )


def fake_slug(text, n, *, max_length):
    suffix = f"-{n}"
    base = slugify(text)[: max_length - len(FAKE_PREFIX) - len(suffix)].strip("-") or "item"
    return f"{FAKE_PREFIX}{base}{suffix}"


def holds_real_content():
    """Say whether the database holds content that is not generated (the demo)."""
    return any(
        model.objects.exclude(slug__startswith=FAKE_PREFIX).exists()
        for model in (GoodPractice, Event, Project, Organisation)
    )


def holds_fake_content():
    return GoodPractice.objects.filter(slug__startswith=FAKE_PREFIX).exists()


def clear_fake_content(*, keep_regions=False):
    """Delete every generated row (in dependency order, without the ORM collector)."""
    fake = f"{FAKE_PREFIX}%"
    email = f"%@{FAKE_EMAIL_DOMAIN}"
    gp, ev = GoodPractice._meta.db_table, Event._meta.db_table
    prj, org = Project._meta.db_table, Organisation._meta.db_table
    statements = [
        f"DELETE FROM {Material._meta.db_table} WHERE event_id IN "
        f"(SELECT id FROM {ev} WHERE slug LIKE %s)",
        f"DELETE FROM {Presentation._meta.db_table} WHERE event_id IN "
        f"(SELECT id FROM {ev} WHERE slug LIKE %s)",
        f"DELETE FROM {Event.organisers.through._meta.db_table} WHERE event_id IN "
        f"(SELECT id FROM {ev} WHERE slug LIKE %s)",
        f"DELETE FROM {ev} WHERE slug LIKE %s",
        f"DELETE FROM {PracticeProposal.topics.through._meta.db_table} WHERE "
        f"practiceproposal_id IN (SELECT id FROM {PracticeProposal._meta.db_table} "
        "WHERE proposer_email LIKE %s)",
        f"DELETE FROM {PracticeProposal._meta.db_table} WHERE proposer_email LIKE %s",
        f"DELETE FROM {Transfer._meta.db_table} WHERE practice_id IN "
        f"(SELECT id FROM {gp} WHERE slug LIKE %s)",
        f"DELETE FROM {GoodPractice.topics.through._meta.db_table} WHERE goodpractice_id IN "
        f"(SELECT id FROM {gp} WHERE slug LIKE %s)",
        f"DELETE FROM {GoodPractice.projects.through._meta.db_table} WHERE goodpractice_id IN "
        f"(SELECT id FROM {gp} WHERE slug LIKE %s)",
        f"UPDATE {Presentation._meta.db_table} SET practice_id = NULL WHERE practice_id IN "
        f"(SELECT id FROM {gp} WHERE slug LIKE %s)",
        f"DELETE FROM {gp} WHERE slug LIKE %s",
        f"DELETE FROM {Partnership._meta.db_table} WHERE project_id IN "
        f"(SELECT id FROM {prj} WHERE slug LIKE %s)",
        f"DELETE FROM {Project.topics.through._meta.db_table} WHERE project_id IN "
        f"(SELECT id FROM {prj} WHERE slug LIKE %s)",
        f"DELETE FROM {prj} WHERE slug LIKE %s",
        f"DELETE FROM {Person._meta.db_table} WHERE email LIKE %s",
        f"DELETE FROM {org} WHERE slug LIKE %s",
        f"DELETE FROM {Programme._meta.db_table} WHERE slug LIKE %s AND id NOT IN "
        f"(SELECT programme_id FROM {prj} WHERE programme_id IS NOT NULL)",
        f"DELETE FROM {Topic._meta.db_table} WHERE slug LIKE %s",
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, [email if "email" in sql.split("WHERE")[-1] else fake])
        # Generated regions go last, children before parents.
        for level in () if keep_regions else (None, 3, 2, 1, 0):
            regions = Region.objects.filter(slug__startswith=FAKE_PREFIX, level=level)
            Region.covers.through.objects.filter(from_region__in=regions).delete()
            Region.covers.through.objects.filter(to_region__in=regions).delete()
            regions._raw_delete(regions.db)


class FakeDataGenerator:
    """Build ``practices`` practices and everything around them, reproducibly."""

    def __init__(self, *, practices, seed=1, batch_size=2000, workers=1, log=None):
        self.n = practices
        self.seed = seed
        self.workers = workers
        self.rng = random.Random(seed)
        self.batch_size = batch_size
        self.log = log or (lambda message: None)
        self.now = timezone.now()
        self.stats = {}

    # -- helpers ---------------------------------------------------------
    def _step(self, name, started):
        self.log(f"  {name}: {time.monotonic() - started:.1f} s")

    def _bulk(self, model, objs):
        return model.objects.bulk_create(objs, batch_size=self.batch_size)

    def _date(self, first_year, last_year):
        start = datetime.date(first_year, 1, 1).toordinal()
        end = datetime.date(last_year, 12, 31).toordinal()
        return datetime.date.fromordinal(self.rng.randint(start, end))

    def _uuid(self):
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    # -- the steps -------------------------------------------------------
    def run(self):
        started = time.monotonic()
        self.pools = Pools(self.rng, self.seed)
        self._step("text pools", started)
        # Worker threads have connections of their own: they see only what
        # is committed, so a parallel load commits step by step.
        self.parallel = (
            self.workers > 1
            and connection.vendor == "postgresql"
            and not connection.in_atomic_block
        )
        steps = [
            "regions",
            "topics",
            "programmes",
            "organisations",
            "people",
            "projects",
            "practices",
            "transfers",
            "events",
            "proposals",
        ]
        for group in (steps[:6], steps[6:7], steps[7:]) if self.parallel else (steps,):
            with transaction.atomic():
                for name in group:
                    step_started = time.monotonic()
                    getattr(self, f"make_{name}")()
                    self._step(name, step_started)
        step_started = time.monotonic()
        self.analyze()
        self._step("analyze", step_started)
        self.stats["seconds"] = round(time.monotonic() - started, 1)
        return self.stats

    def make_regions(self):
        existing = list(
            Region.objects.filter(kind=Region.Kind.NUTS).values_list(
                "id", "level", "country_code", "label_lat", "label_lon"
            )
        )
        if not existing:
            self._generate_regions()
            existing = list(
                Region.objects.filter(kind=Region.Kind.NUTS).values_list(
                    "id", "level", "country_code", "label_lat", "label_lon"
                )
            )
        self.regions = existing
        # Practices and organisations sit in the smallest regions.
        deepest = max(level or 0 for _, level, *_ in existing)
        self.local_regions = [r for r in existing if r[1] in (deepest, deepest - 1)]
        self.countries = sorted({r[2] for r in existing if r[2]})
        self.stats["regions"] = len(existing)

    def _generate_regions(self):
        """A NUTS-like hierarchy: 37 countries, ~120 / ~330 / ~1,500 regions below.

        With a random stream of its own, so that the rest of the data is the
        same whether the regions are generated or were there already.
        """
        rng = random.Random(f"{self.seed}-regions")
        chars = "123456789ABCDEFGHJK"
        levels = [[]]
        for code, name, name_en, _lang, lat, lon in COUNTRIES:
            levels[0].append(
                Region(
                    name=name,
                    name_en=name_en,
                    slug=FAKE_PREFIX + code.lower(),
                    kind=Region.Kind.NUTS,
                    nuts_code=code,
                    level=0,
                    path=f"/{FAKE_PREFIX}{code.lower()}/",
                    country_code=code,
                    label_lat=lat,
                    label_lon=lon,
                )
            )
        parents = self._bulk(Region, levels[0])
        # Children per parent on average: 120/37, 330/120, 1500/330.
        for level, (low, high), suffix in (
            (1, (2, 5), "Macroregion"),
            (2, (2, 3), "Region"),
            (3, (3, 6), "District"),
        ):
            children = []
            for parent in parents:
                for i in range(rng.randint(low, high)):
                    code = parent.nuts_code + chars[i]
                    place = self.pools.place(parent.country_code, rng)
                    slug = FAKE_PREFIX + code.lower()
                    children.append(
                        Region(
                            name=f"{place} {suffix}",
                            name_en=f"{place} {suffix}",
                            slug=slug,
                            kind=Region.Kind.NUTS,
                            nuts_code=code,
                            level=level,
                            parent_id=parent.pk,
                            path=f"{parent.path}{slug}/",
                            country_code=parent.country_code,
                            label_lat=round(parent.label_lat + rng.uniform(-1.5, 1.5), 4),
                            label_lon=round(parent.label_lon + rng.uniform(-2, 2), 4),
                        )
                    )
            parents = self._bulk(Region, children)
        macro = []
        for name, _codes in MACRO_REGIONS:
            slug = FAKE_PREFIX + slugify(name)
            macro.append(
                Region(
                    name=name,
                    name_en=name,
                    slug=slug,
                    kind=Region.Kind.MACRO_REGION,
                    path=f"/{slug}/",
                )
            )
        macro = self._bulk(Region, macro)
        by_code = dict(Region.objects.filter(level=0).values_list("nuts_code", "id"))
        self._bulk(
            Region.covers.through,
            [
                Region.covers.through(from_region_id=m.pk, to_region_id=by_code[code])
                for m, (_name, codes) in zip(macro, MACRO_REGIONS, strict=True)
                for code in codes
                if code in by_code
            ],
        )

    def make_topics(self):
        existing = dict(Topic.objects.values_list("name", "id"))
        new = [
            Topic(name=name, slug=FAKE_PREFIX + slugify(name)[:70])
            for name in TOPICS
            if name not in existing
        ]
        self._bulk(Topic, new)
        self.topics = list(Topic.objects.values_list("id", "name"))

    def make_programmes(self):
        existing = dict(Programme.objects.values_list("name", "id"))
        new = [
            Programme(
                name=name,
                short_name=short,
                slug=FAKE_PREFIX + slugify(short),
                fund=Programme.Fund.ERDF,
                website=f"https://{slugify(short)}.fake.example/",
            )
            for name, short in PROGRAMMES
            if name not in existing
        ]
        self._bulk(Programme, new)
        self.programmes = list(Programme.objects.values_list("id", flat=True))

    def make_organisations(self):
        rng, pools = self.rng, self.pools
        count = max(3, self.n // 3)
        objs = []
        for i in range(count):
            region_id, _level, country, *_ = rng.choice(self.local_regions)
            place = pools.place(country) if country else "Europe"
            kind, pattern, acronym_suffix = rng.choice(ORGANISATION_PATTERNS)
            name = pattern.format(place=place)
            acronym = (
                "".join(w[0] for w in place.split() if w[:1].isalpha()).upper() + acronym_suffix
                if acronym_suffix
                else ""
            )
            objs.append(
                Organisation(
                    name=name,
                    name_en=name,
                    acronym=acronym[:40],
                    slug=fake_slug(acronym or name, i, max_length=80),
                    kind=kind,
                    region_id=region_id,
                    city=place[:120],
                    website=f"https://{slugify(name)[:40]}-{i}.fake.example/",
                )
            )
        objs = self._bulk(Organisation, objs)
        self.organisations = [(o.pk, o.region_id, o.city) for o in objs]
        region_country = {r[0]: r[2] for r in self.regions}
        self.org_country = {o.pk: region_country.get(o.region_id, "") for o in objs}
        self.stats["organisations"] = len(objs)

    def make_people(self):
        rng, pools = self.rng, self.pools
        count = max(5, self.n // 5)
        objs = []
        for i in range(count):
            org_id, _region, _city = rng.choice(self.organisations)
            name = pools.person_name(self.org_country[org_id] or "UK")
            local = slugify(name).replace("-", ".") or "person"
            objs.append(
                Person(
                    name=name,
                    job_title=rng.choice(
                        ["Project manager", "Policy officer", "Researcher", "Director", ""]
                    ),
                    organisation_id=org_id,
                    email=f"{local}.{i}@{FAKE_EMAIL_DOMAIN}",
                )
            )
        self.people = [p.pk for p in self._bulk(Person, objs)]
        self.stats["people"] = len(self.people)

    def make_projects(self):
        rng, pools = self.rng, self.pools
        count = max(2, self.n // 20)
        objs = []
        for i in range(count):
            acronym = f"{rng.choice(ACRONYM_PARTS)}{rng.choice(ACRONYM_PARTS)}-{i + 1}"
            lang = "en"
            start = self._date(2008, 2025)
            end = start + datetime.timedelta(days=rng.randint(2, 5) * 365)
            budget = Decimal(rng.randrange(500_000, 5_000_000, 1000))
            title = pools.title(lang)
            objs.append(
                Project(
                    acronym=acronym,
                    slug=fake_slug(acronym, i, max_length=80),
                    title=title,
                    title_en=title,
                    language=lang,
                    summary=pools.text(lang, 3, 6),
                    objectives=pools.text(lang, 2, 5),
                    programme_id=rng.choice(self.programmes),
                    start_date=start,
                    end_date=end,
                    total_budget=budget,
                    eu_cofinancing=(budget * Decimal("0.8")).quantize(Decimal("0.01")),
                    website=f"https://{slugify(acronym)}.fake.example/",
                )
            )
        objs = self._bulk(Project, objs)
        self.projects = [p.pk for p in objs]
        topic_ids = [t for t, _ in self.topics]
        self._bulk(
            Project.topics.through,
            [
                Project.topics.through(project_id=p, topic_id=t)
                for p in self.projects
                for t in rng.sample(topic_ids, rng.randint(1, 3))
            ],
        )
        partnerships, self.project_partners = [], {}
        roles = [Partnership.Role.PARTNER] * 6 + [
            Partnership.Role.ADVISORY_PARTNER,
            Partnership.Role.ASSOCIATED,
        ]
        for p in self.projects:
            size = min(len(self.organisations), rng.randint(4, 12))
            chosen = rng.sample(self.organisations, size)
            self.project_partners[p] = [o[0] for o in chosen]
            for k, (org_id, region_id, _city) in enumerate(chosen):
                partnerships.append(
                    Partnership(
                        project_id=p,
                        organisation_id=org_id,
                        role=Partnership.Role.LEAD_PARTNER if k == 0 else rng.choice(roles),
                        region_id=region_id,
                    )
                )
        self._bulk(Partnership, partnerships)
        self.stats["projects"] = len(self.projects)
        self.stats["partnerships"] = len(partnerships)

    def _practice_state(self):
        roll = self.rng.random()
        if roll < 0.10:
            return PublicationState.DRAFT
        if roll < 0.13:
            return PublicationState.ARCHIVED
        return PublicationState.PUBLISHED

    def make_practices(self):
        """Build the practices in batches here; insert them here or in worker threads.

        Every random choice is made in this thread, in a fixed order, so the
        content does not depend on how the inserts interleave; only the ids
        may differ between runs with several workers.
        """
        batches = range(0, self.n, self.batch_size)
        results = {}
        if self.parallel:
            from concurrent.futures import ThreadPoolExecutor, wait

            with ThreadPoolExecutor(max_workers=self.workers) as pool:
                pending = set()
                for start in batches:
                    batch = self._build_practices(start, min(self.n, start + self.batch_size))
                    future = pool.submit(self._insert_practices_in_thread, batch)
                    future.start = start
                    pending.add(future)
                    # Bounded: at most two batches per worker wait in memory.
                    if len(pending) >= 2 * self.workers:
                        done, pending = wait(pending, return_when="FIRST_COMPLETED")
                        for f in done:
                            results[f.start] = f.result()
                        self.log(f"    practices: {sum(len(r) for r in results.values())}")
                for f in wait(pending).done:
                    results[f.start] = f.result()
        else:
            for start in batches:
                batch = self._build_practices(start, min(self.n, start + self.batch_size))
                results[start] = self._insert_practices(batch)
                self.log(f"    practices: {start + len(batch)}/{self.n}")
        self.practices, self.published_practices = [], []
        self.practices_by_project = {}
        for start in sorted(results):
            for pk, state, projects in results[start]:
                self.practices.append(pk)
                if state == PublicationState.PUBLISHED:
                    self.published_practices.append(pk)
                for project_id in projects:
                    self.practices_by_project.setdefault(project_id, []).append(pk)
        self.stats["practices"] = len(self.practices)
        self.stats["published_practices"] = len(self.published_practices)

    def _build_practices(self, first, last):
        rng, pools = self.rng, self.pools
        languages, weights = zip(*LANGUAGE_WEIGHTS.items(), strict=True)
        first_ordinal = datetime.datetime(2012, 1, 1, tzinfo=datetime.UTC).timestamp()
        span = self.now.timestamp() - first_ordinal
        rare_every = 2000
        topic_ids = [t for t, _ in self.topics]
        batch = []
        for i in range(first, last):
            org_id, region_id, city = rng.choice(self.organisations)
            # Most partners write in their country's language, the rest in English.
            lang = COUNTRY_LANGUAGE.get(self.org_country[org_id], "en")
            if lang == "en" or rng.random() < 0.4:
                lang = rng.choices(languages, weights)[0]
            title = pools.title(lang)
            description = pools.text(lang, 6, 14)
            if i % rare_every == 7:
                description += f" {RARE_WORD.capitalize()} {pools.text(lang, 1, 1).lower()}"
            state = self._practice_state()
            published_at = None
            if state != PublicationState.DRAFT:
                published_at = datetime.datetime.fromtimestamp(
                    first_ordinal + rng.random() * span, tz=datetime.UTC
                )
            start_date = self._date(2005, 2025)
            ended = rng.random() < 0.3
            practice = GoodPractice(
                title=title,
                slug=fake_slug(title, i, max_length=110),
                summary=pools.text(lang, 2, 4),
                description=description,
                resources_needed=pools.text(lang, 1, 3),
                evidence_of_success=pools.text(lang, 1, 4),
                difficulties=pools.text(lang, 1, 3) if rng.random() < 0.8 else "",
                potential_for_transfer=pools.text(lang, 1, 3),
                start_date=start_date,
                end_date=start_date + datetime.timedelta(days=rng.randint(200, 2500))
                if ended
                else None,
                status=PracticeStatus.ENDED if ended else PracticeStatus.ONGOING,
                region_id=region_id,
                city=city,
                keywords=", ".join(pools.title(lang).split()[:4]).lower()[:255],
                further_information=f"https://practice-{i}.fake.example/",
                language=lang,
                organisation_id=org_id,
                contact_id=rng.choice(self.people) if rng.random() < 0.7 else None,
                publication_state=state,
                published_at=published_at,
                # Bulk-created: save() does not stamp it. Shown since its date.
                first_public_at=published_at,
            )
            practice.fake_topics = rng.sample(topic_ids, rng.randint(1, 3))
            practice.fake_projects = rng.sample(
                self.projects, min(len(self.projects), rng.randint(1, 2))
            )
            batch.append(practice)
        return batch

    def _insert_practices(self, batch):
        """Insert one batch with its topics and projects; return (pk, state, projects)."""
        batch = GoodPractice.objects.bulk_create(batch, batch_size=self.batch_size)
        topics, projects = GoodPractice.topics.through, GoodPractice.projects.through
        topics.objects.bulk_create(
            [topics(goodpractice_id=p.pk, topic_id=t) for p in batch for t in p.fake_topics],
            batch_size=self.batch_size * 3,
        )
        projects.objects.bulk_create(
            [projects(goodpractice_id=p.pk, project_id=j) for p in batch for j in p.fake_projects],
            batch_size=self.batch_size * 2,
        )
        return [(p.pk, p.publication_state, p.fake_projects) for p in batch]

    def _insert_practices_in_thread(self, batch):
        try:
            with transaction.atomic():
                return self._insert_practices(batch)
        finally:
            connection.close()

    def make_transfers(self):
        rng = self.rng
        rows = []
        for practice_id in self.published_practices:
            if rng.random() < 0.15:
                for region in rng.sample(self.local_regions, rng.randint(1, 3)):
                    rows.append(
                        Transfer(
                            practice_id=practice_id,
                            region_id=region[0],
                            year=rng.randint(2012, 2026),
                            note=self.pools.text("en", 1, 2) if rng.random() < 0.5 else "",
                        )
                    )
        self._bulk(Transfer, rows)
        self.stats["transfers"] = len(rows)

    def make_events(self):
        rng, pools = self.rng, self.pools
        count = max(1, self.n // 10)
        kinds = list(EVENT_TITLES)
        topic_names = [name for _, name in self.topics]
        objs = []
        for i in range(count):
            project_id = rng.choice(self.projects)
            kind = rng.choice(kinds)
            region_id, _level, country, *_ = rng.choice(self.local_regions)
            city = pools.place(country) if country else ""
            title = EVENT_TITLES[kind].format(topic=rng.choice(topic_names), city=city)[:300]
            start = datetime.datetime(
                rng.randint(2012, 2027),
                rng.randint(1, 12),
                rng.randint(1, 28),
                rng.choice([9, 10, 13, 14]),
                tzinfo=datetime.UTC,
            )
            fmt = rng.choices(list(Event.Format), [6, 2, 2])[0]
            objs.append(
                Event(
                    title=title,
                    title_en=title,
                    slug=fake_slug(f"{title} {start:%Y}", i, max_length=110),
                    project_id=project_id,
                    kind=kind,
                    format=fmt,
                    summary=pools.text("en", 1, 3),
                    description=pools.text("en", 3, 8),
                    language="en",
                    start=start,
                    end=start + datetime.timedelta(hours=rng.choice([3, 8, 32])),
                    venue=f"{city} Conference Centre" if fmt != Event.Format.ONLINE else "",
                    city=city if fmt != Event.Format.ONLINE else "",
                    region_id=region_id if fmt != Event.Format.ONLINE else None,
                    online_link=f"https://meet.fake.example/{i}"
                    if fmt != Event.Format.IN_PERSON
                    else "",
                    publication_state=PublicationState.PUBLISHED
                    if rng.random() < 0.95
                    else PublicationState.DRAFT,
                )
            )
        objs = self._bulk(Event, objs)
        organisers, presentations, materials = [], [], []
        for event in objs:
            partners = self.project_partners[event.project_id]
            for org_id in rng.sample(partners, min(len(partners), rng.randint(1, 2))):
                organisers.append(
                    Event.organisers.through(event_id=event.pk, organisation_id=org_id)
                )
            candidates = self.practices_by_project.get(event.project_id) or self.practices
            for order in range(rng.randint(3, 8)):
                presentations.append(
                    Presentation(
                        event_id=event.pk,
                        title=pools.title("en"),
                        presenter_id=rng.choice(self.people),
                        organisation_id=rng.choice(partners),
                        practice_id=rng.choice(candidates) if rng.random() < 0.6 else None,
                        order=order,
                    )
                )
            if rng.random() < 0.3:
                materials.append(
                    Material(
                        event_id=event.pk,
                        title=f"Slides: {event.title}"[:300],
                        kind=Material.Kind.SLIDES,
                        url=f"https://files.fake.example/{event.slug}.pdf",
                    )
                )
        self._bulk(Event.organisers.through, organisers)
        self._bulk(Presentation, presentations)
        self._bulk(Material, materials)
        self.stats["events"] = len(objs)
        self.stats["presentations"] = len(presentations)

    def make_proposals(self):
        rng, pools = self.rng, self.pools
        count = max(1, self.n // 25)
        states = list(PracticeProposal.State)
        objs = []
        for i in range(count):
            org_id, region_id, city = rng.choice(self.organisations)
            state = rng.choices(states, [20, 30, 15, 10, 15, 10])[0]
            objs.append(
                PracticeProposal(
                    title=pools.title("en"),
                    summary=pools.text("en", 2, 4),
                    description=pools.text("en", 4, 10),
                    region_id=region_id,
                    city=city,
                    organisation_id=org_id,
                    project_id=rng.choice(self.projects),
                    public_id=self._uuid(),
                    proposer_name=pools.person_name(self.org_country[org_id] or "UK"),
                    proposer_email=f"proposer.{i}@{FAKE_EMAIL_DOMAIN}",
                    consent_to_contact=rng.random() < 0.8,
                    state=state,
                    confirmed_at=None
                    if state == PracticeProposal.State.UNCONFIRMED
                    else self.now - datetime.timedelta(days=rng.randint(1, 400)),
                )
            )
        objs = self._bulk(PracticeProposal, objs)
        topic_ids = [t for t, _ in self.topics]
        self._bulk(
            PracticeProposal.topics.through,
            [
                PracticeProposal.topics.through(practiceproposal_id=p.pk, topic_id=t)
                for p in objs
                for t in rng.sample(topic_ids, rng.randint(1, 2))
            ],
        )
        self.stats["proposals"] = len(objs)

    def analyze(self):
        """Refresh the planner's statistics after a bulk load.

        Outside a transaction, VACUUM too: it sets the visibility map, without
        which no count can be answered from an index alone until autovacuum
        comes by.
        """
        if connection.vendor != "postgresql":
            return
        models = [Region, Topic, Programme, Organisation, Person, Project, Partnership]
        models += [GoodPractice, Transfer, Event, Presentation, Material, PracticeProposal]
        tables = {m._meta.db_table for m in models}
        for model in (GoodPractice, Project, Event, PracticeProposal, Region):
            tables |= {
                f.remote_field.through._meta.db_table for f in model._meta.local_many_to_many
            }
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            cursor.execute(f"{command} {', '.join(sorted(tables))}")
