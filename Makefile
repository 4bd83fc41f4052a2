# Two commands on a fresh machine with Python 3.11+ (see README):
#   make lab    set up, then open the course in JupyterLab
#   make test   set up, then run the whole test suite
# (make test-fast: the tests that need no nbgrader, sandbox, bundle, server or browser)
# Each creates .venv if it is missing and installs the project into it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# nbgrader's gradebook runs `alembic` from PATH: the venv's bin/ goes first.
export PATH := $(CURDIR)/$(BIN):$(PATH)
# Cached bytecode: where PYTHONDONTWRITEBYTECODE is set (as on the course's CI machines),
# pytest rewrites the assertions of every test module and Python compiles every course
# module again on each run, in each grading process: seconds per run, for nothing.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: setup sandbox lab lint test test-fast e2e check build clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed (PYTHON=python3.12 make ...)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

lab: setup
	$(BIN)/python -m course lab

# Grading runs student code in bubblewrap (Debian's package); installed here when missing
# if we are root (as in CI), otherwise named. Without it `course grade` stops with one line.
sandbox:
	@command -v bwrap >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap; \
	  else echo "bubblewrap is missing (grading needs it): sudo apt-get install bubblewrap"; fi; }

# The linter (ruff) and the type checker (mypy: helpers/, course/isolation/ and course/preprocessors/), as
# configured in pyproject.toml. Part of test and test-fast.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

# The whole suite, then the course check; prints the 25 slowest tests and the total time.
test: setup sandbox lint
	@start=$$(date +%s); \
	$(BIN)/python -m pytest --durations=25 && $(BIN)/python -m course check; \
	status=$$?; echo "make test: $$(( $$(date +%s) - start )) s in all (pytest and course check), load $$(cut -d' ' -f1-3 /proc/loadavg)"; \
	exit $$status

# The inner loop: every test but the slow kinds (real nbgrader, sandboxes, bundles,
# PostgreSQL, JupyterHub, the browser; see tests/conftest.py). Minutes, not half an hour.
test-fast: setup lint
	@start=$$(date +%s); \
	$(BIN)/python -m pytest -m "not slow"; \
	status=$$?; echo "make test-fast: $$(( $$(date +%s) - start )) s"; exit $$status

# Only the end-to-end tests (tests/e2e; make test runs them too): JupyterLab in Debian's
# headless chromium, installed here when missing if we are root (as in CI); otherwise the
# tests skip and say why.
e2e: setup
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "make e2e: /usr/bin/chromium is missing; install it with: sudo apt-get install chromium"; fi; }
	$(BIN)/python -m pytest tests/e2e

check: setup sandbox
	$(BIN)/python -m course check

build: setup
	$(BIN)/python -m course build

clean:
	rm -rf $(VENV) work
