# The two set-up commands of the README:
#   make run   - demo data into the embedded store, then the API on http://127.0.0.1:8000
#   make test  - the whole test suite, real Neo4j included (started from tests/neo4j_harness)
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup graphviz chromium run test lint clean bench bench-big bench-deps

setup: $(VENV)/.installed graphviz chromium

# Lineage diagrams are laid out by Graphviz `dot` (Debian package graphviz).
graphviz:
	@command -v dot >/dev/null || { echo "installing graphviz (dot)"; \
	  (apt-get update -qq && apt-get install -y -qq graphviz) >/dev/null || \
	  (sudo apt-get update -qq && sudo apt-get install -y -qq graphviz) >/dev/null; }

# The browser tests (tests/browser) drive Debian's Chromium headless through Playwright;
# no browser download (never `playwright install`).
chromium:
	@test -x /usr/bin/chromium || { echo "installing chromium"; \
	  (apt-get update -qq && apt-get install -y -qq chromium chromium-driver) >/dev/null || \
	  (sudo apt-get update -qq && sudo apt-get install -y -qq chromium chromium-driver) >/dev/null; }

# Debian's python3.11 makes venvs only with its python3.11-venv package (ensurepip).
$(VENV)/.installed: pyproject.toml
	@$(PY) -c "import ensurepip" 2>/dev/null || { echo "installing python3.11-venv"; \
	  (apt-get update -qq && apt-get install -y -qq python3.11-venv) >/dev/null || \
	  (sudo apt-get update -qq && sudo apt-get install -y -qq python3.11-venv) >/dev/null; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# PORT=8001 make run when 8000 is taken
PORT ?= 8000
run: setup
	$(BIN)/kg demo --quiet
	$(BIN)/kg serve --host 127.0.0.1 --port $(PORT)

lint: setup
	$(BIN)/ruff check .

test: setup lint
	$(BIN)/python -m tests.neo4j_harness.harness --build-only
	$(BIN)/pytest

# Benchmarks (bench/README.md, docs/benchmarks.md): ingest and query at a modest size (BENCH_ARGS),
# then the 10k/100k-document runs whose results (docs/bench/*.json) bench.plot turns into docs/*.svg.
# `make bench-big` adds the 1M-document runs (tens of minutes, several GB of RAM).
BENCH_ARGS ?= --provinces 34 --communes-per-province 5 --resolutions 3
BENCH_OUT ?= docs/bench
bench: setup bench-deps
	$(BIN)/python -m bench.ingest_bench $(BENCH_ARGS)
	$(BIN)/python -m bench.query_bench $(BENCH_ARGS)
	$(BIN)/python -m bench.query_bench --size 10k --neo4j-load bulk --json $(BENCH_OUT)/query.json
	$(BIN)/python -m bench.query_bench --size 100k --neo4j-load bulk --national-runs 5 --json $(BENCH_OUT)/query.json
	$(BIN)/python -m bench.bulk_bench --size 10k --json $(BENCH_OUT)/bulk.json
	$(BIN)/python -m bench.bulk_bench --size 100k --json $(BENCH_OUT)/bulk.json
	$(BIN)/python -m bench.memory_bench --json $(BENCH_OUT)/memory.json
	$(BIN)/python -m bench.api_bench --size 100k --json $(BENCH_OUT)/api.json
	$(BIN)/python -m bench.extract_bench --json $(BENCH_OUT)/extract.json
	$(BIN)/python -m bench.plot --results $(BENCH_OUT)

bench-big: setup bench-deps
	$(BIN)/python -m bench.bulk_bench --size 1m --json $(BENCH_OUT)/bulk.json
	$(BIN)/python -m bench.query_bench --size 1m --neo4j-load bulk --national-runs 3 --json $(BENCH_OUT)/query.json
	$(BIN)/python -m bench.memory_bench --size 1m --json $(BENCH_OUT)/memory.json
	$(BIN)/python -m bench.api_bench --size 1m --skip-demo --json $(BENCH_OUT)/api.json
	$(BIN)/python -m bench.plot --results $(BENCH_OUT)

# matplotlib (the optional extra `bench`) and Debian's wrk (the API load generator).
bench-deps:
	$(BIN)/pip install --quiet -e ".[bench]"
	@command -v wrk >/dev/null || { echo "installing wrk"; \
	  (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null || \
	  (sudo apt-get update -qq && sudo apt-get install -y -qq wrk) >/dev/null; }

clean:
	rm -rf $(VENV) tests/neo4j_harness/target data .pytest_cache
