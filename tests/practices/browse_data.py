"""A small world of regions and practices for the listing, search, detail and map tests."""

import datetime
from types import SimpleNamespace

from core.models import PublicationState, Region
from tests.factories import (
    GoodPracticeFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ProjectFactory,
    RegionFactory,
    TopicFactory,
)


def nuts(code, name, parent=None, lat=50.0, lon=10.0):
    return RegionFactory(nuts_code=code, name=name, parent=parent, label_lat=lat, label_lon=lon)


def build_world():
    """Regions in four countries, with a non-NUTS city-region below a NUTS 1 region."""
    r = SimpleNamespace()
    r.es = nuts("ES", "España", lat=40.2, lon=-3.6)
    r.es4 = nuts("ES4", "Centro (ES)", r.es)
    r.es41 = nuts("ES41", "Castilla y León", r.es4, lat=41.7, lon=-4.8)
    r.es5 = nuts("ES5", "Este", r.es)
    r.es51 = nuts("ES51", "Cataluña", r.es5, lat=41.8, lon=1.5)
    r.pl = nuts("PL", "Polska", lat=52.1, lon=19.4)
    r.pl9 = nuts("PL9", "Makroregion województwo mazowieckie", r.pl)
    r.pl91 = nuts("PL91", "Warszawski stołeczny", r.pl9, lat=52.2, lon=21.0)
    r.pl92 = nuts("PL92", "Mazowiecki regionalny", r.pl9, lat=52.5, lon=20.5)
    r.uk = nuts("UK", "United Kingdom", lat=54.0, lon=-2.0)
    r.uke = nuts("UKE", "Yorkshire and the Humber", r.uk, lat=53.9, lon=-1.3)
    r.leeds = RegionFactory(
        nuts_code=None,
        kind=Region.Kind.CITY_REGION,
        name="Leeds City Region",
        parent=r.uke,
        label_lat=None,
        label_lon=None,
    )
    r.it = nuts("IT", "Italia", lat=42.8, lon=12.6)
    r.iti = nuts("ITI", "Centro (IT)", r.it)
    r.iti1 = nuts("ITI1", "Toscana", r.iti, lat=43.4, lon=11.1)
    for region in vars(r).values():
        region.refresh_from_db()
    return r


def build_practices(r):
    """Published practices across the world, plus one draft, with their tags."""
    p = SimpleNamespace()
    p.interreg = ProgrammeFactory(name="Interreg Europe", short_name="IE")
    p.baltic = ProgrammeFactory(name="Interreg Baltic Sea Region", short_name="BSR")
    p.smarty = ProjectFactory(acronym="SMARTY", programme=p.interreg)
    p.other = ProjectFactory(acronym="OTHER", programme=p.interreg)
    p.baltic_project = ProjectFactory(acronym="BALTIC", programme=p.baltic)
    p.industry = TopicFactory(name="Industry 4.0")
    p.digital = TopicFactory(name="Digitalisation of SMEs")
    p.clusters = TopicFactory(name="Clusters")
    lukasiewicz = OrganisationFactory(
        name="Sieć Badawcza Łukasiewicz – Instytut Technologii Eksploatacji",
        name_en="Łukasiewicz Research Network – ITeE",
        region=r.pl91,
    )

    def practice(title, region, **kwargs):
        kwargs.setdefault("published_at", None)
        return GoodPracticeFactory(title=title, region=region, **kwargs)

    p.castilla = practice(
        "Centr@Tec Program: business training and support for Industry 4.0",
        r.es41,
        topics=[p.industry],
        projects=[p.smarty],
        start_date=datetime.date(2016, 1, 1),
        end_date=datetime.date(2019, 12, 31),
        status="ended",
        language="es",
    )
    p.catalonia = practice(
        "Industry 4.0 Alliances: innovation challenges in the IoT Catalan Alliance",
        r.es51,
        topics=[p.clusters],
        projects=[p.smarty, p.other],
        start_date=datetime.date(2019, 1, 1),
    )
    p.warsaw = practice(
        "Industry of the Future Platform",
        r.pl91,
        organisation=lukasiewicz,
        topics=[p.industry, p.digital],
        projects=[p.smarty],
        start_date=datetime.date(2018, 1, 1),
        language="pl",
    )
    p.mazovia = practice(
        "Mazovian voucher for innovation",
        r.pl92,
        topics=[p.digital],
        projects=[p.baltic_project],
        start_date=datetime.date(2021, 3, 1),
    )
    p.leeds = practice(
        "Access Innovation",
        r.leeds,
        summary="Support for SMEs that want to innovate.",
        topics=[p.digital],
        projects=[p.smarty],
        start_date=datetime.date(2017, 1, 1),
        keywords="innovation, SMEs, Leeds",
    )
    p.tuscany = practice(
        "Regional 4.0 Audit for SMEs in Tuscany",
        r.iti1,
        summary="A regional audit of how far SMEs are on the way to Industry 4.0.",
        topics=[p.industry],
        projects=[p.smarty],
        start_date=datetime.date(2017, 6, 1),
        language="it",
    )
    p.gostop = practice(
        "Building blocks, tools and systems for the factories of the future (GOSTOP) programme",
        r.iti1,
        summary="A programme that supports the factories of the future.",
        description="Manufacturers get building blocks and tools; an audit is part of it.",
        topics=[p.industry],
        start_date=datetime.date(2016, 1, 1),
    )
    p.draft = practice(
        "Draft practice nobody may see",
        r.es41,
        topics=[p.industry],
        projects=[p.smarty],
        publication_state=PublicationState.DRAFT,
    )
    p.published = [p.castilla, p.catalonia, p.warsaw, p.mazovia, p.leeds, p.tuscany, p.gostop]
    return p
