# Two commands for a fresh clone: `make run` and `make test`. Each builds .venv itself.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
DATA ?= $(or $(GGTEXT_DATA),../shared)

.PHONY: run test lint docs install replicate benchmark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

## Analyse the bundled seed essay with the shipped model and print the result.
run: install
	$(BIN)/ggtext analyze corpora/seed_essay.txt

## Run the whole test suite (tests that need the shared corpora read GGTEXT_DATA).
test: install
	GGTEXT_DATA=$(DATA) $(BIN)/python -m pytest -q

## Lint and layer checks: ruff (lint and format) and import-linter's contracts in pyproject.toml.
lint: install
	$(BIN)/ruff check ggtext tests benchmarks scripts
	$(BIN)/ruff format --check ggtext tests benchmarks scripts
	cd $(CURDIR) && $(BIN)/lint-imports

## Build the documentation site into site/ (MkDocs + mkdocstrings; offline, warnings are errors).
$(VENV)/.installed-docs: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test,docs]"
	touch $@

docs: $(VENV)/.installed-docs
	$(BIN)/mkdocs build --strict -d site

replicate: install
	GGTEXT_DATA=$(DATA) $(BIN)/python scripts/replicate.py

clean:
	rm -rf $(VENV) dist build results site
