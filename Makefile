# The two set-up commands of the README:
#   make run   - demo data into the embedded store, then the API on http://127.0.0.1:8000
#   make test  - the whole test suite, real Neo4j included (started from tests/neo4j)
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup run test lint clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

run: setup
	$(BIN)/kg demo --quiet
	$(BIN)/kg serve --host 127.0.0.1 --port 8000

lint: setup
	$(BIN)/ruff check .

test: setup lint
	$(BIN)/python -m tests.neo4j.harness --build-only
	$(BIN)/pytest

clean:
	rm -rf $(VENV) tests/neo4j/target data .pytest_cache
