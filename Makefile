# The two commands: `make run` (set up everything and serve the portal) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
REFERENCE_DATA := $(wildcard bumdes_export/reference/data/*.gz)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve install migrate reference demo test lint format bench messages clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput -v 0

# Reloading is idempotent; the stamp only saves the seconds when nothing changed.
var/.reference-loaded: $(REFERENCE_DATA) | migrate
	$(PY) manage.py load_reference_data
	@mkdir -p var && touch $@

reference: migrate var/.reference-loaded

demo: reference
	$(PY) manage.py load_demo_data

run: demo serve

# Embedded mode: the web server and the periodic-job scheduler, stopped together by Ctrl-C.
serve: install
	@echo "Serving the portal at http://$(HOST):$(PORT)/"
	@trap 'kill 0' INT TERM EXIT; \
	$(PY) manage.py run_scheduler & \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The suite runs on both cores (pytest-xdist; TEST_WORKERS=0 for one process). Local runs keep
# the test database between runs (--reuse-db; add PYTEST_ARGS=--create-db after a new
# migration); CI (CI=true) always builds it afresh.
TEST_WORKERS ?= 2
REUSE_DB := $(if $(CI),,--reuse-db)
test: install
	@if [ "$(REQUIRE_SERVICES)" = "1" ]; then \
	  export DATABASE_URL="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/bumdes_export}"; \
	  export CELERY_BROKER_URL="$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/15}"; \
	  echo "make test: PostgreSQL and a real Celery worker on Redis are required"; \
	  $(PY) -m pytest -n $(TEST_WORKERS) $(REUSE_DB) $(PYTEST_ARGS); \
	else \
	  $(PY) -m pytest -n $(TEST_WORKERS) $(REUSE_DB) $(PYTEST_ARGS); \
	fi

# Boundaries (import-linter: app layers, package layers, no import circle) and types (mypy).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Compile translations (needs gettext); the compiled .mo files are committed so `make run` does not.
messages: install
	$(PY) manage.py makemessages -l id -l en --ignore=.venv --ignore=var --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

# Benchmarks run on PostgreSQL (BENCH_DATABASE_URL), in a database of their own that is
# created, migrated and given the reference data when missing.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bumdes_bench
bench: install
	@export DATABASE_URL="$(BENCH_DATABASE_URL)"; \
	db="$${DATABASE_URL##*/}"; \
	psql "$${DATABASE_URL%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$$db'" | grep -q 1 \
	  || psql "$${DATABASE_URL%/*}/postgres" -c "CREATE DATABASE $$db"; \
	$(PY) manage.py migrate --noinput -v 0 && $(PY) manage.py load_reference_data >/dev/null && \
	for cmd in $$($(PY) manage.py help --commands | grep '^bench_'); do \
	  echo "== $$cmd"; $(PY) manage.py $$cmd || exit 1; \
	done

clean:
	rm -rf $(VENV) var
