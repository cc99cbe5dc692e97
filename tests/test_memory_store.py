"""Memory-store specifics: the JSON Lines file, sharing of repeated values, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.memory import MemoryStore
from graph.store import StoreError
from ingest.loader import ingest_path
from tests.conftest import load_demo


def test_reload_gives_the_same_graph_and_shared_lists_stay_independent(tmp_path: Path) -> None:
    path = tmp_path / "kg.json"
    store = MemoryStore(path)
    load_demo(store)
    before = store.dump()
    reloaded = MemoryStore(path)
    assert reloaded.dump() == before
    a, b = "quan-uy-quan-1", "quan-uy-quan-3"
    assert reloaded.graph.nodes[a]["sources"] is reloaded.graph.nodes[b]["sources"]  # shared on load
    extra = tmp_path / "extra.yaml"
    extra.write_text("sources: [{id: other, title: Another source}]\n"
                     "institutions: [{id: quan-uy-quan-1, name: Quận ủy Quận 1, source: other}]\n", encoding="utf-8")
    ingest_path(reloaded, extra)
    assert reloaded.graph.nodes[a]["sources"] == ["src-illustrative-hcmc", "src-other"]
    assert reloaded.graph.nodes[b]["sources"] == ["src-illustrative-hcmc"]


def test_a_damaged_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "kg.json"
    load_demo(MemoryStore(path))
    lines = path.read_bytes().splitlines()
    path.write_bytes(b"\n".join([*lines[:3], b"{not json", *lines[4:]]))
    with pytest.raises(StoreError, match=r"kg.json: line 4"):
        MemoryStore(path)
    path.write_bytes(b'{"version": 99}\n')
    with pytest.raises(StoreError, match="format"):
        MemoryStore(path)
