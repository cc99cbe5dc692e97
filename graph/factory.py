"""Open the store the settings choose."""

from __future__ import annotations

from graph.settings import Settings
from graph.store import GraphStore


def open_store(settings: Settings, schema: bool = True) -> GraphStore:
    """The store, with its schema ensured unless ``schema`` is false (the API starts without a server
    and ensures it once the server answers)."""
    if settings.kg_store == "neo4j":
        from graph.neo4j_store import Neo4jStore

        store: GraphStore = Neo4jStore(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password,
            settings.neo4j_database,
            batch_size=settings.kg_batch_size,
            query_timeout=settings.neo4j_query_timeout,
        )
    else:
        from graph.memory import MemoryStore

        store = MemoryStore(settings.kg_data)
    if schema:
        store.ensure_schema()
    return store
