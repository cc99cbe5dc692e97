"""Bulk path benchmark: generate -> `kg export --neo4j-import` -> `neo4j-admin database import full`,
rows/s end to end (rows = nodes + relationships), against the issue's 150k rows/s target.

    python -m bench.bulk_bench --size 100k          # or --communes-per-province N --resolutions R

The source graph is the project's ingest into the memory store (timed separately: it is not
part of the bulk path). neo4j-admin runs from the harness's jars with NEO4J_HOME in a temp folder;
then a Neo4j server is started on the imported store and post-import.cypher (schema)
is run and counted as well.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    apply_size,
    bulk_neo4j,
    dataset,
    dataset_args,
    end_run,
    memory_store,
    save,
    size_args,
    start_run,
)
from bench.cpu import budget_us, us_per_row  # noqa: E402
from bench.ingest_bench import table  # noqa: E402

TARGET = 150_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    dataset_args(parser, 100, 2)
    size_args(parser)
    args = parser.parse_args()
    apply_size(args)
    run = start_run()
    with tempfile.TemporaryDirectory(prefix="kg-bulk-") as tmp:
        workdir = Path(tmp)
        start = time.perf_counter()
        out, truth = dataset(args, workdir)
        t_gen = time.perf_counter() - start
        store, rows, t_ingest = memory_store(out, truth, None)
        print(f"data set: {args.provinces} provinces x {args.communes_per_province} communes, {args.resolutions} "
              f"resolutions: {truth.institutions} institutions, {truth.documents} documents")
        t: dict[str, float] = {}
        with bulk_neo4j(store, workdir, timings=t) as uri:
            from neo4j import GraphDatabase

            driver = GraphDatabase.driver(uri)
            n_nodes = driver.execute_query("MATCH (n) WHERE NOT n:KgMeta RETURN count(n) AS n").records[0]["n"]
            n_rels = driver.execute_query("MATCH ()-[r]->() RETURN count(r) AS n").records[0]["n"]
            driver.close()
        total = int(t["rows"])
        assert total == n_nodes + n_rels, (total, n_nodes, n_rels)
        bulk = t["export"] + t["import"]
        full = bulk + t["post_import"]
        cpu = t["export_cpu"] + t["import_cpu"]
        results = [
            ["generate (JSON files)", truth.documents, f"{t_gen:.2f}", "", "", ""],
            ["project ingest into memory (source)", rows, f"{t_ingest:.2f}", f"{rows / t_ingest:,.0f}", "", ""],
            ["kg export --neo4j-import", total, f"{t['export']:.2f}", f"{total / t['export']:,.0f}",
             f"{t['export_cpu']:.2f}", us_per_row(t["export_cpu"], total)],
            ["neo4j-admin database import full", total, f"{t['import']:.2f}", f"{total / t['import']:,.0f}",
             f"{t['import_cpu']:.2f}", us_per_row(t["import_cpu"], total)],
            ["export + import (end to end)", total, f"{bulk:.2f}", f"{total / bulk:,.0f}", f"{cpu:.2f}",
             us_per_row(cpu, total)],
            ["server start on imported store", "", f"{t['start']:.2f}", "", "", ""],
            ["post-import.cypher (schema)", total, f"{t['post_import']:.2f}", "", "", ""],
            ["export + import + post-import", total, f"{full:.2f}", f"{total / full:,.0f}", "", ""],
        ]
        print(table(["stage", "rows", "seconds", "rows/s", "CPU s", "CPU us/row"], results))
        save(args.json, "bulk", [{"documents": truth.documents, "rows": total, "nodes": n_nodes,
                                  "relationships": n_rels, "export_s": t["export"], "import_s": t["import"],
                                  "post_import_s": t["post_import"], "export_cpu_s": t["export_cpu"],
                                  "import_cpu_s": t["import_cpu"], "rows_per_s": total / bulk,
                                  "rows_per_s_with_post": total / full}], end_run(run))
        budget = budget_us(TARGET)
        print(f"CPU budget of {TARGET:,} rows/s on this machine's cores: {budget:.1f} us/row; the bulk path spent "
              f"{cpu / total * 1e6:.1f} (export {us_per_row(t['export_cpu'], total)} + neo4j-admin "
              f"{us_per_row(t['import_cpu'], total)}) = {cpu / total * 1e6 / budget:.2f}x the budget")
        print(f"bulk path end to end (export + neo4j-admin import): {total / bulk:,.0f} rows/s vs target "
              f"{TARGET:,} = {total / bulk / TARGET:.2f}x (with post-import {total / full:,.0f} rows/s)")


if __name__ == "__main__":
    main()
