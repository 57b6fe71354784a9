"""Load and fault tests: ``make loadtest`` and ``make faulttest``.

The portal runs under gunicorn on PostgreSQL with the benchmark data set
(bench/run.py prepares it); wrk opens 200 connections for 60 s against a mix
of listing, search, detail and API URLs on 127.0.0.1. With ``--fault`` the
machine's PostgreSQL is restarted in the middle of the load: requests during
the restart may get the static 503 page, none may hang or get a traceback,
and the portal must answer again by itself within seconds.
"""

import argparse
import datetime
import json
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


def mix(env, pages, count=40):
    """Return the URL paths of the load: listings, filters, searches, details, API."""
    code = (
        "import json, random;"
        "from practices.models import GoodPractice as G;"
        "from events.models import Event as E;"
        "from core.models import Topic as T, Region as R;"
        "rng = random.Random(7);"
        "p = list(G.objects.published().values_list('slug', flat=True)[:5000]);"
        "e = list(E.objects.published().values_list('slug', flat=True)[:2000]);"
        "t = list(T.objects.values_list('slug', flat=True));"
        "c = list(R.objects.countries().values_list('country_code', flat=True));"
        f"print(json.dumps([rng.sample(p, min({count}, len(p))), rng.sample(e, min({count}, "
        "len(e))), t, c]))"
    )
    out = bench.run(
        [bench.PYTHON, "manage.py", "shell", "-c", code], env, capture_output=True
    ).stdout
    practices, events, topics, countries = json.loads(out.strip().splitlines()[-1])
    rng = random.Random(11)
    paths = [page["url"] for name, page in pages.items() if name not in ("healthz",)]
    paths += [f"/practices/{slug}/" for slug in practices]
    paths += [f"/events/{slug}/" for slug in events[: count // 2]]
    paths += [f"/practices/?page={n}" for n in range(2, 7)]
    for _ in range(count // 2):
        paths.append(f"/practices/?topic={rng.choice(topics)}&country={rng.choice(countries)}")
        paths.append(f"/api/v1/practices/?topic={rng.choice(topics)}")
    words = ["innovation", "cluster", "energy", "aquaponics", "mobility", "tourism", "rural"]
    paths += [f"/practices/?q={word}" for word in words]
    paths += ["/", "/events/", "/regions/", "/api/v1/events/", "/api/v1/regions/"]
    return [p for p in paths if "format=csv" not in p]


def poll(url, stop, log, interval=0.25):
    """Request ``url`` over and over; record (time, status or error, seconds)."""
    while not stop.is_set():
        started = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=15) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError as exc:
            status = type(exc).__name__
        log.append((started, status, round(time.monotonic() - started, 3)))
        time.sleep(interval)


def pg_ready():
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode == 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fault", action="store_true", help="Restart PostgreSQL mid-load.")
    parser.add_argument("--practices", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", default="exchange_bench")
    parser.add_argument("--port", type=int, default=8108)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--fault-at", type=int, default=20, help="Seconds into the load.")
    parser.add_argument(
        "--exclude", default="", help="Regular expression of URLs to leave out of the mix."
    )
    parser.add_argument("--tmp", default="/tmp/exchange-bench")
    args = parser.parse_args(argv)
    Path(args.tmp).mkdir(parents=True, exist_ok=True)
    env = bench.bench_env(args.database, Path(args.tmp) / "static")
    bench.prepare(args, env)
    found = bench.probe(env)
    paths = mix(env, found["pages"])
    if args.exclude:
        paths = [p for p in paths if not re.search(args.exclude, p)]
    paths_file = Path(args.tmp) / "paths.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    base = f"http://127.0.0.1:{args.port}"
    server = bench.start_gunicorn(args, env)
    fault = {}
    try:
        # Warm the workers and PostgreSQL's buffers.
        bench.wrk(base + "/", duration=3, connections=4, threads=1, script=bench.BENCH / "mix.lua",
                  extra=["--", str(paths_file)])  # fmt: skip
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
        started = time.monotonic()
        loader.start()
        poller.start()
        if args.fault:
            time.sleep(args.fault_at)
            bench.log("Restarting PostgreSQL...")
            fault["restart_at"] = time.monotonic() - started
            subprocess.run(PG_RESTART, check=True)
            while not pg_ready():
                time.sleep(0.1)
            fault["ready_at"] = time.monotonic() - started
            bench.log(f"PostgreSQL is back after {fault['ready_at'] - fault['restart_at']:.1f} s")
        loader.join()
        stop.set()
        poller.join()
    finally:
        bench.stop(server)
        if args.fault and not pg_ready():
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "start"])
    report = summarise(args, result, polled, started, fault, len(paths))
    now = datetime.datetime.now(datetime.UTC)
    stem = now.strftime("%Y-%m-%d-%H%M") + ("-faulttest" if args.fault else "-loadtest")
    bench.RESULTS.mkdir(parents=True, exist_ok=True)
    (bench.RESULTS / f"{stem}.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    bench.log(f"Wrote bench/results/{stem}.json")
    return 0 if report["verdict"] == "pass" else 1


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
