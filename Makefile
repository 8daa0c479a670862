# Two commands: `make run` sets everything up and serves the app; `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run setup assets translations migrate demo test bench messages clean

run: setup
	$(FLASK) db upgrade
	$(FLASK) demo
	@echo "Serving on http://$(HOST):$(PORT), with the scheduler and the worker beside it  (Ctrl+C stops all three)"
	$(FLASK) scheduler & scheduler=$$!; $(FLASK) worker & worker=$$!; \
	trap 'kill $$scheduler $$worker 2>/dev/null; wait $$scheduler $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

setup: $(VENV)/.installed-dev assets translations

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

assets: static/vendor/.built

static/vendor/.built: node_modules/.package-lock.json scripts/build-assets.mjs
	npm run --silent build
	touch $@

# Compiled catalogues are build output (.mo is git-ignored).
translations: $(VENV)/.installed-dev
	$(VENV)/bin/pybabel compile --use-fuzzy -d meetings/translations

# Re-extract the strings after changing the code or templates, then translate meetings/translations/vi.
messages: $(VENV)/.installed-dev
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -o meetings/translations/messages.pot --no-location --sort-output .
	$(VENV)/bin/pybabel update -i meetings/translations/messages.pot -d meetings/translations --no-fuzzy-matching

migrate: setup
	$(FLASK) db upgrade

# Two workers (pytest-xdist), a test file each at a time: module-wide servers and browsers stay in one
# process, and each worker has its own PostgreSQL database (tests/conftest.py). TEST_WORKERS=0 runs serially.
TEST_WORKERS ?= 2
test: setup
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

bench: setup
	$(PY) -m bench

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache
