"""Overlapped multi-file ingest (ingest/overlap.py): file N+1 is resolved against a view that shows
file N while N is still being written. The graph must be the one that one-by-one ingest gives."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest

from graph.memory import MemoryStore
from graph.model import Batch, Props
from graph.overlay import PendingView
from graph.store import GraphStore, StoreError, project
from ingest.files import IngestError
from ingest.generate import generate
from ingest.loader import IngestReport, ingest_path
from ingest.overlap import ingest_files
from tests.conftest import DEMO_DIR, load_demo

SMALL = {"provinces": 3, "communes_per_province": 4, "resolutions": 2, "coverage": 0.8}


def _files(tmp_path: Path) -> list[Path]:
    """The demo chain (its later files re-claim, fulfil and implement what earlier ones wrote), then a
    generated national set (each resolution file refers to the institutions of the file before)."""
    truth = generate(tmp_path / "generated", seed=5, **SMALL)
    return sorted(DEMO_DIR.glob("*.yaml")) + [tmp_path / "generated" / name for name in truth.files]


def _sequential(files: list[Path]) -> MemoryStore:
    reference = MemoryStore(None)
    for path in files:
        ingest_path(reference, path)
    return reference


def test_overlapped_ingest_gives_the_graph_of_one_by_one_ingest(store: GraphStore, tmp_path: Path) -> None:
    files = _files(tmp_path)
    results = list(ingest_files(store, files, overlap=True))
    assert [path for path, _ in results] == files
    assert all(isinstance(r, IngestReport) for _, r in results)
    assert store.dump() == _sequential(files).dump()


def test_a_bad_file_is_reported_in_its_place_and_the_rest_still_lands(store: GraphStore, tmp_path: Path) -> None:
    good = sorted(DEMO_DIR.glob("*.yaml"))
    bad = tmp_path / "bad.yaml"
    bad.write_text("documents:\n  - {code: 9-KH/TU, issuer: no-such-body, issued_on: 2020-01-01}\n", encoding="utf-8")
    files = [good[0], bad, *good[1:]]
    results = list(ingest_files(store, files, overlap=True))
    assert [path for path, _ in results] == files
    assert isinstance(results[1][1], IngestError)
    assert "no-such-body" in str(results[1][1])
    assert all(isinstance(r, IngestReport) for i, (_, r) in enumerate(results) if i != 1)
    assert store.dump() == _sequential(good).dump()


class _FailingSecondWrite(MemoryStore):
    def __init__(self) -> None:
        super().__init__(None)
        self.writes = 0

    def apply(self, batch: Batch) -> None:
        self.writes += 1
        if self.writes == 2:
            raise StoreError("the server went away")
        super().apply(batch)


def test_a_failed_write_raises_and_nothing_built_on_it_is_written() -> None:
    files = sorted(DEMO_DIR.glob("*.yaml"))
    store = _FailingSecondWrite()
    results = ingest_files(store, files, overlap=True)
    first = next(results)
    assert first[0] == files[0] and isinstance(first[1], IngestReport)
    with pytest.raises(StoreError, match="went away"):
        next(results)
    assert store.writes == 2  # the third file, resolved while the second was written, was not written
    assert store.dump() == _sequential(files[:1]).dump()


class _FailingRead(MemoryStore):
    """A store whose reads for the second demo file fail (the server went away mid-ingest)."""

    def get_nodes(self, uids: Iterable[str], fields: Sequence[str] | None = None) -> dict[str, Props]:
        wanted = list(uids)
        if "quan-uy-quan-1" in wanted:
            raise StoreError("the server went away")
        return super().get_nodes(wanted, fields)


def test_a_failed_read_reports_the_pending_write_first() -> None:
    """File 2's resolution fails while file 1's write is pending: file 1's outcome is still reported
    (it was written), then the failure is raised."""
    files = sorted(DEMO_DIR.glob("*.yaml"))
    store = _FailingRead(None)
    results = ingest_files(store, files, overlap=True)
    first = next(results)
    assert first[0] == files[0] and isinstance(first[1], IngestReport)
    with pytest.raises(StoreError, match="went away"):
        next(results)
    assert store.dump() == _sequential(files[:1]).dump()


class _SlowWrites(MemoryStore):
    """Writes that take a while, like a server's: the next file is resolved before this one lands."""

    def apply(self, batch: Batch) -> None:
        import time

        time.sleep(0.2)
        super().apply(batch)


def test_the_next_file_is_resolved_against_the_pending_write(tmp_path: Path) -> None:
    files = sorted(DEMO_DIR.glob("*.yaml"))
    store = _SlowWrites(None)
    results = list(ingest_files(store, files, overlap=True))
    assert all(isinstance(r, IngestReport) for _, r in results), results
    assert store.dump() == _sequential(files).dump()


def test_the_pending_view_reads_neighbours_lean_as_the_store_does(tmp_path: Path) -> None:
    store = MemoryStore(None)
    load_demo(store)
    nq52 = "52-nq-tw.bo-chinh-tri.2019"
    pending = Batch(nodes={"new-plan": {"uid": "new-plan", "status": "expected", "title": "Kế hoạch mới"}},
                    labels={"new-plan": ("Document",)},
                    edges={("IMPLEMENTS", "new-plan", nq52, ""): {"key": "", "sources": ["s"]}})
    view = PendingView(store, [pending])
    fields = ("status", "title")
    full = view.neighbours([nq52], "IMPLEMENTS", "in")
    lean = view.neighbours([nq52], "IMPLEMENTS", "in", fields=fields)
    assert "new-plan" in {n.other for n in lean}
    assert [(n.other, project(n.other_props, fields)) for n in full] == [(n.other, n.other_props) for n in lean]


def test_the_pending_view_finds_documents_by_code_and_issuer_in_its_batches_first(tmp_path: Path) -> None:
    store = MemoryStore(None)
    load_demo(store)
    nq52, issuer = "52-nq-tw.bo-chinh-tri.2019", "bo-chinh-tri"
    stored = store.get_nodes([nq52])[nq52]
    pending = Batch(nodes={
        "53-nq-tw.bo-chinh-tri.2019": {"uid": "53-nq-tw.bo-chinh-tri.2019", "code_key": "53-nq-tw",
                                       "issuer": issuer, "year": 2019},
        nq52: {**{k: v for k, v in stored.items() if k != "labels"}, "issuer": "ban-bi-thu"},
    }, labels={"53-nq-tw.bo-chinh-tri.2019": ("Document", "Resolution"), nq52: tuple(stored["labels"])})
    view = PendingView(store, [pending])
    fields = ("code_key", "issuer")
    assert [n["uid"] for n in view.documents_by_code_issuer([("53-nq-tw", issuer)], fields)] == \
        ["53-nq-tw.bo-chinh-tri.2019"]
    # the pending batch rewrites 52-NQ/TW with another issuer: the store's answer is hidden by it
    assert store.documents_by_code_issuer([("52-nq-tw", issuer)], fields)[0]["uid"] == nq52
    assert view.documents_by_code_issuer([("52-nq-tw", issuer)], fields) == []
    assert [n["uid"] for n in view.documents_by_code_issuer([("52-nq-tw", "ban-bi-thu")], fields)] == [nq52]
