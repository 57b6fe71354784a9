"""`make bench`'s verdicts: issue 10's targets, and issue 16's for every page built."""

from bench.run import markdown, verdicts


def page(p95, queries=2, cold=None, requests=100, rps=100.0, ratio=None):
    return {
        "url": "/",
        "urls": 1,
        "status": 200,
        "queries": queries,
        "queries_cold": queries if cold is None else cold,
        "bytes": 1000,
        "p50_ms": p95 / 2,
        "p95_ms": p95,
        "p99_ms": p95,
        "max_ms": p95,
        "rps": rps,
        "requests": requests,
        "errors": 0,
        "ratio_to_healthz": ratio,
    }


def passes(**built):
    cached = {name: page(1.0) for name in built}
    return {"cached": cached, "built": built}


def test_issue_10_lines_are_kept():
    lines = verdicts(passes(listing_3_filters=page(30.0), practice_detail=page(31.0)))
    assert "listing_3_filters p95_ms 30.0 < 40 (page cache off): met" in lines
    assert "practice_detail p95_ms 31.0 < 25 (page cache off): MISSED by 6.0 ms" in lines
    assert "most queries on a page, cold or warm, 2 <= 8: met" in lines


def test_every_built_page_under_50_ms_names_those_that_miss():
    lines = verdicts(
        passes(
            home=page(12.0),
            listing=page(50.0),
            region=page(71.5),
            search_rare=page(0.0, requests=0),
        )
    )
    assert (
        "every page p95 < 50 ms (page cache off): MISSED by 3 of 4: "
        "listing (50.0 ms), region (71.5 ms), search_rare (no request finished)"
    ) in lines
    assert verdicts(passes(home=page(12.0), listing=page(49.9)))[-2] == (
        "every page p95 < 50 ms (page cache off): met by all 2"
    )


def test_each_page_within_8_queries_cold_or_warm_names_those_that_miss():
    lines = verdicts(passes(home=page(5.0, queries=2, cold=6), region=page(5.0, queries=8, cold=9)))
    assert lines[-1] == "each page <= 8 queries, cold or warm: MISSED by 1 of 2: region (9)"
    assert verdicts(passes(home=page(5.0, cold=8)))[-1] == (
        "each page <= 8 queries, cold or warm: met by all 1"
    )


def test_the_report_lists_both_issues_targets():
    results = passes(home=page(60.0))
    meta = {
        "date": "2026-12-07",
        "practices": 100,
        "published": 90,
        "workers": 2,
        "connections": 4,
        "duration": 5,
        "cpus": 2,
        "cache": "redis",
        "load_average": "1.0",
        "commit": "abc1234",
    }
    report = markdown(meta, results, verdicts(results))
    assert "Targets (issues 10 and 16):" in report
    assert "- every page p95 < 50 ms (page cache off): MISSED by 1 of 1: home (60.0 ms)" in report
