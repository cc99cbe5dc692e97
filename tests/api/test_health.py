from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph import queries
from graph.factory import open_store
from graph.memory import MemoryStore
from graph.neo4j_store import Neo4jStore
from graph.settings import Settings
from graph.store import StoreTimeout
from tests.conftest import load_demo


def test_health(client: TestClient) -> None:
    store_kind = client.app.state.store.kind  # type: ignore[attr-defined]
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "store": store_kind}
    head = client.head("/health")  # a load balancer's probe
    assert head.status_code == 200 and head.content == b""


def _unreachable(url: str) -> dict[str, object]:
    """GET url on an app whose Neo4j cannot be reached: a 503 problem saying so."""
    store = Neo4jStore("bolt://127.0.0.1:9", batch_size=10)
    app = create_app(store=store, settings=Settings())
    with TestClient(app) as client:
        response = client.get(url)
    store.close()
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = response.json()
    assert "unreachable" in str(body["detail"])
    return body


def test_health_503_when_neo4j_is_unreachable() -> None:
    body = _unreachable("/health")
    assert body["status"] == 503 and body["store"] == "neo4j"


def test_cached_route_503_when_neo4j_is_unreachable() -> None:
    """The cache's version read (on the event loop, Neo4j's async driver) fails as a problem, not a 500."""
    _unreachable("/documents/52-nq-tw.bo-chinh-tri.2019/lineage")


def test_the_api_starts_while_neo4j_is_down_and_answers_503(tmp_path: Path) -> None:
    """No server on the port: the app still starts (it used to exit), and every route says 503."""
    settings = Settings(kg_store="neo4j", neo4j_uri="bolt://127.0.0.1:1", kg_data=tmp_path / "unused.jsonl")
    with TestClient(create_app(settings=settings)) as client:
        health = client.get("/health")
        assert health.status_code == 503 and health.headers["content-type"] == "application/problem+json"
        assert "Neo4j unreachable" in health.json()["detail"]
        lineage = client.get("/documents/52-nq-tw.bo-chinh-tri.2019/lineage")
        assert lineage.status_code == 503


# ~10^9 rows: minutes of work for the server, unless something stops it
RUNAWAY = ("// runaway: counts nothing for a long time\n"
           "UNWIND range(1, 1000000000) AS x WITH x WHERE x < 0 RETURN count(x) AS n\n")


def test_a_runaway_named_query_is_stopped_at_the_query_timeout(neo4j_uri: str, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    """NEO4J_QUERY_TIMEOUT reaches the server with each named query: one running past it is stopped there
    (the server checks every ~2 s), not retried, its plan is logged, and the store answers the next read."""
    (tmp_path / "runaway.cypher").write_text(RUNAWAY, encoding="utf-8")
    monkeypatch.setattr(queries, "QUERIES_DIR", tmp_path)
    queries.load.cache_clear()
    settings = Settings(kg_store="neo4j", neo4j_uri=neo4j_uri, neo4j_user=os.environ.get("NEO4J_USER"),
                        neo4j_password=os.environ.get("NEO4J_PASSWORD"), neo4j_query_timeout=0.5)
    store = open_store(settings, schema=False)
    try:
        started = time.monotonic()
        with pytest.raises(StoreTimeout, match=r"longer than 0\.5 s \(NEO4J_QUERY_TIMEOUT\)"):
            store.run("runaway", {})
        assert time.monotonic() - started < 30
        logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "policy-kg")
        assert "named query runaway timed out" in logged and "Unwind" in logged  # the plan's operators
        assert store._read("RETURN 1 AS one") == [{"one": 1}]  # type: ignore[attr-defined]
    finally:
        store.close()
        queries.load.cache_clear()


class _TimingOut(MemoryStore):
    """The demo graph, every named query of which runs past the timeout (as Neo4jStore raises it)."""

    def run(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        raise StoreTimeout("Neo4j stopped a query that ran longer than 60 s (NEO4J_QUERY_TIMEOUT)")


@pytest.mark.parametrize("cache", [False, True])
def test_a_timed_out_query_is_a_504_problem(tmp_path: Path, cache: bool) -> None:
    store = _TimingOut(tmp_path / "kg.jsonl")
    load_demo(store)
    with TestClient(create_app(store=store, settings=Settings(kg_api_cache=cache))) as client:
        response = client.get("/documents/52-nq-tw.bo-chinh-tri.2019/lineage")
    assert response.status_code == 504, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Query timed out" and "NEO4J_QUERY_TIMEOUT" in response.json()["detail"]
