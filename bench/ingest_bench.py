"""Ingest benchmark: the project's structured ingest into memory and Neo4j, a plain
`UNWIND $rows MERGE` of the same final graph, and a naive per-row baseline (one MERGE per
transaction) on a small sample, side by side.

    python -m bench.ingest_bench --communes-per-province 10 --resolutions 5

Neo4j: NEO4J_URI (+ NEO4J_USER/NEO4J_PASSWORD) when set -- its database is CLEARED --
otherwise a throw-away server from tests/neo4j_harness (tests.neo4j_harness.harness.Neo4jHarness).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import dataset_args, end_run, start_run  # noqa: E402
from bench.cpu import CpuMeter, budget_us, us_per_row  # noqa: E402
from graph.memory import MemoryStore  # noqa: E402
from graph.store import GraphStore  # noqa: E402
from ingest.generate import GroundTruth, generate  # noqa: E402
from ingest.overlap import ingest_files  # noqa: E402

logging.getLogger("neo4j").setLevel(logging.ERROR)  # no "property key does not exist" notifications

#: The online ingest target of issue #9, rows (nodes + edges) per second into Neo4j.
TARGET = 60_000
#: pid of the Neo4j JVM that ``neo4j_store`` started (None for a NEO4J_URI server): its CPU is read
SERVER_PID: dict[str, int | None] = {"neo4j": None}


def arguments(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    dataset_args(parser, 10, 5)
    parser.add_argument("--stores", default="memory,neo4j", help="comma-separated: memory, neo4j")
    return parser


@contextlib.contextmanager
def neo4j_store() -> Iterator[GraphStore]:
    from graph.neo4j_store import Neo4jStore
    from graph.settings import get_settings

    uri = os.environ.get("NEO4J_URI")
    harness = None
    if not uri:
        from tests.neo4j_harness.harness import Neo4jHarness, build

        build()
        harness = Neo4jHarness()
        harness.start(timeout=180)
        uri = harness.bolt_uri
    SERVER_PID["neo4j"] = harness.pid if harness is not None else None
    store = Neo4jStore(uri, os.environ.get("NEO4J_USER"), os.environ.get("NEO4J_PASSWORD"),
                       os.environ.get("NEO4J_DATABASE"), batch_size=get_settings().kg_batch_size)
    try:
        store.ensure_schema()
        store.clear()
        yield store
    finally:
        store.close()
        if harness is not None:
            harness.stop()


@contextlib.contextmanager
def stores(names: str, workdir: Path) -> Iterator[dict[str, GraphStore]]:
    with contextlib.ExitStack() as stack:
        opened: dict[str, GraphStore] = {}
        for name in names.split(","):
            if name == "memory":
                opened[name] = MemoryStore(workdir / "kg.json")
            elif name == "neo4j":
                opened[name] = stack.enter_context(neo4j_store())
            else:
                raise SystemExit(f"unknown store {name!r}")
        yield opened


def dataset(args: argparse.Namespace, workdir: Path) -> tuple[Path, GroundTruth]:
    out = workdir / "dataset"
    truth = generate(out, provinces=args.provinces, communes_per_province=args.communes_per_province,
                     resolutions=args.resolutions, coverage=args.coverage, seed=args.seed)
    return out, truth


def ingest_all(store: GraphStore, out: Path, truth: GroundTruth, overlap: bool | None = None) -> tuple[int, float]:
    """The project's ingest as `kg ingest` runs it (each file atomic; into Neo4j, a file's write
    overlaps the next one's resolution unless ``overlap`` is False); returns (rows = nodes + edges
    written, seconds)."""
    rows = 0
    start = time.perf_counter()
    for path, result in ingest_files(store, [out / name for name in truth.files], overlap=overlap):
        if isinstance(result, Exception):
            raise SystemExit(f"{path}: {result}")
        rows += result.nodes + result.edges
    return rows, time.perf_counter() - start


def naive_rows(sample: int, out: Path, truth: GroundTruth) -> list[tuple[str, Any]]:
    """The first `sample` nodes then edges of the data set, as the project stores them."""
    mem = MemoryStore(None)  # no file: a file-backed store rewrites it after every input file (minutes at 1M)
    ingest_all(mem, out, truth)
    nodes, edges = mem.dump()
    labels = {n["uid"]: n["labels"] for n in nodes}
    picked_nodes = nodes[: sample // 2]
    keep = {n["uid"] for n in picked_nodes}
    picked_edges = [e for e in edges if e[1] in keep and e[2] in keep][: sample - len(picked_nodes)]
    rows: list[tuple[str, Any]] = [("node", n) for n in picked_nodes]
    rows += [("edge", (rel, start, end, labels[start][0], labels[end][0], props))
             for rel, start, end, props in picked_edges]
    return rows


def naive_ingest(store: GraphStore, rows: list[tuple[str, Any]]) -> float:
    """One MERGE per row, one transaction per MERGE."""
    driver = store.driver  # type: ignore[attr-defined]
    database = store.database  # type: ignore[attr-defined]
    start = time.perf_counter()
    with driver.session(database=database) as session:
        for kind, row in rows:
            if kind == "node":
                props = {k: v for k, v in row.items() if k not in ("labels", "uid")}
                query = f"MERGE (n:{':'.join(f'`{x}`' for x in row['labels'])} {{uid: $uid}}) SET n += $props"
                session.execute_write(lambda tx, q=query, u=row["uid"], p=props: tx.run(q, uid=u, props=p).consume())
            else:
                rel, a, b, la, lb, props = row
                query = (f"MATCH (a:`{la}` {{uid: $a}}) MATCH (b:`{lb}` {{uid: $b}}) "
                         f"MERGE (a)-[r:`{rel}` {{key: $key}}]->(b) SET r += $props")
                session.execute_write(lambda tx, q=query, a=a, b=b, p=props:
                                      tx.run(q, a=a, b=b, key=p.get("key", ""), props=p).consume())
    return time.perf_counter() - start


def unwind_merge(store: GraphStore, batch: int = 1000) -> tuple[int, float]:
    """The plain bulk-Cypher baseline: the store's final graph (dumped, then the store cleared) written
    back with `UNWIND $rows MERGE ... SET += row.props`, `batch` rows per transaction, per label/type.

    No validation, identity resolution or claim merging: it writes each node/edge once, the final
    state; returns (rows = nodes + edges, seconds)."""
    nodes, edges = store.dump()
    store.clear()
    primary = {n["uid"]: n["labels"][0] for n in nodes}
    node_groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for n in nodes:
        props = {k: v for k, v in n.items() if k != "labels"}
        node_groups.setdefault(tuple(n["labels"]), []).append({"uid": n["uid"], "props": props})
    edge_groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for rel, start, end, props in edges:
        edge_groups.setdefault((rel, primary[start], primary[end]), []).append(
            {"start": start, "end": end, "key": props.get("key", ""), "props": props})
    statements: list[tuple[str, list[dict[str, Any]]]] = []
    for labels, rows in node_groups.items():
        extra = "".join(f", n:`{x}`" for x in labels[1:])
        statements.append((f"UNWIND $rows AS row MERGE (n:`{labels[0]}` {{uid: row.uid}}) "
                           f"SET n += row.props{extra}", rows))
    for (rel, la, lb), rows in edge_groups.items():
        statements.append((f"UNWIND $rows AS row MATCH (a:`{la}` {{uid: row.start}}) MATCH (b:`{lb}` "
                           f"{{uid: row.end}}) MERGE (a)-[r:`{rel}` {{key: row.key}}]->(b) SET r += row.props", rows))
    driver = store.driver  # type: ignore[attr-defined]
    database = store.database  # type: ignore[attr-defined]
    start = time.perf_counter()
    with driver.session(database=database) as session:
        for query, rows in statements:
            for i in range(0, len(rows), batch):
                chunk = rows[i:i + batch]
                session.execute_write(lambda tx, q=query, c=chunk: tx.run(q, rows=c).consume())
    return len(nodes) + len(edges), time.perf_counter() - start


def table(header: list[str], rows: list[list[Any]]) -> str:
    cells = [header, *[[str(c) for c in r] for r in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    line = lambda r: "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))  # noqa: E731
    return "\n".join([line(cells[0]), "  ".join("-" * w for w in widths), *map(line, cells[1:])])


def main() -> None:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--naive-sample", type=int, default=500, help="rows for the per-row baseline")
    parser.add_argument("--compare-sequential", action="store_true",
                        help="also time the Neo4j ingest without overlapping writes (file after file)")
    args = parser.parse_args()
    run = start_run()
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        workdir = Path(tmp)
        out, truth = dataset(args, workdir)
        print(f"data set: {args.provinces} provinces x {args.communes_per_province} communes, "
              f"{args.resolutions} resolutions: {truth.institutions} institutions, {truth.documents} documents, "
              f"{len(truth.files)} files")
        results: list[list[Any]] = []
        project_neo4j = naive_rate = unwind_rate = None
        spent: float | None = None  # CPU us per row of the project ingest into Neo4j, client + server

        def row(label: str, rows: int, m: CpuMeter) -> list[Any]:
            return [label, rows, f"{m.wall_s:.2f}", f"{rows / m.wall_s:,.0f}", us_per_row(m.client_s, rows),
                    us_per_row(m.server_s, rows), us_per_row(m.total_s, rows)]

        with stores(args.stores, workdir) as opened:
            for name, store in opened.items():
                pid = SERVER_PID["neo4j"] if name == "neo4j" else None
                if name == "neo4j" and args.compare_sequential:
                    with CpuMeter(pid) as m:
                        rows, _ = ingest_all(store, out, truth, overlap=False)
                    results.append(row("neo4j (project ingest, one file after the other)", rows, m))
                    store.clear()
                with CpuMeter(pid) as m:
                    rows, _ = ingest_all(store, out, truth)
                results.append(row(f"{name} (project ingest{', overlapped' if name == 'neo4j' else ''})", rows, m))
                if name == "neo4j":
                    project_neo4j = rows / m.wall_s
                    spent = m.total_s / rows * 1e6 if m.total_s is not None else None
                    try:
                        with CpuMeter(pid) as m:
                            urows, _ = unwind_merge(store)
                        unwind_rate = urows / m.wall_s
                        results.append(row("neo4j (plain UNWIND MERGE, 1000 rows/tx)", urows, m))
                    except Exception as exc:  # a failing baseline must not lose the other figures
                        print(f"UNWIND MERGE baseline failed: {exc!r}", flush=True)
                    sample = naive_rows(args.naive_sample, out, truth)
                    store.clear()
                    with CpuMeter(pid) as m:
                        naive_ingest(store, sample)
                    naive_rate = len(sample) / m.wall_s
                    results.append(row("neo4j (naive MERGE per tx)", len(sample), m))
                    store.clear()
        print(table(["ingest", "rows", "seconds", "rows/s", "client CPU us/row", "Neo4j CPU us/row", "CPU us/row"],
                    results))
        end_run(run)
        if spent is not None:
            print(f"CPU budget of {TARGET:,} rows/s on this machine's cores: {budget_us(TARGET):.1f} us/row; "
                  f"the project ingest into Neo4j spent {spent:.1f} = {spent / budget_us(TARGET):.2f}x the budget")
        if project_neo4j and naive_rate:
            print(f"neo4j project ingest vs naive per-row baseline: {project_neo4j:,.0f} vs {naive_rate:,.0f} rows/s "
                  f"= {project_neo4j / naive_rate:.1f}x")
        if project_neo4j and unwind_rate:
            print(f"neo4j project ingest vs plain UNWIND MERGE: {project_neo4j:,.0f} vs {unwind_rate:,.0f} rows/s "
                  f"= {project_neo4j / unwind_rate:.2f}x")


if __name__ == "__main__":
    main()
