"""Shared pieces of the benchmarks: size presets, loading a generated graph into each store
(the memory store through the project's ingest; Neo4j online or through the bulk path),
percentiles, JSON results for bench/plot.py.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from graph.memory import MemoryStore  # noqa: E402
from ingest.generate import GroundTruth, ResolutionTruth, generate  # noqa: E402
from ingest.loader import ingest_path  # noqa: E402

# SIGTERM unwinds like Ctrl-C, so the context managers stop the Neo4j and uvicorn processes they started.
signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

#: documents ≈ resolutions x (67 + 54 x communes per province) for 34 provinces at coverage 0.8.
#: 100 communes per province = 3,400 communes, the national size after the 2025 reorganisation.
SIZES: dict[str, tuple[int, int]] = {"10k": (100, 2), "100k": (100, 19), "1m": (100, 185)}


def dataset_args(parser: Any, communes: int = 100, resolutions: int = 19) -> None:
    """The generator's arguments (those of ``kg generate``), with a script's own default size."""
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--communes-per-province", type=int, default=communes)
    parser.add_argument("--resolutions", type=int, default=resolutions)
    parser.add_argument("--coverage", type=float, default=0.8)
    parser.add_argument("--seed", type=int, default=1)


def size_args(parser: Any, default: str | None = None) -> None:
    parser.add_argument("--size", choices=sorted(SIZES), default=default,
                        help="preset (34 provinces x 100 communes, R resolutions); overrides the two below")
    parser.add_argument("--json", type=Path, default=None, help="append the results to this JSON file")


def apply_size(args: Any) -> None:
    if getattr(args, "size", None):
        args.communes_per_province, args.resolutions = SIZES[args.size]


def _cache_dir(args: Any) -> Path | None:
    """``KG_BENCH_CACHE=DIR``: keep each generated data set and its memory-store file there, keyed by the
    generator's arguments and source (the store file also by its format version), so that the 1M runs
    (``make bench-big``) generate and ingest once instead of once per script. Unset: no cache."""
    root = os.environ.get("KG_BENCH_CACHE")
    if not root:
        return None
    source = (ROOT / "ingest" / "generate.py").read_bytes()
    digest = hashlib.sha256(source).hexdigest()[:12]
    key = f"{args.provinces}x{args.communes_per_province}-r{args.resolutions}-c{args.coverage}-s{args.seed}-{digest}"
    return Path(root) / key


def dataset(args: Any, workdir: Path) -> tuple[Path, GroundTruth]:
    cache = _cache_dir(args)
    if cache is not None and (cache / "dataset" / "ground_truth.json").exists():
        data = json.loads((cache / "dataset" / "ground_truth.json").read_text(encoding="utf-8"))
        data["resolutions"] = [ResolutionTruth(**r) for r in data["resolutions"]]
        return cache / "dataset", GroundTruth(**data)
    out = (cache / "dataset") if cache is not None else workdir / "dataset"
    if cache is not None:
        shutil.rmtree(out, ignore_errors=True)  # a half-written earlier attempt
    truth = generate(out, provinces=args.provinces, communes_per_province=args.communes_per_province,
                     resolutions=args.resolutions, coverage=args.coverage, seed=args.seed)
    return out, truth


def memory_store(out: Path, truth: GroundTruth, path: Path | None) -> tuple[MemoryStore, int, float]:
    """The project's ingest into an in-memory store, then one save to ``path``: (store, rows, seconds).
    (Ingesting straight into a file-backed store rewrites the whole file after every input file,
    which at 1M documents costs more than the ingest; the result is the same file.)

    With ``KG_BENCH_CACHE`` and a cached data set, the store file ingested the first time is loaded
    instead, and rows/seconds are those of that first ingest.
    """
    from graph.memory import FORMAT_VERSION

    cached = None  # the cached store file, per file format
    if os.environ.get("KG_BENCH_CACHE") and out.name == "dataset":
        cached = out.parent / f"kg-v{FORMAT_VERSION}.jsonl"
    meta = cached.with_suffix(".json") if cached else None
    if cached is not None and meta is not None and cached.exists() and meta.exists():
        info = json.loads(meta.read_text())
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)  # the data set is in the cache, not beside it
            shutil.copyfile(cached, path)
        store = MemoryStore(path if path is not None else cached)
        store.path = Path(path) if path is not None else None
        return store, info["rows"], info["seconds"]
    store = MemoryStore(None)
    rows = 0
    start = time.perf_counter()
    for name in truth.files:
        report = ingest_path(store, out / name)
        rows += report.nodes + report.edges
    seconds = time.perf_counter() - start
    if cached is not None and meta is not None:
        store.path = cached
        store._save()
        meta.write_text(json.dumps({"rows": rows, "seconds": seconds}))
        store.path = None
    if path is not None:
        store.path = Path(path)
        store._save()  # one atomic write of the final graph
    return store, rows, seconds


@contextlib.contextmanager
def bulk_neo4j(source: MemoryStore, workdir: Path, pagecache: str | None = None, heap: str | None = None,
               timings: dict[str, float] | None = None) -> Iterator[str]:
    """The source graph through ``kg export --neo4j-import`` + ``neo4j-admin database import full`` into a
    fresh Neo4j server (CommunityEntryPoint on the harness jars); yields its bolt URI. Page cache and heap:
    ``KG_BENCH_PAGECACHE`` / ``KG_BENCH_HEAP`` (default 1g each; a 1M-document store is ~4 GB)."""
    pagecache = pagecache or os.environ.get("KG_BENCH_PAGECACHE", "1g")
    heap = heap or os.environ.get("KG_BENCH_HEAP", "1g")
    from neo4j import GraphDatabase

    from bench.cpu import CpuMeter
    from graph.export import run_post_import, write_neo4j_import
    from tests.neo4j_harness.admin import ImportedNeo4j, admin_import

    timings = timings if timings is not None else {}
    with CpuMeter() as cpu:  # the export's forked half is a waited-for child: its CPU counts
        export = write_neo4j_import(source, workdir / "neo4j-import")
    timings["export"], timings["export_cpu"] = cpu.wall_s, cpu.client_s
    with CpuMeter() as cpu:  # neo4j-admin's JVM is a waited-for child too
        report = admin_import(export, workdir / "neo4j-home")
    timings["import"], timings["import_cpu"] = report.seconds, cpu.client_s
    timings["rows"] = report.nodes + report.relationships
    server = ImportedNeo4j(workdir / "neo4j-home", pagecache=pagecache, heap=heap)
    start = time.perf_counter()
    server.start()
    timings["start"] = time.perf_counter() - start
    try:
        driver = GraphDatabase.driver(server.bolt_uri)
        try:
            start = time.perf_counter()
            run_post_import(driver, export.post_import)
            timings["post_import"] = time.perf_counter() - start
        finally:
            driver.close()
        yield server.bolt_uri
    finally:
        server.stop()


def existing_neo4j(uri: str, truth: GroundTruth) -> str:
    """``--neo4j-uri``: a server that already holds the generated data set (loaded by an earlier run, or a
    ``docker compose`` Neo4j after the bulk load of the README): checked, never cleared or loaded."""
    from neo4j import GraphDatabase

    with GraphDatabase.driver(uri, notifications_min_severity="OFF") as driver:
        records, _, _ = driver.execute_query("MATCH (d:Document) RETURN count(d) AS n", routing_="r")
    found = records[0]["n"]
    if found != truth.documents:
        raise SystemExit(f"--neo4j-uri {uri}: {found:,} documents, the data set has {truth.documents:,}; "
                         "load it first (the README's bulk load)")
    return uri


def percentile(sorted_ms: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    k = max(0, min(len(sorted_ms) - 1, round(p / 100 * len(sorted_ms) + 0.5) - 1))
    return sorted_ms[k]


def speed_probe(repeats: int = 5) -> float:
    """Median ms of a fixed pure-Python workload (a sort, a JSON round trip, a dict build over 20k rows).

    This VM's speed drifts by up to 1.5-1.9x within an hour, so a figure from one run compares with
    another run's only alongside both runs' probes: every bench prints one at its start and its end
    and stores them with its results."""
    rows = [{"uid": f"doc-{i:05d}", "hops": i % 7, "title": "Kế hoạch thực hiện Nghị quyết"} for i in range(20_000)]
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        ordered = sorted(rows, key=lambda r: (r["hops"], r["uid"]))
        back = json.loads(json.dumps(ordered, ensure_ascii=False))
        {r["uid"]: r["hops"] for r in back}
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)[len(times) // 2]


def machine() -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    java = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False).stderr.splitlines()
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "python": platform.python_version(),
            "os": platform.platform(), "java": java[0] if java else ""}


def start_run() -> dict[str, Any]:
    """The machine and a speed probe, printed first: what the figures below were measured on."""
    info = {**machine(), "probe_start_ms": speed_probe()}
    print(f"machine: {info['cpu'] or 'unknown CPU'}, {info['cores']} cores, {info['memory']}, Python {info['python']};"
          f" speed probe {info['probe_start_ms']:.1f} ms (lower is faster)", flush=True)
    return info


def end_run(info: dict[str, Any]) -> dict[str, Any]:
    """The probe again at the end (the speed can drift during a run), printed; ``info`` for :func:`save`."""
    info = {**info, "probe_end_ms": speed_probe()}
    print(f"speed probe: {info['probe_start_ms']:.1f} ms at the start, {info['probe_end_ms']:.1f} ms at the end",
          flush=True)
    return info


def save(path: Path | None, bench: str, rows: list[dict[str, Any]], run: dict[str, Any] | None = None) -> None:
    """Append ``rows`` (dicts) to the JSON list in ``path`` (bench/plot.py reads it), each with ``run``
    (:func:`end_run`: the machine and its speed probes) when given."""
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    old: list[dict[str, Any]] = json.loads(path.read_text()) if path.exists() else []
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
    extra = {"machine": run} if run is not None else {}
    old += [{"bench": bench, "when": stamp, **row, **extra} for row in rows]
    path.write_text(json.dumps(old, ensure_ascii=False, indent=1) + "\n")
