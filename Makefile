# Dongseon — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint asyncapi bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)  ## start everything on the embedded defaults with sample data
	$(BIN)/dongseon up

test: $(STAMP)  ## set up and run the whole test suite
	$(BIN)/pytest -q

lint: $(STAMP)  ## ruff (lint + format) and mypy
	$(BIN)/ruff check schemas services tests bench
	$(BIN)/ruff format --check schemas services tests bench
	$(BIN)/mypy schemas services

asyncapi: $(STAMP)  ## regenerate schemas/asyncapi.json from the FastStream apps
	$(BIN)/dongseon asyncapi --out schemas/asyncapi.json

bench: $(STAMP)
	$(BIN)/python bench/optw.py

clean:
	rm -rf $(VENV) data .pytest_cache
