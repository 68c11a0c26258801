# Qinqing: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Django 6 needs Python 3.12 or newer; take the first interpreter on this machine that is.
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p || echo $$p; } && break; done)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

# Tests run against real PostgreSQL and Redis (override to point elsewhere).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/qinqing
TEST_REDIS_URL ?= redis://127.0.0.1:6379/1
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/qinqing_bench

.PHONY: help install run test lint format migrations-check messages bench clean

help:
	@echo "make run    - install, migrate, load demo data and serve on http://127.0.0.1:8000 (SQLite)"
	@echo "make test   - the whole test suite on PostgreSQL and Redis"
	@echo "make lint   - ruff and djhtml"
	@echo "make bench  - benchmarks (see bench/README.md)"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" || { echo "No Python 3.12+ found; set PYTHON=/path/to/python3.12"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	msgfmt --check-format -o $@ $<

install: $(VENV)/.installed node_modules/.installed locale/zh_Hans/LC_MESSAGES/django.mo

# The worker (with beat) uses a broker on the file system, so no Redis is needed here. manage.py
# defaults to the dev settings and Celery to production's, so the worker is told which to run.
run: install
	$(MANAGE) migrate --no-input
	$(MANAGE) createcachetable
	$(MANAGE) seed_demo
	@mkdir -p var/broker var/broker-processed var/broker-control
	@echo "Celery worker and beat running in the background; their log is var/worker.log"
	@DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.dev} \
		$(VENV)/bin/celery -A config worker --beat --pool=solo --loglevel=info \
		--schedule=var/celerybeat-schedule >var/worker.log 2>&1 & worker=$$!; \
		trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
		$(MANAGE) runserver 127.0.0.1:8000

test: install
	$(MANAGE) makemigrations --check --dry-run
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check templates

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djhtml templates

migrations-check: install
	$(MANAGE) makemigrations --check --dry-run

# Refresh the Chinese catalogue after changing user-visible strings, then translate what is new.
messages: install
	$(MANAGE) makemessages --locale zh_Hans --ignore '.venv/*' --ignore 'node_modules/*' --no-obsolete --no-location

bench: install
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules db.sqlite3 media var
