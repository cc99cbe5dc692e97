"""HTTP API benchmark (issues #3 and #9): requests/s and p50/p95/p99 for lineage and coverage under
load, per store, on a generated national graph (>= 100k documents) and on the demo graph.

    python -m bench.api_bench --size 100k [--duration 10] [--connections 16] [--stores memory,neo4j]

* The graph: `kg generate` (34 provinces x 100 communes, R resolutions), the project's ingest into
  the memory store (saved to its file); Neo4j gets the same graph through the bulk path
  (`kg export --neo4j-import` + `neo4j-admin database import full`, see bench/bulk_bench.py) on a
  Neo4j server started from the harness's jars.
* The server: `uvicorn api.main:app --workers 2` (one worker per core) on a free loopback port,
  `KG_STORE`/`KG_DATA`/`NEO4J_URI` in its environment, access log off.
* The load: `wrk` (Debian package `wrk`) in its own process, loopback only, each scenario for
  `--duration` seconds, rotating over many documents/scopes (a Lua script); once with one
  connection (latency without queueing) and once with `--connections` (throughput).
  On 2 cores the load generator shares the CPUs with uvicorn (and Neo4j): the req/s are a floor.
* `--cache off,on` (default): every case with the API's response cache off (`KG_API_CACHE=false`:
  each request runs its queries) and on (store name "... cached": a request costs one shared
  version read, plus the queries on a miss). Rotating over hundreds of documents, the cached runs
  mostly hit after the warm-up; the uncached ones are the query path's cost.
  `--cache stale` adds the opt-in bounded staleness (store name "... cached, stale"):
  `KG_API_CACHE_STALENESS_MS=--staleness-ms` (default 100), so a version read serves every request
  that arrives within that bound after it began.
* Warm-up: each server first takes `--warmup` seconds (default 30) of load over all the cases,
  then 2 s per case. Neo4j's JIT compiler is still the JVM's busiest thread ~45 s after start-up,
  so a short warm-up measures compilation, not the steady state of a server that has been up.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    apply_size,
    bulk_neo4j,
    dataset,
    dataset_args,
    end_run,
    existing_neo4j,
    memory_store,
    save,
    size_args,
    start_run,
)
from bench.ingest_bench import table  # noqa: E402
from graph.memory import MemoryStore  # noqa: E402

DEMO_RESOLUTION = "52-nq-tw.bo-chinh-tri.2019"
DEMO_PLAN = "15-kh-bcsd.ban-can-su-dang-bo-cong-thuong.2020"
LUA = """
local paths = {%s}
local i = math.random(#paths)
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH {"requests":%%d,"duration_us":%%d,"p50":%%d,"p95":%%d,"p99":%%d,' ..
    '"errors":%%d,"non2xx":%%d}\\n', summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def uvicorn(env: dict[str, str], workers: int, workdir: Path) -> Iterator[str]:
    port = free_port()
    log = (workdir / f"uvicorn-{port}.log").open("wb")
    cmd = [sys.executable, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(workers), "--no-access-log", "--log-level", "warning"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"uvicorn exited: {(workdir / f'uvicorn-{port}.log').read_text()[-3000:]}")
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{base}/health", timeout=5) as resp:
                if resp.status == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn not ready in 300 s")
            time.sleep(0.3)
        # every worker must have loaded its store: a few more health calls land on both
        for _ in range(8):
            with urllib.request.urlopen(f"{base}/health", timeout=60):
                pass
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 15)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()


def wrk(base: str, paths: list[str], connections: int, duration: float, workdir: Path) -> dict[str, Any]:
    exe = shutil.which("wrk")
    if exe is None:
        raise SystemExit("wrk is needed: apt-get install -y wrk (Debian package)")
    script = workdir / "paths.lua"
    script.write_text(LUA % ",".join(json.dumps(p) for p in paths), encoding="utf-8")
    # the first request of each path must be valid: check one
    with urllib.request.urlopen(base + paths[0], timeout=120) as resp:
        if resp.status != 200:
            raise RuntimeError(f"{paths[0]}: HTTP {resp.status}")
    threads = min(2, connections)
    cmd = [exe, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration))}s", "--timeout", "30s",
           "-s", str(script), base]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH "))
    data = json.loads(line[len("BENCH "):])
    return {"rps": data["requests"] / (data["duration_us"] / 1e6), "p50": data["p50"] / 1000,
            "p95": data["p95"] / 1000, "p99": data["p99"] / 1000, "requests": data["requests"],
            "errors": data["errors"] + data["non2xx"]}


def scenarios(store: MemoryStore, truth: Any, rng: random.Random) -> list[tuple[str, list[str]]]:
    docs = [n["uid"] for n in store.dump()[0] if "Document" in n["labels"]]
    leaves = sorted(u for u in docs if "-kh-ubnd." in u)  # UBND xã plans: the bottom of the chains
    programmes = sorted(u for u in docs if "-ctr-tu." in u)  # provincial programmes
    leaves = rng.sample(leaves, min(500, len(leaves)))
    programmes = rng.sample(programmes, min(500, len(programmes)))
    res = truth.resolutions
    provinces = truth.provinces
    out: list[tuple[str, list[str]]] = []
    for depth in (3, 6):
        out.append((f"lineage up depth {depth} (commune plan)",
                    [f"/documents/{u}/lineage?direction=up&depth={depth}" for u in leaves]))
    for depth in (3, 6):
        out.append((f"lineage down depth {depth} (provincial programme)",
                    [f"/documents/{u}/lineage?direction=down&depth={depth}" for u in programmes]))
    pairs = [(r, p) for r in res for p in provinces]
    pairs = rng.sample(pairs, min(300, len(pairs)))
    out.append(("coverage province", [f"/coverage?document={r.uid}&scope={p}&as_of={r.as_of}" for r, p in pairs]))
    out.append(("coverage national", [f"/coverage?document={r.uid}&scope={truth.root}&as_of={r.as_of}"
                                      for r in res]))
    return out


def run_store(name: str, env: dict[str, str], cases: list[tuple[str, list[str]]], args: argparse.Namespace,
              workdir: Path, results: list[dict[str, Any]], size: str) -> None:
    """Each case under load, once per --cache setting (the response cache of api/cache.py on / off)."""
    for cache in args.cache.split(","):
        label = {"off": name, "on": f"{name} cached", "stale": f"{name} cached, stale"}[cache]
        staleness = str(args.staleness_ms) if cache == "stale" else "0"
        run_server(label, {**env, "KG_API_CACHE": "false" if cache == "off" else "true",
                           "KG_API_CACHE_STALENESS_MS": staleness}, cases, args, workdir, results, size)


def run_server(name: str, env: dict[str, str], cases: list[tuple[str, list[str]]], args: argparse.Namespace,
               workdir: Path, results: list[dict[str, Any]], size: str) -> None:
    with uvicorn(env, args.workers, workdir) as base:
        if args.warmup > 0:  # the JVM's JIT and both workers' first calls, over every case
            wrk(base, [p for _, paths in cases for p in paths[:50]], 4, args.warmup, workdir)
        for label, paths in cases:
            heavy = "national" in label
            wrk(base, paths, 2, 2, workdir)  # warm-up (plan cache, page cache)
            for conns in (1, args.connections):
                r = wrk(base, paths, conns if not heavy else min(conns, 4), args.duration, workdir)
                results.append({"size": size, "store": name, "scenario": label,
                                "connections": conns if not heavy else min(conns, 4), **r})
                print(f"  {name:6} {label:45} c={results[-1]['connections']:<3} {r['rps']:8.0f} req/s  "
                      f"p50 {r['p50']:7.2f}  p95 {r['p95']:7.2f}  p99 {r['p99']:7.2f} ms  errors {r['errors']}",
                      flush=True)


def demo_cases() -> list[tuple[str, list[str]]]:
    return [("demo lineage down 52-NQ/TW depth 5", [f"/documents/{DEMO_RESOLUTION}/lineage?direction=down&depth=5"]),
            ("demo lineage up 15-KH/BCSĐ depth 5", [f"/documents/{DEMO_PLAN}/lineage?direction=up&depth=5"])]


def _only(cases: list[tuple[str, list[str]]], only: str | None) -> list[tuple[str, list[str]]]:
    """``--only``: the cases whose name contains one of its words."""
    return cases if not only else [(label, paths) for label, paths in cases if any(w in label for w in only.split(","))]


def _cache_modes(value: str) -> str:
    modes = value.split(",")
    if not modes or any(m not in ("off", "on", "stale") for m in modes):
        raise argparse.ArgumentTypeError(f"--cache takes a comma list of off, on, stale, not {value!r}")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    dataset_args(parser)
    parser.add_argument("--stores", default="memory,neo4j")
    parser.add_argument("--duration", type=float, default=10, help="seconds per scenario and concurrency")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--warmup", type=float, default=30, help="seconds of load per server before measuring")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="uvicorn workers (= cores)")
    parser.add_argument("--cache", default="off,on", type=_cache_modes,
                        help="comma list of off, on, stale: the API's response cache off (KG_API_CACHE), "
                             "on, on with bounded staleness")
    parser.add_argument("--staleness-ms", type=int, default=100, help="KG_API_CACHE_STALENESS_MS for --cache stale")
    parser.add_argument("--neo4j-uri", default=None,
                        help="a Neo4j already holding the generated data set: used as it is, not bulk-loaded")
    parser.add_argument("--only", default=None,
                        help="comma list of words: run only the scenarios whose name contains one of them")
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--demo-only", action="store_true")
    size_args(parser)
    args = parser.parse_args()
    apply_size(args)
    run = start_run()
    stores = args.stores.split(",")
    results: list[dict[str, Any]] = []
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="kg-api-") as tmp:
        workdir = Path(tmp)
        if not args.skip_demo:
            from tests.conftest import load_demo

            demo = MemoryStore(workdir / "demo.json")
            load_demo(demo)
            print("demo graph", flush=True)
            demo_runs = _only(demo_cases(), args.only)
            for name in stores:
                if name == "memory":
                    run_store("memory", {"KG_STORE": "memory", "KG_DATA": str(workdir / "demo.json")}, demo_runs,
                              args, workdir, results, "demo")
                else:
                    with bulk_neo4j(demo, workdir / "demo-neo4j", pagecache="128m", heap="512m") as uri:
                        run_store("neo4j", {"KG_STORE": "neo4j", "NEO4J_URI": uri}, demo_runs, args, workdir,
                                  results, "demo")
        truth = None
        if not args.demo_only:
            out, truth = dataset(args, workdir)
            kg = workdir / "kg.json"
            store, rows, secs = memory_store(out, truth, kg)
            print(f"data set: {truth.institutions} institutions, {truth.documents} documents, {rows} rows "
                  f"(memory ingest {secs:.0f} s)", flush=True)
            cases = scenarios(store, truth, rng)
            cases = _only(cases, args.only)
            size = f"{truth.documents // 1000}k"
            for name in stores:
                if name == "memory":
                    run_store("memory", {"KG_STORE": "memory", "KG_DATA": str(kg)}, cases, args, workdir, results,
                              size)
                elif args.neo4j_uri:
                    uri = existing_neo4j(args.neo4j_uri, truth)
                    run_store("neo4j", {"KG_STORE": "neo4j", "NEO4J_URI": uri}, cases, args, workdir, results, size)
                else:
                    timings: dict[str, float] = {}
                    with bulk_neo4j(store, workdir / "neo4j", timings=timings) as uri:
                        print(f"neo4j bulk load: export {timings['export']:.1f} s, import {timings['import']:.1f} s, "
                              f"post-import {timings['post_import']:.1f} s", flush=True)
                        run_store("neo4j", {"KG_STORE": "neo4j", "NEO4J_URI": uri}, cases, args, workdir, results,
                                  size)
            del store
    print()
    print(table(["graph", "store", "scenario", "conns", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors"],
                [[r["size"], r["store"], r["scenario"], r["connections"], f"{r['rps']:,.0f}", f"{r['p50']:.2f}",
                  f"{r['p95']:.2f}", f"{r['p99']:.2f}", r["errors"]] for r in results]))
    save(args.json, "api", results, end_run(run))
    demo = [r for r in results if r["size"] == "demo" and r["connections"] > 1 and "down" in r["scenario"]]
    parts = [f"demo lineage {r['store']} {r['rps']:,.0f} req/s = {r['rps'] / 2000:.2f}x the 2,000 target"
             for r in demo]
    big = [r for r in results if r["size"] != "demo" and r["connections"] == 1 and "depth 6" in r["scenario"]]
    parts += [f"{r['size']} {r['store']} {r['scenario']} p95 {r['p95']:.2f} ms = {r['p95'] / 10:.2f}x the 10 ms bound"
              for r in big]
    print("; ".join(parts))


if __name__ == "__main__":
    main()
