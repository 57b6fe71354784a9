"""What each cache layer saves: pages timed with and without it, interleaved.

    flock /tmp/bench.lock .venv/bin/python bench/layers.py fragments --rounds 6

Run after ``bench/run.py`` (it reuses the generated data and the collected
static files). In one process, through the whole middleware stack (Django's
test client), on the bench database with a private Redis as the shared
cache, every URL of each page is requested once with the layer and once
without it (``CACHE_LAYERS_OFF``), in alternating order, round after round.
Interleaving keeps the two sides comparable on a machine whose load changes
during the run, which separate wrk runs are not. Prints the median and p95
of both sides per page and what removing the layer costs.

Layers (``infra.caching.layer_on``): ``fragments``, ``facets``, ``counts``,
with the page cache off, up to ``--urls`` URLs of each page's kind as in the
bench's second pass. ``--without fragments`` keeps another layer off on both
sides (the facets are read only when a fragment is rendered).
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run as bench  # noqa: E402

PAGES = {
    "fragments": "listing,listing_3_filters,search_common,search_rare",
    "facets": "listing,listing_3_filters,search_common,search_rare",
    "counts": "listing,listing_3_filters,api_list",
}


def p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("layer", choices=sorted(PAGES))
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--urls", type=int, default=10, help="URLs of each page's kind.")
    parser.add_argument("--only", default="", help="Comma-separated page names.")
    parser.add_argument("--without", default="", help="Layers off on both sides.")
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE", "exchange_bench"))
    parser.add_argument("--redis", type=int, default=6392, metavar="PORT")
    parser.add_argument("--tmp", default="/tmp/exchange-bench")
    args = parser.parse_args(argv)

    env = bench.bench_env(args.database, Path(args.tmp) / "static")
    env["REDIS_URL"] = f"redis://127.0.0.1:{args.redis}/0"
    os.environ.update(env)
    redis = bench.start_redis(args.redis)
    try:
        return measure(args)
    finally:
        bench.stop(redis)


def measure(args):
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from bench.pages import pick_pages, pick_variants

    kinds = (args.only or PAGES[args.layer]).split(",")
    pages = [(name, url) for name, url in pick_pages() if name in kinds]
    settings.PAGE_CACHE_SECONDS = 0
    urls = {name: found[: args.urls] for name, found in pick_variants(pages).items()}
    always_off = [layer for layer in args.without.split(",") if layer]

    def use_layer(on):
        settings.CACHE_LAYERS_OFF = always_off + ([] if on else [args.layer])

    client = Client(HTTP_HOST="127.0.0.1")

    def get(url):
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        assert response.status_code == 200, (url, response.status_code)

    for on in (True, False):  # warm-up: caches filled, connections open
        use_layer(on)
        for found in urls.values():
            for url in found:
                get(url)
    times = {(name, on): [] for name in urls for on in (True, False)}
    for round_ in range(args.rounds):
        for name, found in urls.items():
            for url in found:
                for on in (True, False) if round_ % 2 == 0 else (False, True):
                    use_layer(on)
                    started = time.perf_counter()
                    get(url)
                    times[(name, on)].append((time.perf_counter() - started) * 1000)
    use_layer(True)

    result = {}
    print(f"Layer {args.layer}, {args.rounds} rounds, load average {os.getloadavg()[0]:.1f}")
    print("| page | with: median / p95 ms | without: median / p95 ms | removal costs |")
    print("|---|---|---|---|")
    for name in urls:
        on, off = times[(name, True)], times[(name, False)]
        row = {
            "with": [statistics.median(on), p95(on)],
            "without": [statistics.median(off), p95(off)],
        }
        result[name] = row
        cost = [100 * (row["without"][i] / row["with"][i] - 1) for i in (0, 1)]
        print(
            f"| {name} | {row['with'][0]:.1f} / {row['with'][1]:.1f} "
            f"| {row['without'][0]:.1f} / {row['without'][1]:.1f} "
            f"| {cost[0]:+.0f} %, {cost[1]:+.0f} % |"
        )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
