# Two commands do everything on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# installs come from hashed lock files (requirements/*.lock, made by `make lock`): the same
# versions and the same files on every machine, so two fresh installs build byte-identical sites
SUM := $(shell cat pyproject.toml requirements/serve.lock requirements/test.lock | cksum | cut -d' ' -f1)
PIP_LOCKED := -m pip install -q --require-hashes --no-deps
# what serving and building need (the project alone) and what the tests need on top of it
SERVE_STAMP := $(VENV)/.installed-serve-$(SUM)
STAMP := $(VENV)/.installed-test-$(SUM)
HOST ?= 127.0.0.1:8000
HANDBOOK_HOST ?= 127.0.0.1:8001
export NO_MKDOCS_2_WARNING := 1

.PHONY: lock serve site check test test-fast test-deps test-lms lms-deps lint format browser nginx apache js-deps minify lrs-deps zensical site-zensical bench bench-quiz-deps scorm scorm2004 clean

$(SERVE_STAMP): pyproject.toml requirements/serve.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python $(PIP_LOCKED) -r requirements/serve.lock   # pip itself and setuptools are pinned there too
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-serve-*
	touch $@

$(STAMP): $(SERVE_STAMP) requirements/test.lock
	$(BIN)/python $(PIP_LOCKED) -r requirements/test.lock
	rm -f $(VENV)/.installed-test-* $(VENV)/.installed-[0-9]*
	touch $@

## Serve the learners' course on http://127.0.0.1:8000 and the handbook (author guide, HR and IT
## pages) on http://127.0.0.1:8001, both with live reload; a taken port stops it with one line naming
## a free one (choose: `make serve HOST=127.0.0.1:8010 HANDBOOK_HOST=127.0.0.1:8011`)
serve: $(SERVE_STAMP)
	@$(BIN)/python -m builder.serve_ports HOST=$(HOST) HANDBOOK_HOST=$(HANDBOOK_HOST)
	@echo "Course: http://$(HOST)/   Handbook for authors and HR: http://$(HANDBOOK_HOST)/guide/index.html"
	$(BIN)/mkdocs serve -q -f handbook.yml -a $(HANDBOOK_HOST) & pid=$$!; \
	trap 'kill $$pid 2>/dev/null' EXIT INT TERM; $(BIN)/mkdocs serve -a $(HOST)

## Build the learners' site into site/ (works from a web server, a sub-path or file://) and the
## handbook for authors and HR into site-handbook/
site: $(SERVE_STAMP)
	$(BIN)/mkdocs build
	$(BIN)/mkdocs build -f handbook.yml

## Check every course file and print path:line: message for each problem
check: $(SERVE_STAMP)
	$(BIN)/course check

## SCORM 1.2 package for an LMS
scorm: $(SERVE_STAMP)
	$(BIN)/course package --scorm course-scorm.zip

## SCORM 2004 4th edition package for an LMS
scorm2004: $(SERVE_STAMP)
	$(BIN)/course package --scorm2004 course-scorm2004.zip

# Chromium for the browser tests: Debian's package when we can install it, else Playwright's own.
browser: $(STAMP)
	@if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else $(BIN)/python -m playwright install chromium; fi

# nginx for the hosting-guide test (tests/test_nginx.py): Debian's package when we can install it
nginx:
	@if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null \
	  && (systemctl disable --now nginx >/dev/null 2>&1 || service nginx stop >/dev/null 2>&1 || true); \
	else echo "nginx not found: tests/test_nginx.py will be skipped (install Debian's nginx package)"; fi

# Apache for the hosting-guide test (tests/test_apache.py): Debian's package when we can install it
apache:
	@if command -v apache2 >/dev/null 2>&1 || [ -x /usr/sbin/apache2 ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends apache2 >/dev/null \
	  && (systemctl disable --now apache2 >/dev/null 2>&1 || service apache2 stop >/dev/null 2>&1 || true); \
	else echo "Apache not found: tests/test_apache.py will be skipped (install Debian's apache2 package)"; fi

# Test-only JavaScript (scorm-again as a real SCORM 1.2 runtime for the LMS harness)
js-deps:
	@if [ -f tests/js/package.json ]; then \
	  if [ ! -d tests/js/node_modules ]; then (cd tests/js && npm ci --no-audit --no-fund --loglevel=error); fi; fi
	@if [ ! -d tools/minify/node_modules ]; then (cd tools/minify && npm ci --no-audit --no-fund --loglevel=error); fi

## Minify our JS and CSS with esbuild (npm, tools/minify/) into builder/minified/; commit the result
## (a build uses it without Node; tests/test_minified.py fails while it is stale)
minify: $(SERVE_STAMP) js-deps
	$(BIN)/python -m builder.minify

# Ralph, a real xAPI LRS for the learning-record tests, in its own environment (it pins its own
# FastAPI/pydantic versions); its lrs extra also needs requests
LRS_STAMP := .venv-lrs/.installed-$(shell cksum requirements/lrs.lock | cut -d' ' -f1)
$(LRS_STAMP): requirements/lrs.lock
	test -x .venv-lrs/bin/python || $(PYTHON) -m venv .venv-lrs
	.venv-lrs/bin/python $(PIP_LOCKED) -r requirements/lrs.lock
	touch $@
lrs-deps: $(LRS_STAMP)

# Zensical (issue 17), in its own environment from its own lock (requirements/zensical.in): it
# pins its own Markdown extensions; the project is installed there too, so Zensical finds our
# `course` Markdown extension.
ZENSICAL_STAMP := .venv-zensical/.installed-$(shell cat pyproject.toml requirements/zensical.lock | cksum | cut -d' ' -f1)
$(ZENSICAL_STAMP): pyproject.toml requirements/zensical.lock
	test -x .venv-zensical/bin/python || $(PYTHON) -m venv .venv-zensical
	.venv-zensical/bin/python $(PIP_LOCKED) -r requirements/zensical.lock
	.venv-zensical/bin/python -m pip install -q --no-deps --no-build-isolation -e .
	rm -f .venv-zensical/.installed-*
	touch $@
zensical: $(ZENSICAL_STAMP)

## Build the site into site/ with Zensical instead of MkDocs (see content/hr/zensical.md)
site-zensical: $(SERVE_STAMP) $(ZENSICAL_STAMP)
	ZENSICAL=.venv-zensical/bin/zensical $(BIN)/course build --zensical

# A real LMS for the tests (wagtail-lms: Django + Wagtail + SQLite) in its own virtual environment,
# so that the course builder's own environment never gets Django or Wagtail.
LMS_VENV := .venv-lms
LMS_STAMP := $(LMS_VENV)/.installed-$(shell cksum requirements/lms.lock | cut -d' ' -f1)
$(LMS_STAMP): requirements/lms.lock
	test -x $(LMS_VENV)/bin/python || $(PYTHON) -m venv $(LMS_VENV)
	$(LMS_VENV)/bin/python $(PIP_LOCKED) -r requirements/lms.lock
	touch $@
lms-deps: $(LMS_STAMP)

test-deps: $(STAMP) browser nginx apache js-deps lrs-deps lms-deps zensical

lint: $(STAMP)
	$(BIN)/ruff check builder tests
	$(BIN)/ruff format --check builder tests

format: $(STAMP)
	$(BIN)/ruff format builder tests
	$(BIN)/ruff check --fix builder tests

## The SCORM package in a real LMS only (wagtail-lms, about two minutes)
test-lms: test-deps
	$(BIN)/python -m pytest -p no:xdist -q tests/test_lms_wagtail.py $(PYTEST_ARGS)
## Install what the tests need (Chromium, nginx, wagtail-lms and Ralph included) and run them all: about 15 minutes on 2 cores
test: test-deps lint
	$(BIN)/python -m pytest -n 2 -q $(PYTEST_ARGS)

## The fast subset: everything but the browser (Playwright) tests (no browser starts)
test-fast: $(STAMP) lint
	$(BIN)/python -m pytest -n 2 -q -m "not browser" $(PYTEST_ARGS)

## Benchmarks: prints a table and writes content/about/benchmarks.md
# mkdocs-quiz 1.7.1, the reference line of `make bench` (issue 17), in its own environment: the same
# MkDocs, Material and extensions as ours (serve.lock), plus the plugin and what it pulls in (rich,
# requests, questionary). Not a dependency of the course builder. If it cannot be installed, `make
# bench` still runs and reports the reference line as a miss.
QUIZ_VENV := .venv-bench-quiz
QUIZ_STAMP := $(QUIZ_VENV)/.installed-$(shell cat requirements/serve.lock | cksum | cut -d' ' -f1)
$(QUIZ_STAMP): requirements/serve.lock
	test -x $(QUIZ_VENV)/bin/python || $(PYTHON) -m venv $(QUIZ_VENV)
	$(QUIZ_VENV)/bin/python $(PIP_LOCKED) -r requirements/serve.lock
	$(QUIZ_VENV)/bin/python -m pip install -q 'mkdocs-quiz==1.7.1'
	rm -f $(QUIZ_VENV)/.installed-*
	touch $@

bench-quiz-deps: $(QUIZ_STAMP)

## Build time, memory and weight (content/about/benchmarks.md); BENCH_RUNS=n alternating runs (default 3)
bench: $(STAMP)
	-$(MAKE) bench-quiz-deps
	$(BIN)/python -m tests.bench.run
	$(BIN)/python -m tests.bench.report

## Make the hashed lock files again from pyproject.toml and requirements/*.in (after changing a
## dependency); uv resolves, pip installs. Commit the changed requirements/*.lock.
lock:
	test -x .venv-tools/bin/uv || ($(PYTHON) -m venv .venv-tools && .venv-tools/bin/python -m pip install -q 'uv==0.13.9')
	.venv-tools/bin/uv pip compile -q pyproject.toml requirements/build.in --extra test --generate-hashes --universal --python-version 3.10 -o requirements/test.lock
	.venv-tools/bin/uv pip compile -q pyproject.toml requirements/build.in --generate-hashes --universal --python-version 3.10 -c requirements/test.lock -o requirements/serve.lock
	.venv-tools/bin/uv pip compile -q requirements/lms.in requirements/build.in --generate-hashes --python-version 3.11 -o requirements/lms.lock
	.venv-tools/bin/uv pip compile -q requirements/lrs.in requirements/build.in --generate-hashes --python-version 3.11 -o requirements/lrs.lock
	.venv-tools/bin/uv pip compile -q pyproject.toml requirements/zensical.in requirements/build.in --generate-hashes --python-version 3.11 -c requirements/serve.lock -o requirements/zensical.lock

clean:
	rm -rf site site-handbook .pytest_cache course-scorm.zip course-scorm2004.zip   # never site.*: a site.old may be a backup of yours
