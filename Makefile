# Peaceworks — two commands on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PW := $(BIN)/peaceworks
PORT ?= 8000

.PHONY: run test check lint typecheck format test-only demo-reset messages install install-dev assets translations migrate bench bench-quick bench-keep clean screenshots

# Packages are installed by uv (from PyPI, pinned below), into the venv pip made: a fresh
# clone's `make test` pays for the install, and pip spent ~1 minute of it (resolving, unpacking,
# compiling every module to bytecode) where uv takes seconds. Modules are compiled when first
# imported and the bytecode kept in __pycache__: a machine that sets PYTHONDONTWRITEBYTECODE
# (this one does) would otherwise have every process of the suite — each pytest-xdist worker,
# each server and command a test starts — compile numpy, scipy, pandas, Django and our own
# modules from source again (collecting the suite: 22 s of CPU a worker, 6 s with bytecode).
unexport PYTHONDONTWRITEBYTECODE
UV_VERSION := 0.13.8
UV := $(BIN)/uv pip install --quiet --python $(BIN)/python

# The venv is made without pip and uv installed into it by the system's pip (`pip --python`,
# pip >= 22.3): ensurepip spent ~4 s of CPU (5-10 s of wall on the CI's shared cores) putting
# a pip in the venv that nothing uses, since uv installs everything. Without a system pip, or
# one too old for `--python`, the venv gets its own pip as before.
$(BIN)/python:
	$(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) -m pip --python $(BIN)/python install --quiet uv==$(UV_VERSION) \
	  || { $(BIN)/python -m ensurepip --default-pip && $(BIN)/pip install --quiet uv==$(UV_VERSION); }

# uv first tries its cache alone (`--offline`): when every pinned package is already there (a
# machine that installed them before, as CI's does) that takes ~1.5 s instead of ~4.5 s of
# asking the registry about each. A package missing from the cache stops that attempt in its
# resolution, before anything is installed, and the install asks the registry as usual.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(UV) --offline -e . 2>/dev/null || $(UV) -e .
	touch $@

# The dev tools and the product in one resolution.
$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(UV) --offline -e '.[dev]' 2>/dev/null || $(UV) -e '.[dev]'
	touch $(VENV)/.installed $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed assets translations
install-dev: $(VENV)/.installed-dev assets translations
assets: node_modules/.installed

# The command's module run on its own: `peaceworks compile_translations` would load every app
# first (1.6 s of CPU on each install; compiling takes 0.2 s).
translations: $(VENV)/.installed
	@$(BIN)/python -m peaceworks.core.management.commands.compile_translations

migrate: install
	$(PW) migrate --noinput

## Serve the demo network with the task worker (http://127.0.0.1:$(PORT)/).
run: migrate
	$(PW) seed_demo --if-empty
	$(PW) serve --port $(PORT)

# The suite runs on every core (pytest-xdist, one test database per worker, copied from a
# migrated template; the demo network seeded once and copied where a test needs it:
# tests/demo_database.py). `worksteal` lets an idle worker take queued tests from a busy one.
# `make test PYTEST_XDIST=` runs the suite in one process.
PYTEST_XDIST ?= -n auto --dist worksteal

## Install the dev tools and run the whole suite (browser journeys when Chromium is present).
test: install-dev
	$(BIN)/pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

test-only:
	$(BIN)/pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: install-dev
	$(BIN)/mypy .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Format check, lint, mypy --strict and the tests.
check: lint typecheck test

## Wipe the local database and load the demo network again.
demo-reset: migrate
	$(PW) flush --no-input
	$(PW) seed_demo

## Extract translatable strings into each app's catalogues (needs GNU gettext).
messages: install
	@for app in peaceworks/*/; do \
	  if [ -d $$app/templates ] || ls $$app*.py >/dev/null 2>&1; then \
	    mkdir -p $$app/locale; \
	    (cd $$app && ../../$(PW) makemessages -l fr -l es --no-obsolete --no-location >/dev/null); \
	  fi; \
	done

## Regenerate the README screenshots (docs/screenshots/) from the browser journeys.
screenshots: install-dev
	PEACEWORKS_SCREENSHOTS=1 $(BIN)/pytest -q -m browser tests/browser

bench: install-dev
	$(BIN)/python -m bench.run

bench-quick: install-dev
	$(BIN)/python -m bench.run --quick

## Copy the latest full bench + load run to bench/results/<date>-full.json (committed, quoted).
bench-keep:
	$(BIN)/python -m bench.keep

clean:
	rm -rf $(VENV) node_modules staticfiles
