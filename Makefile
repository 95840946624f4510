# Two commands set everything up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test lint format bench bench-ingest clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo
	$(PY) manage.py demo_admin --host $(HOST)
	SITE_URL="$${SITE_URL:-http://$(HOST)}" $(PY) manage.py runserver $(HOST)

test: $(VENV)/.installed lint
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Serving figures for the README: `make bench`, or with SERVE_ARGS="--database-url URL --json …".
bench: $(VENV)/.installed
	$(PY) bench/serve.py $(SERVE_ARGS)

# Ingest and copy-detector figures: `make bench-ingest`, or BENCH_ARGS="--database-url postgres://…".
bench-ingest: $(VENV)/.installed
	$(PY) bench/ingest.py $(BENCH_ARGS)
	$(PY) bench/copycheck.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
