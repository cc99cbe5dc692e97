"""Test fixtures: the two stores behind one parametrised fixture.

Neo4j is real: the session starts the neo4j-harness launcher in tests/neo4j_harness once
(or uses NEO4J_URI when set, e.g. the docker compose Neo4j). If it cannot start,
the Neo4j tests fail; they are skipped only with KG_SKIP_NEO4J=1, which CI never sets.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.memory import MemoryStore
from graph.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = ROOT / "ingest" / "data" / "demo"
STORES = ("memory", "neo4j")


@pytest.fixture(scope="session")
def neo4j_uri() -> Iterator[str]:
    if os.environ.get("KG_SKIP_NEO4J") == "1":
        pytest.skip("KG_SKIP_NEO4J=1: Neo4j tests skipped on request")
    uri = os.environ.get("NEO4J_URI")
    if uri:
        yield uri
        return
    from tests.neo4j_harness.harness import Neo4jHarness, build

    build()
    harness = Neo4jHarness()
    harness.start(timeout=180)
    try:
        yield harness.bolt_uri
    finally:
        harness.stop()


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_uri: str) -> Iterator[object]:
    from neo4j import GraphDatabase

    user, password = os.environ.get("NEO4J_USER"), os.environ.get("NEO4J_PASSWORD")
    driver = GraphDatabase.driver(neo4j_uri, auth=(user, password) if user and password else None)
    driver.verify_connectivity()
    if os.environ.get("NEO4J_URI") and os.environ.get("KG_TEST_CLEAR_NEO4J") != "1":
        # every Neo4j test starts by emptying the database: not a user's graph (the docker compose one,
        # or the one kg post-import filled: the app reads NEO4J_URI too)
        held = driver.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"]
        if held:
            driver.close()
            pytest.fail(f"NEO4J_URI={neo4j_uri} holds {held:,} nodes, and the tests empty the database: point "
                        "NEO4J_URI at a scratch database, or set KG_TEST_CLEAR_NEO4J=1 to let them", pytrace=False)
    yield driver
    if os.environ.get("NEO4J_URI"):  # left empty, as found (the harness's goes with it)
        with driver.session() as session:
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()
    driver.close()


def make_store(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> GraphStore:
    if kind == "memory":
        return MemoryStore(tmp_path / f"kg-{len(list(tmp_path.iterdir()))}.json")
    from graph.neo4j_store import Neo4jStore

    driver = request.getfixturevalue("neo4j_driver")
    store = Neo4jStore(request.getfixturevalue("neo4j_uri"), os.environ.get("NEO4J_USER"),
                       os.environ.get("NEO4J_PASSWORD"), driver=driver)
    store.ensure_schema()
    store.clear()
    return store


def fresh_plans(store: GraphStore) -> None:
    """Drop the Neo4j server's cached plans (a no-op on the memory store), for a test whose graph is
    adversarial to the cost model (ladders, dense cycles): its queries are planned on its own graph, not
    on whatever the previous test left. (The dense-cycles test also needs its filler documents: on eight
    documents each implementing the other seven, a fresh plan still matched trails between every pair.)"""
    driver = getattr(store, "driver", None)
    if driver is not None:
        driver.execute_query("CALL db.clearQueryCaches()", database_=getattr(store, "database", None))


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> GraphStore:
    """A fresh, empty store of each kind (the contract suite runs against both)."""
    return make_store(request.param, request, tmp_path)


def load_demo(store: GraphStore) -> None:
    from ingest.loader import ingest_path

    for path in sorted(DEMO_DIR.glob("*.yaml")):
        ingest_path(store, path)


def refused(store: GraphStore, path: Path, text: str) -> str:
    """Ingest ``text`` as the file ``path``, which must fail and leave the graph as it was: the error."""
    from ingest.files import IngestError
    from ingest.loader import ingest_path

    before = store.dump()
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IngestError) as err:
        ingest_path(store, path)
    assert store.dump() == before
    return str(err.value)


@pytest.fixture(params=STORES)
def demo_store(request: pytest.FixtureRequest, tmp_path: Path) -> GraphStore:
    store = make_store(request.param, request, tmp_path)
    load_demo(store)
    return store
