# Two commands on a fresh machine with Python 3.11+ (see README):
#   make lab    set up, then open the course in JupyterLab
#   make test   set up, then run the whole test suite
# Each creates .venv if it is missing and installs the project into it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# nbgrader's gradebook runs `alembic` from PATH: the venv's bin/ goes first.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: setup lab test check build clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed (PYTHON=python3.12 make ...)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

lab: setup
	$(BIN)/python -m course lab

test: setup
	$(BIN)/python -m pytest
	$(BIN)/python -m course check

check: setup
	$(BIN)/python -m course check

build: setup
	$(BIN)/python -m course build

clean:
	rm -rf $(VENV) work
