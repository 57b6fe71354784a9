"""Two trees of the portal timed against each other, request by request, in process.

    flock /tmp/bench.lock .venv/bin/python bench/compare.py /work/wt/before \\
        --database exchange_bench_copy --only api_list,region --rounds 8

wrk on a machine shared with other work differs by a quarter and more
between two runs of the same code; one comparison of two trees must not
depend on when each ran. Here each tree runs in a process of its own (its
code, its ``.venv``), both on the same database and each with its own Redis
database, and this driver asks them for the same URLs in turn, alternating
which goes first, round after round. Each process times its requests through
the whole middleware stack (Django's test client), so both sides see the
same load. Printed per page: median and p95 of both sides and the change,
the query count of each, and whether the two answers are byte for byte the
same (a visitor must see no difference).

``--pass built`` (the default) turns the page cache off and walks through up
to ``--urls`` URLs of each page's kind (``bench/pages.py``), as the bench's
second pass; ``--pass cached`` asks one URL per page again and again, all
page-cache hits. ``--cold`` empties each side's cache before every timed
request: each is then the first visit of its filter state after an edit
(facets, counts and fragments computed). The first tree named is the
baseline; the second defaults to the tree this file is in. Besides wall
and CPU time, each request's garbage collection is timed (CPU).
"""

import argparse
import gc
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent


# The worker: one tree's Django, answering the driver's requests ---------------


def worker():
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    collecting = {"cpu": 0.0, "started": 0.0}

    def timed_collection(phase, info):
        if phase == "start":
            collecting["started"] = time.process_time()
        else:
            collecting["cpu"] += time.process_time() - collecting["started"]

    gc.callbacks.append(timed_collection)

    def fetch(url):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response, body

    for line in sys.stdin:
        order = json.loads(line)
        op = order["op"]
        if op == "pages":
            from bench.pages import pick_pages, pick_variants

            pages = pick_pages()
            answer = {"pages": pages, "variants": pick_variants(pages)}
        elif op == "get":
            settings.PAGE_CACHE_SECONDS = order["page_cache"]
            if order.get("cold"):
                cache.clear()
            collecting["cpu"] = 0.0
            started, cpu = time.perf_counter(), time.process_time()
            response, body = fetch(order["url"])
            answer = {
                "ms": (time.perf_counter() - started) * 1000,
                "cpu_ms": (time.process_time() - cpu) * 1000,
                "gc_ms": collecting["cpu"] * 1000,
                "status": response.status_code,
            }
        elif op == "inspect":
            settings.PAGE_CACHE_SECONDS = order["page_cache"]
            with CaptureQueriesContext(connection) as queries:
                response, body = fetch(order["url"])
            if order.get("save"):
                Path(order["save"]).write_bytes(body)
            answer = {
                "status": response.status_code,
                "queries": len(queries.captured_queries),
                "sha": hashlib.sha256(body).hexdigest(),
                "bytes": len(body),
            }
        else:
            answer = {"error": f"unknown op {op}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


# The driver ---------------------------------------------------------------------


class Side:
    """A worker process running one tree."""

    def __init__(self, name, tree, env):
        self.name, self.tree = name, Path(tree).resolve()
        env = {**env, "PYTHONPATH": str(self.tree)}
        self.proc = subprocess.Popen(
            [str(self.tree / ".venv" / "bin" / "python"), str(HERE), "--worker"],
            cwd=self.tree,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, **order):
        self.proc.stdin.write(json.dumps(order) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit(f"the {self.name} worker ({self.tree}) stopped")
        return json.loads(line)

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def env_for(tree, args, redis_db):
    from bench import run as bench

    env = bench.bench_env(args.database, Path(args.tmp) / f"static-{redis_db}")
    env["REDIS_URL"] = f"redis://127.0.0.1:{args.redis}/{redis_db}"
    env["PYTHONPATH"] = str(tree)
    return env


def collectstatic(tree, env):
    subprocess.run(
        [str(Path(tree) / ".venv" / "bin" / "python"), "manage.py", "collectstatic", "--noinput"]
        + ["-v", "0"],
        cwd=tree,
        env=env,
        check=True,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", help="The baseline tree (a git worktree with .venv).")
    parser.add_argument("after", nargs="?", default=str(ROOT))
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE", "exchange_bench"))
    parser.add_argument("--only", default="", help="Comma-separated page names.")
    parser.add_argument("--pass", dest="pass_", choices=("built", "cached"), default="built")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument(
        "--cold", action="store_true", help="Empty the cache before each timed request."
    )
    parser.add_argument("--urls", type=int, default=10, help="URLs of each page's kind.")
    parser.add_argument("--redis", type=int, default=6393, metavar="PORT")
    parser.add_argument("--tmp", default="/tmp/exchange-compare")
    parser.add_argument("--save", default="", help="Directory for the answers of both sides.")
    parser.add_argument(
        "--url", action="append", default=[], metavar="NAME=URL", help="More pages to compare."
    )
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    from bench import run as bench

    Path(args.tmp).mkdir(parents=True, exist_ok=True)
    trees = {"before": args.before, "after": args.after}
    envs = {name: env_for(tree, args, n + 1) for n, (name, tree) in enumerate(trees.items())}
    for name, tree in trees.items():
        collectstatic(tree, envs[name])
    redis = bench.start_redis(args.redis)
    sides = {}
    try:
        sides = {name: Side(name, tree, envs[name]) for name, tree in trees.items()}
        return measure(args, sides)
    finally:
        for side in sides.values():
            side.close()
        bench.stop(redis)


def measure(args, sides):
    before, after = sides["before"], sides["after"]
    found = after.ask(op="pages")
    kinds = args.only.split(",") if args.only else [name for name, _url in found["pages"]]
    extra = dict(item.split("=", 1) for item in args.url)
    found["pages"] += list(extra.items())
    found["variants"].update({name: [url] for name, url in extra.items()})
    kinds += list(extra)
    if args.pass_ == "built":
        page_cache = 0
        urls = {k: found["variants"][k][: args.urls] for k in kinds if k in found["variants"]}
    else:
        page_cache = 120
        urls = {name: [url] for name, url in found["pages"] if name in kinds}

    # What each side answers, once with the caches cold and once warm.
    inspected = {}
    for name, found_urls in urls.items():
        for n, url in enumerate(found_urls):
            for side in (before, after):
                for warm in (False, True):
                    save = ""
                    if args.save and warm:
                        Path(args.save, side.name).mkdir(parents=True, exist_ok=True)
                        save = str(Path(args.save, side.name, f"{name}-{n}"))
                    answer = side.ask(op="inspect", url=url, page_cache=page_cache, save=save)
                    inspected[(name, url, side.name, warm)] = answer

    rounds = args.rounds if args.pass_ == "built" else args.rounds * 20
    times = {(name, side): [] for name in urls for side in sides}
    cpu = {(name, side): [] for name in urls for side in sides}
    collected = {(name, side): [] for name in urls for side in sides}
    for round_ in range(rounds):
        order = (before, after) if round_ % 2 == 0 else (after, before)
        for name, found_urls in urls.items():
            for url in found_urls:
                for side in order:
                    answer = side.ask(op="get", url=url, page_cache=page_cache, cold=args.cold)
                    times[(name, side.name)].append(answer["ms"])
                    cpu[(name, side.name)].append(answer["cpu_ms"])
                    collected[(name, side.name)].append(answer.get("gc_ms", 0.0))

    load = os.getloadavg()[0]
    print(
        f"Pass {args.pass_}{', cold' if args.cold else ''}, {rounds} rounds, up to {args.urls} "
        f"URLs a page, load average {load:.1f}; before {before.tree}, after {after.tree}"
    )
    print(
        "| page | URLs | before: median / p95 ms | after: median / p95 ms | change "
        "| CPU median before → after | CPU p95 before → after | GC ms a request "
        "| queries before → after (cold) | same bytes |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    result = {}
    for name, found_urls in urls.items():
        old, new = times[(name, "before")], times[(name, "after")]
        row = {
            "before": [statistics.median(old), p95(old)],
            "after": [statistics.median(new), p95(new)],
        }
        change = [100 * (row["after"][i] / row["before"][i] - 1) for i in (0, 1)]
        row["cpu"] = [statistics.median(cpu[(name, side)]) for side in ("before", "after")]
        row["cpu_change"] = 100 * (row["cpu"][1] / row["cpu"][0] - 1)
        row["cpu_p95"] = [p95(cpu[(name, side)]) for side in ("before", "after")]
        row["cpu_p95_change"] = 100 * (row["cpu_p95"][1] / row["cpu_p95"][0] - 1)
        row["gc"] = [statistics.mean(collected[(name, side)]) for side in ("before", "after")]

        def queries(side, warm, name=name, found_urls=found_urls):
            return max(inspected[(name, url, side, warm)]["queries"] for url in found_urls)

        same = sum(
            inspected[(name, url, "before", True)]["sha"]
            == inspected[(name, url, "after", True)]["sha"]
            for url in found_urls
        )
        row.update(
            change=change,
            queries={s: [queries(s, True), queries(s, False)] for s in ("before", "after")},
            same=same,
            urls=len(found_urls),
        )
        result[name] = row
        q = row["queries"]
        print(
            f"| {name} | {len(found_urls)} | {row['before'][0]:.2f} / {row['before'][1]:.2f} "
            f"| {row['after'][0]:.2f} / {row['after'][1]:.2f} "
            f"| {change[0]:+.0f} %, {change[1]:+.0f} % "
            f"| {row['cpu'][0]:.2f} → {row['cpu'][1]:.2f} ({row['cpu_change']:+.0f} %) "
            f"| {row['cpu_p95'][0]:.2f} → {row['cpu_p95'][1]:.2f} ({row['cpu_p95_change']:+.0f} %) "
            f"| {row['gc'][0]:.2f} → {row['gc'][1]:.2f} "
            f"| {q['before'][0]} ({q['before'][1]}) → {q['after'][0]} ({q['after'][1]}) "
            f"| {same}/{len(found_urls)} |"
        )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        # Run the tree in the working directory, not the one this file is in.
        sys.path[0] = os.getcwd()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exchange.settings")
        worker()
    else:
        sys.exit(main())
