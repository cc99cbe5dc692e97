"""Plots of the benchmark results (JSON written with --json by the bench scripts) as SVG under docs/.

    python -m bench.plot [--results docs/bench] [--out docs]

* docs/bench-throughput.svg: bulk path rows/s and API req/s against graph size;
* docs/bench-p95.svg: p95 latency of lineage and coverage (named queries, and through HTTP) against size.
Needs matplotlib (the optional extra `bench`: pip install -e ".[bench]").
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def load(folder: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.json")):
        rows += json.loads(path.read_text())
    return rows


def documents(row: dict[str, Any]) -> int | None:
    if "documents" in row:
        return int(row["documents"])
    size = str(row.get("size", ""))
    return int(size[:-1]) * 1000 if size.endswith("k") and size[:-1].isdigit() else None


def series(rows: list[dict[str, Any]], key: Any, value: str) -> dict[str, list[tuple[int, float]]]:
    """label -> [(documents, value)], the latest run per label and size."""
    latest: dict[tuple[str, int], float] = {}
    for row in rows:
        n = documents(row)
        label = key(row)
        if n is None or label is None or value not in row or not float(row[value]) > 0:
            continue  # missing, or no request finished in the window (nothing to put on a log axis)
        latest[(label, n)] = float(row[value])
    out: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for (label, n), v in sorted(latest.items(), key=lambda kv: kv[0][1]):
        out[label].append((n, v))
    return out


def plot(ax: Any, data: dict[str, list[tuple[int, float]]], ylabel: str, title: str) -> None:
    for label, points in sorted(data.items()):
        xs, ys = zip(*points, strict=True)
        ax.plot(xs, ys, marker="o", label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("documents in the graph")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    if data:
        ax.legend(fontsize=7)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=ROOT / "docs" / "bench")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "policy-kg"  # stable SVG ids between runs
    rows = load(args.results)
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    bulk = series([r for r in rows if r["bench"] == "bulk"], lambda r: "bulk export + neo4j-admin import (rows/s)",
                  "rows_per_s")
    plot(left, bulk, "rows/s", "Bulk load throughput")
    api = series([r for r in rows if r["bench"] == "api" and r.get("connections", 1) > 1],
                 lambda r: f"{r['store']}: {r['scenario']}", "rps")
    plot(right, api, "requests/s", "HTTP API throughput (uvicorn, 2 workers, wrk)")
    fig.tight_layout()
    args.out.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.out / "bench-throughput.svg", metadata={"Date": None})
    plt.close(fig)

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    query = series([r for r in rows if r["bench"] == "query"], lambda r: f"{r['store']}: {r['query']}", "p95")
    memory = [r for r in rows if r["bench"] == "memory"]
    query.update(series(memory, lambda r: "memory: lineage_up depth 6 (memory_bench)", "lineage_p95"))
    query.update(series(memory, lambda r: "memory: coverage province (memory_bench)", "coverage_p95"))
    plot(left, query, "p95 ms", "Named queries, p95 (in process)")
    http = series([r for r in rows if r["bench"] == "api" and r.get("connections") == 1],
                  lambda r: f"{r['store']}: {r['scenario']}", "p95")
    plot(right, http, "p95 ms", "HTTP, one connection, p95")
    fig.tight_layout()
    fig.savefig(args.out / "bench-p95.svg", metadata={"Date": None})
    plt.close(fig)
    print(f"{args.out / 'bench-throughput.svg'}, {args.out / 'bench-p95.svg'} from {len(rows)} results")


if __name__ == "__main__":
    main()
