"""Query benchmark: p50/p95/p99 latency of lineage_up / lineage_down (depth 3, 6, 12), coverage of
a province and of the whole country, and pages of `documents` and `search` with and without words,
per store, over a generated national data set.

    python -m bench.query_bench --communes-per-province 10 --resolutions 5 --runs 200
    python -m bench.query_bench --size 100k --neo4j-load bulk --json docs/bench/query.json

--neo4j-load bulk fills Neo4j through `kg export --neo4j-import` + neo4j-admin (bench/common.py)
instead of the project's online ingest (the default), which is what makes 100k/1M sizes quick.
--neo4j-uri URI measures a server that already holds the same data set (checked by its document
count; nothing is cleared or loaded), e.g. one bulk-loaded once for several runs.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    apply_size,
    bulk_neo4j,
    end_run,
    existing_neo4j,
    memory_store,
    save,
    size_args,
    start_run,
)
from bench.common import dataset as cached_dataset  # noqa: E402
from bench.ingest_bench import arguments, dataset, ingest_all, stores, table  # noqa: E402
from graph.store import GraphStore  # noqa: E402
from graph.text import words  # noqa: E402
from ingest.generate import GroundTruth  # noqa: E402


def percentile(sorted_ms: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    k = max(0, min(len(sorted_ms) - 1, round(p / 100 * len(sorted_ms) + 0.5) - 1))
    return sorted_ms[k]


def cases(truth: GroundTruth) -> list[tuple[str, str, list[dict[str, Any]]]]:
    res = truth.resolutions
    province = max(truth.provinces, key=lambda p: len(res[0].scopes[p]))
    out: list[tuple[str, str, list[dict[str, Any]]]] = []
    for depth in (3, 6, 12):
        out.append((f"lineage_up depth {depth}", "lineage_up",
                    [{"document": r.deepest, "depth": depth} for r in res if r.deepest]))
    out.append(("lineage (API view) up 6", "lineage",
                [{"document": r.deepest, "up": 6, "down": 0} for r in res if r.deepest]))
    for depth in (3, 6, 12):
        out.append((f"lineage_down depth {depth}", "lineage_down",
                    [{"document": r.uid, "depth": depth} for r in res]))
    out.append((f"coverage {province}", "coverage",
                [{"document": r.uid, "scope": province, "as_of": r.as_of} for r in res]))
    out.append(("coverage national", "coverage",
                [{"document": r.uid, "scope": truth.root, "as_of": r.as_of} for r in res]))
    # /documents pages (51 rows: a page of 50 and the look-ahead for its cursor), without and with ?q=
    page = {"code_key": None, "type": None, "issuer": None, "status": None, "uids": None, "after": None,
            "limit": 51}
    out.append(("documents, first page", "documents", [page | {"words": None}]))
    out.append(("documents ?q=ke hoach (most plans)", "documents", [page | {"words": ["ke", "hoach"]}]))
    out.append(("documents ?q=<resolution code>", "documents", [page | {"words": words(r.code)} for r in res]))
    out.append(("search ke hoach", "search", [{"words": ["ke", "hoach"], "limit": 20}]))
    return out


def measure(store: GraphStore, query: str, params: list[dict[str, Any]], runs: int) -> tuple[list[float], int]:
    for p in params[:runs]:  # warm-up over what is measured: plan cache, the memory store's per-version memo
        store.run(query, p)
    times: list[float] = []
    rows = 0
    for i in range(runs):
        p = params[i % len(params)]
        start = time.perf_counter()
        rows = len(store.run(query, p))
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times), rows


def main() -> None:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="runs per query and store (>= 200)")
    parser.add_argument("--national-runs", type=int, default=None, help="runs of national coverage (default --runs)")
    parser.add_argument("--neo4j-load", choices=("online", "bulk"), default="online")
    parser.add_argument("--neo4j-uri", default=None,
                        help="a Neo4j already holding this data set: measured as it is (implies the bulk set-up)")
    size_args(parser)
    args = parser.parse_args()
    apply_size(args)
    run = start_run()
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        workdir = Path(tmp)
        bulk = args.neo4j_load == "bulk" or args.neo4j_uri is not None
        # KG_BENCH_CACHE keeps the generated set and its memory-store file between bulk runs
        out, truth = cached_dataset(args, workdir) if bulk else dataset(args, workdir)
        print(f"data set: {args.provinces} provinces x {args.communes_per_province} communes, "
              f"{args.resolutions} resolutions: {truth.institutions} institutions, {truth.documents} documents; "
              f"{args.runs} runs per query", flush=True)
        results: list[list[Any]] = []
        records: list[dict[str, Any]] = []
        with contextlib.ExitStack() as stack:
            if bulk:
                from graph.neo4j_store import Neo4jStore

                names = args.stores.split(",")
                need_memory = "memory" in names or args.neo4j_uri is None
                mem = memory_store(out, truth, None)[0] if need_memory else None
                opened: dict[str, GraphStore] = {}
                for name in names:
                    if name == "memory" and mem is not None:
                        opened[name] = mem
                    elif name == "neo4j":
                        uri = existing_neo4j(args.neo4j_uri, truth) if args.neo4j_uri \
                            else stack.enter_context(bulk_neo4j(mem, workdir))  # type: ignore[arg-type]
                        opened[name] = stack.enter_context(Neo4jStore(uri))  # type: ignore[arg-type]
            else:
                opened = stack.enter_context(stores(args.stores, workdir))
                for store in opened.values():
                    ingest_all(store, out, truth)
            for name, store in opened.items():
                for label, query, params in cases(truth):
                    runs = (args.national_runs or args.runs) if label == "coverage national" else args.runs
                    ms, rows = measure(store, query, params, runs)
                    p50, p95, p99 = (percentile(ms, p) for p in (50, 95, 99))
                    results.append([name, label, rows, f"{p50:.2f}", f"{p95:.2f}", f"{p99:.2f}"])
                    records.append({"documents": truth.documents, "store": name, "query": label, "rows": rows,
                                    "runs": runs, "p50": p50, "p95": p95, "p99": p99})
                    print(f"  {name:6} {label:40} p95 {p95:8.2f} ms", flush=True)
        print(table(["store", "query", "rows", "p50 ms", "p95 ms", "p99 ms"], results))
        for r in records:
            if r["query"].startswith("coverage") and r["query"] != "coverage national":
                r["query"] = "coverage province"
        save(args.json, "query", records, end_run(run))
        by = {(r["store"], r["query"]): r for r in records}
        parts = []
        for store_name in opened:
            lin = by.get((store_name, "lineage_up depth 6"))
            cov = by.get((store_name, "coverage province"))
            if lin and cov:
                parts.append(f"{store_name}: lineage_up d6 p95 {lin['p95']:.2f} ms, province coverage p95 "
                             f"{cov['p95']:.2f} ms")
        print(f"at {truth.documents:,} documents: " + "; ".join(parts))


if __name__ == "__main__":
    main()
