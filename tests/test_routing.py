"""The routing-aware code path (`neo4j://` URI, reads with routing_=READ) against the single harness.

A cluster or Aura is reached with a `neo4j://` (or `neo4j+s://`) URI: the driver fetches a
routing table and sends `execute_query(..., routing_=READ)` to readers, writes to the leader.
A single instance answers the routing procedure too, so the same path runs here.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest

from tests.conftest import load_demo


def routing_uri(uri: str) -> str:
    parts = urlsplit(uri)
    if parts.scheme not in ("bolt", "neo4j"):
        pytest.skip(f"routing test needs a bolt:// or neo4j:// URI, got {parts.scheme}://")
    return f"neo4j://{parts.netloc}"


def test_neo4j_routing_uri_reads_and_writes(neo4j_uri: str) -> None:
    from graph.neo4j_store import Neo4jStore

    uri = routing_uri(neo4j_uri)
    store = Neo4jStore(uri, os.environ.get("NEO4J_USER"), os.environ.get("NEO4J_PASSWORD"))
    try:
        store.ensure_schema()
        store.clear()
        load_demo(store)  # writes: managed write transactions routed to the leader (the instance)
        rows = store.run("lineage_up", {"document": "15-kh-bcsd.ban-can-su-dang-bo-cong-thuong.2020", "depth": 5})
        assert "52-nq-tw.bo-chinh-tri.2019" in {row["target"] for row in rows}, rows
        assert store.stats().total_nodes > 0  # a routed read (routing_=READ)
        # the routing table the driver fetched names this instance as reader and writer
        table = store.driver.execute_query("CALL dbms.routing.getRoutingTable({})").records[0]
        roles = {server["role"] for server in table["servers"]}
        assert {"READ", "WRITE", "ROUTE"} <= roles
    finally:
        store.clear()
        store.close()
