"""Two writers on one graph (two API workers, the CLI beside a server): a batch built on a graph that
another writer changed before it was applied is built again, never applied over the other's write."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from graph.model import Batch
from graph.store import GraphStore, StoreConflict
from ingest.files import read_dataset
from ingest.loader import IngestReport, apply_built, build_batch, ingest_path
from ingest.overlap import ingest_files


def _other_writer(store: GraphStore) -> GraphStore:
    """A second handle on the same graph, as another process would open it."""
    if store.kind == "memory":
        from graph.memory import MemoryStore

        return MemoryStore(store.path)  # type: ignore[attr-defined]
    from graph.neo4j_store import Neo4jStore

    return Neo4jStore(store._uri, driver=store.driver, database=store.database)  # type: ignore[attr-defined]


def _file(tmp_path: Path, name: str, source: str, short_name: str) -> Path:
    path = tmp_path / name
    path.write_text(f"sources: [{{id: {source}, title: Source {source}}}]\n"
                    f"institutions: [{{id: quan-uy-quan-1, name: Quận ủy Quận 1, short_name: {short_name}, "
                    f"source: {source}}}]\n", encoding="utf-8")
    return path


def test_a_write_while_a_file_is_resolved_is_kept(store: GraphStore, tmp_path: Path) -> None:
    """Another writer writes while this file is being resolved. Neo4j lets it commit, refuses this
    file's batch (built on the older graph) and the file is built again, from the same records; the
    embedded store makes it wait until this file is written. Either way both writers' claims stay."""
    other = _other_writer(store)
    mine = read_dataset(_file(tmp_path, "a.yaml", "s1", "QU Q1"))
    theirs = _file(tmp_path, "b.yaml", "s2", "QU-Q1")
    builds = 0
    writer = threading.Thread(target=ingest_path, args=(other, theirs))

    def build() -> tuple[Batch, IngestReport]:
        nonlocal builds
        builds += 1
        built = build_batch(store, mine)  # the same records each time
        if builds == 1:
            writer.start()
            writer.join(timeout=1)  # Neo4j: committed by now; the embedded store: waiting for the lock
        return built

    apply_built(store, build)
    writer.join()
    assert builds == (2 if store.kind == "neo4j" else 1)
    node = store.get_nodes(["quan-uy-quan-1"])["quan-uy-quan-1"]
    assert sorted(node["sources"]) == ["src-s1", "src-s2"] and node["conflicts"] == ["short_name"]
    assert other.get_nodes(["quan-uy-quan-1"])["quan-uy-quan-1"] == node


def test_a_stale_batch_is_refused_and_writes_nothing(store: GraphStore, tmp_path: Path) -> None:
    other = _other_writer(store)
    based_on = store.version() or ""
    batch, _ = build_batch(store, read_dataset(_file(tmp_path, "a.yaml", "s1", "QU Q1")))
    ingest_path(other, _file(tmp_path, "b.yaml", "s2", "QU-Q1"))
    before = other.dump()
    batch.based_on = based_on
    with pytest.raises(StoreConflict):
        store.apply(batch)
    assert store.dump() == before


def test_overlapped_ingest_builds_a_file_again_after_another_writer(store: GraphStore, tmp_path: Path) -> None:
    other = _other_writer(store)
    files = [_file(tmp_path, f"{n}.yaml", f"s{n}", f"QU {n}") for n in range(1, 4)]
    results = ingest_files(store, files, overlap=True)
    first = next(results)  # file 1 committed, file 2's write pending (or done) on a view of it
    assert isinstance(first[1], IngestReport)
    ingest_path(other, _file(tmp_path, "x.yaml", "sx", "QU X"))
    rest = list(results)
    assert [path for path, _ in rest] == files[1:] and all(isinstance(r, IngestReport) for _, r in rest)
    node = store.get_nodes(["quan-uy-quan-1"])["quan-uy-quan-1"]
    assert set(node["sources"]) == {"src-s1", "src-s2", "src-s3", "src-sx"}
