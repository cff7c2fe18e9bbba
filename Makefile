# The two commands a newcomer needs: `make run` and `make test`.
# Everything else (venv, install, translations, migrations, demo data) happens on the way.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
HOST   ?= 127.0.0.1
FLASK  := $(BIN)/flask --app app
CATALOGUES := $(wildcard exchange/translations/*/LC_MESSAGES/messages.po)
COMPILED   := $(CATALOGUES:.po=.mo)

.PHONY: run serve test lint format install translations extract-messages update-messages clean help \
	bench bench-clean

help:
	@echo "make run    - install, migrate, load the demo network if empty, serve on http://$(HOST):$(PORT)"
	@echo "make test   - install with the test extras and run the whole suite"
	@echo "make lint   - ruff check and format check, the import contracts (.importlinter), mypy"
	@echo "make serve  - migrate, then serve with gunicorn as production does (exchange/gunicorn_conf.py)"
	@echo "make bench  - issue 14's numbers: ceilings, pgbench, every main page under wrk at both"
	@echo "              scales, settlements/s, SQLite searches, worker RSS; a table and JSON"
	@echo "              BENCH_SECONDS (5) a page, BENCH_CONNECTIONS (32), BENCH_WARMUP (1),"
	@echo "              BENCH_PG_URL (postgresql://postgres@127.0.0.1:5432/postgres: the server),"
	@echo "              BENCH_DB_PREFIX (archipel_bench_), BENCH_SCALES (small,large),"
	@echo "              BENCH_SQLITE_PATH (instance/bench-large.db), BENCH_OUT"
	@echo "              (instance/bench-results.json), BENCH_RESEED=1 (seed again),"
	@echo "              BENCH_SKIP (ceilings,pgbench,pages,settlements,sqlite), BENCH_SETTLE_THREADS"
	@echo "              (16), BENCH_PGBENCH_SCALE (16), BENCH_SEARCH_RUNS (30), BENCH_WRK_TIMEOUT (30s),"
	@echo "              BENCH_PASSWORD (the demo's), BENCH_LOGS (/tmp/archipel-bench);"
	@echo "              gunicorn's own: WEB_CONCURRENCY, GUNICORN_THREADS… (README, Performance)"
	@echo "make bench-clean - drop the databases and the SQLite file make bench keeps for next time"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The stamp is rebuilt whenever pyproject.toml changes, so a pull that adds a dependency installs it.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed translations

# Catalogues are compiled here, never committed as binaries.
translations: $(COMPILED)

exchange/translations/%/LC_MESSAGES/messages.mo: exchange/translations/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile -d exchange/translations -l $* >/dev/null

run: install
	$(FLASK) db upgrade
	$(FLASK) demo seed --if-empty
	$(FLASK) run --host $(HOST) --port $(PORT)

# gunicorn with the production settings (exchange/gunicorn_conf.py), on PORT.
serve: install
	$(FLASK) db upgrade
	GUNICORN_BIND=$(HOST):$(PORT) $(BIN)/gunicorn -c python:exchange.gunicorn_conf app:app

# Prints numbers, asserts none. Seeded databases are kept for the next run (make bench-clean).
bench: install
	$(BIN)/python -m tests.bench.run

bench-clean: install
	$(BIN)/python -m tests.bench.run --clean

# The suite runs on every core (pytest-xdist; each worker has a database of its own).
# TEST_WORKERS=0 runs it in one process, e.g. to debug with pdb. The 15 slowest tests are listed
# at the end: where to look when the suite grows slower.
TEST_WORKERS ?= auto

# axe-core for the accessibility test, from the npm registry at the version package-lock.json
# pins; without npm that test says it is skipped (and fails under ARCHIPEL_REQUIRE_SERVICES).
NPM ?= $(shell command -v npm)
node_modules/.installed: package.json package-lock.json
	@if [ -n "$(NPM)" ]; then $(NPM) ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the accessibility test (axe-core) will be skipped"; fi

test: install node_modules/.installed
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --durations=15 $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_ngettext:1,2 --no-location --sort-output -o exchange/translations/messages.pot .

update-messages: extract-messages
	$(BIN)/pybabel update -i exchange/translations/messages.pot -d exchange/translations --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find . -name __pycache__ -prune -exec rm -rf {} +
