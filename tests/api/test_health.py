from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from graph.neo4j_store import Neo4jStore
from graph.settings import Settings


def test_health(client: TestClient) -> None:
    store_kind = client.app.state.store.kind  # type: ignore[attr-defined]
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "store": store_kind}


def test_health_503_when_neo4j_is_unreachable() -> None:
    store = Neo4jStore("bolt://127.0.0.1:9", batch_size=10)
    app = create_app(store=store, settings=Settings())
    with TestClient(app) as client:
        response = client.get("/health")
    store.close()
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 503 and body["store"] == "neo4j"
    assert "unreachable" in body["detail"]


def test_cached_route_503_when_neo4j_is_unreachable() -> None:
    """The cache's version read (on the event loop, Neo4j's async driver) fails as a problem, not a 500."""
    store = Neo4jStore("bolt://127.0.0.1:9", batch_size=10)
    app = create_app(store=store, settings=Settings())
    with TestClient(app) as client:
        response = client.get("/documents/52-nq-tw.bo-chinh-tri.2019/lineage")
    store.close()
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "unreachable" in response.json()["detail"]
