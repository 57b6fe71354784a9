"""The benchmark's pages, at two sizes of generated data: none may error, and
none may need more SQL queries when the data grows (an N+1 caught in CI, not
in production). Timings are the benchmark's business (make bench), not CI's.
"""

import pytest
from django.core.cache import cache

from bench.pages import count_queries, pick_pages
from exchange import fake_data

SMALL, LARGE = 100, 400


def measure(size, seed):
    if fake_data.holds_fake_content():
        fake_data.clear_fake_content(keep_regions=True)
    fake_data.FakeDataGenerator(practices=size, seed=seed, batch_size=500).run()
    cache.clear()
    return count_queries(pick_pages(), host="testserver")


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_the_data():
    small = measure(SMALL, seed=3)
    large = measure(LARGE, seed=4)
    assert set(small) == set(large)
    for name, page in large.items():
        assert small[name]["status"] == 200, (name, small[name])
        assert page["status"] == 200, (name, page)
        assert page["queries"] <= small[name]["queries"], (
            f"{name} needs {page['queries']} queries with {LARGE} practices "
            f"but {small[name]['queries']} with {SMALL}: {page['url']}"
        )
        assert page["queries_cold"] <= small[name]["queries_cold"], (name, page, small[name])
