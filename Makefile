# bluesky — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1:8000

.PHONY: run test lint format install install-dev demo bench messages clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make run: set up everything and serve http://$(HOST) with the worker and scheduler.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	PY=$(PY) HOST=$(HOST) bash scripts/run_local.sh

## make lint: ruff (lint and format check), djhtml (templates), import-linter (imports point one way),
## the code's shape (functions ≤ 60 lines, long modules say why) and template line length.
TEMPLATES := $(shell find templates -name '*.html' | sort)
lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check $(TEMPLATES)
	$(VENV)/bin/lint-imports
	$(PY) scripts/code_shape.py
	$(PY) scripts/template_lines.py

## make format: what `make lint` checks, applied.
format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djhtml $(TEMPLATES)

# The suite runs on two processes (pytest-xdist), a test module per process: LibreOffice, OCR and browser
# tests wait on other programs, and two cores halve the time. `make test PYTEST_ARGS=` runs it on one.
PYTEST_ARGS ?= -n 2 --dist loadfile

## make test: the lint, then the whole suite (SQLite by default; PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set).
test: lint
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

## make bench: every benchmark; `make bench CITY=1`: at city scale (issue 14) on kept PostgreSQL databases (DATABASE_URL).
bench: install-dev
	$(PY) bench/run_all.py $(if $(CITY),--city)

## make messages: refresh locale/en/LC_MESSAGES/django.po from the marked strings, then compile the .mo (needs gettext).
I18N_IGNORE := --ignore=.venv --ignore=data --ignore=test-artifacts --ignore=bench
messages: install
	$(PY) manage.py makemessages -l en $(I18N_IGNORE)
	$(PY) manage.py compilemessages $(I18N_IGNORE)

clean:
	rm -rf $(VENV) data test-artifacts
