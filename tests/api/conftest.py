from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.settings import Settings
from graph.store import GraphStore


@pytest.fixture
def client(demo_store: GraphStore) -> Iterator[TestClient]:
    """The ASGI app over a demo-loaded store of each kind (writes disabled)."""
    app = create_app(store=demo_store, settings=Settings(kg_api_key=None))
    with TestClient(app) as c:
        yield c


@pytest.fixture
def write_client(demo_store: GraphStore) -> Iterator[TestClient]:
    app = create_app(store=demo_store, settings=Settings(kg_api_key="test-key"))
    with TestClient(app) as c:
        yield c
