"""Query benchmark: p50/p95/p99 latency of lineage_up / lineage_down (depth 3, 6, 12) and
coverage of a province, per store, over a generated national data set.

    python -m bench.query_bench --communes-per-province 10 --resolutions 5 --runs 200
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.ingest_bench import arguments, dataset, ingest_all, stores, table  # noqa: E402
from graph.store import GraphStore  # noqa: E402
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
    for depth in (3, 6, 12):
        out.append((f"lineage_down depth {depth}", "lineage_down",
                    [{"document": r.uid, "depth": depth} for r in res]))
    out.append((f"coverage {province}", "coverage",
                [{"document": r.uid, "scope": province, "as_of": r.as_of} for r in res]))
    return out


def measure(store: GraphStore, query: str, params: list[dict[str, Any]], runs: int) -> tuple[list[float], int]:
    for p in params[:3]:  # warm-up (plan cache, memory store's load)
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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        workdir = Path(tmp)
        out, truth = dataset(args, workdir)
        print(f"data set: {args.provinces} provinces x {args.communes_per_province} communes, "
              f"{args.resolutions} resolutions: {truth.institutions} institutions, {truth.documents} documents; "
              f"{args.runs} runs per query")
        results: list[list[Any]] = []
        with stores(args.stores, workdir) as opened:
            for name, store in opened.items():
                ingest_all(store, out, truth)
                for label, query, params in cases(truth):
                    ms, rows = measure(store, query, params, args.runs)
                    results.append([name, label, rows, f"{percentile(ms, 50):.2f}", f"{percentile(ms, 95):.2f}",
                                    f"{percentile(ms, 99):.2f}"])
        print(table(["store", "query", "rows", "p50 ms", "p95 ms", "p99 ms"], results))


if __name__ == "__main__":
    main()
