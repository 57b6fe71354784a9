"""Load and fault tests: ``make loadtest`` and ``make faulttest``.

The portal runs under gunicorn on PostgreSQL with the benchmark data set
(bench/run.py prepares it), the page cache on and a private Redis as the
workers' shared cache; wrk opens 200 connections for 60 s against a mix of
every public page kind, weighted as visitors ask for them (``WEIGHTS``), then
against ``/healthz`` for the throughput floor of the same server. Each URL
is asked for once before (the page cache's steady state; ``--cold`` skips
it); ``--edit-at`` bumps the data generation during the load, as a staff
edit does, so every page is built again under it. The report gives the
mix, the page-cache hit rate and the server time per page kind (from
gunicorn's access log), where the slow answers come from (``tail``), the
5xx and, apart, the 429s. With ``--fault`` the
machine's PostgreSQL is restarted in the middle of the load: requests during
the restart may get the static 503 page, none may hang or get a traceback,
and the portal must answer again by itself within seconds.
"""

import argparse
import datetime
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench

PG_RESTART = ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"]


# How often a visitor asks for each kind of page, per 1,000 requests: detail
# pages and listings first, then the home page, the other pages, feeds and
# the API; downloads rare. Every public page kind is in the mix.
WEIGHTS = {
    "practice_detail": 220,
    "listing": 60,
    "listing_page_n": 40,
    "listing_filtered": 60,
    "search": 40,
    "search_all": 15,
    "event_detail": 80,
    "region": 60,
    "project_detail": 45,
    "organisation_detail": 45,
    "policy_instrument_detail": 10,
    "home": 60,
    "events": 45,
    "events_page_n": 15,
    "projects": 25,
    "organisations": 25,
    "regions": 20,
    "regions_country": 20,
    "documents": 10,
    "insights": 10,
    "accessibility": 5,
    "propose": 15,
    "visitor_forms": 5,
    "suggest": 20,
    "feed_practices": 10,
    "feed_events": 10,
    "sitemap_index": 3,
    "api": 25,
    "csv_export": 2,
}


def mix(env, pages, count=40):
    """Return ``{kind: [URL path, ...]}``: the URLs of every page kind of the load."""
    code = (
        "import json, random;"
        "from practices.models import GoodPractice as G;"
        "from events.models import Event as E;"
        "from core.models import Topic as T, Region as R, Project as P, Organisation as O;"
        "rng = random.Random(7);"
        "p = list(G.objects.published().values_list('slug', flat=True)[:5000]);"
        "e = list(E.objects.published().values_list('slug', flat=True)[:2000]);"
        "pr = list(P.objects.values_list('slug', flat=True)[:2000]);"
        "o = list(O.objects.values_list('slug', flat=True)[:2000]);"
        "r = list(R.objects.filter(level__in=(0, 1, 2)).values_list('slug', flat=True));"
        "t = list(T.objects.values_list('slug', flat=True));"
        "c = list(R.objects.countries().values_list('country_code', flat=True));"
        f"n = {count};"
        "print(json.dumps([rng.sample(x, min(n, len(x))) for x in (p, e, pr, o, r)] + [t, c]))"
    )
    out = bench.run(
        [bench.PYTHON, "manage.py", "shell", "-c", code], env, capture_output=True
    ).stdout
    return mix_paths(*json.loads(out.strip().splitlines()[-1]), pages=pages, count=count)


def mix_paths(
    practices, events, projects, organisations, regions, topics, countries, *, pages, count=40
):
    """Return ``mix``'s ``{kind: [URL path, ...]}`` for these slugs, topics and country codes."""
    rng = random.Random(11)
    url = {name: page["url"] for name, page in pages.items()}
    kinds = {
        "practice_detail": [f"/practices/{slug}/" for slug in practices],
        "listing": ["/practices/", "/pl/practices/", "/ro/practices/"],
        "listing_page_n": [f"/practices/?page={n}" for n in range(2, 7)],
        "listing_filtered": [
            f"/practices/?topic={rng.choice(topics)}&country={rng.choice(countries)}"
            for _ in range(count // 2)
        ],
        "search": [
            f"/practices/?q={word}"
            for word in ("innovation", "cluster", "energy", "aquaponics", "mobility", "rural")
        ],
        # The search box of every page: every kind at once.
        "search_all": [
            f"/search/?q={word}" for word in ("innovation", "cluster", "energy", "aquaponics")
        ],
        "event_detail": [f"/events/{slug}/" for slug in events],
        "region": [f"/regions/{slug}/" for slug in regions[:count]],
        "project_detail": [f"/projects/{slug}/" for slug in projects],
        "organisation_detail": [f"/organisations/{slug}/" for slug in organisations],
        "home": ["/", "/pl/", "/ro/"],
        "events": ["/events/", "/pl/events/"],
        "events_page_n": [f"/events/?page={n}" for n in range(2, 5)],
        "projects": ["/projects/", "/projects/?page=2"],
        "organisations": ["/organisations/", "/organisations/?page=2"],
        "regions": ["/regions/", "/pl/regions/"],
        "regions_country": [f"/regions/?country={code}" for code in countries[:10]],
        "documents": ["/documents/"],
        "insights": ["/insights/", "/pl/insights/"]
        + [f"/insights/?country={code}" for code in countries[:3]],
        "accessibility": ["/accessibility/"],
        "propose": ["/practices/propose/", "/ro/practices/propose/"],
        # A practice's "learn from this" and contact forms, an alert's form:
        # built for each visitor (their CSRF token), never page-cached.
        "visitor_forms": [f"/practices/{slug}/learn/" for slug in practices[:2]]
        + [f"/practices/{slug}/contact/" for slug in practices[2:4]]
        + ["/practices/alerts/?topic=" + (topics[0] if topics else "")],
        "suggest": [
            url["suggest_project"],
            "/suggest/region/?q=pol",
            "/suggest/organisation/?q=reg",
        ],
        # Feed readers poll what they subscribed to: mostly the whole feed,
        # some a language, a region or a topic; the same addresses again.
        "feed_practices": ["/feeds/practices/", "/feeds/practices/", "/feeds/practices/?lang=pl"]
        + [f"/feeds/practices/?topic={topic}" for topic in rng.sample(topics, min(3, len(topics)))]
        + [f"/feeds/practices/?country={code}" for code in countries[:2]],
        "feed_events": ["/feeds/events.ics", "/feeds/events.ics", "/feeds/events.ics?lang=ro"]
        + [f"/feeds/events.ics?region={code}" for code in countries[:3]]
        + [f"/feeds/events.ics?project={slug}" for slug in projects[:2]],
        "sitemap_index": ["/sitemap.xml"],
        # API clients: filtered lists, their next page, and details.
        # (At most WEIGHTS["api"] of them: one slot each.)
        "api": ["/api/v1/practices/", "/api/v1/events/", "/api/v1/regions/", "/api/v1/projects/"]
        + [f"/api/v1/practices/?topic={rng.choice(topics)}" for _ in range(count // 8)]
        + [f"/api/v1/practices/?topic={topics[0]}&page=2" if topics else "/api/v1/practices/"]
        + [f"/api/v1/practices/{slug}/" for slug in practices[: count // 4]]
        + [f"/api/v1/events/{slug}/" for slug in events[:5]],
        "csv_export": [url["csv_export_filtered"]] if "csv_export_filtered" in url else [],
    }
    if "policy_instrument_detail" in url:
        kinds["policy_instrument_detail"] = [url["policy_instrument_detail"]]
    return {kind: paths for kind, paths in kinds.items() if paths}


def weighted_paths(kinds):
    """One line per request slot: each kind as often as its weight, its URLs in turn."""
    lines = []
    for kind, paths in kinds.items():
        lines += [paths[i % len(paths)] for i in range(WEIGHTS[kind])]
    return lines


def kind_of(kinds):
    """Return ``{path: kind}``, to sort the access log's lines by page kind."""
    return {path: kind for kind, paths in kinds.items() for path in paths}


# What an edit of public content does to the caches (infra.caching).
EDIT = [
    bench.PYTHON,
    "manage.py",
    "shell",
    "-c",
    "from infra.caching import bump_generation; bump_generation()",
]


def warm(base, paths, workers=4):
    """Ask for each of ``paths`` once (a few at a time); return the seconds it took."""
    started = time.monotonic()
    todo = list(paths)
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                if not todo:
                    return
                path = todo.pop()
            try:
                with urllib.request.urlopen(base + path, timeout=60) as response:
                    response.read()
            except (urllib.error.HTTPError, OSError):
                pass  # the load reports what fails

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return round(time.monotonic() - started, 1)


def poll(url, stop, log, interval=0.1):
    """Request ``url`` over and over; record (wall time, status or error, seconds)."""
    while not stop.is_set():
        started = time.time()
        try:
            with urllib.request.urlopen(url, timeout=15) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError as exc:
            status = type(exc).__name__
        log.append((started, status, round(time.time() - started, 3)))
        time.sleep(interval)


def pg_ready():
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode == 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fault", action="store_true", help="Restart PostgreSQL mid-load.")
    parser.add_argument("--practices", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE", "exchange_bench"))
    parser.add_argument("--port", type=int, default=8108)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument(
        "--healthz-duration", type=int, default=15, help="Seconds of /healthz after the mix."
    )
    parser.add_argument("--fault-at", type=int, default=20, help="Seconds into the load.")
    parser.add_argument(
        "--cold", action="store_true", help="Start with the cache empty: no URL warmed up."
    )
    parser.add_argument(
        "--edit-at",
        type=int,
        default=None,
        metavar="SECONDS",
        help="Bump the data generation this far into the load, as a staff edit does.",
    )
    parser.add_argument(
        "--exclude", default="", help="Regular expression of URLs to leave out of the mix."
    )
    parser.add_argument(
        "--redis",
        type=int,
        default=6393,
        metavar="PORT",
        help="The workers' shared cache: a private Redis on PORT, as in production.",
    )
    parser.add_argument("--tmp", default="/tmp/exchange-bench")
    args = parser.parse_args(argv)
    Path(args.tmp).mkdir(parents=True, exist_ok=True)
    env = bench.bench_env(args.database, Path(args.tmp) / "static")
    bench.prepare(args, env)
    found = bench.probe(env)
    kinds = mix(env, found["pages"])
    if args.exclude:
        kinds = {
            kind: kept
            for kind, paths in kinds.items()
            if (kept := [p for p in paths if not re.search(args.exclude, p)])
        }
    paths = weighted_paths(kinds)
    paths_file = Path(args.tmp) / "paths.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    access_log = Path(args.tmp) / "access.log"
    access_log.write_text("")
    base = f"http://127.0.0.1:{args.port}"
    redis = bench.start_redis(args.redis)
    server_env = {**env, "REDIS_URL": f"redis://127.0.0.1:{args.redis}/0"}
    server_env["PAGE_CACHE_SECONDS"] = "120"
    server = bench.start_gunicorn(args, server_env, access_log=access_log)
    fault, load_average = {}, {"before": [round(x, 1) for x in os.getloadavg()]}
    warm_up, edit = {"urls": 0}, {}
    try:
        # Warm the workers and PostgreSQL's buffers; without --cold, every
        # URL of the mix once: the minute measured is the page cache's
        # steady state, and --edit-at measures its rebuild apart.
        if not args.cold:
            warm_up["seconds"] = warm(base, sorted(set(paths)))
            warm_up["urls"] = len(set(paths))
        bench.wrk(base + "/", duration=3, connections=4, threads=1, script=bench.BENCH / "mix.lua",
                  extra=["--", str(paths_file)])  # fmt: skip
        log_start = access_log.stat().st_size
        stop, polled = threading.Event(), []
        poller = threading.Thread(
            target=poll, args=(base + found["pages"]["practice_detail"]["url"], stop, polled)
        )
        result = {}

        def load():
            result.update(
                bench.wrk(
                    base + "/",
                    duration=args.duration,
                    connections=args.connections,
                    threads=args.threads,
                    script=bench.BENCH / "mix.lua",
                    extra=["--", str(paths_file)],
                )
            )

        loader = threading.Thread(target=load)
        started = time.time()
        loader.start()
        poller.start()
        if args.edit_at is not None:
            time.sleep(args.edit_at)
            edit["at"] = round(time.time() - started, 1)
            bench.run(EDIT, server_env)
            edit["done"] = round(time.time() - started, 1)
            bench.log(f"Data generation bumped at {edit['at']} s, as an edit does")
        if args.fault:
            time.sleep(args.fault_at)
            bench.log("Restarting PostgreSQL...")
            fault["restart_at"] = time.time() - started
            subprocess.run(PG_RESTART, check=True)
            while not pg_ready():
                time.sleep(0.1)
            fault["ready_at"] = time.time() - started
            bench.log(f"PostgreSQL is back after {fault['ready_at'] - fault['restart_at']:.1f} s")
        loader.join()
        stop.set()
        poller.join()
        load_average["after_mix"] = [round(x, 1) for x in os.getloadavg()]
        log_end = access_log.stat().st_size
        # The floor of a request through the same server, connections and machine.
        healthz = bench.wrk(
            base + "/healthz",
            duration=args.healthz_duration,
            connections=args.connections,
            threads=args.threads,
        )
        load_average["after_healthz"] = [round(x, 1) for x in os.getloadavg()]
    finally:
        bench.stop(server)
        bench.stop(redis)
        if args.fault and not pg_ready():
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "start"])
    with access_log.open("rb") as handle:
        handle.seek(log_start)
        lines = handle.read(log_end - log_start).decode(errors="replace").splitlines()
    report = summarise(args, result, polled, started, fault, len(set(paths)))
    report["load_average"] = load_average
    report["warm_up"] = warm_up
    report["edit"] = edit
    report["healthz"] = {
        "rps": healthz["rps"],
        "p50_ms": bench.ms(healthz["p50_us"]),
        "p99_ms": bench.ms(healthz["p99_us"]),
        "errors": healthz["errors"],
    }
    report["x_healthz"] = round(report["rps"] / healthz["rps"], 2) if healthz["rps"] else None
    report["mix"] = {kind: WEIGHTS[kind] / sum(WEIGHTS[k] for k in kinds) for kind in kinds}
    report["mix"] = {kind: round(share, 3) for kind, share in report["mix"].items()}
    # The poller's URL (one practice page, four times a second) apart from the mix.
    poll_path = found["pages"]["practice_detail"]["url"]
    report.update(per_kind(lines, {poll_path: "poller", **kind_of(kinds)}))
    report["tail"] = tail(lines, {poll_path: "poller", **kind_of(kinds)}, polled, started)
    report["targets"] = targets(args, report)
    if not args.fault:
        report["verdict"] = "pass" if all(t["met"] for t in report["targets"]) else "fail"
    now = datetime.datetime.now(datetime.UTC)
    stem = now.strftime("%Y-%m-%d-%H%M") + ("-faulttest" if args.fault else "-loadtest")
    bench.RESULTS.mkdir(parents=True, exist_ok=True)
    (bench.RESULTS / f"{stem}.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    bench.log(f"Wrote bench/results/{stem}.json")
    return 0 if report["verdict"] == "pass" else 1


def kind_of_line(kinds_by_path, path, query):
    kind = kinds_by_path.get(path + (f"?{query}" if query and query != "-" else ""))
    return kind if kind is not None else kinds_by_path.get(path, "other")


def parse_line(line):
    """Return (URL, status, ms, hit, pid, epoch second) of an access log line, or None."""
    parts = line.split(" ")
    if len(parts) < 7:
        return None
    path, query, status, micros, hit, pid = parts[:6]
    stamp = datetime.datetime.strptime(" ".join(parts[6:8]).strip("[]"), "%d/%b/%Y:%H:%M:%S %z")
    url = path + (f"?{query}" if query and query != "-" else "")
    return url, status, int(micros) / 1000, hit == "hit", pid, stamp.timestamp()


# Never marked by the page cache: suggestions (answered from cached data)
# and the visitors' forms (each built with the visitor's CSRF token).
NOT_PAGE_CACHED = {"suggest", "visitor_forms", "other"}


def tail(lines, kinds_by_path, polled, wall_started):
    """Where the slow answers come from: the misses, the slowest requests, the queue over time.

    Misses are counted per URL: a URL missed once was a first visit, one
    missed again lost its page (expiry, eviction, a new generation).
    """
    rows = [row for row in map(parse_line, lines) if row]
    missed, slowest = {}, []
    for url, _status, ms, hit, pid, second in rows:
        path, _, query = url.partition("?")
        kind = kind_of_line(kinds_by_path, path, query)
        if not hit and kind not in NOT_PAGE_CACHED:
            entry = missed.setdefault(url, {"kind": kind, "misses": 0, "ms": []})
            entry["misses"] += 1
            entry["ms"].append(round(ms, 1))
        slowest.append((ms, url, kind, hit, pid, round(second - wall_started)))
    slowest.sort(reverse=True)
    by_second = {}
    for ms, _url, _kind, hit, _pid, second in slowest:
        bucket = by_second.setdefault(second, {"requests": 0, "misses": 0, "miss_ms": 0.0})
        bucket["requests"] += 1
        if not hit:
            bucket["misses"] += 1
            bucket["miss_ms"] += ms
    queue = {}
    for at, _status, took in polled:
        window = int((at - wall_started) // 5 * 5)
        queue.setdefault(window, []).append(took * 1000)
    per_worker = {}
    for _ms, _url, _kind, _hit, pid, _second in slowest:
        per_worker[pid] = per_worker.get(pid, 0) + 1
    return {
        "requests_per_worker": per_worker,
        "misses": {
            "requests": sum(entry["misses"] for entry in missed.values()),
            "urls": len(missed),
            "urls_missed_again": {
                url: entry for url, entry in missed.items() if entry["misses"] > 1
            },
            "server_ms": round(sum(sum(entry["ms"]) for entry in missed.values())),
            "by_kind": {
                kind: sum(e["misses"] for e in missed.values() if e["kind"] == kind)
                for kind in sorted({e["kind"] for e in missed.values()})
            },
        },
        "slowest": [
            {"ms": round(ms, 1), "url": url, "kind": kind, "hit": hit, "pid": pid, "second": s}
            for ms, url, kind, hit, pid, s in slowest[:25]
        ],
        "per_second": {
            second: {**bucket, "miss_ms": round(bucket["miss_ms"])}
            for second, bucket in sorted(by_second.items())
        },
        "poller_ms_per_5s": {
            window: {
                "n": len(times),
                "p50": round(sorted(times)[len(times) // 2]),
                "max": round(max(times)),
            }
            for window, times in sorted(queue.items())
        },
    }


def per_kind(lines, kinds_by_path):
    """Requests, page-cache hits and server time per page kind, from gunicorn's access log.

    Each line is ``<path> <query> <status> <microseconds> <X-Page-Cache>
    <pid> <time>`` (``bench.ACCESS_LOG_FORMAT``); the time is the worker's, from reading
    the request to sending the answer, without the wait in the queue.
    """
    rows = {}
    for line in lines:
        parts = line.split(" ")
        if len(parts) < 5:
            continue
        path, query, status, micros, hit = parts[:5]
        kind = kind_of_line(kinds_by_path, path, query)
        row = rows.setdefault(kind, {"times": [], "hits": 0, "statuses": {}})
        row["times"].append(int(micros) / 1000)
        row["hits"] += hit == "hit"
        row["statuses"][status] = row["statuses"].get(status, 0) + 1
    total_time = sum(sum(row["times"]) for row in rows.values()) or 1
    total = sum(len(row["times"]) for row in rows.values()) or 1
    table = {}
    for kind, row in sorted(rows.items(), key=lambda item: -sum(item[1]["times"])):
        times = sorted(row["times"])
        table[kind] = {
            "requests": len(times),
            "share": round(len(times) / total, 3),
            "page_cache_hit_rate": round(row["hits"] / len(times), 3),
            "mean_ms": round(sum(times) / len(times), 1),
            "p50_ms": round(times[len(times) // 2], 1),
            "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 1),
            "max_ms": round(times[-1], 1),
            "server_time_share": round(sum(times) / total_time, 3),
            "statuses": row["statuses"],
        }
    # Suggestions and visitors' forms are never marked as hits, and would
    # count as misses.
    cacheable = [row for kind, row in rows.items() if kind not in NOT_PAGE_CACHED]
    hits = sum(row["hits"] for row in cacheable)
    return {
        "logged_requests": total,
        "page_cache_hit_rate": round(hits / (sum(len(row["times"]) for row in cacheable) or 1), 3),
        "per_kind": table,
    }


def targets(args, report):
    """Issue 16's targets for the load, each with the figure measured."""
    return [
        {
            "target": "throughput >= 0.3 of /healthz in the same run",
            "value": report["x_healthz"],
            "met": report["x_healthz"] is not None and report["x_healthz"] >= 0.3,
        },
        {"target": "p99 < 500 ms", "value": report["p99_ms"], "met": report["p99_ms"] < 500},
        {
            "target": "0 errors (429s counted apart)",
            "value": report["error_count"],
            "met": report["error_count"] == 0,
        },
    ]


def summarise(args, result, polled, started, fault, n_paths):
    statuses = result.get("statuses", {})
    seconds = result["duration_us"] / 1e6
    report = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": bench.git_commit(),
        "kind": "faulttest" if args.fault else "loadtest",
        "connections": args.connections,
        "duration_s": round(seconds, 1),
        "workers": args.workers,
        "server": bench.gunicorn_workers(os.environ),
        "distinct_urls": n_paths,
        "excluded": args.exclude,
        "requests": result["requests"],
        "rps": round(result["requests"] / seconds, 1),
        "p50_ms": bench.ms(result["p50_us"]),
        "p90_ms": bench.ms(result["p90_us"]),
        "p99_ms": bench.ms(result["p99_us"]),
        "max_ms": bench.ms(result["max_us"]),
        "statuses": statuses,
        "errors": {k: v for k, v in result.items() if k.startswith("errors_")},
    }
    # The API throttles each client address (DRF): from one load generator
    # its 429s are the throttle working, reported apart from the errors.
    throttled = statuses.get("429", 0)
    error_count = sum(report["errors"].values()) - throttled
    report["throttled_429"] = throttled
    report["error_count"] = error_count
    report["server_errors_5xx"] = sum(n for s, n in statuses.items() if int(s) >= 500)
    bad = {s: n for s, n in statuses.items() if int(s) >= 500 and s != "503"}
    if args.fault:
        timeline = [(round(t - started, 2), status, took) for t, status, took in polled]
        ready = fault["ready_at"]
        after = [(t, s) for t, s, _ in timeline if t >= ready and s == 200]
        fault["recovered_after_s"] = round(after[0][0] - ready, 2) if after else None
        fault["poll_failures"] = [(t, s, took) for t, s, took in timeline if s != 200]
        fault["slowest_poll_s"] = max((took for _, _, took in timeline), default=None)
        report["fault"] = fault
        ok = (
            not bad
            and result["errors_timeout"] == 0
            and fault["recovered_after_s"] is not None
            and fault["recovered_after_s"] < 10
        )
    else:
        ok = error_count == 0
    report["verdict"] = "pass" if ok else "fail"
    return report


if __name__ == "__main__":
    sys.exit(main())
