"""A bulk-loaded Neo4j that stays up: for the benches' ``--neo4j-uri``, and for A/B runs of two checkouts
against one warmed server (issue #9).

    python -m bench.serve_neo4j --size 1m --home /tmp/kg-1m [--port 17687]

The first run with a ``--home`` generates the data set (``KG_BENCH_CACHE`` keeps it between runs),
ingests it into the memory store, exports it (``kg export --neo4j-import``) and imports it
(``neo4j-admin database import full``) into that home, then applies the schema (post-import). A later
run with the same home and data set starts on the imported store. Prints ``READY bolt://...`` and
serves until interrupted (Ctrl-C or SIGTERM), then stops the server. Page cache and heap:
``KG_BENCH_PAGECACHE`` / ``KG_BENCH_HEAP`` (default 4g / 2g).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import apply_size, dataset, dataset_args, memory_store, size_args  # noqa: E402

MARKER = "bench-dataset.json"  # in the home: which data set its store holds


def _load(args: argparse.Namespace, home: Path, key: dict[str, object]) -> None:
    """Generate, ingest, export (into ``home/import``, post-import.cypher included) and import into ``home``."""
    from graph.export import POST_IMPORT, write_neo4j_import
    from tests.neo4j_harness.admin import admin_import

    with tempfile.TemporaryDirectory(prefix="kg-serve-") as tmp:
        out, truth = dataset(args, Path(tmp))
        store, rows, _ = memory_store(out, truth, None)
        print(f"data set: {truth.documents:,} documents, {rows:,} rows", flush=True)
        export = write_neo4j_import(store, home / "import")
        del store
        report = admin_import(export, home)
        print(f"imported {report.nodes:,} nodes, {report.relationships:,} relationships "
              f"in {report.seconds:.1f} s", flush=True)
    for path in (home / "import").iterdir():  # the CSVs are in the store now; the schema is still to run
        if path.name != POST_IMPORT and path.is_file():
            path.unlink()
    (home / MARKER).write_text(json.dumps({**key, "documents": truth.documents, "post_import": False}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    dataset_args(parser)
    parser.add_argument("--home", type=Path, required=True, help="the Neo4j home to import into, or reuse")
    parser.add_argument("--port", type=int, default=0, help="Bolt port on 127.0.0.1 (default: a free one)")
    size_args(parser)
    args = parser.parse_args()
    apply_size(args)
    key = {k: getattr(args, k) for k in ("provinces", "communes_per_province", "resolutions", "coverage", "seed")}
    home = args.home.resolve()
    marker = home / MARKER
    if marker.exists():
        held = json.loads(marker.read_text())
        if {k: held.get(k) for k in key} != key:
            raise SystemExit(f"{home} holds another data set ({held}); choose another --home")
    else:
        if home.exists() and any(home.iterdir()):
            raise SystemExit(f"{home} is not empty and holds no bench data set; choose another --home")
        home.mkdir(parents=True, exist_ok=True)
        _load(args, home, key)

    from neo4j import GraphDatabase

    from graph.export import read_post_import, run_post_import
    from tests.neo4j_harness.admin import ImportedNeo4j

    server = ImportedNeo4j(home, bolt_port=args.port, pagecache=os.environ.get("KG_BENCH_PAGECACHE", "4g"),
                           heap=os.environ.get("KG_BENCH_HEAP", "2g"))

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    server.start()
    try:
        held = json.loads(marker.read_text())
        if not held["post_import"]:  # the schema, once, on the started database
            with GraphDatabase.driver(server.bolt_uri) as driver:
                run_post_import(driver, read_post_import(home / "import"))
            marker.write_text(json.dumps({**held, "post_import": True}))
        print(f"READY {server.bolt_uri}", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
