# Two commands do everything on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUM := $(shell cksum pyproject.toml | cut -d' ' -f1)
# what serving and building need (the project alone) and what the tests need on top of it
SERVE_STAMP := $(VENV)/.installed-serve-$(SUM)
STAMP := $(VENV)/.installed-test-$(SUM)
HOST ?= 127.0.0.1:8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve site check test test-fast test-deps lint format browser js-deps bench scorm clean

$(SERVE_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	rm -f $(VENV)/.installed-serve-*
	touch $@

$(STAMP): $(SERVE_STAMP)
	$(BIN)/python -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-test-* $(VENV)/.installed-[0-9]*
	touch $@

## Build and serve the course with live reload on http://127.0.0.1:8000
serve: $(SERVE_STAMP)
	$(BIN)/mkdocs serve -a $(HOST)

## Build the static site into site/ (works from a web server, a sub-path or file://)
site: $(SERVE_STAMP)
	$(BIN)/mkdocs build

## Check every course file and print path:line: message for each problem
check: $(SERVE_STAMP)
	$(BIN)/course check

## SCORM 1.2 package for an LMS
scorm: $(SERVE_STAMP)
	$(BIN)/course package --scorm course-scorm.zip

# Chromium for the browser tests: Debian's package when we can install it, else Playwright's own.
browser: $(STAMP)
	@if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else $(BIN)/python -m playwright install chromium; fi

# Test-only JavaScript (scorm-again as a real SCORM 1.2 runtime for the LMS harness)
js-deps:
	@if [ -f tests/js/package.json ]; then \
	  if [ ! -d tests/js/node_modules ]; then (cd tests/js && npm ci --no-audit --no-fund --loglevel=error); fi; fi

test-deps: $(STAMP) browser js-deps

lint: $(STAMP)
	$(BIN)/ruff check builder tests
	$(BIN)/ruff format --check builder tests

format: $(STAMP)
	$(BIN)/ruff format builder tests
	$(BIN)/ruff check --fix builder tests

## Install what the tests need (Chromium included) and run them all: about 15 minutes on 2 cores
test: test-deps lint
	$(BIN)/python -m pytest -n 2 -q $(PYTEST_ARGS)

## The fast subset: everything but the browser (Playwright) tests (no browser starts)
test-fast: $(STAMP) lint
	$(BIN)/python -m pytest -n 2 -q -m "not browser" $(PYTEST_ARGS)

## Benchmarks: prints a table and writes content/about/benchmarks.md
bench: $(STAMP)
	$(BIN)/python -m tests.bench.run

clean:
	rm -rf site site.* .pytest_cache
