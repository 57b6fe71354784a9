"""Time `make demo` from a fresh clone until the first page answers 200.

    python3 scripts/time_demo.py                       # this repository's HEAD, empty caches
    python3 scripts/time_demo.py --rev main~3 --port 8300
    python3 scripts/time_demo.py --cache /tmp/demo-cache   # caches kept: the second run is warm

Clones the repository into a temporary folder (with `../shared` beside it,
a symlink to the seeds' folder), points uv's and pip's caches at empty
folders (or at --cache), runs `make demo PORT=<port>` and stops the clock when
`/` answers 200. Every recipe line runs through a shell that logs its start
and end, so the phases are timed even when make runs them in parallel.
Needs only the standard library: it runs before any virtualenv exists.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

# The shell make runs each recipe line with: logs its start, end and status
# (a line that never ends, the server's, has a start only).
TIMING_SHELL = """#!/bin/bash
log() {
  printf '%s\\t%s\\t%s\\t' "$1" "$$" "$(date +%s.%N)"
  printf '%s' "$2" | tr '\\n\\t' '  '
  echo
}
log start "${*:2}" >> "$DEMO_TIMING_LOG"
/bin/sh "$@"
rc=$?
log "$rc" "${*:2}" >> "$DEMO_TIMING_LOG"
exit $rc
"""

# Phase names by a word of the recipe line, first match wins.
PHASES = [
    ("-m venv", "venv"),
    ("uv==", "pip install uv"),
    ("msgfmt", "msgfmt"),
    ("uv pip install", "uv install"),
    ("uv venv", "uv venv"),
    ("compilemessages", "compilemessages"),
    ("migrate", "migrate"),
    ("load_demo", "load_demo"),
    ("runserver", "runserver"),
]


def phase_name(command):
    for word, name in PHASES:
        if word in command:
            return name
    return command.strip().splitlines()[0][:60]


def wait_for_page(url, deadline, process):
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = Path(__file__).resolve().parent.parent
    parser.add_argument("--source", default=str(root), help="repository to clone")
    parser.add_argument("--rev", default="HEAD", help="commit or branch to check out")
    parser.add_argument(
        "--shared", default=str((root / ".." / "shared").resolve()), help="the seeds' folder"
    )
    parser.add_argument("--port", type=int, default=8300)
    parser.add_argument("--cache", help="uv and pip caches here (kept) instead of empty ones")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--keep", action="store_true", help="keep the clone")
    parser.add_argument("--json", help="append the result as one JSON line to this file")
    parser.add_argument("make_args", nargs="*", help="more arguments for make")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="demo-time-"))
    clone = work / "exchange"
    subprocess.run(["git", "clone", "--quiet", args.source, str(clone)], check=True)
    rev = subprocess.run(
        ["git", "-C", args.source, "rev-parse", args.rev],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    subprocess.run(["git", "-C", str(clone), "checkout", "--quiet", rev], check=True)
    (work / "shared").symlink_to(args.shared)
    cache = Path(args.cache) if args.cache else work / "cache"
    (cache / "uv").mkdir(parents=True, exist_ok=True)
    (cache / "pip").mkdir(parents=True, exist_ok=True)
    shell = work / "timing-shell"
    shell.write_text(TIMING_SHELL)
    shell.chmod(0o755)
    log = work / "timing.log"
    log.touch()

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "VIRTUAL_ENV", "MAKEFLAGS", "MFLAGS"}
    }
    env.update(
        UV_CACHE_DIR=str(cache / "uv"),
        PIP_CACHE_DIR=str(cache / "pip"),
        DEMO_TIMING_LOG=str(log),
    )
    command = ["make", "demo", f"PORT={args.port}", f"SHELL={shell}", *args.make_args]
    load = os.getloadavg()
    start_wall = time.time()
    start = time.monotonic()
    with open(work / "make.log", "w") as output:
        process = subprocess.Popen(
            command,
            cwd=clone,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        served = wait_for_page(f"http://127.0.0.1:{args.port}/", start + args.timeout, process)
        total = time.monotonic() - start
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    phases = {}
    for line in log.read_text().splitlines():
        status, shell_pid, at, recipe = line.split("\t", 3)
        at = float(at) - start_wall
        if status == "start":
            # Until the page answered, unless an end comes.
            phases[shell_pid] = {
                "phase": phase_name(recipe),
                "start": at,
                "seconds": total - at,
                "rc": None,
            }
        else:
            phase = phases[shell_pid]
            phase.update(seconds=at - phase["start"], rc=int(status))
    phases = sorted(phases.values(), key=lambda phase: phase["start"])
    for phase in phases:
        phase.update(start=round(phase["start"], 1), seconds=round(phase["seconds"], 1))

    print(f"make demo at {rev[:7]}: {'served' if served else 'NOT SERVED'} after {total:.1f} s")
    print(f"  load average at start {load[0]:.1f}, {'warm' if args.cache else 'cold'} caches")
    for phase in phases:
        print(f"  {phase['start']:6.1f} +{phase['seconds']:5.1f} s  {phase['phase']}")
    if args.json:
        with open(args.json, "a") as out:
            result = {"rev": rev[:7], "served": served, "seconds": round(total, 1)}
            result["load"] = round(load[0], 1)
            out.write(json.dumps({**result, "cache": bool(args.cache), "phases": phases}) + "\n")
    if not served:
        print((work / "make.log").read_text()[-3000:], file=sys.stderr)
    if args.keep or not served:
        print(f"  clone kept in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if served else 1


if __name__ == "__main__":
    sys.exit(main())
