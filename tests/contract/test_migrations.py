"""Graphs written by earlier versions: each store derives what this version keeps, once."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson
import pytest

from graph import snapshot
from graph.memory import MemoryStore
from graph.store import GraphStore
from ingest.loader import ingest_path
from tests.conftest import make_store

JOINT = """source: j
sources: [{id: j, title: joint}]
institutions:
  - {id: mm-ubnd, name: UBND MM}
  - {id: aa-mttq, name: MTTQ AA}
documents:
  - {code: 52-NQ/TW, type: resolution, issuer: mm-ubnd, issued_on: 2019-09-27}
  - {code: 7/KH-MM, type: plan, issuer: mm-ubnd, issued_on: 2020-03-01, implements: [52-NQ/TW]}
  - {id: exp-1, type: plan, status: expected, owner: mm-ubnd, implements: [52-NQ/TW]}
relations:
  - {type: ISSUED_BY, from: 7/KH-MM, to: aa-mttq}
"""
PLAN, RESOLUTION = "7-kh-mm.mm-ubnd.2020", "52-nq-tw.mm-ubnd.2019"
SHOWN = {PLAN: "aa-mttq", RESOLUTION: "mm-ubnd", "exp-1": None}


def _shown(store: GraphStore) -> dict[str, Any]:
    """What the store holds and what documents and lineage show, per document."""
    nodes = store.get_nodes(SHOWN)
    rows = store.run("documents", {"words": None, "code_key": None, "type": None, "issuer": None, "status": None,
                                   "uids": None, "after": None, "limit": 10})
    view = store.run("lineage", {"document": RESOLUTION, "up": 0, "down": 1})[0]
    lineage = {n[0]: n[6] for n in view["nodes"]}
    return {r["uid"]: (nodes[r["uid"]].get("shown_issuer"), r["issuer"], lineage[r["uid"]]) for r in rows}


EXPECTED = {uid: (shown, shown, shown) for uid, shown in SHOWN.items()}


@pytest.mark.parametrize("kind", ["memory", "neo4j"])
def test_documents_written_before_shown_issuer_get_it(kind: str, request: pytest.FixtureRequest,
                                                      tmp_path: Path) -> None:
    store = make_store(kind, request, tmp_path)
    (tmp_path / "joint.yaml").write_text(JOINT, encoding="utf-8")
    ingest_path(store, tmp_path / "joint.yaml")
    assert _shown(store) == EXPECTED
    if isinstance(store, MemoryStore):
        assert store.path is not None
        store.close()
        # the file as the previous version wrote it: no shown_issuer; and no snapshot of this file
        lines = store.path.read_bytes().splitlines()
        old = [orjson.dumps([item[0], item[1], {k: v for k, v in item[2].items() if k != "shown_issuer"}])
               if (item := orjson.loads(line)) and isinstance(item, list) and item[0] == "n" else line
               for line in lines]
        assert old != lines
        store.path.write_bytes(b"\n".join(old) + b"\n")
        snapshot.path_for(store.path).unlink(missing_ok=True)
        reopened = MemoryStore(store.path)  # reads the file, then writes the snapshot
        assert _shown(reopened) == EXPECTED
        assert snapshot.path_for(store.path).exists()
        assert _shown(MemoryStore(store.path)) == EXPECTED  # from the snapshot
        return
    driver: Any = request.getfixturevalue("neo4j_driver")
    driver.execute_query("MATCH (d:Document) REMOVE d.shown_issuer")
    driver.execute_query("MATCH (m:KgMeta) REMOVE m.migrations")
    before = store.version()
    assert {uid: shown[0] for uid, shown in _shown(store).items()} == dict.fromkeys(SHOWN)
    store.ensure_schema()
    assert _shown(store) == EXPECTED
    assert store.version() != before  # answers cached before it are not served again
    # done once: a second start-up only reads the marker (a document without it stays so)
    driver.execute_query("MATCH (d:Document {uid: $uid}) REMOVE d.shown_issuer", uid=RESOLUTION)
    store.ensure_schema()
    assert store.get_nodes([RESOLUTION])[RESOLUTION].get("shown_issuer") is None


def test_two_processes_starting_on_an_old_graph_both_migrate_it(request: pytest.FixtureRequest,
                                                                tmp_path: Path) -> None:
    """Two API workers start at once: each ensures the schema, and both succeed with one answer."""
    from concurrent.futures import ThreadPoolExecutor

    from graph.neo4j_store import Neo4jStore

    store = make_store("neo4j", request, tmp_path)
    (tmp_path / "joint.yaml").write_text(JOINT, encoding="utf-8")
    ingest_path(store, tmp_path / "joint.yaml")
    driver: Any = request.getfixturevalue("neo4j_driver")
    driver.execute_query("MATCH (d:Document) REMOVE d.shown_issuer")
    driver.execute_query("MATCH (m:KgMeta) REMOVE m.migrations")
    uri = request.getfixturevalue("neo4j_uri")
    workers = [Neo4jStore(uri, os.environ.get("NEO4J_USER"), os.environ.get("NEO4J_PASSWORD")) for _ in range(2)]
    try:
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda s: s.ensure_schema(), workers))
    finally:
        for worker in workers:
            worker.close()
    assert _shown(store) == EXPECTED
    marked = driver.execute_query("MATCH (m:KgMeta) RETURN m.migrations AS done").records
    assert [r["done"] for r in marked] == [["shown_issuer"]]

