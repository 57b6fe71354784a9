"""`make loadtest`'s report from gunicorn's access log: the figures the p99 is explained by."""

from bench import loadtest

KINDS = {
    "/practices/": "listing",
    "/practices/?q=energy": "search",
    "/suggest/region/?q=pol": "suggest",
}


def line(url, ms, cache, second):
    path, _, query = url.partition("?")
    return f"{path} {query} 200 {ms * 1000} {cache} <7> [07/Dec/2026:01:00:{second:02d} +0100]"


LINES = [
    # A first visit of the listing, then hits.
    line("/practices/", 40, "miss", 0),
    line("/practices/", 1, "hit", 1),
    line("/practices/", 1, "hit", 2),
    # Two requests built the same search at once: it is missed again.
    line("/practices/?q=energy", 2000, "miss", 3),
    line("/practices/?q=energy", 1800, "miss", 3),
    line("/practices/?q=energy", 1, "hit", 4),
    # Suggestions come from cached data and are never marked as hits.
    line("/suggest/region/?q=pol", 1, "-", 4),
    line("/suggest/region/?q=pol", 1, "-", 5),
]


def test_misses_are_counted_per_url_and_suggestions_are_not_misses():
    report = loadtest.tail(LINES, KINDS, polled=[], wall_started=0)
    misses = report["misses"]
    assert misses["requests"] == 3
    assert misses["urls"] == 2
    assert list(misses["urls_missed_again"]) == ["/practices/?q=energy"]
    assert misses["by_kind"] == {"listing": 1, "search": 2}
    assert [row["ms"] for row in report["slowest"][:2]] == [2000.0, 1800.0]
    assert report["requests_per_worker"] == {"<7>": 8}


def test_the_hit_rate_counts_only_page_cached_answers():
    report = loadtest.per_kind(LINES, KINDS)
    # 3 hits of 6 page-cached answers; the 2 suggestions are left out.
    assert report["page_cache_hit_rate"] == 0.5
    assert report["per_kind"]["suggest"]["requests"] == 2
    assert report["per_kind"]["search"]["max_ms"] == 2000.0
