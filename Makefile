# Jiabao (家保) — two commands: `make run` (set up, migrate, seed, serve) and `make test` (set up, run every test).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_ADMIN_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres
export JIABAO_TEST_PG_URL ?= $(PG_ADMIN_URL)

.PHONY: run test lint setup catalogs system-deps frontend postgres test-sqlite test-postgres clean bench

$(BIN)/jiabao: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/jiabao

node_modules/htmx.org/dist/htmx.min.js: package.json
	npm install --no-package-lock --no-audit --no-fund --silent
	touch $@

frontend: node_modules/htmx.org/dist/htmx.min.js

# Page texts: compile each gettext catalog (.po, in git) to the .mo the pages read (git-ignored); docs/i18n.md.
LOCALE := src/jiabao/web/locale
CATALOGS := $(LOCALE)/zh_CN/LC_MESSAGES/messages.mo $(LOCALE)/en/LC_MESSAGES/messages.mo

$(LOCALE)/%/LC_MESSAGES/messages.mo: $(LOCALE)/%/LC_MESSAGES/messages.po $(BIN)/jiabao
	$(BIN)/pybabel compile --statistics -i $< -o $@ -l $*

catalogs: $(CATALOGS)

setup: $(BIN)/jiabao frontend catalogs

run: setup
	$(BIN)/jiabao demo
	JIABAO_PLAIN_HTTP=true $(BIN)/jiabao serve --host 127.0.0.1 --port 8000

# Debian packages the browser tests need: Chromium and a CJK font (installed once, as root).
system-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; \
	fi

postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start || [ $$? -eq 2 ]; }
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done; echo "PostgreSQL did not start"; exit 1

test-sqlite: setup system-deps
	$(BIN)/python -m pytest -q -p no:cacheprovider --db sqlite

test-postgres: setup system-deps postgres
	$(BIN)/python -m pytest -q -p no:cacheprovider --db postgresql

# The two passes are independent (own databases, temporary files, ports) and run side by side on the two cores;
# each pass's output is printed whole when it ends (-k: both finish even if one fails).
test: setup system-deps postgres
	$(MAKE) --no-print-directory -k -j2 --output-sync=target test-sqlite test-postgres
	$(MAKE) --no-print-directory lint

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: setup
	@echo "See docs/benchmarks.md for each benchmark's command."

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .mypy_cache .ruff_cache
