"""gunicorn.conf.py, the production server settings: a slow request holds up no other.

A page built on a first visit or after an edit waits mostly for the
database; meanwhile the other worker must keep answering. With a single
worker this test fails.
"""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLOW_SECONDS = 3


def slow_application(environ, start_response):
    """``/slow`` waits as a request waiting for the database does; the rest is the portal."""
    if environ["PATH_INFO"] == "/slow":
        time.sleep(SLOW_SECONDS)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"slow"]
    from exchange.wsgi import application

    return application(environ, start_response)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url, timeout=10):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read()


def test_a_worker_answers_while_one_of_its_requests_waits(tmp_path):
    port = free_port()
    unset = ("DATABASE_URL", "REDIS_URL", "GUNICORN_CMD_ARGS")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(DJANGO_SETTINGS_MODULE="tests.settings", PYTHONPATH=str(ROOT))
    # The repository's gunicorn.conf.py, as production reads it.
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "tests.test_gunicorn_config:slow_application",
        ]
        + ["--config", str(ROOT / "gunicorn.conf.py")]
        + ["--bind", f"127.0.0.1:{port}", "--no-control-socket"]
        + ["--error-logfile", str(tmp_path / "gunicorn.log")],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                assert get(base + "/healthz", timeout=2)[0] == 200
                break
            except OSError:
                assert time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
                time.sleep(0.2)
        slow = {}
        waiting = threading.Thread(target=lambda: slow.update(answer=get(base + "/slow")))
        waiting.start()
        time.sleep(0.5)
        started = time.monotonic()
        assert get(base + "/healthz") == (200, b"ok")
        took = time.monotonic() - started
        # /slow started 0.5 s before and lasts 3 s: an answer within 1.5 s
        # did not wait for it.
        assert took < SLOW_SECONDS / 2, f"/healthz waited {took:.1f} s behind /slow"
        waiting.join()
        assert slow["answer"] == (200, b"slow")
    finally:
        server.terminate()
        server.wait(timeout=15)
