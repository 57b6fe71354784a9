"""Generated query strings and form bodies: never a 5xx, never an unhandled exception.

``FUZZ_EXAMPLES`` sets the examples per endpoint (default 25, for `make
test`); `make fuzz` runs 450 per endpoint: 24 endpoints, 10,800 examples.
``FUZZ_DATABASE_URL`` runs them against an existing, filled database (e.g. a
copy of `make bench`'s 100,000 practices) instead of a fresh test database;
every test's writes are rolled back (`make fuzz-bench`).
"""

import os
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import (
    EventFactory,
    GoodPracticeFactory,
    PracticeProposalFactory,
    ProjectFactory,
    RegionFactory,
    TopicFactory,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
LIVE_DATABASE = bool(os.environ.get("FUZZ_DATABASE_URL"))

if LIVE_DATABASE:

    @pytest.fixture(scope="session")
    def django_db_setup():
        """Use the database DATABASE_URL names as it is: no test copy, no migrations."""


LISTINGS = [
    "/",
    "/practices/",
    "/pl/practices/",
    "/events/",
    "/regions/",
    "/projects/",
    "/organisations/",
    "/api/v1/practices/",
    "/api/v1/events/",
    "/api/v1/projects/",
    "/api/v1/organisations/",
    "/api/v1/regions/",
    "/api/v1/topics/",
    "/api/v1/programmes/",
    "/feeds/practices/",
    "/feeds/events.ics",
]
# Parameter names the pages know, and some they do not.
NAMES = [
    "q", "country", "region", "topic", "project", "programme", "status", "language",
    "year", "sort", "page", "format", "page_size", "ordering", "kind", "level", "parent",
    "lang", "upcoming", "past", "format", "cursor", "offset", "limit", "search", "when",
    "start", "end", "from", "to", "organisation", "x", "__proto__", "page[]", "q[]",
]  # fmt: skip
INTERESTING = [
    "", " ", "0", "-1", "1e9", "99999999999999999999", "NaN", "null", "true", "csv", "json",
    "xlsx", "xml", "PL", "pl", "PL91", "zz", "ZZZZZZ", "fake-x", "topic-1", "2022", "1949",
    "2101", "-title", "title", "relevance", "newest", "'; DROP TABLE x; --", "<script>",
    "%00", "\x00", "\ufffd", "Łódź", "ş", "ț", "%", "%%", "a:b", "../../etc/passwd",
    "1,2,3", "()", "!", "&", "=", "+", "*", "\\", "😀", "a" * 250, "a" * 600,
]  # fmt: skip

values = st.one_of(
    st.sampled_from(INTERESTING),
    st.text(max_size=60),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.dates().map(str),
)
params = st.lists(
    st.tuples(st.one_of(st.sampled_from(NAMES), st.text(min_size=1, max_size=12)), values),
    max_size=8,
)
raw_queries = st.text(alphabet=st.sampled_from("abcqtopiy=&%;+#?[]0129AFZ\x00 ü-_."), max_size=120)


def query_string(draw_params, raw):
    if raw is not None:
        return raw
    return urlencode(draw_params, quote_via=quote)


@pytest.fixture
def content(db):
    if LIVE_DATABASE:
        # The filled database has its own topics and regions; names and codes are unique.
        topic = TopicFactory(name="Fuzz topic")
        country = RegionFactory(nuts_code="QZ", name="Fuzzland")
        region = RegionFactory(nuts_code="QZ9", name="Fuzz region", parent=country)
    else:
        topic = TopicFactory(name="Clusters")
        country = RegionFactory(nuts_code="PL", name="Polska")
        region = RegionFactory(nuts_code="PL9", name="Makroregion", parent=country)
    project = ProjectFactory(acronym="FUZZ")
    practice = GoodPracticeFactory(region=region, topics=[topic], projects=[project])
    EventFactory(project=project)
    PracticeProposalFactory()
    return {"practice": practice, "project": project}


def fuzz_settings():
    return settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@pytest.mark.parametrize("path", LISTINGS)
def test_listings_survive_generated_query_strings(content, path, settings):
    # Exercise the listings, not the budget of builds and downloads.
    settings.LISTING_BUILD_RATE = settings.EXPORT_RATE = ""
    client = Client()

    @fuzz_settings()
    @given(draw_params=params, raw=st.one_of(st.none(), raw_queries))
    def check(draw_params, raw):
        query = query_string(draw_params, raw)
        response = client.get(f"{path}?{query}" if query else path)
        assert response.status_code < 500, (path, query, response.status_code)
        if response.streaming:
            b"".join(response.streaming_content)

    check()


@pytest.mark.parametrize(
    "prefix", ["/practices/", "/events/", "/regions/", "/projects/", "/organisations/"]
)
def test_detail_routes_survive_generated_slugs(content, prefix):
    client = Client()

    @fuzz_settings()
    @given(slug=st.text(min_size=1, max_size=120))
    def check(slug):
        response = client.get(prefix + quote(slug, safe="") + "/")
        assert response.status_code < 500, (prefix, slug)

    check()


PROPOSAL_FIELDS = [
    "title", "project", "region", "city", "summary", "organisation_name", "description",
    "resources_needed", "evidence_of_success", "difficulties", "potential_for_transfer",
    "start_date", "end_date", "status", "topics", "keywords", "further_information",
    "language", "proposer_name", "proposer_email", "proposer_organisation",
    "consent_to_contact", "homepage",
]  # fmt: skip
form_values = st.one_of(
    st.sampled_from(INTERESTING + ["on", "2020-01-01", "2019-13-45", "a@b.example"]),
    st.text(max_size=200),
    st.text(max_size=6000),
)
bodies = st.dictionaries(
    st.one_of(st.sampled_from(PROPOSAL_FIELDS), st.text(max_size=10)),
    st.one_of(form_values, st.lists(form_values, max_size=3)),
    max_size=len(PROPOSAL_FIELDS),
)


def test_proposal_form_survives_generated_bodies(content, settings):
    # Every POST counts toward the rate limit: fuzz the form, not the 429.
    settings.PROPOSAL_RATE_LIMIT = ""
    client = Client(enforce_csrf_checks=False)

    @fuzz_settings()
    @given(body=bodies)
    def check(body):
        response = client.post("/practices/propose/", body)
        assert response.status_code < 500, body

    check()


@pytest.mark.parametrize("path", ["/i18n/setlang/", "/csp-report/"])
def test_small_forms_survive_generated_bodies(content, path):
    client = Client(enforce_csrf_checks=False)

    @fuzz_settings()
    @given(
        body=st.dictionaries(
            st.sampled_from(["language", "next", "csp-report", "x"]), form_values, max_size=3
        ),
        raw=st.one_of(st.none(), st.binary(max_size=300)),
    )
    def check(body, raw):
        if raw is None:
            response = client.post(path, body)
        else:
            response = client.post(path, raw, content_type="application/json")
        assert response.status_code < 500, (path, body, raw)

    check()
