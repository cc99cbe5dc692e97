"""Memory store benchmark: RSS per node and file load time, at 100k documents (1M with --big).

    python -m bench.memory_bench [--size 100k] [--big]

The graph is built with the project's ingest and saved to the store's file. A fresh Python
process measures its RSS before and after loading the JSON Lines file (``snapshot=False``) and the
load time, then writes the snapshot (graph.snapshot); a second one does the same for the load from
the snapshot (what ``MemoryStore(path)`` does) and times lineage_up (depth 6) and province coverage.
Targets (issue #9, at 1M documents): <= 1 KiB per node, load <= 5 s.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import SIZES, dataset, end_run, memory_store, save, start_run  # noqa: E402
from bench.ingest_bench import table  # noqa: E402
from graph import snapshot  # noqa: E402

CHILD = r"""
import gc, json, sys, time
sys.path.insert(0, sys.argv[3])
import networkx, orjson  # noqa: F401  (counted in the baseline)
from graph.memory import MemoryStore

def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
gc.collect()
before = rss()
start = time.perf_counter()
store = MemoryStore(sys.argv[1], snapshot=sys.argv[4] == "snapshot")
load = time.perf_counter() - start
gc.collect()
after = rss()
if sys.argv[4] == "jsonl":  # the JSON Lines load only: the snapshot for the next child, untimed
    store.write_snapshot()
    print(json.dumps({"rss_before": before, "rss_after": after, "load_s": load}))
    sys.exit(0)
truth = json.loads(open(sys.argv[2]).read())
res = truth["resolutions"]
province = truth["provinces"][0]
def timed(name, params, runs=200):
    store.run(name, params[0])
    out = []
    for i in range(runs):
        t = time.perf_counter()
        store.run(name, params[i % len(params)])
        out.append((time.perf_counter() - t) * 1000)
    out.sort()
    return out[int(0.5 * runs)], out[int(0.95 * runs) - 1]
lin = timed("lineage_up", [{"document": r["deepest"], "depth": 6} for r in res if r["deepest"]])
cov = timed("coverage", [{"document": r["uid"], "scope": province, "as_of": r["as_of"]} for r in res])
g = store.graph
print(json.dumps({"nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "rss_before": before,
                  "rss_after": after, "load_s": load, "lineage_p50": lin[0], "lineage_p95": lin[1],
                  "coverage_p50": cov[0], "coverage_p95": cov[1]}))
"""


def measure(size: str, workdir: Path) -> dict[str, float]:
    communes, resolutions = SIZES[size]
    args = argparse.Namespace(provinces=34, communes_per_province=communes, resolutions=resolutions,
                              coverage=0.8, seed=1)
    out, truth = dataset(args, workdir / size)
    path = workdir / size / "kg.json"
    _, rows, secs = memory_store(out, truth, path)
    loads = {}
    for mode in ("jsonl", "snapshot"):  # each in a fresh process: RSS growth of one load
        proc = subprocess.run([sys.executable, "-c", CHILD, str(path), str(out / "ground_truth.json"), str(ROOT),
                               mode], capture_output=True, text=True, check=True)
        loads[mode] = json.loads(proc.stdout.strip().splitlines()[-1])
    data = loads["snapshot"]
    data.update(jsonl_load_s=loads["jsonl"]["load_s"],
                jsonl_bytes_per_node=(loads["jsonl"]["rss_after"] - loads["jsonl"]["rss_before"]) / data["nodes"])
    data.update(documents=truth.documents, file_mb=path.stat().st_size / 2**20, ingest_s=secs, rows=rows,
                snapshot_mb=snapshot.path_for(path).stat().st_size / 2**20)
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", action="append", choices=sorted(SIZES), help="repeatable; default 10k and 100k")
    parser.add_argument("--big", action="store_true", help="also 1M documents (a few GB of RAM, minutes)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    sizes = args.size or ["10k", "100k"]
    if args.big and "1m" not in sizes:
        sizes.append("1m")
    run = start_run()
    rows = []
    with tempfile.TemporaryDirectory(prefix="kg-mem-") as tmp:
        for size in sizes:
            d = measure(size, Path(tmp))
            d["size"] = size
            d["bytes_per_node"] = (d["rss_after"] - d["rss_before"]) / d["nodes"]
            rows.append(d)
            print(f"  {size}: {d['nodes']} nodes, {d['bytes_per_node']:.0f} B/node, load {d['load_s']:.2f} s "
                  f"(JSON Lines {d['jsonl_load_s']:.2f} s)", flush=True)
    print(table(["size", "documents", "nodes", "edges", "file MB", "snapshot MB", "RSS MB", "B/node",
                 "B/node (JSON Lines load)", "load s (snapshot)", "load s (JSON Lines)",
                 "lineage p95 ms", "prov. coverage p95 ms"],
                [[d["size"], d["documents"], d["nodes"], d["edges"], f"{d['file_mb']:.0f}",
                  f"{d['snapshot_mb']:.0f}", f"{(d['rss_after'] - d['rss_before']) / 2**20:.0f}",
                  f"{d['bytes_per_node']:.0f}", f"{d['jsonl_bytes_per_node']:.0f}", f"{d['load_s']:.2f}",
                  f"{d['jsonl_load_s']:.2f}", f"{d['lineage_p95']:.2f}", f"{d['coverage_p95']:.2f}"] for d in rows]))
    save(args.json, "memory", rows, end_run(run))
    last = rows[-1]
    print(f"memory store at {last['documents']:,} documents: {last['bytes_per_node']:.0f} B/node = "
          f"{last['bytes_per_node'] / 1024:.2f}x the 1 KiB target; load {last['load_s']:.2f} s = "
          f"{last['load_s'] / 5:.2f}x the 5 s target")


if __name__ == "__main__":
    main()
