"""The pages a benchmark measures, picked from the data in the database.

Shared by ``bench/run.py`` (which asks for them in a subprocess with the
benchmark's environment) and by the CI smoke test, so that both measure the
same pages. Needs a configured Django.
"""

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

API_LIST = "/api/v1/practices/"


def pick_pages():
    """Return ``[(name, url), ...]`` for the pages to measure."""
    from urllib.parse import urlencode

    from core.models import Organisation, PolicyInstrument, Project, Region, Topic
    from events.models import Event
    from portal.fake_data import COMMON_WORD, RARE_WORD
    from portal.sitemaps import PracticeSitemap
    from practices.models import GoodPractice

    published = GoodPractice.objects.published()
    # The country with most practices, its most frequent topic and language:
    # a filtered listing that still has a few pages of results.
    country = (
        published.exclude(region__country_code="")
        .values("region__country_code")
        .annotate(n=Count("id"))
        .order_by("-n", "region__country_code")
        .first()
    )
    country_code = country["region__country_code"] if country else ""
    in_country = published.filter(region__country_code=country_code)
    topic = (
        Topic.objects.filter(practices__in=in_country)
        .annotate(n=Count("id"))
        .order_by("-n", "slug")
        .first()
    )
    language = (
        in_country.values("language").annotate(n=Count("id")).order_by("-n", "language").first()
    )
    filters = {"country": country_code}
    if topic:
        filters["topic"] = topic.slug
    if language:
        filters["language"] = language["language"]
    region = Region.objects.countries().filter(country_code=country_code).first()
    # A practice in the middle of the list, with its topics and projects.
    count = published.count()
    practice = published.order_by("id")[count // 2] if count else None
    event = Event.objects.published().order_by("id").first()
    # The project and organisation with most practices / partnerships: the biggest pages.
    project = (
        Project.objects.annotate(n=Count("practices"))
        .order_by("-n", "id")
        .only("slug", "acronym")
        .first()
    )
    organisation = (
        Organisation.objects.annotate(n=Count("partnerships"))
        .order_by("-n", "id")
        .only("slug")
        .first()
    )
    pages = [
        ("healthz", "/healthz"),
        ("listing", "/practices/"),
        ("listing_3_filters", "/practices/?" + urlencode(filters)),
        ("search_common", "/practices/?" + urlencode({"q": COMMON_WORD})),
        ("search_rare", "/practices/?" + urlencode({"q": RARE_WORD})),
        # The search box of every page: seven kinds at once (issue 19).
        ("search_all_common", "/search/?" + urlencode({"q": COMMON_WORD})),
        ("search_all_rare", "/search/?" + urlencode({"q": RARE_WORD})),
        ("search_all_misspelt", "/search/?" + urlencode({"q": RARE_WORD[:-1] + "x"})),
    ]
    pages += [
        ("home", "/"),
        ("listing_page_2", "/practices/?page=2"),
        ("events", "/events/"),
        ("events_page_2", "/events/?page=2"),
        ("events_pl", "/pl/events/"),
        ("regions", "/regions/"),
        ("projects", "/projects/"),
        ("projects_page_2", "/projects/?page=2"),
        ("organisations", "/organisations/"),
        ("organisations_page_2", "/organisations/?page=2"),
        ("propose", "/practices/propose/"),
        ("propose_ro", "/ro/practices/propose/"),
        ("accessibility", "/accessibility/"),
        ("documents", "/documents/"),
        ("insights", "/insights/"),
        ("insights_3_filters", "/insights/?" + urlencode(filters)),
        ("feed_practices", "/feeds/practices/"),
        # A feed reader subscribed to a search: the listing's common word.
        ("feed_search", "/feeds/practices/?" + urlencode({"q": COMMON_WORD})),
        ("feed_events", "/feeds/events.ics"),
        ("sitemap_index", "/sitemap.xml"),
        # What a crawler fetches after the index: the middle page of the longest section.
        ("sitemap_page", sitemap_page("practices", PracticeSitemap().paginator.num_pages // 2 + 1)),
        # What a person types: the first letters of an acronym (slugs are not searched).
        (
            "suggest_project",
            "/suggest/project/?q=" + ((project.acronym or "a")[:3] if project else "a"),
        ),
    ]
    if region:
        pages.append(("region", region.get_absolute_url()))
        pages.append(("regions_country", f"/regions/?country={region.nuts_code}"))
    if project:
        pages.append(("project_detail", project.get_absolute_url()))
    if organisation:
        pages.append(("organisation_detail", organisation.get_absolute_url()))
    if practice:
        pages.append(("practice_detail", practice.get_absolute_url()))
    if event:
        pages.append(("event_detail", event.get_absolute_url()))
    # generate_fake makes no policy instruments: measured where the data has one.
    instrument = (
        PolicyInstrument.objects.annotate(n=Count("practices")).order_by("-n", "id").first()
    )
    if instrument:
        pages.append(("policy_instrument_detail", instrument.get_absolute_url()))
    pages.append(("csv_export_filtered", "/practices/?" + urlencode({**filters, "format": "csv"})))
    if _resolves(API_LIST):
        pages.append(("api_list", API_LIST))
    return pages


VARIANTS = 40


def pick_variants(pages, count=VARIANTS):
    """Return ``{name: [url, ...]}``: for each page, up to ``count`` URLs of its kind.

    The benchmark's second pass turns the page cache off and walks through
    these, so that it measures what building a page costs on data that is
    not all in one set of PostgreSQL buffers: other practices, events and
    regions, later pages of the listing, other filter combinations.
    """
    from urllib.parse import parse_qsl, urlencode

    from core.models import Region
    from events.models import Event
    from practices.models import GoodPractice

    published = GoodPractice.objects.published()
    variants = {name: [url] for name, url in pages}

    def spread(queryset, n):
        """``n`` rows evenly spread over the queryset's ids (not the newest only)."""
        ids = list(queryset.order_by("id").values_list("id", flat=True))
        step = max(len(ids) // n, 1)
        return queryset.filter(id__in=ids[::step][:n])

    if "practice_detail" in variants:
        variants["practice_detail"] += [p.get_absolute_url() for p in spread(published, count)]
    if "event_detail" in variants:
        events = Event.objects.published()
        variants["event_detail"] += [e.get_absolute_url() for e in spread(events, count)]
    if "region" in variants:
        # Countries and the regions two levels below them: pages of every size.
        regions = Region.objects.filter(level__in=(0, 2)).defer("outline")
        variants["region"] += [r.get_absolute_url() for r in spread(regions, count)]
    if "listing" in variants:
        variants["listing"] += [f"/practices/?page={n}" for n in range(2, 12)]
    if "listing_3_filters" in variants:
        base = dict(parse_qsl(dict(pages)["listing_3_filters"].split("?", 1)[1]))
        combos = (
            published.exclude(region__country_code="")
            .values("region__country_code", "topics__slug", "language")
            .annotate(n=Count("id"))
            .filter(n__gte=25)
            .order_by("-n")[: count // 2]
        )
        for combo in combos:
            query = {
                "country": combo["region__country_code"],
                "topic": combo["topics__slug"],
                "language": combo["language"],
            }
            if query != base:
                variants["listing_3_filters"].append("/practices/?" + urlencode(query))
    if "insights_3_filters" in variants:
        # The listing's combinations, as charts: each a new filter state.
        variants["insights_3_filters"] += [
            "/insights/?" + url.split("?", 1)[1]
            for url in variants.get("listing_3_filters", [])[1:]
        ]
    if "insights" in variants:
        # One filter each: a country, a topic, a project, a common word.
        from core.models import Project, Topic
        from portal.fake_data import COMMON_WORD

        countries = (
            Region.objects.countries().order_by("nuts_code").values_list("nuts_code", flat=True)
        )
        topics = Topic.objects.order_by("slug").values_list("slug", flat=True)
        projects = (
            Project.objects.annotate(n=Count("practices"))
            .order_by("-n", "id")
            .values_list("slug", flat=True)
        )
        variants["insights"] += [
            *(f"/insights/?country={code}" for code in countries[: count // 4]),
            *(f"/insights/?topic={slug}" for slug in topics[: count // 4]),
            *(f"/insights/?project={slug}" for slug in projects[: count // 4]),
            "/insights/?" + urlencode({"q": COMMON_WORD}),
        ]
    if "feed_search" in variants:
        # The same search in the feed's other languages (like search_common, one filter state).
        from portal.fake_data import COMMON_WORD

        variants["feed_search"] += [
            "/feeds/practices/?" + urlencode({"q": COMMON_WORD, "lang": lang})
            for lang in ("pl", "ro")
        ]
    if "sitemap_page" in variants:
        # Pages of every section, spread over each: their build time is bounded.
        from portal.sitemaps import SITEMAPS

        pages = [
            sitemap_page(section, number)
            for section, sitemap in SITEMAPS.items()
            for number in range(1, sitemap().paginator.num_pages + 1)
        ]
        step = max(len(pages) // count, 1)
        variants["sitemap_page"] += pages[::step][:count]
    return {name: list(dict.fromkeys(urls)) for name, urls in variants.items()}


def sitemap_page(section, number):
    path = f"/sitemap-{section}.xml"
    return path if number == 1 else f"{path}?p={number}"


def _resolves(path):
    from django.urls import Resolver404, resolve

    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def count_queries(pages, *, host="127.0.0.1"):
    """Request each page twice in-process; return status and query counts.

    The first request may fill caches (cold), the second shows what every
    later visitor costs (warm).
    """
    client = Client(HTTP_HOST=host, raise_request_exception=False)
    result = {}
    for name, url in pages:
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
                # Streaming responses (exports) run their queries while read.
                body = b"".join(response) if response.streaming else response.content
            counts.append(len(queries.captured_queries))
        result[name] = {
            "url": url,
            "status": response.status_code,
            "html": response.get("Content-Type", "").startswith("text/html"),
            "bytes": len(body),
            "queries_cold": counts[0],
            "queries": counts[1],
        }
    return result


def main():
    """Print the pages and their query counts as JSON (for ``bench/run.py``)."""
    import json
    import os
    import sys

    import django

    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exchange.settings")
    django.setup()
    from practices.models import GoodPractice

    pages = pick_pages()
    print(
        json.dumps(
            {
                "practices": GoodPractice.objects.count(),
                "published": GoodPractice.objects.published().count(),
                "pages": count_queries(pages),
                "variants": pick_variants(pages),
            }
        )
    )


if __name__ == "__main__":
    main()
