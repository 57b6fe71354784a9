"""/search/ built in process on the bench data: CPU and SQL time per query.

    flock /tmp/bench.lock .venv/bin/python bench/search.py \\
        --database exchange_bench_copy --rounds 10

wrk on a machine shared with other work measures the load as much as the
page. Here each search is built by Django's test client in this process,
page cache off, and timed as CPU time (``time.process_time``) plus the time
spent waiting for PostgreSQL (every query timed by an ``execute_wrapper``):
what building the page costs, without the queueing of a busy machine.
"Cold" is the first visit of a search in a data generation (its counts and
the misspelling pass computed); "warm" the visits after it. Queries of four
kinds: common words, rare words, misspelt words, words found in many kinds.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent

SEARCHES = {
    "common": ["innovation", "energy", "regional policy", "digital"],
    "rare": ["aquaponics", "aquaponics energy"],
    "misspelt": ["aquaponix", "innovaton", "sustainble mobilty"],
    "many kinds": ["cluster", "technology park", "study visit", "Spain"],
}


def p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE", "exchange_bench"))
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--tmp", default="/tmp/exchange-search-bench")
    parser.add_argument("--language", default="", help="A language prefix: pl, ro.")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    from bench import run as bench

    env = bench.bench_env(args.database, Path(args.tmp) / "static")
    os.environ.update(env)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    settings.PAGE_CACHE_SECONDS = 0
    client = Client(HTTP_HOST="127.0.0.1")
    sql = {"ms": 0.0, "queries": 0}

    def timed(execute, statement, params, many, context):
        started = time.perf_counter()
        try:
            return execute(statement, params, many, context)
        finally:
            sql["ms"] += (time.perf_counter() - started) * 1000
            sql["queries"] += 1

    def get(url):
        sql.update(ms=0.0, queries=0)
        started, cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(timed):
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return {
            "cpu": (time.process_time() - cpu) * 1000,
            "sql": sql["ms"],
            "wall": (time.perf_counter() - started) * 1000,
            "queries": sql["queries"],
        }

    prefix = f"/{args.language}" if args.language else ""
    get(f"{prefix}/search/?q=warm+up")
    print(
        f"{args.rounds} warm rounds, load average {os.getloadavg()[0]:.1f}, "
        f"database {args.database}"
    )
    print(
        "| kind | q | queries cold → warm | cold: CPU + SQL ms "
        "| warm: CPU + SQL median / p95 ms | warm wall median ms |"
    )
    print("|---|---|---|---|---|---|")
    every = []
    for kind, words in SEARCHES.items():
        for q in words:
            url = f"{prefix}/search/?" + urlencode({"q": q})
            # Cold: a new data generation (as after an edit), nothing computed.
            cache.clear()
            cold = get(url)
            warm = [get(url) for _ in range(args.rounds)]
            built = [w["cpu"] + w["sql"] for w in warm]
            every += built
            print(
                f"| {kind} | {q} | {cold['queries']} → {warm[-1]['queries']} "
                f"| {cold['cpu']:.0f} + {cold['sql']:.0f} = {cold['cpu'] + cold['sql']:.0f} "
                f"| {statistics.median(built):.1f} / {p95(built):.1f} "
                f"| {statistics.median(w['wall'] for w in warm):.1f} |"
            )
    print(f"All warm visits: median {statistics.median(every):.1f} ms, p95 {p95(every):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
