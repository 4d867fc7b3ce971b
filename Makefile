# Một Cửa — `make run` serves the demo province; `make test` runs the whole suite. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install run worker test test-fast lint format bench messages clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed ## Create .venv and install Một Cửa
	DEBUG=true $(BIN)/motcua compile_translations

run: $(VENV)/.installed ## Serve the demo province at http://127.0.0.1:$(PORT) with the task worker (Ctrl-C stops both)
	@PORT=$(PORT) scripts/run.sh

worker: $(VENV)/.installed ## Run only the background task worker
	$(BIN)/motcua db_worker

test: $(VENV)/.installed-test ## Install what the tests need and run the whole suite (CI=true: PostgreSQL + browser)
	@scripts/test.sh

lint: $(VENV)/.installed-test ## ruff check, ruff format --check, missing migrations
	$(BIN)/ruff check motcua tests
	$(BIN)/ruff format --check motcua tests
	DEBUG=true $(BIN)/motcua makemigrations --check --dry-run

format: $(VENV)/.installed-test ## Format the code with ruff
	$(BIN)/ruff format motcua tests
	$(BIN)/ruff check --fix motcua tests

bench: $(VENV)/.installed-test ## Run the benchmarks (figures go to docs/benchmarks.md)
	@scripts/bench.sh

messages: $(VENV)/.installed ## Refresh locale/en/LC_MESSAGES/django.po from the source (needs gettext)
	cd motcua && DEBUG=true ../$(BIN)/motcua makemessages -l en --no-obsolete --add-location file

clean: ## Remove the local database, uploads and compiled files (keeps .venv)
	rm -rf var/ .pytest_cache
	find motcua -name '*.mo' -delete
