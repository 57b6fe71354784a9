"""The practice listing: filters, sorts, pagination, bad input, downloads, query counts."""

import datetime

import pytest
from django.http import QueryDict
from django.urls import reverse

from practices.filters import PracticeFilter
from practices.models import GoodPractice
from tests.factories import (
    GoodPracticeFactory,
    PersonFactory,
    PresentationFactory,
    RegionFactory,
    TopicFactory,
)
from tests.practices.browse_data import build_practices, build_world

pytestmark = pytest.mark.django_db

LIST_URL = reverse("practices:practice-list")


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def data(world):
    return build_practices(world)


def titles(response):
    return {p["title"] for p in response.context["practices"]}


def listed(client, query):
    response = client.get(f"{LIST_URL}?{query}")
    assert response.status_code == 200
    return titles(response)


def warnings(response):
    return [str(m) for m in response.context["messages"]]


def test_lists_published_practices_only(client, data):
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert titles(response) == {p.title for p in data.published}
    assert data.draft.title not in response.content.decode()
    assert "7 practices found" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("region=ES", {"castilla", "catalonia"}),
        ("region=es", {"castilla", "catalonia"}),
        ("region=ES4", {"castilla"}),
        ("region=es51", {"catalonia"}),
        ("region=PL9", {"warsaw", "mazovia"}),
        ("region=PL92", {"mazovia"}),
        # A city-region below a NUTS 1 region is found from its NUTS ancestors.
        ("region=UK", {"leeds"}),
        ("region=UKE", {"leeds"}),
        ("region=leeds-city-region", {"leeds"}),
        ("region=IT", {"tuscany", "gostop"}),
    ],
)
def test_region_filter_includes_every_region_below(client, data, query, expected):
    assert listed(client, query) == {getattr(data, name).title for name in expected}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=PL", {"warsaw", "mazovia"}),
        ("country=pl", {"warsaw", "mazovia"}),
        ("country=UK", {"leeds"}),
        ("country=ES", {"castilla", "catalonia"}),
    ],
)
def test_country_filter(client, data, query, expected):
    assert listed(client, query) == {getattr(data, name).title for name in expected}


def test_topic_project_programme_filters(client, data):
    assert listed(client, f"topic={data.digital.slug}") == {
        data.warsaw.title,
        data.mazovia.title,
        data.leeds.title,
    }
    assert listed(client, f"project={data.other.slug}") == {data.catalonia.title}
    assert listed(client, f"programme={data.baltic.slug}") == {data.mazovia.title}
    # Catalonia belongs to two Interreg Europe projects and is listed once.
    response = client.get(f"{LIST_URL}?programme={data.interreg.slug}")
    names = [p["title"] for p in response.context["practices"]]
    assert sorted(names) == sorted(
        p.title for p in data.published if p not in (data.mazovia, data.gostop)
    )
    assert response.context["paginator"].count == len(names)


def test_status_language_year_filters(client, data):
    assert listed(client, "status=ended") == {data.castilla.title}
    assert data.castilla.title not in listed(client, "status=ongoing")
    assert listed(client, "language=pl") == {data.warsaw.title}
    # Active in 2020: started by then and not ended before it.
    in_2020 = listed(client, "year=2020")
    assert data.castilla.title not in in_2020
    assert data.mazovia.title not in in_2020
    assert data.warsaw.title in in_2020
    assert listed(client, "year=2017") >= {data.castilla.title, data.leeds.title}


def test_filters_combine(client, data):
    query = f"country=PL&topic={data.industry.slug}&project={data.smarty.slug}"
    assert listed(client, query) == {data.warsaw.title}
    assert listed(client, f"region=ES&topic={data.digital.slug}") == set()


def test_sorts(client, data):
    response = client.get(f"{LIST_URL}?sort=title")
    names = [p["title"] for p in response.context["practices"]]
    assert names == sorted(names)
    response = client.get(LIST_URL)
    assert response.context["sort_order"] == "newest"
    assert [p["title"] for p in response.context["practices"]][0] == data.gostop.title
    response = client.get(f"{LIST_URL}?q=audit")
    assert response.context["sort_order"] == "relevance"
    assert [p["title"] for p in response.context["practices"]][0] == data.tuscany.title
    response = client.get(f"{LIST_URL}?q=audit&sort=title")
    names = [p["title"] for p in response.context["practices"]]
    assert names == sorted(names)


def card_of(body, practice):
    """Return the listing card of ``practice`` in the page ``body``."""
    cards = body[body.index('<ol class="practice-list"') :]
    card = cards[cards.index(f'/practices/{practice.slug}/"') :]
    return card[: card.index("</li>")]


def test_a_card_says_where_when_and_in_which_language(client, data):
    data.castilla.summary = " ".join(f"word{n}" for n in range(50))
    data.castilla.save()
    english = client.get(f"{LIST_URL}?country=ES").content.decode()
    card = card_of(english, data.castilla)
    assert '" lang="es">Centr@Tec Program' in card
    assert "<span>Castilla y León (ES)</span>" in card
    # Cut after 45 words, as the truncatewords filter cuts.
    cut = " ".join(f"word{n}" for n in range(45))
    assert f'<p class="practice-summary" lang="es">{cut} …</p>' in card
    assert '<span class="badge badge-muted">Ended</span>' in card
    assert "<span>2016–2019</span>" in card and "<span>in Spanish</span>" in card
    assert "<span>since 2019</span>" in card_of(english, data.catalonia)
    polish = client.get(f"/pl{LIST_URL}?country=PL").content.decode()
    warsaw = card_of(polish, data.warsaw)
    assert "<span>Warszawski stołeczny (PL)</span>" in warsaw
    assert "<span>od 2018 r.</span>" in warsaw and "język:" not in warsaw
    assert 'lang="pl"' not in warsaw


def test_relevance_is_not_offered_without_a_search(client, data):
    response = client.get(LIST_URL)
    assert "relevance" not in [value for value, _label in response.context["sort_options"]]
    response = client.get(f"{LIST_URL}?sort=relevance")
    assert response.status_code == 200
    assert response.context["sort_order"] == "newest"


def test_pagination_keeps_the_filters(client, world):
    topic = TopicFactory(name="Paged")
    for n in range(25):
        GoodPracticeFactory(title=f"Paged practice {n:02}", region=world.pl91, topics=[topic])
    GoodPracticeFactory(title="Elsewhere", region=world.es41, topics=[topic])
    response = client.get(f"{LIST_URL}?region=PL9&topic={topic.slug}&sort=title")
    body = response.content.decode()
    assert "25 practices found" in body
    assert len(response.context["practices"]) == 20
    assert 'href="?region=PL9&amp;topic=paged&amp;sort=title&amp;page=2"' in body
    response = client.get(f"{LIST_URL}?region=PL9&topic={topic.slug}&sort=title&page=2")
    assert [p["title"] for p in response.context["practices"]] == [
        f"Paged practice {n:02}" for n in range(20, 25)
    ]


@pytest.mark.parametrize(
    ("query", "ignored"),
    [
        ("year=abc", "Active in year"),
        ("year=99999999999999999999", "Active in year"),
        ("region=nonexistent", "Region"),
        ("region=%00", "Region"),
        ("region=../../etc", "Region"),
        ("country=ZZ", "Country"),
        ("country=Polska!", "Country"),
        ("topic=no-such-topic", "Topic"),
        ("topic=a%00b", "Topic"),
        ("project=%27%3B--", "Project"),
        ("programme=" + "x" * 500, "Programme"),
        ("status=maybe", "Status"),
        ("language=klingon", "Original language"),
        ("sort=evil", "Sort by"),
        ("q=" + "x" * 201, "Search"),
        ("q=abc%00def", "Search"),
    ],
)
def test_malformed_values_are_ignored_with_a_message(client, data, query, ignored):
    response = client.get(f"{LIST_URL}?{query}")
    assert response.status_code == 200
    assert any(message.startswith(f"“{ignored}” was ignored") for message in warnings(response))
    assert titles(response) == {p.title for p in data.published}


@pytest.mark.parametrize("page", ["999999", "abc", "0", "-1", "1.5", "%00"])
def test_bad_page_numbers_show_a_page_with_a_message(client, data, page):
    response = client.get(f"{LIST_URL}?page={page}&region=ES")
    assert response.status_code == 200
    assert warnings(response)
    assert titles(response) == {data.castilla.title, data.catalonia.title}


def test_unknown_parameters_and_repeated_values_do_not_break(client, data):
    response = client.get(f"{LIST_URL}?foo=bar&region=ES&region=PL9&q=&q=")
    assert response.status_code == 200
    assert titles(response) == {data.warsaw.title, data.mazovia.title}


def test_active_filters_are_removable_chips(client, data):
    response = client.get(f"{LIST_URL}?country=PL&topic={data.digital.slug}&q=platform")
    body = response.content.decode()
    chips = {(c["param"], c["value"]) for c in response.context["active_filters"]}
    assert chips == {("country", "Polska"), ("topic", "Digitalisation of SMEs"), ("q", "platform")}
    # Links list the filters in the form's order, whatever the request's.
    assert 'href="?q=platform&amp;topic=digitalisation-of-smes"' in body  # without country
    assert 'href="?q=platform&amp;country=PL"' in body  # without topic
    assert 'href="?country=PL&amp;topic=digitalisation-of-smes"' in body  # without the search


def test_empty_result_says_so_and_suggests_removing_a_filter(client, data):
    response = client.get(f"{LIST_URL}?country=PL&status=ended")
    body = response.content.decode()
    assert "0 practices found" in body
    assert "No practice matches all these filters." in body
    assert "Try removing a filter" in body
    assert 'href="?status=ended"' in body


def test_filter_panel_has_labelled_controls_with_counts(client, data):
    response = client.get(f"{LIST_URL}?country=PL")
    body = response.content.decode()
    for name in ("q", "country", "region", "topic", "project", "programme", "status"):
        assert f'<label for="filter-{name}">' in body
    assert '<label for="filter-language">' in body and '<label for="filter-year">' in body
    options = response.context["filter_options"]
    # Counts of a menu leave out its own filter: other countries stay offered.
    countries = {o["value"]: o["count"] for o in options["country"]}
    assert countries == {"ES": 2, "IT": 2, "PL": 2, "UK": 1}
    topics = {o["value"]: o["count"] for o in options["topic"]}
    assert topics == {data.digital.slug: 2, data.industry.slug: 1}
    regions = {o["value"]: o["count"] for o in options["region"]}
    assert regions["pl"] == 2 and regions["pl9"] == 2 and regions["pl91"] == 1
    assert "es" not in regions
    assert "Polska (2)" in body and "selected" in body


def test_download_links_keep_the_filters(client, data):
    response = client.get(f"{LIST_URL}?country=PL&page=1")
    body = response.content.decode()
    assert 'href="?country=PL&amp;format=csv"' in body
    assert 'href="?country=PL&amp;format=json"' in body


def test_format_downloads_the_filtered_list(client, data):
    pytest.importorskip("practices.exports")
    response = client.get(f"{LIST_URL}?country=PL&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    assert data.warsaw.title in body and data.castilla.title not in body


def test_unknown_format_is_ignored_with_a_message(client, data):
    response = client.get(f"{LIST_URL}?format=exe")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert any("format" in m for m in warnings(response))


def test_no_email_address_on_the_listing(client, world):
    contact = PersonFactory(email="secret.contact@private.example")
    practice = GoodPracticeFactory(region=world.pl91, contact=contact)
    PresentationFactory(practice=practice, presenter=PersonFactory(email="talk@private.example"))
    body = client.get(LIST_URL).content.decode()
    assert "@private.example" not in body
    assert "mailto:" not in body


def test_filterset_works_on_a_plain_queryset_and_querydict(data):
    filterset = PracticeFilter(
        QueryDict("region=PL9&sort=title"), queryset=GoodPractice.objects.all()
    )
    assert filterset.is_valid()
    assert [p.title for p in filterset.qs] == sorted([data.mazovia.title, data.warsaw.title])
    invalid = PracticeFilter(QueryDict("year=abc"), queryset=GoodPractice.objects.all())
    assert not invalid.is_valid()
    assert "year" in invalid.errors


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(
    "query",
    ["", "q=practice", "region=PL9&topic=topic-x&sort=title", "country=PL&year=2020&page=2"],
)
def test_query_count_does_not_grow_with_the_rows(
    client, django_assert_max_num_queries, world, rows, query
):
    topic = TopicFactory(name="Topic X")
    regions = [world.pl91, world.pl92, world.es41, world.leeds]
    for n in range(rows):
        GoodPracticeFactory(
            title=f"Practice {n}",
            region=regions[n % len(regions)],
            topics=[topic],
            start_date=datetime.date(2019, 1, 1),
        )
    with django_assert_max_num_queries(8):
        response = client.get(f"{LIST_URL}?{query}")
    assert response.status_code == 200


def test_a_second_request_uses_the_cached_counts(client, django_assert_max_num_queries, data):
    client.get(f"{LIST_URL}?country=PL")
    # Count and page rows (with their topics), the country lookup; no facet queries.
    with django_assert_max_num_queries(4):
        client.get(f"{LIST_URL}?country=PL&page=1")


def test_region_without_practices_of_its_own_still_counts_those_below(client, world):
    RegionFactory(nuts_code="PL8", name="Makroregion wschodni", parent=world.pl)
    GoodPracticeFactory(region=world.pl92)
    response = client.get(f"{LIST_URL}?region=PL8")
    assert response.status_code == 200
    assert response.context["paginator"].count == 0
    assert "0 practices found" in response.content.decode()


def test_a_download_leaves_no_message_for_the_next_page(client, data):
    pytest.importorskip("practices.exports")
    response = client.get(f"{LIST_URL}?year=abc&format=json")
    assert response.status_code == 200
    b"".join(response.streaming_content)
    assert warnings(client.get(LIST_URL)) == []


def test_region_chip_names_the_region_as_the_menu_does(client, data):
    response = client.get(f"{LIST_URL}?region=es")
    (chip,) = response.context["active_filters"]
    assert chip["value"] == "España (ES)"


def test_an_unbound_filterset_lists_and_counts_everything_published(data):
    filterset = PracticeFilter()
    assert set(filterset.qs) == set(data.published)
    facets = filterset.facets()
    assert sum(o["count"] for o in facets["country"]) == len(data.published)
    assert sum(p["count"] for p in facets["map"]) == len(data.published)
