"""gunicorn's settings for the portal in production.

gunicorn reads this file from the folder it is started in: `gunicorn
exchange.wsgi` from the project's folder (README, docs/deployment.md); `make
bench`, `make loadtest` and `make cluster` give it with ``--config``.
Options on the command line, or in ``GUNICORN_CMD_ARGS``, override it.
"""

wsgi_app = "exchange.wsgi"
workers = 2
# Threads: while one request waits for PostgreSQL (a page built on a first
# visit or after an edit), the worker's other threads answer from the page
# cache instead of queueing behind it (bench/README.md, "The load's p99").
worker_class = "gthread"
threads = 4
# Seconds a kept-alive connection may wait for its next request: the
# proxy's connections are reused, not opened per request. Longer than the
# proxy keeps an idle one (nginx: keepalive_timeout 60s), so that the proxy,
# not gunicorn, closes it: never while a request is on its way, which nginx
# would count as the node failing (docs/deployment.md).
keepalive = 75
timeout = 30
graceful_timeout = 5
