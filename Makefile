# Two commands: `make demo` runs the portal with the seed content,
# `make test` runs the whole suite on SQLite and on PostgreSQL.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# The suite's PostgreSQL server. When nothing answers there (on this
# machine), scripts/test-postgres.sh starts a throwaway cluster on that port.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/exchange
export TEST_DATABASE_URL
PYTEST_WORKERS ?= 2
# The port `make demo` and `make run` serve on: make demo PORT=8001.
PORT ?= 8000

.PHONY: demo install install-dev lock migrate messages test test-sqlite test-postgres postgres-check lint run clean axe lighthouse

# Packages come from the lock files (exact versions, sha256-checked),
# installed by uv: requirements.lock for running the portal,
# requirements-dev.lock adds the test and lint tools. `make lock` rewrites
# both from pyproject.toml (README.md, "Dependencies").
UV_VERSION := 0.13.8
UV := $(BIN)/uv
# --compile-bytecode: every later process starts from .pyc files, even where
# PYTHONDONTWRITEBYTECODE would have each one compile its imports again.
UV_INSTALL := $(UV) pip install --quiet --python $(BIN)/python --require-hashes --compile-bytecode

# The venv gets no pip of its own (ensurepip takes seconds): the pip of
# $(PYTHON) puts uv into it, or, where that pip is missing or older than
# 22.3 (no --python), the venv's own pip after all.
$(UV):
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	test -x $(BIN)/python || $(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) -m pip --python $(BIN)/python install --quiet --disable-pip-version-check uv==$(UV_VERSION) \
	  || { $(BIN)/python -m ensurepip --default-pip >/dev/null && \
	       $(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION); }

$(BIN)/.installed: requirements.lock | $(UV)
	$(UV_INSTALL) -r requirements.lock
	touch $@

$(BIN)/.installed-dev: requirements-dev.lock | $(UV)
	$(UV_INSTALL) -r requirements-dev.lock
	touch $@

install: $(BIN)/.installed
install-dev: $(BIN)/.installed-dev

LOCK_FLAGS ?=
lock: $(UV)
	$(UV) pip compile pyproject.toml $(LOCK_FLAGS) --universal --python-version 3.11 --generate-hashes --no-header --quiet -o requirements.lock
	$(UV) pip compile pyproject.toml $(LOCK_FLAGS) --extra dev --universal --python-version 3.11 --generate-hashes --no-header --quiet -o requirements-dev.lock

# What `manage.py compilemessages` runs, for the catalogues that changed only
# and without starting Django.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
locale/%.mo: locale/%.po
	msgfmt --check-format -o $@ $<

messages: $(MO_FILES)

migrate: install
	DEBUG=1 $(MANAGE) migrate --noinput

# migrate has run the system checks (the database's too), the server runs
# them again: load_demo need not.
demo: install messages migrate
	DEBUG=1 $(MANAGE) load_demo --skip-checks
	@echo "Open http://127.0.0.1:$(PORT)/ (Ctrl+C stops the server)."
	DEBUG=1 $(MANAGE) runserver 127.0.0.1:$(PORT)

run: install
	DEBUG=1 $(MANAGE) runserver 127.0.0.1:$(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run

# postgres-check first: a machine without PostgreSQL stops before the long
# SQLite pass, with the package to install.
test: postgres-check lint messages test-sqlite test-postgres

postgres-check:
	@scripts/test-postgres.sh --check

# The browser suite (tests/browser, marked `browser`) runs once, on SQLite:
# it checks pages, not the database engine.
test-sqlite: install-dev axe
	env -u DATABASE_URL $(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider

test-postgres: install-dev axe
	scripts/test-postgres.sh $(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider -m "not browser"

# The test tools from npm, at the versions package-lock.json pins (with
# their hashes), into the git-ignored node_modules/ (nothing vendored):
# axe-core for the browser suite's accessibility checks, vnu-jar (the Nu Html
# Checker, run with Java) for tests/test_html_valid.py.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

axe: node_modules/.package-lock.json

# Lighthouse 12 (from npm) against a demo server: accessibility, best
# practices, SEO and performance of the home, listing and a detail page.
lighthouse: install messages
	scripts/lighthouse.sh

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 test-artifacts node_modules

# Benchmarks, load and fault tests against gunicorn + PostgreSQL on
# 127.0.0.1 with 100,000 generated practices (bench/README.md).
.PHONY: bench loadtest faulttest fuzz fuzz-bench bench-tools
bench-tools:
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)

bench: install messages bench-tools
	$(BIN)/python bench/run.py

loadtest: install messages bench-tools
	$(BIN)/python bench/loadtest.py

# Restarts the machine's PostgreSQL in the middle of the load.
faulttest: install messages bench-tools
	$(BIN)/python bench/loadtest.py --fault

fuzz: install-dev
	FUZZ_EXAMPLES=450 env -u DATABASE_URL $(BIN)/pytest tests/test_fuzz.py -p no:cacheprovider -q

# The same run against a copy of `make bench`'s database (100,000 practices) on
# PostgreSQL; every test's writes are rolled back, the copy is dropped after.
FUZZ_BENCH_DB ?= exchange_bench_fuzz
fuzz-bench: install-dev
	dropdb -h 127.0.0.1 -U postgres --if-exists $(FUZZ_BENCH_DB)
	createdb -h 127.0.0.1 -U postgres -T exchange_bench $(FUZZ_BENCH_DB)
	FUZZ_EXAMPLES=450 FUZZ_DATABASE_URL=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(FUZZ_BENCH_DB) \
	  $(BIN)/pytest tests/test_fuzz.py -p no:cacheprovider -q; rc=$$?; \
	  dropdb -h 127.0.0.1 -U postgres --if-exists $(FUZZ_BENCH_DB); exit $$rc

# Several nodes on 127.0.0.1 (docs/deployment.md): PostgreSQL primary and
# streaming replica, Redis, an S3 server (moto), two gunicorn nodes, nginx.
# `make cluster` runs it until Ctrl+C; `make clustertest` loads it through
# nginx, kills a node and stops the replica mid-load, runs a restore drill,
# prints a JSON report and fails on any broken promise. Ports from
# CLUSTER_PORT_BASE (47400-47407); everything started is stopped on exit.
.PHONY: cluster clustertest cluster-tools
# RUNLEVEL=1: the packages' own services (nginx on port 80, redis-server on
# 6379, a PostgreSQL cluster on 5432) are installed but not started.
cluster-tools:
	@pkgs=""; \
	command -v nginx >/dev/null || pkgs="$$pkgs nginx-light"; \
	command -v redis-server >/dev/null || pkgs="$$pkgs redis-server"; \
	command -v openssl >/dev/null || pkgs="$$pkgs openssl"; \
	command -v wrk >/dev/null || pkgs="$$pkgs wrk"; \
	ls /usr/lib/postgresql/*/bin/pg_basebackup >/dev/null 2>&1 || pkgs="$$pkgs postgresql"; \
	if [ -n "$$pkgs" ]; then apt-get update -qq && RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$pkgs >/dev/null; fi

cluster: install-dev messages cluster-tools
	$(BIN)/python scripts/cluster.py up

clustertest: install-dev messages cluster-tools
	$(BIN)/python scripts/cluster.py test
