"""The portal's first content: the entities of the five seed reports.

Plain data, read by ``manage.py load_demo``. Names, dates and figures come
from the seeds (``shared/seeds/``); every description is written afresh and
says only what a seed says. Where a seed does not state something (a budget,
a city, an hour, a status, a role, an acronym), the field stays empty or "not
stated" rather than guessed.

Natural keys: regions by NUTS code (or slug when they have none), programmes
by name, topics by name, people by name, projects, organisations, practices
and events by slug, presentations by (event, title).
"""

import datetime
from decimal import Decimal

# Every programme that funds a seed project.
PROGRAMMES = [
    {
        "name": "Interreg Europe",
        "short_name": "Interreg Europe",
        "slug": "interreg-europe",
        "fund": "ERDF",
        "website": "https://www.interregeurope.eu/",
    },
    {
        "name": "Interreg Baltic Sea Region",
        "short_name": "Interreg BSR",
        "slug": "interreg-baltic-sea-region",
        "fund": "ERDF",
        "website": "https://interreg-baltic.eu/",
    },
]

TOPICS = [
    {
        "name": "Industry 4.0",
        "slug": "industry-4-0",
        "description": "Connected, data-driven manufacturing and its uptake by firms.",
    },
    {
        "name": "Digitalisation of SMEs",
        "slug": "digitalisation-of-smes",
        "description": "Helping small and medium-sized enterprises adopt digital technologies.",
    },
    {
        "name": "Digital innovation hubs",
        "slug": "digital-innovation-hubs",
        "description": "One-stop shops that help companies test and adopt digital technology.",
    },
    {
        "name": "Clusters",
        "slug": "clusters",
        "description": "Cluster policies, alliances and networks of firms and research.",
    },
    {
        "name": "Innovation audits",
        "slug": "innovation-audits",
        "description": "Assessing a company's readiness for Industry 4.0 and its next steps.",
    },
    {
        "name": "Research–industry cooperation",
        "slug": "research-industry-cooperation",
        "description": "Joint work of companies with universities and research centres.",
    },
    {
        "name": "Skills and training",
        "slug": "skills-and-training",
        "description": "Preparing entrepreneurs, managers and employees for new technology.",
    },
    {
        "name": "Smart specialisation",
        "slug": "smart-specialisation",
        "description": "Regional innovation strategies and their priorities.",
    },
    {
        "name": "Technology-based entrepreneurship",
        "slug": "technology-based-entrepreneurship",
        "description": "Support for start-ups and entrepreneurs building on technology.",
    },
]

# NUTS 2021 regions: (code, name as Eurostat spells it, English name, label
# latitude, label longitude). Names and label points are those of Eurostat's
# Nuts2json point files (nutspt_0..3, NUTS 2021); parents follow from the
# code. Every ancestor of a region the seeds name is listed, parents first.
NUTS_REGIONS = [
    ("BE", "Belgique/België", "Belgium", 50.643, 4.659),
    ("BE2", "Vlaams Gewest", "Flanders", 51.101, 4.985),
    ("BE22", "Prov. Limburg (BE)", "Province of Limburg (Belgium)", 50.982, 5.412),
    ("BE24", "Prov. Vlaams-Brabant", "Province of Flemish Brabant", 50.874, 4.572),
    ("DE", "Deutschland", "Germany", 51.073, 10.379),
    ("DE3", "Berlin", "Berlin", 52.5, 13.402),
    ("DK", "Danmark", "Denmark", 56.027, 9.319),
    ("DK0", "Danmark", "Denmark", 56.027, 9.319),
    ("DK01", "Hovedstaden", "Capital Region of Denmark", 55.862, 12.33),
    ("EE", "Eesti", "Estonia", 58.671, 25.855),
    ("ES", "España", "Spain", 40.382, -3.552),
    ("ES4", "Centro (ES)", "Centre (Spain)", 40.556, -5.889),
    ("ES41", "Castilla y León", "Castile and León", 41.745, -4.817),
    ("ES5", "Este", "East (Spain)", 41.847, 2.005),
    ("ES51", "Cataluña", "Catalonia", 41.801, 1.508),
    ("FI", "Suomi/Finland", "Finland", 64.497, 26.28),
    ("FI1", "Manner-Suomi", "Mainland Finland", 64.497, 26.28),
    ("FI1D", "Pohjois- ja Itä-Suomi", "North and East Finland", 65.637, 27.084),
    ("FI1D7", "Lappi", "Lapland", 67.716, 26.322),
    ("IT", "Italia", "Italy", 42.837, 12.532),
    ("ITI", "Centro (IT)", "Central Italy", 42.945, 12.143),
    ("ITI1", "Toscana", "Tuscany", 43.479, 11.131),
    ("LT", "Lietuva", "Lithuania", 55.335, 23.92),
    ("PL", "Polska", "Poland", 52.131, 19.407),
    ("PL9", "Makroregion województwo mazowieckie", "Mazovia", 52.368, 21.092),
    ("PL91", "Warszawski stołeczny", "Warsaw Capital Region", 52.233, 21.139),
    ("PL92", "Mazowiecki regionalny", "Mazovia Regional", 51.529, 21.209),
    ("RO", "România", "Romania", 45.836, 24.978),
    ("RO3", "Macroregiunea Trei", "Macroregion Three", 44.6, 25.889),
    ("RO32", "Bucureşti-Ilfov", "Bucharest-Ilfov", 44.514, 26.144),
    ("SI", "Slovenija", "Slovenia", 46.128, 14.817),
    ("SI0", "Slovenija", "Slovenia", 46.128, 14.817),
    ("UK", "United Kingdom", "United Kingdom", 53.279, -2.109),
    ("UKE", "Yorkshire and the Humber", "Yorkshire and the Humber", 53.987, -1.295),
    ("UKE4", "West Yorkshire", "West Yorkshire", 53.728, -1.705),
]

# Areas with no NUTS code of their own. Their label points are map positions
# (Leeds city centre; the middle of the Baltic Sea), not statistics.
OTHER_REGIONS = [
    {
        "slug": "leeds-city-region",
        "name": "Leeds City Region",
        "name_en": "Leeds City Region",
        "kind": "city_region",
        "parent": "UKE",
        # SEED-FACTS: it "lies in UKE4 West Yorkshire and beyond"; where beyond is
        # not said, so only West Yorkshire is listed.
        "covers": ["UKE4"],
        "label_lat": 53.797,
        "label_lon": -1.548,
    },
    {
        "slug": "baltic-sea-region",
        "name": "Baltic Sea Region",
        "name_en": "Baltic Sea Region",
        "kind": "macro_region",
        "parent": None,
        # The seeds do not say which regions the macro-region takes in, and a
        # partial list would read as a complete one.
        "covers": [],
        "label_lat": 58.0,
        "label_lon": 20.0,
    },
]


def region_key(value):
    """Return the lookup of a region reference: a NUTS code or a slug."""
    return {"slug": value} if value.islower() else {"nuts_code": value}


# Organisations by slug. "region" is a NUTS code or a slug of OTHER_REGIONS;
# a city or region appears only where a seed (or the organisation's own
# name) gives it, an acronym only where a seed uses it.
ORGANISATIONS = [
    {
        "name": "Urząd Marszałkowski Województwa Mazowieckiego w Warszawie",
        "name_en": "Office of the Marshal of the Mazowieckie Voivodeship",
        "acronym": "",
        "slug": "umwm",
        "kind": "public_authority",
        "region": "PL91",
        "city": "Warszawa",
    },
    {
        "name": "Sieć Badawcza Łukasiewicz – Instytut Technologii Eksploatacji",
        "name_en": "Łukasiewicz Research Network – Institute for Sustainable Technologies",
        "acronym": "Łukasiewicz-ITeE",
        "slug": "lukasiewicz-itee",
        "kind": "research",
        "region": "PL9",
        "city": "",
    },
    {
        "name": "Flanders Make",
        "name_en": "",
        "acronym": "",
        "slug": "flanders-make",
        "kind": "research",
        "region": "BE24",
        "city": "Leuven",
    },
    {
        "name": "ICAMCyL",
        "name_en": "",
        "acronym": "ICAMCyL",
        "slug": "icamcyl",
        "kind": "other",
        "region": "ES41",
        "city": "",
    },
    {
        "name": "Instituto para la Competitividad Empresarial de Castilla y León",
        "name_en": "Institute for Business Competitiveness of Castilla y León",
        "acronym": "ICE",
        "slug": "ice-castilla-y-leon",
        "kind": "regional_agency",
        "region": "ES41",
        "city": "",
    },
    {
        "name": "Lapin liitto",
        "name_en": "Regional Council of Lapland",
        "acronym": "",
        "slug": "regional-council-of-lapland",
        "kind": "public_authority",
        "region": "FI1D7",
        "city": "",
    },
    {
        "name": "Služba Vlade Republike Slovenije za razvoj in evropsko kohezijsko politiko",
        "name_en": (
            "Government Office of the Republic of Slovenia for Development "
            "and European Cohesion Policy"
        ),
        "acronym": "",
        "slug": "svrk",
        "kind": "public_authority",
        "region": "SI0",
        "city": "",
    },
    {
        "name": "i2CAT",
        "name_en": "",
        "acronym": "i2CAT",
        "slug": "i2cat",
        "kind": "other",
        "region": "ES51",
        "city": "",
    },
    {
        "name": "Textile Centre of Excellence",
        "name_en": "",
        "acronym": "",
        "slug": "textile-centre-of-excellence",
        "kind": "other",
        "region": "leeds-city-region",
        "city": "",
    },
    {
        "name": "Comune di Prato",
        "name_en": "Municipality of Prato",
        "acronym": "",
        "slug": "comune-di-prato",
        "kind": "public_authority",
        "region": "ITI1",
        "city": "Prato",
    },
    {
        "name": "Leeds City Region Enterprise Partnership / West Yorkshire Combined Authority",
        "name_en": "",
        "acronym": "",
        "slug": "leeds-city-region-lep-wyca",
        "kind": "public_authority",
        "region": "leeds-city-region",
        "city": "",
    },
    {
        "name": "Krajowa Izba Gospodarcza Elektroniki i Telekomunikacji",
        "name_en": "Polish National Chamber of Commerce for Electronics and Telecommunications",
        "acronym": "KIGEiT",
        "slug": "kigeit",
        "kind": "chamber",
        "region": "PL",
        "city": "",
    },
    {
        "name": "Eesti Infotehnoloogia ja Telekommunikatsiooni Liit",
        "name_en": "Estonian Association of Information Technology and Telecommunications",
        "acronym": "ITL",
        "slug": "itl",
        "kind": "chamber",
        "region": "EE",
        "city": "",
    },
    {
        "name": "Aalborg Universitet København",
        "name_en": "Aalborg University Copenhagen",
        "acronym": "",
        "slug": "aalborg-university-copenhagen",
        "kind": "research",
        "region": "DK01",
        "city": "København",
    },
    {
        "name": "Bundesministerium für Wirtschaft und Energie",
        "name_en": "German Federal Ministry for Economic Affairs and Energy",
        "acronym": "",
        "slug": "bmwi",
        "kind": "public_authority",
        "region": "DE",
        "city": "",
    },
    {
        "name": (
            "Organismul Intermediar Regional pentru Programul Operațional Sectorial "
            "de Dezvoltare a Resurselor Umane București-Ilfov"
        ),
        "name_en": (
            "Regional Intermediate Body for the Sectoral Operational Programme "
            "Human Resources Development, Bucharest-Ilfov"
        ),
        "acronym": "OIR POSDRU BI",
        "slug": "oir-posdru-bi",
        "kind": "public_authority",
        "region": "RO32",
        "city": "",
    },
    {
        "name": "Ministerul Economiei, Energiei și Mediului de Afaceri",
        "name_en": "",
        "acronym": "",
        "slug": "ministerul-economiei-energiei-si-mediului-de-afaceri",
        "kind": "public_authority",
        "region": "RO",
        "city": "",
    },
    {
        "name": "Autoritatea pentru Digitalizare a României",
        "name_en": "",
        "acronym": "",
        "slug": "autoritatea-pentru-digitalizare-a-romaniei",
        "kind": "public_authority",
        "region": "RO",
        "city": "",
    },
    {
        "name": "euRobotics",
        "name_en": "",
        "acronym": "",
        "slug": "eurobotics",
        "kind": "other",
        "region": None,
        "city": "",
    },
    {
        "name": "Universitatea „Lucian Blaga” din Sibiu",
        "name_en": "",
        "acronym": "",
        "slug": "universitatea-lucian-blaga-sibiu",
        "kind": "research",
        "region": "RO",
        "city": "Sibiu",
    },
    {
        "name": "Incubator Tehnologic și de Afaceri INMA-ITA",
        "name_en": "",
        "acronym": "",
        "slug": "inma-ita",
        "kind": "business_support",
        "region": "RO",
        "city": "",
    },
    {
        "name": "Best Smart Consulting SRL",
        "name_en": "",
        "acronym": "",
        "slug": "best-smart-consulting",
        "kind": "company",
        "region": None,
        "city": "",
    },
    {
        "name": "Omega Consulting SRL",
        "name_en": "",
        "acronym": "",
        "slug": "omega-consulting",
        "kind": "company",
        "region": None,
        "city": "",
    },
    {
        "name": "RADMOT",
        "name_en": "",
        "acronym": "",
        "slug": "radmot",
        "kind": "company",
        "region": None,
        "city": "",
    },
    {
        "name": "TREND GLASS",
        "name_en": "",
        "acronym": "",
        "slug": "trend-glass",
        "kind": "company",
        "region": None,
        "city": "",
    },
    {
        "name": "Provan",
        "name_en": "",
        "acronym": "",
        "slug": "provan",
        "kind": "company",
        "region": "BE22",
        "city": "Genk",
    },
]

ROMANIAN_PROJECT = "intarirea-capacitatii-imm-urilor-revolutia-industriala-4-0"

# Policy instruments, as seed 001 names them: the 2nd stakeholder meeting
# discussed the update of Mazovia's smart specialisation 2020+, based among
# other things on analyses of projects under Actions 1.2 and 3.3 of RPO WM,
# beside the update of the Regional Innovation Strategy. No seed gives their
# programme period or address, nor says a project aims to improve them.
POLICY_INSTRUMENTS = [
    {
        "slug": "rpo-wm-dzialanie-1-2",
        "name": "Działanie 1.2 RPO WM",
        "name_en": "Action 1.2 of RPO WM",
        "discussed_at": ["smarty-2nd-stakeholder-group-meeting-2020"],
    },
    {
        "slug": "rpo-wm-dzialanie-3-3",
        "name": "Działanie 3.3 RPO WM",
        "name_en": "Action 3.3 of RPO WM",
        "discussed_at": ["smarty-2nd-stakeholder-group-meeting-2020"],
    },
    {
        "slug": "inteligentna-specjalizacja-mazowsza-2020",
        "name": "Inteligentna specjalizacja województwa mazowieckiego 2020+",
        "name_en": "Smart specialisation of the Mazowieckie Voivodeship 2020+",
        "discussed_at": ["smarty-2nd-stakeholder-group-meeting-2020"],
    },
    {
        "slug": "regionalna-strategia-innowacji-dla-mazowsza",
        "name": "Regionalna Strategia Innowacji dla Mazowsza",
        "name_en": "Regional Innovation Strategy for Mazovia",
        "discussed_at": ["smarty-2nd-stakeholder-group-meeting-2020"],
    },
]

# Projects by slug. The seeds state SMARTY's budget ("around") and dates; for
# the other two they state neither, so those fields stay empty. "previously"
# is the lookup of a row an earlier version of this file created, so that a
# corrected key updates that row instead of adding a second one.
PROJECTS = [
    {
        "slug": "smarty",
        "acronym": "SMARTY",
        "title": "Inteligentne MŚP w kierunku Przemysłu 4.0 – SMARTY",
        "title_en": "Smart SMEs towards Industry 4.0",
        "language": "pl",
        "programme": "Interreg Europe",
        "start_date": datetime.date(2019, 8, 1),
        # "It runs over a period of four years and started on 1st of August, 2019."
        "end_date": datetime.date(2023, 7, 31),
        "total_budget": Decimal("2420000.00"),
        "eu_cofinancing": Decimal("1990000.00"),
        "budget_is_approximate": True,
        "area": None,
        # Seed 002: "partners representing seven European regions" (later eight, unnamed).
        "stated_partner_count": None,
        "partner_regions": ["ITI1", "PL9", "FI1D7", "leeds-city-region", "SI0", "ES41", "ES51"],
        "summary": (
            "SMARTY to projekt programu Interreg Europe, w którym partnerzy wymieniają się "
            "dobrymi praktykami i doświadczeniami we wdrażaniu rozwiązań Przemysłu 4.0 w "
            "małych i średnich przedsiębiorstwach. Jest współfinansowany z Europejskiego "
            "Funduszu Rozwoju Regionalnego; partnerzy reprezentowali najpierw siedem, a "
            "później osiem regionów europejskich."
        ),
        "objectives": (
            "Wspierać partnerów w pokonywaniu barier, które utrudniają upowszechnianie "
            "rozwiązań Przemysłu 4.0 w europejskim ekosystemie MŚP, i przygotować plany "
            "działań na rzecz rozwoju Przemysłu 4.0 w regionach."
        ),
        "topics": [
            "Industry 4.0",
            "Digitalisation of SMEs",
            "Digital innovation hubs",
            "Clusters",
            "Innovation audits",
            "Research–industry cooperation",
        ],
    },
    {
        "slug": "diginno",
        "acronym": "DIGINNO",
        # The seeds give no longer title.
        "title": "DIGINNO",
        "title_en": "",
        "language": "en",
        "programme": "Interreg Baltic Sea Region",
        "start_date": None,
        "end_date": None,
        "total_budget": None,
        "eu_cofinancing": None,
        "budget_is_approximate": False,
        "area": "baltic-sea-region",
        "stated_partner_count": None,
        "partner_regions": [],
        "summary": (
            "DIGINNO, co-financed by the Interreg Baltic Sea Region programme, works on the "
            "digitalisation of industrial SMEs (Industry 4.0) across the Baltic Sea Region."
        ),
        "objectives": (
            "Exchange views and experience across the Baltic Sea Region on policy approaches "
            "to the digitalisation of industrial SMEs, and look for what the region can do "
            "together to spread ICT among SMEs."
        ),
        "topics": ["Digitalisation of SMEs", "Industry 4.0"],
    },
    {
        "slug": ROMANIAN_PROJECT,
        # The seed names this project only by its Romanian title: no acronym.
        "previously": {"acronym": "IMM 4.0"},
        "acronym": "",
        "title": "Întărirea capacității IMM-urilor de a se adapta la Revoluția Industrială 4.0",
        "title_en": "Strengthening SMEs' capacity to adapt to the 4th Industrial Revolution",
        "language": "ro",
        "programme": None,
        "start_date": None,
        "end_date": None,
        "total_budget": None,
        "eu_cofinancing": None,
        "budget_is_approximate": False,
        "area": None,
        # Seed 004: "7 parteneri din 7 țări", only Romania's named.
        "stated_partner_count": 7,
        "partner_regions": ["IT", "BE", "FI", "PL", "ES", "LT", "RO"],
        "summary": (
            "Un proiect de cooperare între 7 parteneri din 7 țări – Italia, Belgia, "
            "Finlanda, Polonia, Spania, Lituania și România –, o platformă pentru schimb "
            "de experiență și învățare comună despre pregătirea IMM-urilor pentru "
            "Revoluția Industrială 4.0. România este reprezentată de OIR POSDRU "
            "București-Ilfov."
        ),
        "objectives": (
            "Obiectivul principal: pregătirea IMM-urilor pentru Revoluția Industrială 4.0. "
            "Obiective secundare: adaptarea antreprenorilor, managerilor și angajaților "
            "IMM-urilor la provocările pe care aceasta le aduce și îmbunătățirea "
            "instrumentelor de politici publice care sprijină transformarea tehnologică, "
            "organizațională și culturală a IMM-urilor."
        ),
        "topics": ["Industry 4.0", "Digitalisation of SMEs", "Skills and training"],
    },
]

# (project slug, organisation slug, role, represented region): only the
# organisations a seed names as partners of the project. Seed 000 names the
# two SMARTY partners of Mazovia; seed 002, written by ICAMCyL, says it works
# in the project. Presenters' institutions, hosts (Flanders Make), bodies a
# partner works with (ICE) and event organisers are not partners unless a
# seed says so. Of the seven partners of the Romanian project only Romania's
# is named.
PARTNERSHIPS = [
    ("smarty", "umwm", "partner", "PL9"),
    ("smarty", "lukasiewicz-itee", "partner", "PL9"),
    ("smarty", "icamcyl", "partner", "ES41"),
    (ROMANIAN_PROJECT, "oir-posdru-bi", "partner", "RO32"),
]

# People by name, as the seeds spell them; a job title only where one is given.
PEOPLE = [
    {"name": "Ana Cvetko", "job_title": "", "organisation": "svrk"},
    {"name": "Anna Pajak", "job_title": "", "organisation": "lukasiewicz-itee"},
    {"name": "Eduard Balbuena", "job_title": "", "organisation": "i2cat"},
    {"name": "Craig Lawrance", "job_title": "", "organisation": "textile-centre-of-excellence"},
    {"name": "Paolo Guarnieri", "job_title": "", "organisation": "comune-di-prato"},
    {"name": "Alex Clarke", "job_title": "", "organisation": "leeds-city-region-lep-wyca"},
    {
        "name": "Victoria Molpeceres",
        "job_title": "Head of Unit Industry 4.0",
        "organisation": "ice-castilla-y-leon",
    },
    {"name": "Ana María Losa", "job_title": "", "organisation": "icamcyl"},
    {"name": "Piotr Stańczyk", "job_title": "President", "organisation": "radmot"},
    {"name": "Michał Kaleta", "job_title": "Operations Director", "organisation": "trend-glass"},
    {"name": "Bożena Skibicka", "job_title": "", "organisation": "kigeit"},
    {"name": "Jarosław Tworóg", "job_title": "", "organisation": "kigeit"},
    {
        "name": "Liviu Rogojinaru",
        "job_title": "Secretar de Stat",
        "organisation": "ministerul-economiei-energiei-si-mediului-de-afaceri",
    },
    {
        "name": "Sabin Sarmas",
        "job_title": "Președinte",
        "organisation": "autoritatea-pentru-digitalizare-a-romaniei",
    },
    {"name": "Dragoș Iorga", "job_title": "Director executiv", "organisation": "oir-posdru-bi"},
    {
        "name": "Cezar Iliu",
        "job_title": "",
        "organisation": "ministerul-economiei-energiei-si-mediului-de-afaceri",
    },
    {"name": "Ana-Maria Stancu", "job_title": "", "organisation": "eurobotics"},
    {"name": "Bogdan Parvu", "job_title": "", "organisation": "universitatea-lucian-blaga-sibiu"},
    {"name": "Cornelia Muraru-Ionel", "job_title": "Coordonator", "organisation": "inma-ita"},
    {"name": "Ligia Neacșu", "job_title": "", "organisation": "best-smart-consulting"},
    {"name": "Ștefan Grigore", "job_title": "", "organisation": "omega-consulting"},
]

# The seven practices the Leuven seminar report names. It gives each one's
# title, presenter and the presenter's institution, nothing more (except for
# Centr@Tec): the other template fields stay empty, the status is not stated,
# and no organisation is "in charge" unless a seed says so. "presented_as" is
# the title as the report gives it; "title" fits the 100-character limit.
PRACTICES = [
    {
        "slug": "gostop-factories-of-the-future",
        "title": (
            "Building blocks, tools and systems for the factories of the future (GOSTOP) programme"
        ),
        "presented_as": (
            "Building blocks, tools and systems for the factories of the future (GOSTOP) programme"
        ),
        "presenter": "Ana Cvetko",
        "organisation": None,
        "region": "SI0",
        "topics": ["Industry 4.0"],
        "summary": (
            "GOSTOP, a programme for the building blocks, tools and systems of the "
            "factories of the future, presented as a good practice of Slovenia by Ana "
            "Cvetko of the Government Office of the Republic of Slovenia for Development "
            "and European Cohesion Policy."
        ),
    },
    {
        "slug": "industry-of-the-future-platform",
        "title": "Industry of the Future Platform: building the Industry 4.0 ecosystem nationally",
        "presented_as": (
            "Industry of the Future Platform – creating and supporting the Industry 4.0 "
            "ecosystem at the national level"
        ),
        "presenter": "Anna Pajak",
        "organisation": None,
        # "at the national level": Poland, not the presenter's region.
        "region": "PL",
        "topics": ["Industry 4.0"],
        "summary": (
            "A platform that creates and supports the Industry 4.0 ecosystem at the "
            "national level in Poland, presented by Anna Pajak of the Łukasiewicz Research "
            "Network – Institute for Sustainable Technologies."
        ),
    },
    {
        "slug": "industry-4-0-alliances-iot-catalan-alliance",
        "title": "Industry 4.0 Alliances: innovation challenges in the IoT Catalan Alliance",
        "presented_as": (
            "Industry 4.0 Alliances: improving collaborative connections through innovation "
            "challenges – The IoT Catalan Alliance case"
        ),
        "presenter": "Eduard Balbuena",
        "organisation": None,
        "region": "ES51",
        "topics": ["Clusters", "Industry 4.0"],
        "summary": (
            "How the IoT Catalan Alliance improves collaborative connections through "
            "innovation challenges, presented as an example of an Industry 4.0 alliance by "
            "Eduard Balbuena of i2CAT."
        ),
    },
    {
        "slug": "plant-run",
        "title": "Plant Run",
        "presented_as": "Plant Run",
        "presenter": "Craig Lawrance",
        "organisation": None,
        "region": "leeds-city-region",
        "topics": ["Industry 4.0"],
        "summary": (
            "Plant Run, presented as a good practice by Craig Lawrance of the Textile "
            "Centre of Excellence."
        ),
    },
    {
        "slug": "regional-4-0-audit-for-smes-in-tuscany",
        "title": "Regional 4.0 Audit for SMEs in Tuscany",
        "presented_as": "Regional 4.0 Audit for SMEs in Tuscany",
        "presenter": "Paolo Guarnieri",
        "organisation": None,
        "region": "ITI1",
        "topics": ["Innovation audits", "Industry 4.0"],
        "summary": (
            "A regional Industry 4.0 audit for small and medium-sized enterprises in "
            "Tuscany, presented by Paolo Guarnieri of the Municipality of Prato."
        ),
    },
    {
        "slug": "access-innovation",
        "title": "Access Innovation",
        "presented_as": "Access Innovation",
        "presenter": "Alex Clarke",
        "organisation": None,
        "region": "leeds-city-region",
        "topics": ["Industry 4.0"],
        "summary": (
            "Access Innovation, presented as a good practice by Alex Clarke of the Leeds "
            "City Region Enterprise Partnership / West Yorkshire Combined Authority."
        ),
    },
    {
        "slug": "centr-tec-programme",
        "title": "Centr@Tec Program: business training and support for Industry 4.0",
        "presented_as": "Centr@Tec Program",
        "presenter": "Victoria Molpeceres",
        # Seed 002: ICE "promotes the Centr@tec program".
        "organisation": "ice-castilla-y-leon",
        "region": "ES41",
        "topics": [
            "Industry 4.0",
            "Digitalisation of SMEs",
            "Skills and training",
            "Technology-based entrepreneurship",
        ],
        "summary": (
            "Centr@Tec, promoted by the Institute for Business Competitiveness (ICE) of the "
            "Regional Government of Castilla y León, is a training and support programme "
            "for businesses."
        ),
        "description": (
            "Centr@Tec covers Industry 4.0; digitalisation; innovation in processes and in "
            "the design of products and services; the internationalisation of research and "
            "development; and support for technology-based entrepreneurs. ICAMCyL works "
            "in the SMARTY project hand in hand with ICE."
        ),
    },
]

# Staff translations of the seven practices' titles and summaries into the
# other two interface languages. Written for the demo by the team, from the
# English texts above and nothing else: no seed gives them. Proper names
# (programmes, institutions without an established translation) stay as
# they are; terms follow locale/GLOSSARY.md.
PRACTICE_TRANSLATIONS = {
    "gostop-factories-of-the-future": {
        "pl": {
            "title": "Program GOSTOP: elementy, narzędzia i systemy dla fabryk przyszłości",
            "summary": (
                "GOSTOP – program poświęcony elementom, narzędziom i systemom fabryk "
                "przyszłości, przedstawiony jako dobra praktyka Słowenii przez Anę Cvetko "
                "z Urzędu Rządu Republiki Słowenii ds. Rozwoju i Europejskiej Polityki "
                "Spójności."
            ),
        },
        "ro": {
            "title": (
                "Programul GOSTOP: componente, instrumente și sisteme pentru fabricile viitorului"
            ),
            "summary": (
                "GOSTOP, un program pentru componentele, instrumentele și sistemele "
                "fabricilor viitorului, prezentat ca bună practică a Sloveniei de Ana Cvetko, "
                "de la Biroul Guvernului Republicii Slovenia pentru Dezvoltare și Politica "
                "Europeană de Coeziune."
            ),
        },
    },
    "industry-of-the-future-platform": {
        "pl": {
            "title": "Platforma Przemysłu Przyszłości: ekosystem Przemysłu 4.0 w skali kraju",
            "summary": (
                "Platforma, która tworzy i wspiera ekosystem Przemysłu 4.0 na poziomie "
                "krajowym w Polsce, przedstawiona przez Annę Pajak z Sieci Badawczej "
                "Łukasiewicz – Instytutu Technologii Eksploatacji."
            ),
        },
        "ro": {
            "title": (
                "Platforma Industria Viitorului: ecosistemul Industria 4.0 la nivel național"
            ),
            "summary": (
                "O platformă care creează și sprijină ecosistemul Industria 4.0 la nivel "
                "național în Polonia, prezentată de Anna Pajak de la Rețeaua de Cercetare "
                "Łukasiewicz – Institutul pentru Tehnologii Sustenabile."
            ),
        },
    },
    "industry-4-0-alliances-iot-catalan-alliance": {
        "pl": {
            "title": "Sojusze Przemysłu 4.0: wyzwania innowacyjne w IoT Catalan Alliance",
            "summary": (
                "Jak IoT Catalan Alliance wzmacnia powiązania kooperacyjne dzięki wyzwaniom "
                "innowacyjnym – przykład sojuszu Przemysłu 4.0 przedstawiony przez Eduarda "
                "Balbuenę z i2CAT."
            ),
        },
        "ro": {
            "title": "Alianțe Industria 4.0: provocări de inovare în IoT Catalan Alliance",
            "summary": (
                "Cum îmbunătățește IoT Catalan Alliance conexiunile de colaborare prin "
                "provocări de inovare, prezentat ca exemplu de alianță Industria 4.0 de "
                "Eduard Balbuena de la i2CAT."
            ),
        },
    },
    "plant-run": {
        "pl": {
            "title": "Plant Run",
            "summary": (
                "Plant Run – dobra praktyka przedstawiona przez Craiga Lawrance’a "
                "z Textile Centre of Excellence."
            ),
        },
        "ro": {
            "title": "Plant Run",
            "summary": (
                "Plant Run – bună practică prezentată de Craig Lawrance de la Textile "
                "Centre of Excellence."
            ),
        },
    },
    "regional-4-0-audit-for-smes-in-tuscany": {
        "pl": {
            "title": "Regionalny audyt 4.0 dla MŚP w Toskanii",
            "summary": (
                "Regionalny audyt Przemysłu 4.0 dla małych i średnich przedsiębiorstw "
                "w Toskanii, przedstawiony przez Paola Guarnieriego z gminy Prato."
            ),
        },
        "ro": {
            "title": "Audit regional 4.0 pentru IMM-urile din Toscana",
            "summary": (
                "Un audit regional Industria 4.0 pentru întreprinderile mici și mijlocii "
                "din Toscana, prezentat de Paolo Guarnieri de la Primăria Prato."
            ),
        },
    },
    "access-innovation": {
        "pl": {
            "title": "Access Innovation",
            "summary": (
                "Access Innovation – dobra praktyka przedstawiona przez Alexa Clarke’a "
                "z Leeds City Region Enterprise Partnership / West Yorkshire Combined "
                "Authority."
            ),
        },
        "ro": {
            "title": "Access Innovation",
            "summary": (
                "Access Innovation – bună practică prezentată de Alex Clarke de la Leeds "
                "City Region Enterprise Partnership / West Yorkshire Combined Authority."
            ),
        },
    },
    "centr-tec-programme": {
        "pl": {
            "title": "Program Centr@Tec: szkolenia i wsparcie dla firm w zakresie Przemysłu 4.0",
            "summary": (
                "Centr@Tec, promowany przez Instytut Konkurencyjności Przedsiębiorstw (ICE) "
                "rządu regionalnego Kastylii i León, to program szkoleń i wsparcia dla "
                "przedsiębiorstw."
            ),
        },
        "ro": {
            "title": (
                "Programul Centr@Tec: formare și sprijin pentru întreprinderi în Industria 4.0"
            ),
            "summary": (
                "Centr@Tec, promovat de Institutul pentru Competitivitatea Întreprinderilor "
                "(ICE) al Guvernului Regional din Castilla y León, este un program de "
                "formare și sprijin pentru întreprinderi."
            ),
        },
    },
}

# The fields of the good-practice template the seeds say nothing about: an
# earlier version of this file filled them with guesses and placeholders.
PRACTICE_FIELDS_NOT_STATED = (
    "description",
    "resources_needed",
    "evidence_of_success",
    "difficulties",
    "potential_for_transfer",
    "keywords",
    "city",
)

# Events. The seeds give dates, not hours: every event is a date-only
# (all-day) event in its time zone.
EVENTS = [
    {
        "slug": "diginno-policy-seminar-berlin-2019",
        "title": "Cyfryzacja branży – doświadczenia regionu Morza Bałtyckiego",
        "title_en": "Digitalisation of industry – Baltic Sea Region experiences",
        "language": "pl",
        "project": "diginno",
        "kind": "policy_seminar",
        "format": "in_person",
        "start_date": datetime.date(2019, 11, 18),
        "end_date": datetime.date(2019, 11, 19),
        "time_zone": "Europe/Berlin",
        "venue": "Ambasada Estonii",
        "city": "Berlin",
        "region": "DE3",
        "organisers": ["itl", "aalborg-university-copenhagen", "bmwi"],
        "summary": (
            "Seminarium polityczne projektu DIGINNO w Berlinie o podejściach i inicjatywach "
            "politycznych dotyczących cyfryzacji przemysłowych MŚP (Przemysł 4.0) w "
            "regionie Morza Bałtyckiego."
        ),
        "description": (
            "Partnerzy DIGINNO i zaproszeni goście ze świata polityki i biznesu wymienili "
            "poglądy i doświadczenia: jak uczyć się na podstawie różnych podejść i co "
            "zrobić razem, aby zmobilizować cyfrowy sposób myślenia. Przedstawiono krótkie "
            "prezentacje krajowych podejść do Przemysłu 4.0 oraz „Ocenę potrzeb "
            "biznesowych” – ankietę wśród MŚP z sektora produkcyjnego o planowanym "
            "wykorzystaniu nowych technologii. Wśród propozycji wspólnych działań znalazło "
            "się przeniesienie krajowych inicjatyw na poziom regionu Morza Bałtyckiego i "
            "uzgodnienie poglądów na potrzeby polityki przemysłowej UE. Seminarium "
            "zorganizowały wspólnie ITL i Uniwersytet Aalborg w Kopenhadze we współpracy z "
            "Federalnym Ministerstwem Gospodarki i Energii; dla partnerów DIGINNO "
            "zorganizowano trzy wizyty studyjne w Berlinie."
        ),
        "presentations": [
            {"title": "Krajowe podejścia do Przemysłu 4.0"},
            {"title": "Ocena potrzeb biznesowych: ankieta wśród MŚP z sektora produkcyjnego"},
            {"title": "Trzy wizyty studyjne w Berlinie dla partnerów DIGINNO"},
        ],
    },
    {
        "slug": "smarty-1st-thematic-seminar-leuven-2020",
        "title": "1st Interregional Thematic Seminar",
        "title_en": "",
        "language": "en",
        "project": "smarty",
        "kind": "thematic_seminar",
        "format": "in_person",
        "start_date": datetime.date(2020, 2, 25),
        "end_date": datetime.date(2020, 2, 26),
        "time_zone": "Europe/Brussels",
        "venue": "Flanders Make",
        "city": "Leuven",
        "region": "BE24",
        # Hosted by Flanders Make (see PARTICIPANTS); the seed names no organiser.
        "organisers": [],
        "summary": (
            "SMARTY's first thematic seminar brought together 19 partner representatives "
            "from seven European regions to present their regional analyses and exchange "
            "good practices; on the second day they visited Provan in Genk."
        ),
        "description": (
            "Hosted by the research centre Flanders Make, the seminar opened with the "
            "regional analyses: in-depth studies of the innovation ecosystems and of SMEs' "
            "needs in Tuscany, Mazovia, Lapland, the Leeds City Region, Slovenia, Castilla "
            "y León and Catalonia. The regions then exchanged experience and good practices "
            "on policies that foster the uptake of Industry 4.0 by SMEs. On the second day "
            "the partners visited Provan, a metal processing company in Genk and one of the "
            "first factories of the future in Flanders."
        ),
        "presentations": [
            {
                "title": "Analysis of the Regional Context in Industry 4.0 of Castilla y León",
                "presenter": "Ana María Losa",
                "organisation": "icamcyl",
            },
            # The seven practices follow in PRACTICES order (see load_demo).
            {
                "title": "Study visit to Provan, Genk",
                "organisation": "provan",
                "order": 20,
            },
        ],
    },
    {
        "slug": "smarty-policy-brokerage-workshop-2020",
        "title": "Interregional Policy Brokerage workshop",
        "title_en": "",
        "language": "en",
        "project": "smarty",
        "kind": "policy_brokerage",
        "format": "online",
        "start_date": datetime.date(2020, 6, 4),
        "end_date": datetime.date(2020, 6, 5),
        "time_zone": "Europe/Helsinki",
        "venue": "",
        "city": "",
        "region": "FI1D7",
        "organisers": ["regional-council-of-lapland"],
        "summary": (
            "An online workshop organised by the Regional Council of Lapland to deepen the "
            "analysis of good practices and build the partners' capacity to increase the "
            "uptake of Industry 4.0 solutions."
        ),
        "description": (
            "Announced in March 2020 to take place online on 4–5 June 2020, the workshop "
            "was to address two topics: Industry 4.0 audit actions and cluster policies."
        ),
        "presentations": [
            {"title": "Industry 4.0 audit actions"},
            {"title": "Cluster policies"},
        ],
    },
    {
        "slug": "smarty-2nd-stakeholder-group-meeting-2020",
        "title": "2. spotkanie Regionalnej Grupy Interesariuszy",
        "title_en": "2nd Regional Stakeholder Group meeting",
        "language": "pl",
        "project": "smarty",
        "kind": "stakeholder_meeting",
        "format": "online",
        "start_date": datetime.date(2020, 7, 14),
        "end_date": datetime.date(2020, 7, 14),
        "time_zone": "Europe/Warsaw",
        "venue": "MS Teams",
        "city": "",
        "region": "PL9",
        "organisers": ["lukasiewicz-itee", "umwm"],
        "summary": (
            "Telespotkanie regionalnej grupy interesariuszy projektu SMARTY: postępy "
            "projektu i propozycja aktualizacji inteligentnej specjalizacji województwa "
            "mazowieckiego."
        ),
        "description": (
            "Spotkanie dla przedstawicieli przemysłu i instytucji publicznych "
            "zainteresowanych rozwojem innowacyjności i wdrażaniem Przemysłu 4.0. Miało "
            "podnieść świadomość w zakresie Przemysłu 4.0 i zainicjować dyskusję o dobrych "
            "praktykach w projekcie SMARTY. Przedstawiono wstępne wnioski z badania „Małe i "
            "średnie przedsiębiorstwa w procesach transformacji cyfrowej – analiza potrzeb "
            "i potencjału rozwojowego” oraz założenia aktualizacji inteligentnej "
            "specjalizacji województwa mazowieckiego 2020+, która ma mieć charakter "
            "ewolucyjny, bez zamkniętych katalogów branż ani technologii. Wybrane "
            "propozycje dobrych praktyk mają być przedstawiane na kolejnych spotkaniach "
            "grupy."
        ),
        "presentations": [
            {"title": "Postępy w realizacji projektu SMARTY"},
            {
                "title": (
                    "Wstępne wnioski z badania „Małe i średnie przedsiębiorstwa w procesach "
                    "transformacji cyfrowej – analiza potrzeb i potencjału rozwojowego”"
                ),
            },
            {"title": "Aktualizacja inteligentnej specjalizacji województwa mazowieckiego 2020+"},
        ],
    },
    {
        "slug": "workshop-digitalizare-imm-2020",
        "title": "Workshop online interactiv: politici publice pentru digitalizarea IMM-urilor",
        "title_en": "Online interactive workshop on public-policy support for SME digitalisation",
        "language": "ro",
        "project": ROMANIAN_PROJECT,
        "kind": "workshop",
        "format": "online",
        "start_date": datetime.date(2020, 7, 29),
        "end_date": datetime.date(2020, 7, 29),
        "time_zone": "Europe/Bucharest",
        "venue": "",
        "city": "",
        "region": "RO32",
        "organisers": ["oir-posdru-bi"],
        "summary": (
            "Workshop online interactiv pentru un schimb de experiență despre bunele "
            "practici prin care politicile publice sprijină digitalizarea IMM-urilor din "
            "România."
        ),
        "description": (
            "Au fost invitați la dezbatere actorii interesați și partenerii proiectului, "
            "reprezentanți ai mediului public și privat. Dezbaterea a pornit de la două "
            "întrebări: ce bune practici de sprijin al statului pentru adaptarea IMM-urilor "
            "la Revoluția Industrială 4.0 cunosc participanții și asupra căror politici "
            "publice se poate interveni imediat. Concluziile vor fi analizate în proiect și "
            "transformate în propuneri de modificare a politicilor publice din România."
        ),
        "presentations": [
            {
                "title": (
                    "Ce bune practici cunoașteți care să reflecte sprijinul statului acordat "
                    "IMM-urilor în adaptarea la Revoluția Industrială 4.0?"
                ),
            },
            {"title": "Care sunt politicile publice asupra cărora putem interveni imediat?"},
        ],
    },
    {
        "slug": "smarty-2nd-thematic-seminar-2020",
        "title": "2. Międzyregionalne Seminarium Tematyczne w projekcie SMARTY",
        # The seed's title, translated: the Steering Committee met that day, but
        # the title does not name it.
        "title_en": "2nd Interregional Thematic Seminar in the SMARTY project",
        "language": "pl",
        "project": "smarty",
        "kind": "thematic_seminar",
        "format": "online",
        "start_date": datetime.date(2020, 9, 8),
        "end_date": datetime.date(2020, 9, 9),
        "time_zone": "Europe/Warsaw",
        "venue": "",
        "city": "",
        "region": "PL9",
        # Seed 001: organised by Łukasiewicz-ITeE; seed 000: Mazovia was the host.
        "organisers": ["lukasiewicz-itee"],
        "summary": (
            "Drugie seminarium tematyczne SMARTY, którego gospodarzem było Mazowsze: "
            "huby innowacji cyfrowych, partnerstwa na rzecz transformacji cyfrowej MŚP i "
            "posiedzenie Komitetu Sterującego."
        ),
        "description": (
            "Partnerzy projektu z ośmiu regionów europejskich i zaproszeni eksperci "
            "wymienili się doświadczeniami z wdrażania inicjatyw związanych z hubami "
            "innowacji cyfrowych. Spotkanie rozpoczęło się od powitania i przedstawienia "
            "Mazowsza; partnerami projektu z województwa mazowieckiego są Urząd "
            "Marszałkowski Województwa Mazowieckiego w Warszawie i Sieć Badawcza "
            "Łukasiewicz – Instytut Technologii Eksploatacji. W drugiej sesji wymieniono "
            "dobre praktyki z Leeds, Laponii, Słowenii, Toskanii oraz Kastylii i Leónu. "
            "Drugiego dnia Komitet Sterujący omówił wnioski regionów z dotychczasowych "
            "spotkań, pierwsze pomysły do planów działań i zgłaszanie dobrych praktyk do "
            "bazy programu Interreg Europa. Ze względu na sytuację epidemiologiczną "
            "zapowiedziano spotkanie w formie telekonferencji."
        ),
        "presentations": [
            {"title": "Powitanie i przedstawienie regionu Mazowsza"},
            {
                "title": (
                    "RADMOT: doświadczenia firmy wdrażającej rozwiązania z zakresu Przemysłu 4.0"
                ),
                "presenter": "Piotr Stańczyk",
                "organisation": "radmot",
            },
            {
                "title": (
                    "Huby innowacji cyfrowych (DIHs) w Europie – krajowe i regionalne podejścia"
                ),
            },
            {
                "title": (
                    "Partnerstwa strategiczne, centra kompetencji i sieci regionalne na rzecz "
                    "wspierania transformacji cyfrowej w MŚP"
                ),
            },
            {
                "title": ("TREND GLASS: współpraca przemysłu i jednostki naukowo-badawczej"),
                "presenter": "Michał Kaleta",
                "organisation": "trend-glass",
            },
            {
                "title": (
                    "Komitet Sterujący: wnioski regionów, pierwsze pomysły do planów działań i "
                    "zgłaszanie dobrych praktyk do bazy programu Interreg Europa"
                ),
            },
        ],
    },
]

# Who took part, as the seeds say: (event slug, person or None, organisation
# slug or None, role or "" where a seed does not state it).
PARTICIPANTS = [
    # Seed 003: "Z ramienia KIGEiT w spotkaniu wzięli udział ..."
    ("diginno-policy-seminar-berlin-2019", "Bożena Skibicka", "kigeit", ""),
    ("diginno-policy-seminar-berlin-2019", "Jarosław Tworóg", "kigeit", ""),
    # Seed 002: "The research centre Flanders Make in Leuven, Belgium, hosted ..."
    ("smarty-1st-thematic-seminar-leuven-2020", None, "flanders-make", "host"),
    # Seed 004: among the stakeholders and partners invited to the debate.
    (
        "workshop-digitalizare-imm-2020",
        "Liviu Rogojinaru",
        "ministerul-economiei-energiei-si-mediului-de-afaceri",
        "",
    ),
    (
        "workshop-digitalizare-imm-2020",
        "Sabin Sarmas",
        "autoritatea-pentru-digitalizare-a-romaniei",
        "",
    ),
    ("workshop-digitalizare-imm-2020", "Dragoș Iorga", "oir-posdru-bi", ""),
    (
        "workshop-digitalizare-imm-2020",
        "Cezar Iliu",
        "ministerul-economiei-energiei-si-mediului-de-afaceri",
        "",
    ),
    ("workshop-digitalizare-imm-2020", "Ana-Maria Stancu", "eurobotics", ""),
    ("workshop-digitalizare-imm-2020", "Bogdan Parvu", "universitatea-lucian-blaga-sibiu", ""),
    ("workshop-digitalizare-imm-2020", "Cornelia Muraru-Ionel", "inma-ita", ""),
    ("workshop-digitalizare-imm-2020", "Ligia Neacșu", "best-smart-consulting", ""),
    ("workshop-digitalizare-imm-2020", "Ștefan Grigore", "omega-consulting", ""),
]

# The people the seeds count or describe without naming them, in the
# event's language where they describe them.
PARTICIPANT_GROUPS = [
    {
        "event": "diginno-policy-seminar-berlin-2019",
        "role": "partner",
        "description": "partnerzy DIGINNO",
    },
    {
        "event": "diginno-policy-seminar-berlin-2019",
        "role": "guest",
        "description": "zaproszeni goście z dziedziny polityki i biznesu",
    },
    {
        "event": "smarty-1st-thematic-seminar-leuven-2020",
        "role": "partner",
        "people_count": 19,
        "region_count": 7,
    },
    {
        "event": "smarty-2nd-stakeholder-group-meeting-2020",
        "description": "reprezentanci przemysłu i instytucji publicznych",
    },
    {
        "event": "workshop-digitalizare-imm-2020",
        "description": "alți consultanți și reprezentanți ai mediului public și privat",
    },
    {"event": "smarty-2nd-thematic-seminar-2020", "role": "partner", "region_count": 8},
    {"event": "smarty-2nd-thematic-seminar-2020", "role": "expert"},
]

# Regions represented, where a seed names them (seed 002: the seven regions
# of the Leuven seminar's regional analyses).
REGIONS_REPRESENTED = {
    "smarty-1st-thematic-seminar-leuven-2020": [
        "ITI1",
        "PL9",
        "FI1D7",
        "leeds-city-region",
        "SI0",
        "ES41",
        "ES51",
    ],
}

# The Leuven seminar, where every practice of PRACTICES was presented.
PRACTICE_SEMINAR = "smarty-1st-thematic-seminar-leuven-2020"

# Event materials: only real, checked links belong here. The 2nd thematic
# seminar published its presentations, but the seeds give no address.
MATERIALS = []

# Staff translations of the demo projects' titles, written for the demo by the
# team from the original titles above (the seeds give none). Only where the
# title says something to translate: DIGINNO's is its acronym. English needs
# none: each has its English title (title_en) from the seeds.
PROJECT_TRANSLATIONS = {
    "smarty": {
        "ro": {"title": "IMM-uri inteligente în direcția Industriei 4.0 – SMARTY"},
    },
    "intarirea-capacitatii-imm-urilor-revolutia-industriala-4-0": {
        "pl": {
            "title": "Wzmacnianie zdolności MŚP do dostosowania się do czwartej rewolucji "
            "przemysłowej"
        },
    },
}
