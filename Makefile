# The two commands a newcomer needs: `make run` and `make test`. See README.md.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The test suite runs on PostgreSQL; pytest-django creates test_claimsdb from this role.
TEST_DATABASE_URL ?= postgres://claimsdb:claimsdb@127.0.0.1:5432/claimsdb
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
PYTEST_ARGS ?=
# Test processes: one per core by default (each gets its own database and Redis database).
TEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --durations=25

.PHONY: run test test-fast serve setup-data venv lint typecheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed-runtime
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed-runtime

# Embedded default: SQLite file, tasks in-process, real curated data and bundled leaderboard
# snapshots; serves on $(HOST):$(PORT).
run: setup-data serve

setup-data: $(VENV)/.installed-runtime
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_curated
	$(BIN)/python manage.py import_bundled
	$(BIN)/python manage.py recompute_gaps
	$(BIN)/python manage.py ensure_demo_analyst

serve: $(VENV)/.installed-runtime
	@echo "claimsdb: serving on http://$(HOST):$(PORT)/ (admin at http://$(HOST):$(PORT)/admin/)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The whole suite, on PostgreSQL (and Redis for the pipeline's integration tests).
test: $(VENV)/.installed-dev
	scripts/ensure_services.sh
	DATABASE_URL=$(TEST_DATABASE_URL) CLAIMSDB_TEST_REDIS_URL=$(TEST_REDIS_URL) \
		$(PYTEST) $(PYTEST_ARGS)

# The quick loop: every test that needs no Celery worker, no server process and no browser.
test-fast: $(VENV)/.installed-dev
	scripts/ensure_services.sh
	DATABASE_URL=$(TEST_DATABASE_URL) CLAIMSDB_TEST_REDIS_URL=$(TEST_REDIS_URL) \
		$(PYTEST) -m "not integration and not browser" $(PYTEST_ARGS)

# Import, gap-score and HTTP load benchmarks, each on its own throwaway PostgreSQL database
# (dropped and created: BENCH_DB and BENCH_GAPS_DB name them); prints figures next to their targets.
BENCH_DB ?= claimsdb_bench
BENCH_GAPS_DB ?= claimsdb_bench_gaps
BENCH_DATABASE_URL ?= postgres://claimsdb:claimsdb@127.0.0.1:5432/$(BENCH_DB)
BENCH_GAPS_DATABASE_URL ?= postgres://claimsdb:claimsdb@127.0.0.1:5432/$(BENCH_GAPS_DB)
# The HTTP load benchmark: gunicorn + locust on its own database and Redis db.
BENCH_HTTP_DATABASE ?= claimsdb_bench_http
BENCH_HTTP_DATABASE_URL ?= postgres://claimsdb:claimsdb@127.0.0.1:5432/$(BENCH_HTTP_DATABASE)
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/14
BENCH_HTTP_ARGS ?=
bench: $(VENV)/.installed-dev
	scripts/ensure_services.sh
	PGPASSWORD=claimsdb dropdb --if-exists -h 127.0.0.1 -U claimsdb $(BENCH_DB)
	PGPASSWORD=claimsdb createdb -h 127.0.0.1 -U claimsdb $(BENCH_DB)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py migrate --noinput -v 0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/imports.py
	PGPASSWORD=claimsdb dropdb --if-exists -h 127.0.0.1 -U claimsdb $(BENCH_GAPS_DB)
	PGPASSWORD=claimsdb createdb -h 127.0.0.1 -U claimsdb $(BENCH_GAPS_DB)
	DATABASE_URL=$(BENCH_GAPS_DATABASE_URL) $(BIN)/python manage.py migrate --noinput -v 0
	DATABASE_URL=$(BENCH_GAPS_DATABASE_URL) $(BIN)/python bench/gaps.py
	PGPASSWORD=claimsdb dropdb --if-exists -h 127.0.0.1 -U claimsdb $(BENCH_HTTP_DATABASE)
	PGPASSWORD=claimsdb createdb -h 127.0.0.1 -U claimsdb $(BENCH_HTTP_DATABASE)
	DATABASE_URL=$(BENCH_HTTP_DATABASE_URL) $(BIN)/python manage.py migrate --noinput -v 0
	DATABASE_URL=$(BENCH_HTTP_DATABASE_URL) BENCH_REDIS_URL=$(BENCH_REDIS_URL) \
		$(BIN)/python bench/http_load.py $(BENCH_HTTP_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy claimsdb releases

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache .mypy_cache
