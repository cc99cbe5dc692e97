# The two set-up commands of the README:
#   make run   - demo data into the embedded store, then the API on http://127.0.0.1:8000
#   make test  - the whole test suite, real Neo4j included (started from tests/neo4j_harness)
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup graphviz run test lint clean bench

setup: $(VENV)/.installed graphviz

# Lineage diagrams are laid out by Graphviz `dot` (Debian package graphviz).
graphviz:
	@command -v dot >/dev/null || { echo "installing graphviz (dot)"; \
	  (apt-get update -qq && apt-get install -y -qq graphviz) >/dev/null || \
	  (sudo apt-get update -qq && sudo apt-get install -y -qq graphviz) >/dev/null; }

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
	$(BIN)/python -m tests.neo4j_harness.harness --build-only
	$(BIN)/pytest

# Ingest and query benchmarks at a modest size (see bench/README.md); BENCH_ARGS to override.
BENCH_ARGS ?= --provinces 34 --communes-per-province 5 --resolutions 3
bench: setup
	$(BIN)/python -m bench.ingest_bench $(BENCH_ARGS)
	$(BIN)/python -m bench.query_bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) tests/neo4j_harness/target data .pytest_cache
