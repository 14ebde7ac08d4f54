# Baton: `make run` (install what is missing, build, start `baton dev`) and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := run

# Debian packages Baton needs: the PostgreSQL server (initdb, pg_ctl, unaccent, pg_trgm), libpq's headers and
# pdftotext (poppler-utils) for drafting plans from PDF files;
# for the tests, a real browser and its WebDriver (the pages are tested in headless Chromium) and fonts with Vietnamese.
PACKAGES := postgresql libpq-dev poppler-utils
TEST_PACKAGES := chromium chromium-driver fonts-noto-core
# PyPI packages of the browser and schema tests.
PYTHON_TEST_PACKAGES := selenium pytest requests schemathesis
BENCH_PACKAGES := wrk
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
ARGS ?=

.PHONY: run test bench bench-scale bench-draft draft-score deps test-deps build release contract browser schema chaos clean

## Install missing system packages (Debian/Ubuntu).
deps:
	@missing=""; for p in $(PACKAGES) $(EXTRA_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

build: deps
	swift build

release: deps
	swift build -c release --product baton

## Start Baton on http://127.0.0.1:8080 with a private PostgreSQL in ./.baton and the demo plans.
run: release
	.build/release/baton dev $(ARGS)

## What the tests need besides Baton's own: the browser, its driver, and the Python packages that drive them.
test-deps:
	@$(MAKE) --no-print-directory deps EXTRA_PACKAGES="$(TEST_PACKAGES)"
	@python3 -c 'import selenium, pytest, requests, schemathesis' 2>/dev/null || python3 -m pip install --quiet $(PYTHON_TEST_PACKAGES) \
	  || python3 -m pip install --quiet --break-system-packages $(PYTHON_TEST_PACKAGES)

## Every test: unit tests of the domain, integration tests on a throwaway PostgreSQL, HTTP, CLI and pages
## (Swift), then the pages in a real headless Chromium (screenshots in .build/screenshots/).
test: test-deps
	swift build --build-tests
	swift test --skip-build --parallel
	$(MAKE) --no-print-directory browser
	$(MAKE) --no-print-directory schema
	$(MAKE) --no-print-directory chaos

## The pages in headless Chromium against `baton dev` (the debug build).
browser:
	cd Tests/browser && python3 -m pytest -q -p no:cacheprovider

## Schemathesis against /openapi.yaml of `baton dev` (the debug build), as a committee member and an officer:
## no 5xx, no answer outside the document, no request it forbids accepted (fixed seed, about 40 s).
schema:
	cd Tests/schema && python3 -m pytest -q -p no:cacheprovider -s

## About a minute of PostgreSQL restarts, backend terminations and SIGKILLed servers under six writers,
## then a failover from a primary to its synchronous standby under load.
chaos:
	cd Tests/chaos && python3 -m pytest -q -p no:cacheprovider -s

## Throughput of the acknowledge transition over REST against pgbench running the same SQL (prints JSON).
bench: release
	@$(MAKE) --no-print-directory deps EXTRA_PACKAGES="$(BENCH_PACKAGES)"
	bench/run

## A national dataset (SCALE_TASKS, default 10,000,000 tasks; 50,000 agencies) built with SQL, then p50/p95 of the
## coordinators' reads, acknowledge throughput, a timer sweep with SCALE_CROSSING tasks due at once, server memory (JSON).
## SCALE_DATA=DIR keeps the loaded cluster for the next run; see bench/scale for the other knobs.
bench-scale: release
	@$(MAKE) --no-print-directory deps EXTRA_PACKAGES="$(BENCH_PACKAGES)"
	bench/scale

## Draft each example plan from its seed text (../shared/seeds) and score it against its transcription.
draft-score: deps
	swift build --product baton
	.build/debug/baton plan score --examples workflows/examples --seeds ../shared/seeds

## Only the drafting timing of `make bench`: a synthesised 30-page plan (prints JSON).
bench-draft: release
	bench/draft

## The public contract tests in ../shared/contract, against a release build.
contract:
	../shared/contract/run

clean:
	rm -rf .build
