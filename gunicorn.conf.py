"""gunicorn's settings for the portal in production.

gunicorn reads this file from the folder it is started in: `gunicorn
exchange.wsgi` from the project's folder (README, docs/deployment.md); `make
bench`, `make loadtest` and `make cluster` give it with ``--config``.
Options on the command line, or in ``GUNICORN_CMD_ARGS``, override it.
"""

wsgi_app = "exchange.wsgi"
workers = 2
# Sync workers, one request each. Threads (gthread, 4 a worker) were tried:
# they helped the load test's p99 on a loaded machine, but the portal's
# pages are CPU-bound Python, and two requests in one worker queue for the
# interpreter lock, which made every built page 1.5-2 times slower at low
# concurrency (bench/README.md, "Sync workers again").
worker_class = "sync"
threads = 1
# A sync worker closes each connection after its answer: nginx opens a new
# one per request, and never reuses one gunicorn is closing.
timeout = 30
graceful_timeout = 5
