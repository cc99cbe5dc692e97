"""Ingest a sequence of structured files, each atomically, overlapping writes with resolution.

File N+1 is read, validated and resolved (Python, one core) while file N's transaction runs on
the server (the other core), against a :class:`graph.overlay.PendingView` that already shows
file N. Each file is still one all-or-nothing write, applied in order, so the result is the
graph that ingesting the files one by one gives; a file that fails validation is reported and
skipped, as one by one. A failed *write* raises, and nothing after that file is written.

The embedded store gains nothing from this (its writes are Python too): it ingests one by one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from graph.model import Batch
from graph.overlay import PendingView
from graph.store import GraphStore, StoreConflict
from ingest.files import IngestError, read_dataset
from ingest.loader import IngestReport, build_batch, ingest_path

Result = IngestReport | IngestError


def ingest_files(store: GraphStore, paths: Iterable[str | Path], overlap: bool | None = None
                 ) -> Iterator[tuple[Path, Result]]:
    """Ingest ``paths`` in order; yield ``(path, report or IngestError)`` for each, in order, once
    its write has committed. ``overlap``: default on for Neo4j, off for the embedded store."""
    if overlap is None:
        overlap = store.kind == "neo4j"
    if not overlap:
        for path in map(Path, paths):
            yield path, _one(store, path)
        return
    # Each batch is checked against the version the previous one leaves (Batch.version, chosen here),
    # so another writer's commit in between is a StoreConflict, not a lost update.
    queue = [Path(p) for p in paths]
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-ingest-write") as writer:
        pending: tuple[Path, Batch, IngestReport, Future[None]] | None = None
        based_on = store.version() or ""
        at = 0
        while at < len(queue):
            path = queue[at]
            view = PendingView(store, [pending[1]]) if pending is not None else store
            result: Result
            try:
                batch, result = build_batch(view, read_dataset(path))
            except IngestError as exc:
                batch, result = None, exc
            except BaseException:  # the store failed a read: the pending write is reported first
                if pending is not None:
                    pending[3].result()  # its own failure, if any, is the one raised
                    yield pending[0], pending[2]
                raise
            if pending is not None:
                done_path, _, done_report, future = pending
                pending = None
                try:
                    future.result()  # a failed write raises here: nothing built on it is written
                except StoreConflict:  # that file's batch, and this one, rest on an older graph
                    yield done_path, _one(store, done_path)
                    based_on = store.version() or ""
                    continue  # this file again, built on the graph as it is now
                yield done_path, done_report
            at += 1
            if batch is None:
                yield path, result
                continue
            assert isinstance(result, IngestReport)
            batch.based_on = based_on
            batch.version = based_on = uuid.uuid4().hex
            pending = (path, batch, result, writer.submit(store.apply, batch))
        if pending is not None:
            try:
                pending[3].result()
            except StoreConflict:
                yield pending[0], _one(store, pending[0])
                return
            yield pending[0], pending[2]


def _one(store: GraphStore, path: Path) -> Result:
    """One file, built and applied on its own (again after a conflict: ingest.loader.apply_built)."""
    try:
        return ingest_path(store, path)
    except IngestError as exc:
        return exc
