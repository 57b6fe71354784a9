"""The portal's first content: the entities of the five seed reports.

Plain data, read by ``manage.py load_demo``. Names, dates and figures come
from the seeds (see ``shared/SEED-FACTS.md``); every description is written
afresh. Where a seed does not state something (a budget, a city, an hour),
the field stays empty rather than guessed.

Natural keys: regions by NUTS code (or slug when they have none), programmes
by name, projects by acronym, topics and organisations by name, people by
name, practices and events by slug, presentations by (event, title).
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
    ("UKE2", "North Yorkshire", "North Yorkshire", 54.182, -1.415),
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
        "covers": ["UKE4", "UKE2"],
        "label_lat": 53.797,
        "label_lon": -1.548,
    },
    {
        "slug": "baltic-sea-region",
        "name": "Baltic Sea Region",
        "name_en": "Baltic Sea Region",
        "kind": "macro_region",
        "parent": None,
        "covers": ["DE3", "DK01", "EE", "FI", "LT", "PL"],
        "label_lat": 58.0,
        "label_lon": 20.0,
    },
]


def region_key(value):
    """Return the lookup of a region reference: a NUTS code or a slug."""
    return {"slug": value} if value.islower() else {"nuts_code": value}


# Organisations by their name in the original language. "region" is a NUTS
# code or a slug of OTHER_REGIONS.
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
        "region": "PL92",
        "city": "Radom",
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
        "kind": "research",
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
        "city": "Rovaniemi",
    },
    {
        "name": "Služba Vlade Republike Slovenije za razvoj in evropsko kohezijsko politiko",
        "name_en": (
            "Government Office of the Republic of Slovenia for Development "
            "and European Cohesion Policy"
        ),
        "acronym": "SVRK",
        "slug": "svrk",
        "kind": "public_authority",
        "region": "SI0",
        "city": "Ljubljana",
    },
    {
        "name": "Fundació i2CAT",
        "name_en": "i2CAT Foundation",
        "acronym": "i2CAT",
        "slug": "i2cat",
        "kind": "research",
        "region": "ES51",
        "city": "Barcelona",
    },
    {
        "name": "Textile Centre of Excellence",
        "name_en": "",
        "acronym": "",
        "slug": "textile-centre-of-excellence",
        "kind": "business_support",
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
        "city": "Leeds",
    },
    {
        "name": "Krajowa Izba Gospodarcza Elektroniki i Telekomunikacji",
        "name_en": "Polish National Chamber of Commerce for Electronics and Telecommunications",
        "acronym": "KIGEiT",
        "slug": "kigeit",
        "kind": "chamber",
        "region": "PL91",
        "city": "Warszawa",
    },
    {
        "name": "Eesti Infotehnoloogia ja Telekommunikatsiooni Liit",
        "name_en": "Estonian Association of Information Technology and Telecommunications",
        "acronym": "ITL",
        "slug": "itl",
        "kind": "chamber",
        "region": "EE",
        "city": "Tallinn",
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
        "acronym": "BMWi",
        "slug": "bmwi",
        "kind": "public_authority",
        "region": "DE3",
        "city": "Berlin",
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
        "city": "București",
    },
    {
        "name": "RADMOT",
        "name_en": "",
        "acronym": "",
        "slug": "radmot",
        "kind": "company",
        "region": "PL9",
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

# Projects by acronym. The seeds state SMARTY's budget and dates; for the
# other two they state neither, so those fields stay empty.
PROJECTS = [
    {
        "acronym": "SMARTY",
        "slug": "smarty",
        "title": "Smart SMEs towards Industry 4.0",
        "title_en": "",
        "language": "en",
        "programme": "Interreg Europe",
        "start_date": datetime.date(2019, 8, 1),
        "end_date": datetime.date(2023, 7, 31),
        "total_budget": Decimal("2420000.00"),
        "eu_cofinancing": Decimal("1990000.00"),
        "area": None,
        "summary": (
            "SMARTY is an Interreg Europe project in which partner regions exchange good "
            "practice on helping small and medium-sized enterprises take up Industry 4.0. "
            "It started with seven partner regions and grew to eight; it is co-funded by "
            "the European Regional Development Fund."
        ),
        "objectives": (
            "Help the partners remove the barriers that slow the spread of Industry 4.0 "
            "solutions among SMEs, by analysing each region's innovation ecosystem, "
            "exchanging policies that work, and turning what is learnt into regional "
            "action plans."
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
        "acronym": "DIGINNO",
        # The seeds give no longer title.
        "slug": "diginno",
        "title": "DIGINNO",
        "title_en": "",
        "language": "en",
        "programme": "Interreg Baltic Sea Region",
        "start_date": None,
        "end_date": None,
        "total_budget": None,
        "eu_cofinancing": None,
        "area": "baltic-sea-region",
        "summary": (
            "DIGINNO works on the digitalisation of industrial SMEs across the Baltic Sea "
            "Region. Its partners compare national Industry 4.0 approaches, survey the "
            "needs of manufacturing SMEs and look for policy initiatives the region can "
            "take on together."
        ),
        "objectives": (
            "Learn from the different national approaches, raise digital awareness among "
            "SMEs, and scale national initiatives up to the level of the Baltic Sea Region "
            "with joint, transnational solutions."
        ),
        "topics": ["Digitalisation of SMEs", "Industry 4.0"],
    },
    {
        # The seed names this project only by its Romanian title; the acronym
        # is a short label made from that title, not an official one.
        "acronym": "IMM 4.0",
        "slug": "imm-4-0",
        "title": ("Întărirea capacității IMM-urilor de a se adapta la Revoluția Industrială 4.0"),
        "title_en": "Strengthening SMEs' capacity to adapt to the 4th Industrial Revolution",
        "language": "ro",
        "programme": None,
        "start_date": None,
        "end_date": None,
        "total_budget": None,
        "eu_cofinancing": None,
        "area": None,
        "summary": (
            "Un proiect de cooperare între 7 parteneri din 7 țări – Italia, Belgia, "
            "Finlanda, Polonia, Spania, Lituania și România – care face schimb de "
            "experiență despre felul în care IMM-urile pot fi pregătite pentru Industria "
            "4.0. România este reprezentată de OIR POSDRU București-Ilfov."
        ),
        "objectives": (
            "Obiectivul principal: pregătirea IMM-urilor pentru Revoluția Industrială 4.0. "
            "Obiective secundare: adaptarea antreprenorilor, managerilor și angajaților la "
            "schimbările pe care aceasta le aduce și îmbunătățirea instrumentelor de "
            "politici publice care sprijină transformarea tehnologică, organizațională și "
            "culturală a IMM-urilor."
        ),
        "topics": ["Industry 4.0", "Digitalisation of SMEs", "Skills and training"],
    },
]

# (project acronym, organisation slug, role, represented region). The seeds
# name the SMARTY partners of Mazovia and Castilla y León; the other SMARTY
# rows are the institutions that represented their region at the Leuven
# seminar, and Flanders Make the eighth region. ICE works alongside ICAMCyL.
# Of the seven partners of the Romanian-named project only Romania's is known.
PARTNERSHIPS = [
    ("SMARTY", "umwm", "partner", "PL9"),
    ("SMARTY", "lukasiewicz-itee", "partner", "PL9"),
    ("SMARTY", "icamcyl", "partner", "ES41"),
    ("SMARTY", "ice-castilla-y-leon", "associated", "ES41"),
    ("SMARTY", "regional-council-of-lapland", "partner", "FI1D7"),
    ("SMARTY", "svrk", "partner", "SI0"),
    ("SMARTY", "i2cat", "partner", "ES51"),
    ("SMARTY", "comune-di-prato", "partner", "ITI1"),
    ("SMARTY", "leeds-city-region-lep-wyca", "partner", "leeds-city-region"),
    ("SMARTY", "flanders-make", "partner", "BE2"),
    ("DIGINNO", "itl", "partner", "EE"),
    ("DIGINNO", "aalborg-university-copenhagen", "partner", "DK01"),
    ("IMM 4.0", "oir-posdru-bi", "partner", "RO32"),
]

# People by name; only those the seeds name as presenting something.
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
]

_EVIDENCE_FROM_SEMINAR = (
    "Chosen by its region as a good practice and presented to the SMARTY partners at the "
    "1st Interregional Thematic Seminar in Leuven (25–26 February 2020). The seminar "
    "report does not quote figures; ask the presenter for the monitoring data."
)

# The seven practices presented at the Leuven seminar. "presented_as" is the
# title as the seminar report gives it; "title" fits the 100-character limit.
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
        "organisation": "svrk",
        "region": "SI0",
        "city": "",
        "language": "en",
        "keywords": "factories of the future, GOSTOP, smart manufacturing, cohesion policy",
        "topics": ["Industry 4.0", "Research–industry cooperation"],
        "summary": (
            "A Slovenian programme, GOSTOP, that supports the development of the building "
            "blocks, tools and systems manufacturers need for the factories of the future. "
            "It was presented by the government office in charge of development and "
            "European cohesion policy."
        ),
        "description": (
            "GOSTOP targets the technologies at the core of Industry 4.0: the components, "
            "software tools and production systems that let factories become connected, "
            "flexible and data-driven. Presented by Slovenia's Government Office for "
            "Development and European Cohesion Policy, it shows how a national authority "
            "can use public funds to pull companies and research organisations towards "
            "the same set of factory-of-the-future priorities rather than funding "
            "isolated projects."
        ),
        "resources_needed": (
            "A public funding line for development programmes, and staff at the managing "
            "authority to select, follow and evaluate the work. The amounts are not given "
            "in the seminar report."
        ),
        "evidence_of_success": _EVIDENCE_FROM_SEMINAR,
        "difficulties": (
            "Keeping the programme's results within reach of SMEs, which rarely take part "
            "in large development consortia, is the question the SMARTY partners raise "
            "for every programme of this kind."
        ),
        "potential_for_transfer": (
            "Relevant to any region that wants to focus its innovation funding on "
            "advanced manufacturing: the idea of a programme built around shared "
            "building blocks can be reproduced at national or regional scale."
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
        "organisation": "lukasiewicz-itee",
        "region": "PL9",
        "city": "",
        "language": "en",
        "keywords": "Industry 4.0 platform, ecosystem, national policy, Poland",
        "topics": ["Industry 4.0", "Digitalisation of SMEs", "Digital innovation hubs"],
        "summary": (
            "A national platform in Poland that creates and supports the Industry 4.0 "
            "ecosystem, bringing together the companies, research institutes and public "
            "bodies involved in the digital transformation of industry."
        ),
        "description": (
            "The Industry of the Future Platform acts as a meeting point for everyone "
            "working on Industry 4.0 in Poland. It connects firms that want to modernise "
            "with the organisations that can help them—research institutes, technology "
            "providers, business support bodies—and helps shape a coherent ecosystem "
            "instead of scattered initiatives. The practice was presented by the "
            "Łukasiewicz Research Network – Institute for Sustainable Technologies, a "
            "SMARTY partner from Mazovia."
        ),
        "resources_needed": (
            "A dedicated organisation with staff for networking, awareness-raising and "
            "coordination, funded from the national budget. No figures are given in the "
            "seminar report."
        ),
        "evidence_of_success": _EVIDENCE_FROM_SEMINAR,
        "difficulties": (
            "A national platform has to reach SMEs in every region, including those far "
            "from the main industrial and research centres; regional partners are needed "
            "to carry its services to them."
        ),
        "potential_for_transfer": (
            "Regions without a single point of contact for Industry 4.0 can learn from how "
            "the platform gathers the actors of the ecosystem and from its links with "
            "regional partners."
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
        "organisation": "i2cat",
        "region": "ES51",
        "city": "Barcelona",
        "language": "en",
        "keywords": "Internet of Things, alliance, innovation challenges, open innovation",
        "topics": ["Clusters", "Industry 4.0", "Research–industry cooperation"],
        "summary": (
            "The IoT Catalan Alliance uses innovation challenges to connect the companies "
            "that need Internet-of-Things solutions with those, large and small, that can "
            "provide them—an example of an Industry 4.0 alliance built on collaboration."
        ),
        "description": (
            "Members of the alliance bring real problems from their operations as "
            "challenges; technology providers, start-ups and research groups respond "
            "with solutions. The challenges give firms a concrete reason to work "
            "together and help SMEs get in front of larger customers. i2CAT, a research "
            "centre in Barcelona, presented the case at the Leuven seminar."
        ),
        "resources_needed": (
            "Staff to run the alliance and moderate the challenges, and members willing "
            "to share their problems openly. No budget is given in the seminar report."
        ),
        "evidence_of_success": _EVIDENCE_FROM_SEMINAR,
        "difficulties": (
            "Challenges work only if members are ready to disclose real needs; building "
            "that trust takes time and neutral facilitation."
        ),
        "potential_for_transfer": (
            "The challenge format needs no special infrastructure and can be used by any "
            "cluster or alliance that wants to turn membership into joint projects."
        ),
    },
    {
        "slug": "plant-run",
        "title": "Plant Run",
        "presented_as": "Plant Run",
        "presenter": "Craig Lawrance",
        "organisation": "textile-centre-of-excellence",
        "region": "leeds-city-region",
        "city": "",
        "language": "en",
        "keywords": "textiles, manufacturing, SMEs, Leeds City Region",
        "topics": ["Industry 4.0", "Digitalisation of SMEs"],
        "summary": (
            "Plant Run is a practice of the Textile Centre of Excellence in the Leeds City "
            "Region, presented to the SMARTY partners as a way of bringing Industry 4.0 "
            "closer to manufacturing SMEs."
        ),
        "description": (
            "The Textile Centre of Excellence supports textile manufacturers in the Leeds "
            "City Region. Plant Run was its contribution to the Leuven seminar's exchange "
            "on policies that help SMEs take up Industry 4.0. The seminar report names "
            "the practice and its presenter but does not describe how it works; the "
            "details are to be completed by the practice owner."
        ),
        "resources_needed": "To be completed by the practice owner.",
        "evidence_of_success": _EVIDENCE_FROM_SEMINAR,
        "difficulties": "To be completed by the practice owner.",
        "potential_for_transfer": (
            "Of interest to regions with a traditional manufacturing sector, such as "
            "textiles, that wants to modernise."
        ),
    },
    {
        "slug": "regional-4-0-audit-for-smes-in-tuscany",
        "title": "Regional 4.0 Audit for SMEs in Tuscany",
        "presented_as": "Regional 4.0 Audit for SMEs in Tuscany",
        "presenter": "Paolo Guarnieri",
        "organisation": "comune-di-prato",
        "region": "ITI1",
        "city": "Prato",
        "language": "en",
        "keywords": "Industry 4.0 audit, SME assessment, digital maturity, Tuscany",
        "topics": ["Innovation audits", "Industry 4.0", "Digitalisation of SMEs"],
        "summary": (
            "A regional audit that assesses how far SMEs in Tuscany are on the way to "
            "Industry 4.0 and points them to their next steps, presented by the "
            "Municipality of Prato."
        ),
        "description": (
            "The 4.0 audit gives a small or medium-sized company an outside view of its "
            "processes, technologies and skills measured against Industry 4.0, and ends "
            "with recommendations the company can act on. Run at regional level, it also "
            "gives policy makers a picture of where local firms stand. Industry 4.0 audit "
            "actions were one of the two themes of SMARTY's later policy brokerage "
            "workshop."
        ),
        "resources_needed": (
            "Trained auditors, an assessment method and a public budget that keeps the "
            "audit affordable for SMEs. The seminar report gives no amounts."
        ),
        "evidence_of_success": _EVIDENCE_FROM_SEMINAR,
        "difficulties": (
            "An audit is only the start: firms need follow-up support to act on its "
            "recommendations, otherwise the result stays on paper."
        ),
        "potential_for_transfer": (
            "Audits are among the most transferable Industry 4.0 instruments: the method "
            "can be adapted by any region and linked to its own support schemes."
        ),
    },
    {
        "slug": "access-innovation",
        "title": "Access Innovation",
        "presented_as": "Access Innovation",
        "presenter": "Alex Clarke",
        "organisation": "leeds-city-region-lep-wyca",
        "region": "leeds-city-region",
        "city": "Leeds",
        "language": "en",
        "keywords": "innovation support, SMEs, city-region, West Yorkshire",
        "topics": ["Digitalisation of SMEs", "Research–industry cooperation"],
        "summary": (
            "Access Innovation is the Leeds City Region's support for SMEs that want to "
            "innovate, presented by the Leeds City Region Enterprise Partnership and the "
            "West Yorkshire Combined Authority."
        ),
        "description": (
            "Access Innovation helps businesses in the Leeds City Region start or speed up "
            "innovation projects, including the adoption of Industry 4.0 technologies. It "
            "is run by the bodies responsible for the city-region's economic policy, which "
            "lets it be combined with their other business support. The seminar report "
            "names it without further detail; the owner is invited to complete it."
        ),
        "resources_needed": "To be completed by the practice owner.",
        "evidence_of_success": _EVIDENCE_FROM_SEMINAR,
        "difficulties": "To be completed by the practice owner.",
        "potential_for_transfer": (
            "A model for city-regions and other functional areas that are not "
            "administrative regions but run their own business support."
        ),
    },
    {
        "slug": "centr-tec-programme",
        "title": "Centr@Tec Program: business training and support for Industry 4.0",
        "presented_as": "Centr@Tec Program",
        "presenter": "Victoria Molpeceres",
        "organisation": "ice-castilla-y-leon",
        "region": "ES41",
        "city": "",
        "language": "en",
        "keywords": (
            "Centr@Tec, training, digitalisation, product design, internationalisation, "
            "technology-based entrepreneurs"
        ),
        "topics": [
            "Industry 4.0",
            "Digitalisation of SMEs",
            "Skills and training",
            "Technology-based entrepreneurship",
        ],
        "summary": (
            "Centr@Tec, run by the Institute for Business Competitiveness of Castilla y "
            "León, trains and supports businesses in Industry 4.0, digitalisation, process "
            "and product or service design, internationalisation of R&D, and technology-"
            "based entrepreneurship."
        ),
        "description": (
            "Centr@Tec is a training and support programme of the Regional Government of "
            "Castilla y León, delivered by its Institute for Business Competitiveness "
            "(ICE). It covers five areas: Industry 4.0; digitalisation; innovation in "
            "processes and in the design of products and services; internationalisation "
            "of research and development; and support for technology-based "
            "entrepreneurs. ICAMCyL, the region's SMARTY partner, works with ICE on the "
            "project."
        ),
        "resources_needed": (
            "A regional agency with training staff and technology centres able to deliver "
            "the actions; amounts are not given in the seminar report."
        ),
        "evidence_of_success": _EVIDENCE_FROM_SEMINAR,
        "difficulties": (
            "Covering five areas in one programme requires careful coordination so that "
            "companies find the right action for their stage of development."
        ),
        "potential_for_transfer": (
            "Regional development agencies can reuse the idea of one programme that takes "
            "a firm from awareness through training to concrete innovation and "
            "internationalisation projects."
        ),
    },
]

# Events. The seeds give dates, not hours: each day is taken as a working day
# from 09:00 to 17:00 in the event's time zone.
EVENTS = [
    {
        "slug": "diginno-policy-seminar-berlin-2019",
        "title": "Cyfryzacja branży – doświadczenia regionu Morza Bałtyckiego",
        "title_en": "Digitalisation of industry – Baltic Sea Region experiences",
        "language": "pl",
        "project": "DIGINNO",
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
            "Seminarium polityczne projektu DIGINNO w Berlinie o tym, jak kraje regionu "
            "Morza Bałtyckiego wspierają cyfryzację przemysłowych MŚP (Przemysł 4.0)."
        ),
        "description": (
            "Partnerzy DIGINNO i zaproszeni goście ze świata polityki i biznesu porównali "
            "krajowe podejścia do Przemysłu 4.0 i doświadczenia z podnoszenia świadomości "
            "cyfrowej wśród MŚP. Przedstawiono „Ocenę potrzeb biznesowych” – ankietę "
            "wśród producentów z sektora MŚP o tym, jak zamierzają korzystać z nowych "
            "technologii. Dyskusja dotyczyła wspólnych, ponadnarodowych działań: "
            "przeniesienia krajowych inicjatyw na poziom całego regionu i uzgodnienia "
            "stanowiska wobec polityki przemysłowej UE. Seminarium przygotowały ITL i "
            "Aalborg University Copenhagen we współpracy z niemieckim Federalnym "
            "Ministerstwem Gospodarki i Energii; dla partnerów zorganizowano trzy wizyty "
            "studyjne w Berlinie. Krajową Izbę Gospodarczą Elektroniki i Telekomunikacji "
            "reprezentowali Bożena Skibicka i Jarosław Tworóg."
        ),
        "presentations": [
            {"title": "National approaches to Industry 4.0 in the Baltic Sea Region"},
            {
                "title": "Business Needs Assessment: survey of manufacturing SMEs",
            },
            {"title": "Study visits in Berlin (three visits for the DIGINNO partners)"},
        ],
    },
    {
        "slug": "smarty-1st-thematic-seminar-leuven-2020",
        "title": "1st Interregional Thematic Seminar",
        "title_en": "",
        "language": "en",
        "project": "SMARTY",
        "kind": "thematic_seminar",
        "format": "in_person",
        "start_date": datetime.date(2020, 2, 25),
        "end_date": datetime.date(2020, 2, 26),
        "time_zone": "Europe/Brussels",
        "venue": "Flanders Make",
        "city": "Leuven",
        "region": "BE24",
        "organisers": ["flanders-make"],
        "summary": (
            "SMARTY's first thematic seminar: 19 representatives of seven partner regions "
            "presented their regional analyses and seven good practices, then visited a "
            "factory of the future in Genk."
        ),
        "description": (
            "Hosted by the research centre Flanders Make, the seminar opened with the "
            "regional analyses—studies of the innovation ecosystems and of SMEs' needs in "
            "Tuscany, Mazovia, Lapland, the Leeds City Region, Slovenia, Castilla y León "
            "and Catalonia. Each region then presented policies that help SMEs take up "
            "Industry 4.0. On the second day the partners visited Provan, a metal "
            "processing company in Genk and one of the first factories of the future in "
            "Flanders, to see Industry 4.0 technologies at work in a business."
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
        "project": "SMARTY",
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
            "An online workshop, organised by the Regional Council of Lapland, to look "
            "deeper into the good practices and build the partners' capacity to spread "
            "Industry 4.0 solutions."
        ),
        "description": (
            "Policy brokerage pairs the regions that want to learn a practice with the "
            "regions that run it. The workshop dealt with two themes drawn from the "
            "Leuven seminar: Industry 4.0 audit actions and cluster policies. Planned as "
            "a meeting, it was held online."
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
        "project": "SMARTY",
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
            "Telekonferencja mazowieckiej grupy interesariuszy projektu SMARTY: postępy "
            "projektu, wyniki badania MŚP i aktualizacja inteligentnej specjalizacji "
            "województwa."
        ),
        "description": (
            "Spotkanie dla przedstawicieli przemysłu i instytucji publicznych "
            "zainteresowanych innowacjami i Przemysłem 4.0. Omówiono dobre praktyki w "
            "projekcie SMARTY, pierwsze wnioski z badania „Małe i średnie przedsiębiorstwa "
            "w procesach transformacji cyfrowej – analiza potrzeb i potencjału "
            "rozwojowego” oraz założenia aktualizacji inteligentnej specjalizacji "
            "województwa mazowieckiego 2020+, która ma mieć charakter ewolucyjny i nie "
            "zamykać listy branż ani technologii. Uczestników zaproszono do zgłaszania "
            "dobrych praktyk; wybrane zostaną przedstawione na kolejnych spotkaniach grupy."
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
        "project": "IMM 4.0",
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
            "Workshop online despre bunele practici prin care politicile publice sprijină "
            "digitalizarea IMM-urilor din România."
        ),
        "description": (
            "Parteneri și actori relevanți din mediul public și privat – ministere, "
            "autoritatea pentru digitalizare, universități, incubatoare și consultanți – "
            "au dezbătut două întrebări: ce bune practici de sprijin public pentru "
            "adaptarea IMM-urilor la Industria 4.0 cunosc participanții și asupra căror "
            "politici publice se poate interveni imediat. Concluziile vor fi analizate în "
            "proiect și transformate în propuneri de modificare a politicilor publice."
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
        "title_en": "2nd Interregional Thematic Seminar and Steering Committee",
        "language": "pl",
        "project": "SMARTY",
        "kind": "thematic_seminar",
        "format": "online",
        "start_date": datetime.date(2020, 9, 8),
        "end_date": datetime.date(2020, 9, 9),
        "time_zone": "Europe/Warsaw",
        "venue": "",
        "city": "",
        "region": "PL9",
        "organisers": ["lukasiewicz-itee", "umwm"],
        "summary": (
            "Drugie seminarium tematyczne SMARTY, prowadzone z Mazowsza jako telekonferencja: "
            "cyfrowe huby innowacji, partnerstwa na rzecz transformacji cyfrowej MŚP i "
            "posiedzenie Komitetu Sterującego."
        ),
        "description": (
            "Partnerzy z ośmiu regionów i zaproszeni eksperci wymienili się "
            "doświadczeniami we wdrażaniu hubów innowacji cyfrowych (DIH). Po powitaniu "
            "i prezentacji Mazowsza odbyły się dwie sesje tematyczne; druga objęła dobre "
            "praktyki z Leeds, Laponii, Słowenii, Toskanii oraz Kastylii i Leónu. Firmy "
            "RADMOT i TREND GLASS pokazały, jak wdrażają Przemysł 4.0 i współpracują z "
            "nauką. Drugiego dnia Komitet Sterujący omówił wnioski regionów, pierwsze "
            "pomysły do planów działań i zgłaszanie dobrych praktyk do bazy programu "
            "Interreg Europa. Z powodu pandemii spotkanie odbyło się zdalnie."
        ),
        "presentations": [
            {
                "title": "RADMOT: a company implementing Industry 4.0",
                "presenter": "Piotr Stańczyk",
                "organisation": "radmot",
            },
            {"title": "Digital Innovation Hubs in Europe – national and regional approaches"},
            {
                "title": (
                    "Strategic partnerships, competence centres and regional networks for "
                    "SME digital transformation"
                ),
            },
            {
                "title": "TREND GLASS: cooperation between industry and research",
                "presenter": "Michał Kaleta",
                "organisation": "trend-glass",
            },
            {
                "title": (
                    "Steering Committee: regional action plans and submitting practices to "
                    "the Interreg Europe good-practice database"
                ),
            },
        ],
    },
]

# The Leuven seminar, where every practice of PRACTICES was presented.
PRACTICE_SEMINAR = "smarty-1st-thematic-seminar-leuven-2020"

# Event materials: only real, checked links belong here. The 2nd thematic
# seminar published its presentations, but the seeds give no address.
MATERIALS = []
