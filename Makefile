# DigiGov: `make run` serves the demo city on 127.0.0.1:8000, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.12 2>/dev/null || ls /root/.pyenv/versions/3.12*/bin/python3.12 2>/dev/null | head -n 1)
VENV := .venv
PY := $(VENV)/bin/python
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/digigov
REDIS_TEST_URL ?= redis://127.0.0.1:6379/0

.PHONY: run test test-sqlite test-postgres lint browser-deps migrate demo bench

$(VENV)/.runtime: requirements.txt
	@test -n "$(PYTHON)" || { echo "Python 3.12 is required (python3.12 not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

migrate: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# The platform's one background worker (Huey, ADR 0009) runs beside the server and stops with it: it delivers
# the message outbox and runs every periodic job (deadline sweepers: 一网通办 every 5 minutes, the hotline every
# minute; nightly router retraining; idempotency pruning). Its queue is var/huey.sqlite3, or Redis with REDIS_URL.
run: demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py run_huey > var/worker.log 2>&1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver 127.0.0.1:8000

# Browser tests drive Debian's chromium (never a downloaded browser); CJK fonts make screenshots legible.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "noto sans cjk"; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "browser tests need: apt-get install chromium fonts-noto-cjk"; fi; \
	fi

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

test-sqlite: $(VENV)/.dev browser-deps
	DATABASE_URL= REDIS_URL= $(PY) -m pytest

# PostgreSQL (and Redis as cache) when the servers answer; in CI they must.
test-postgres: $(VENV)/.dev browser-deps
	@if $(PY) scripts/service_check.py "$(PG_TEST_URL)" "$(REDIS_TEST_URL)"; then \
	  DATABASE_URL="$(PG_TEST_URL)" REDIS_URL="$(REDIS_TEST_URL)" $(PY) -m pytest; \
	elif [ "$$CI" = "true" ]; then echo "PostgreSQL/Redis unreachable and CI=true: failing"; exit 1; \
	else echo "SKIPPED the PostgreSQL run: PostgreSQL or Redis at 127.0.0.1 is not reachable"; fi

test: lint test-sqlite test-postgres

bench: $(VENV)/.dev
	$(PY) bench/bench_sm2.py
	$(PY) bench/bench_audit.py
