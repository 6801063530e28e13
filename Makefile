# Vigil: `make run` serves the demo, `make test` runs the whole suite. Both set themselves up.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
POSTGRES_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
CHROMIUM ?= /usr/bin/chromium
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test install install-dev browser lint typecheck migrations-check test-sqlite \
        test-postgresql lock migration clean

run: install ## Set up, migrate, seed the demo when empty, and serve on http://$(HOST):$(PORT)
	$(BIN)/vigil db upgrade
	$(BIN)/vigil demo setup
	@echo
	@echo "Vigil is starting at http://$(HOST):$(PORT)  (Ctrl+C stops it)"
	$(BIN)/vigil serve --host $(HOST) --port $(PORT)

test: install-dev browser lint typecheck migrations-check test-sqlite test-postgresql ## Everything CI runs

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.stamp-run: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.stamp-dev: $(VENV)/.stamp-run requirements-dev.lock
	$(BIN)/pip install --quiet -r requirements-dev.lock
	touch $@

install: $(VENV)/.stamp-run
install-dev: $(VENV)/.stamp-dev

browser: ## Debian's Chromium for the browser tests (they skip, saying why, if it cannot be had)
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
	  || echo "Could not install chromium: the browser tests will be skipped."; \
	else echo "No $(CHROMIUM) and no way to install it: the browser tests will be skipped."; fi

lint: install-dev
	$(BIN)/ruff check src tests bench

typecheck: install-dev
	$(BIN)/mypy

migrations-check: install-dev ## Models and migrations must not drift (alembic check)
	rm -f var/migrations-check.db*
	VIGIL_DATABASE_URL=sqlite:///var/migrations-check.db $(BIN)/vigil db upgrade
	VIGIL_DATABASE_URL=sqlite:///var/migrations-check.db $(BIN)/vigil db check
	rm -f var/migrations-check.db*

test-sqlite: install-dev
	VIGIL_TEST_DATABASE=sqlite $(BIN)/pytest

test-postgresql: install-dev ## The whole suite again on PostgreSQL, when a server answers
	@if $(BIN)/python -c "import sys, sqlalchemy as sa; sa.create_engine('$(POSTGRES_TEST_URL)').connect().close()" 2>/dev/null; then \
	  echo "PostgreSQL answers at $(POSTGRES_TEST_URL): running the suite on it."; \
	  VIGIL_TEST_DATABASE=postgresql VIGIL_TEST_POSTGRES_URL=$(POSTGRES_TEST_URL) $(BIN)/pytest; \
	else echo "SKIPPED PostgreSQL: no server answers at $(POSTGRES_TEST_URL); the suite ran on SQLite only."; fi

lock: $(BIN)/python ## Re-pin every dependency after editing requirements*.in
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile -q --strip-extras --no-header --no-emit-index-url --no-emit-find-links -o requirements.lock requirements.in
	$(BIN)/pip-compile -q --strip-extras --no-header --no-emit-index-url --no-emit-find-links -o requirements-dev.lock requirements-dev.in

migration: install ## make migration m="what changed": autogenerate a migration from the models
	rm -f var/autogenerate.db*
	VIGIL_DATABASE_URL=sqlite:///var/autogenerate.db $(BIN)/vigil db upgrade
	VIGIL_DATABASE_URL=sqlite:///var/autogenerate.db $(BIN)/alembic revision --autogenerate -m "$(m)"
	rm -f var/autogenerate.db*

clean:
	rm -rf $(VENV) var/*.db var/*.db-* .pytest_cache .mypy_cache .ruff_cache
