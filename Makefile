# paxscreen: two commands on a fresh machine with Python 3 and make.
#   make demo   create .venv, install, parse a sample manifest, print the travellers
#   make test   create .venv, install the test extras, lint, type-check and run the suite
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: demo test lint typecheck pytest bench synthetic clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(TSTAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP) $@

demo: $(STAMP)
	$(PY) -m paxscreen demo

lint: $(TSTAMP)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks

typecheck: $(TSTAMP)
	$(VENV)/bin/mypy

pytest: $(TSTAMP)
	$(PY) -m pytest -q

test: lint typecheck pytest

bench: $(TSTAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) benchmarks/bench_parse.py

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache .hypothesis

# Regenerate the committed scenarios in data/synthetic (tests check they are up to date).
synthetic: $(STAMP)
	$(VENV)/bin/paxscreen synth --out data/synthetic/flight300 --seed 300 --travellers 300 --identities 5000 --documents 10000
	$(VENV)/bin/paxscreen synth --out data/synthetic/flight850 --seed 850 --travellers 850 --identities 50000 --documents 100000
