# The two commands a newcomer needs: `make run` and `make test`. Each sets up
# everything it needs first (a .venv, npm packages, the CSS) and skips the
# steps that are already up to date.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
BUILD := static/build/main.css static/build/govuk-frontend.min.js static/build/accessible-autocomplete.min.js

.PHONY: run test test-fast setup serve lint lock lock-check format check clean fuzz schemathesis

# `make run PORT=8010` serves on another port; links in emails and feeds
# follow it (SITE_URL defaults from PORT). Django's banner that its
# development server is not for production is left out: this target is
# development by name (`make serve` is the production set-up).
PORT ?= 8000

run: setup
	DEBUG=true $(MANAGE) migrate --no-input
	DEBUG=true $(MANAGE) createcachetable
	DEBUG=true $(MANAGE) load_initial_content
	DEBUG=true PORT=$(PORT) DJANGO_RUNSERVER_HIDE_WARNING=true $(MANAGE) runserver 127.0.0.1:$(PORT)

# The suite runs on every core (pytest-xdist); `make test TEST_WORKERS=0`
# runs it in one process.
TEST_WORKERS ?= auto

# Beyond what `make setup` installs, the suite needs two programs from the
# system (README.md): Chromium for the browser tests (CHROMIUM, default
# /usr/bin/chromium) and redis-server, which the tests of the shared cache,
# background jobs and outages start on free ports of their own. One line
# says whether they are there before the tests start.
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM
define say_what_tests_need
	@missing=""; \
	for program in $(1); do command -v $$program >/dev/null 2>&1 || missing="$$missing $$program"; done; \
	if [ -n "$$missing" ]; then echo "make $@: missing$$missing, which some tests need (Debian: apt-get install chromium redis-server); they will fail."; \
	else echo "make $@: the tests' system programs are here ($(notdir $(1)))."; fi
endef

test: setup
	$(call say_what_tests_need,$(CHROMIUM) redis-server)
	$(BIN)/pytest --numprocesses=$(TEST_WORKERS)

# Everything but the browser tests (tests/browser/, which drive Chromium); the
# fuzz, fault and schemathesis runs are separate targets already.
test-fast: setup
	$(call say_what_tests_need,redis-server)
	$(BIN)/pytest --numprocesses=$(TEST_WORKERS) --ignore=tests/browser -m "not browser and not fuzz"

setup: $(VENV)/.installed node_modules/.installed $(BUILD)

# Python packages come from the locks (requirements.txt for the site,
# requirements-dev.txt adding the test tools), every file checked against its
# hash. uv installs them; it is itself pinned, here and in the lock.
UV_VERSION := 0.13.8
UV := $(BIN)/uv
COMPILE := $(UV) pip compile --quiet --generate-hashes --python-version 3.11.7 --custom-compile-command "make lock"

$(UV):
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(UV)
	$(UV) pip sync --quiet --python $(BIN)/python requirements-dev.txt
	touch $@

# Edit requirements.in or requirements-dev.in (exact pins), then `make lock`
# writes the locks with what the pins pull in, keeping the versions already
# locked where they still fit.
lock: | $(UV)
	$(COMPILE) requirements.in -o requirements.txt
	$(COMPILE) requirements-dev.in -o requirements-dev.txt

# CI: fails when a lock does not match its input (an edit without `make lock`).
lock-check: | $(UV)
	tmp=$$(mktemp -d) && cp requirements.txt requirements-dev.txt $$tmp/ && \
	$(COMPILE) requirements.in -o $$tmp/requirements.txt && \
	$(COMPILE) requirements-dev.in -o $$tmp/requirements-dev.txt && \
	diff -u requirements.txt $$tmp/requirements.txt && \
	diff -u requirements-dev.txt $$tmp/requirements-dev.txt && \
	rm -rf $$tmp

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(BUILD): node_modules/.installed $(wildcard static/scss/*.scss)
	npm run --silent build

# Production settings through gunicorn, on plain HTTP on this machine only,
# at http://127.0.0.1:$(PORT) (`make serve PORT=8110`; links follow it).
# The secret key is made once and kept in .secret-key (ignored by git).
serve: setup
	test -s .secret-key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > .secret-key
	SECRET_KEY=$$(cat .secret-key) $(MANAGE) collectstatic --no-input --verbosity 0
	SECRET_KEY=$$(cat .secret-key) $(MANAGE) migrate --no-input
	SECRET_KEY=$$(cat .secret-key) $(MANAGE) createcachetable
	SECRET_KEY=$$(cat .secret-key) $(MANAGE) load_initial_content
	SECRET_KEY=$$(cat .secret-key) ALLOWED_HOSTS=127.0.0.1,localhost \
	  SECURE_SSL_REDIRECT=false SECURE_COOKIES=false SECURE_HSTS_SECONDS=0 \
	  PORT=$(PORT) GUNICORN_BIND=127.0.0.1:$(PORT) \
	  $(BIN)/gunicorn smp_site.wsgi --config gunicorn.conf.py

# The fuzz run: gunicorn with production settings on PostgreSQL, every public
# URL and form driven with generated input; fails on any 5xx or any traceback
# in the server log (docs/operations.md).
# Uses its own database beside DATABASE_URL's (<name>_fuzz). About 2 minutes.
FUZZ_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/smp)
fuzz: setup
	DATABASE_URL=$(FUZZ_DATABASE_URL) $(BIN)/pytest tests/test_fuzz.py -m fuzz -p no:randomly

# Lint, formatting and missing migrations: run by CI before the tests.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(MANAGE) makemigrations --check --dry-run

# schemathesis over every operation of the API's OpenAPI description, against
# gunicorn with production settings on a free port, serving the initial
# content from PostgreSQL (DATABASE_URL, default
# postgres://postgres@127.0.0.1:5432/smp_schemathesis, which it recreates).
# Fails on any 5xx or any response that does not match the description.
schemathesis: setup
	$(BIN)/python tests/schemathesis_run.py

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules static/build staticfiles .test-media

# Speed, scale and load, side by side with a trivial baseline view: gunicorn
# with production settings against PostgreSQL (DATABASE_URL, default
# postgres://postgres@127.0.0.1:5432/smp_bench, which it recreates), loaded by
# wrk on port BENCH_PORT (default 8765); then a tenth of the national-scale
# dataset (bench/national_dataset.py). Prints one table (docs/benchmarks.md).
# Not part of `make test`; at most 8 minutes on a 2-core machine.
# `make bench-full` measures the whole national dataset, about 20 minutes.
# Either refuses to start while something answers on BENCH_PORT, and stops
# every process it started when stopped itself (SIGTERM, Ctrl-C) or failing.
BENCH_PORT ?= 8765
.PHONY: bench bench-full
bench: setup
	command -v wrk >/dev/null || (apt-get update -q && apt-get install -y -q wrk)
	exec env BENCH_PORT=$(BENCH_PORT) $(BIN)/python bench/run.py $(BENCH_ARGS)

bench-full: setup
	command -v wrk >/dev/null || (apt-get update -q && apt-get install -y -q wrk)
	exec env BENCH_PORT=$(BENCH_PORT) $(BIN)/python bench/run.py --full $(BENCH_ARGS)

# The fault suite: gunicorn with production settings under a bounded load
# while its own redis-server is stopped and restarted, then frozen and
# thawed, and its database connection (through a TCP proxy) is cut and
# restored, then partitioned and healed; checks no 500, 503s during the
# database outages, answers within 5 s while a dependency hangs, recovery
# within 5 s and no survey response lost or duplicated (docs/operations.md).
# Needs PostgreSQL (its database, FAULT_DATABASE_URL, default
# postgres://postgres@127.0.0.1:5432/smp_fault, is recreated) and
# redis-server. About two and a half minutes.
.PHONY: fault
fault: setup
	command -v redis-server >/dev/null || (apt-get update -q && apt-get install -y -q redis-server)
	$(BIN)/python faults/run.py
