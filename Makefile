# Two commands on a fresh clone: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
DEMO_PASSWORD ?= cum12-demo
HOST ?= 127.0.0.1:8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/cumthidua
PG_ADMIN_URL ?= postgres://postgres@127.0.0.1:5432
# Tests never need a real secret; production must set its own SECRET_KEY. Where the
# environment says PYTHONDONTWRITEBYTECODE, pytest does not keep its assertion-rewritten test
# modules either, and every worker of every run rewrote and compiled all of them again (about
# 2 s of each worker's start-up): the test targets let it keep them.
TEST_ENV := env -u PYTHONDONTWRITEBYTECODE SECRET_KEY=insecure-test-only DEBUG=0
# The suite without the browser runs on every core (pytest-xdist, one test database per
# worker; worksteal evens out the long walks); PARALLEL=-n0 runs it in one process. The
# browser tests stay in one process (one live server, one Chromium).
PARALLEL ?= -n auto --dist worksteal
# The suite without the browser: tests/browser is not even collected (importing Playwright and
# those modules cost each worker about a second of CPU for tests it then deselected).
NOT_BROWSER := -m "not browser" --ignore=tests/browser

.PHONY: run test coverage test-postgres test-browser check-backup install bytecode lock assets migrate demo messages bench load clean

run: install assets migrate demo
	DEBUG=1 $(PY) manage.py runserver $(HOST)

test: install assets bytecode
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(VENV)/bin/pytest $(NOT_BROWSER) $(PARALLEL) $(PYTEST_ARGS)

coverage: install assets bytecode
	$(TEST_ENV) $(VENV)/bin/pytest $(NOT_BROWSER) $(PARALLEL) --cov=scoring --cov=units --cov=cumthidua \
		--cov-report=term-missing:skip-covered $(PYTEST_ARGS)

test-postgres: install assets bytecode
	$(TEST_ENV) DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest $(NOT_BROWSER) $(PARALLEL) --create-db \
		$(PYTEST_ARGS)

test-browser: install assets bytecode
	$(TEST_ENV) DJANGO_ALLOW_ASYNC_UNSAFE=1 $(VENV)/bin/pytest -m browser $(PYTEST_ARGS)

# Against gunicorn + PostgreSQL on loopback (PG_ADMIN_URL's server); bounded in time and count.
load: install assets
	BENCH_PG=$(PG_ADMIN_URL) $(PY) bench/load.py --seconds 60 --users 8
	BENCH_PG=$(PG_ADMIN_URL) $(PY) bench/conflicts.py --rounds 200
	BENCH_PG=$(PG_ADMIN_URL) $(PY) bench/faults.py --seconds 45 --kills 3

check-backup: install
	bash scripts/check-backup-restore

install: $(VENV)/.installed

# Every test process (each pytest-xdist worker) imports the whole tree. Where the environment
# says PYTHONDONTWRITEBYTECODE, nothing is cached and each process compiles it all again:
# about 5 s of CPU per worker here (Faker's providers, Playwright, the project). Compiled once
# explicitly, the cache is read even then; a changed file is compiled again (by its mtime).
bytecode: install
	$(PY) -m compileall -q $(VENV)/lib cumthidua scoring units tests bench >/dev/null

# The whole tree is pinned with hashes in requirements-dev.lock (the runtime alone in
# requirements.lock, for production); pyproject.toml only states the floors. `make lock`
# regenerates both after a change in pyproject.toml.
$(VENV)/.installed: requirements-dev.lock
	test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

# uv keeps the versions already in a lock unless asked: LOCK_ARGS="--upgrade-package django"
# moves one package, LOCK_ARGS=--upgrade all of them.
LOCK := $(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.12 \
	--generate-hashes --quiet $(LOCK_ARGS)
lock: install
	$(LOCK) -o requirements.lock
	$(LOCK) --extra dev -o requirements-dev.lock

assets: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

migrate: install
	DEBUG=1 $(PY) manage.py migrate --noinput

demo: install
	DEBUG=1 $(PY) manage.py seed_demo --password "$(DEMO_PASSWORD)"

messages: install
	DEBUG=1 $(PY) manage.py makemessages -l vi --no-location --no-obsolete -i node_modules -i .venv
	DEBUG=1 $(PY) manage.py compilemessages -l vi -i node_modules -i .venv

bench: install assets
	$(TEST_ENV) $(PY) bench/sheet.py
	$(TEST_ENV) $(PY) bench/dashboard.py
	$(TEST_ENV) $(PY) bench/export.py

clean:
	rm -rf $(VENV) node_modules staticfiles
