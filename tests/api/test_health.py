from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from graph.neo4j_store import Neo4jStore
from graph.settings import Settings


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
