"""Embedded store: a networkx MultiDiGraph persisted to one JSON Lines file.

The file is replaced atomically (write a temporary file in the same folder,
fsync, rename), so a crash never leaves a half-written graph. A process that
holds the store open reloads the file when another process replaced it.
The graph shares its repeated structures and leaves out derived attributes
(graph.shared_graph: reads give them back), and a binary snapshot beside the
file makes large loads fast (graph.snapshot).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import tempfile
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import networkx as nx
import orjson

from graph import heap, memory_queries, snapshot
from graph.model import Batch, Props
from graph.shared_graph import DERIVED, FROM_EDGES, PACKED, GraphWriter, restored, unpack, unpacked
from graph.shared_graph import Compactor as _Compactor
from graph.store import EdgeId, GraphStore, Neighbour, Stats, StoreConflict, StoreError, project
from graph.text import search_text

try:
    import fcntl
except ImportError:  # not POSIX: no lock between processes
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")


def _locked(method: Callable[Concatenate[MemoryStore, P], T]) -> Callable[Concatenate[MemoryStore, P], T]:
    """A read under the store's lock: a write changes the graph's dicts in place (the undo keeps the
    old ones), and a reader iterating them in another thread (an API worker's pool) would see
    "dictionary changed size during iteration", or half a batch."""
    @functools.wraps(method)
    def locked(self: MemoryStore, *args: P.args, **kwargs: P.kwargs) -> T:
        with self._lock:
            return method(self, *args, **kwargs)
    return locked

FORMAT_VERSION = 2  # JSON Lines: a header, then one line per node or edge


def _edge_key(rel: str, key: str) -> str:
    return f"{rel}|{key}"


def _view(graph: nx.MultiDiGraph, uid: str, fields: Sequence[str] | None) -> Props:
    """A node as ``get_nodes`` returns it: its derived attributes back (see graph.shared_graph), the
    shown issuer from its edges, packed claims unpacked only when asked for."""
    attrs = graph._node[uid]
    if fields is not None and not any(f in PACKED or f in DERIVED or f in FROM_EDGES for f in fields):
        return {"uid": uid, "labels": attrs.get("labels", []), **{f: attrs[f] for f in fields if f in attrs}}
    out = restored(uid, attrs)  # one copy of the held dict, whatever is added to it
    out = dict(out) if out is attrs else out
    for key in PACKED:
        if key in out:
            out[key] = unpack(out[key], out)
    if (fields is None or "shown_issuer" in fields) and "Document" in out.get("labels", ()):
        shown = memory_queries.shown_issuer(graph, uid)
        if shown is not None:
            out["shown_issuer"] = shown
    return out if fields is None else project(out, fields)


def _nodes_of(graph: nx.MultiDiGraph) -> list[Props]:
    return [_view(graph, uid, None) for uid in sorted(graph._node)]


def _edges_of(graph: nx.MultiDiGraph) -> list[tuple[str, str, str, Props]]:
    """Every edge, sorted by (type, start, end, key). Edges whose attribute dict is one shared object
    (graph.shared_graph: at 100k documents 284k edges hold 1,061 distinct dicts) get one shared props
    dict too: built once, and an export tells them apart by identity (graph.export). Readers must not
    change it. The order comes from walking the starts and ends in order, each type into its own
    list, instead of sorting millions of rows (at 1M documents 6.1 s -> 2.6-3.6 s)."""
    props_of: dict[int, tuple[str, Props]] = {}
    by_type: dict[str, list[tuple[str, str, str, Props]]] = {}
    succ = graph._succ
    for u in sorted(succ):
        nbrs = succ[u]
        for v in sorted(nbrs) if len(nbrs) > 1 else nbrs:
            pair = []
            for d in nbrs[v].values():
                hit = props_of.get(id(d))  # every d stays alive in the graph meanwhile
                if hit is None:
                    hit = props_of[id(d)] = (d["type"], unpacked({k: x for k, x in d.items() if k != "type"}))
                pair.append(hit)
            if len(pair) > 1:  # (type, key) order; the position keeps equal ones as they were
                order = sorted((rel, props.get("key", ""), i) for i, (rel, props) in enumerate(pair))
                pair = [pair[i] for _, _, i in order]
            for rel, props in pair:
                rows = by_type.get(rel)
                if rows is None:
                    rows = by_type[rel] = []
                rows.append((rel, u, v, props))
    return [row for rel in sorted(by_type) for row in by_type[rel]]


class MemoryStore(GraphStore):
    kind = "memory"

    def __init__(self, path: Path | str | None, snapshot: bool = True) -> None:
        """``snapshot``: keep the binary snapshot beside the file, and load from it when it matches
        (see graph.snapshot); off, only the JSON Lines file is read and written."""
        self.path = Path(path) if path else None
        self._snapshot = snapshot
        self._snapshot_due = False  # the file was written since the last snapshot
        self.graph: nx.MultiDiGraph = nx.MultiDiGraph()
        self._lock = threading.RLock()
        self._file_locked = False  # this process holds the file's lock (writing()), under _lock
        self._stamp: snapshot.Stamp | None = None
        self._by_code: dict[str, set[str]] | None = None  # code key -> uids; built on first use (_codes)
        self._compact = _Compactor()
        self._writer = GraphWriter(self.graph, self._compact)
        self._generation = 0  # bumped by every load, apply, clear and rollback
        self._version = uuid.uuid4().hex  # version(): replaced with every generation, or as a batch asks
        self._memo: dict[Any, Any] = {}  # memory_queries' derived data, valid for _memo_generation
        self._memo_generation = -1
        self._load()

    # -- persistence -------------------------------------------------------
    def _file_stamp(self) -> snapshot.Stamp | None:
        """What tells one written file from another: mtime and size, and the inode (every write
        renames a new file into place, so two writes in one coarse mtime tick still differ)."""
        if self.path is None or not self.path.exists():
            return None
        st = self.path.stat()
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _load(self) -> None:
        """Load the snapshot when it matches the file, else read the file (and write the snapshot
        for the next load)."""
        replaced = self.graph.number_of_nodes() > 0  # a graph to free (see heap.settle)
        with heap.collector_paused():  # through settle(): see heap
            graph = nx.MultiDiGraph()
            compact = _Compactor()  # shares with this graph only: the replaced one's strings go with it
            writer = GraphWriter(graph, compact)
            stamp = self._file_stamp()
            dicts = None
            if self._snapshot and stamp is not None and self.path is not None:
                dicts = snapshot.read(snapshot.path_for(self.path), stamp, parts=3)
            if dicts is not None:
                graph._node, graph._succ, graph._pred = dicts
            elif stamp is not None:
                self._read_file(writer)
            self.graph, self._writer, self._compact = graph, writer, compact
            self._stamp = stamp
            self._snapshot_due = False  # this file's snapshot is loaded, or written just below
            self._by_code = None
            if dicts is None and self._snapshot and stamp is not None:
                self._save_snapshot(stamp)  # the next load of this file is the fast one
            self._bump()
            self._memo, self._memo_generation = {}, -1  # it may hold the replaced graph's objects
            heap.settle(graph.number_of_nodes(), replaced)

    def _read_file(self, writer: GraphWriter) -> None:
        """The JSON Lines file, line by line: peak memory stays near the graph's own."""
        if self.path is None:
            return
        put_node, put_edge = writer.put_node, writer.put_edge
        nodes = writer.graph._node
        with self.path.open("rb") as fh:
            for number, line in enumerate(fh, start=1):
                try:
                    item = orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    raise StoreError(f"{self.path}: line {number}: not a policy-kg memory file ({exc})") from exc
                if number == 1:
                    if not isinstance(item, dict) or item.get("version") != FORMAT_VERSION:
                        raise StoreError(f"{self.path}: not a policy-kg memory file of format {FORMAT_VERSION}")
                elif item[0] == "n":
                    attrs = item[2]
                    if "search_text" in attrs:  # files written before it was folded (see graph.text)
                        attrs["search_text"] = search_text(attrs["search_text"])
                    put_node(item[1], attrs)
                else:
                    start, end = item[1], item[2]
                    if start not in nodes or end not in nodes:  # the file lists every node before the edges
                        raise StoreError(f"{self.path}: line {number}: an edge {start!r} -> {end!r} names a node "
                                         f"that no earlier line holds")
                    put_edge(start, end, item[3], item[4])

    def _codes(self) -> dict[str, set[str]]:
        """The documents by code key, for identity resolution during an ingest. Built when first
        asked for, not at load: a server that only answers queries never needs it (at 1M documents
        it is ~50 MB, and 0.6 s of a snapshot load)."""
        if self._by_code is not None:
            return self._by_code
        by_code: dict[str, set[str]] = {}
        for uid, attrs in self.graph._node.items():
            key = memory_queries.code_key(uid, attrs)
            if key:
                by_code.setdefault(key, set()).add(uid)
        self._by_code = by_code
        return by_code

    def _fresh(self) -> nx.MultiDiGraph:
        """The graph, reloaded first if another process replaced the file."""
        with self._lock:
            if self.path is not None and self._file_stamp() != self._stamp:
                self._load()
            return self.graph

    def _save(self) -> None:
        if self.path is None:
            return
        try:
            self._write_file()
        except OSError as exc:  # named by the store's file: the temporary file's name, or none, told nothing
            raise OSError(exc.errno, f"not written, the file is as it was ({exc.strerror or exc})",
                          str(self.path)) from exc
        self._stamp = self._file_stamp()
        self._snapshot_due = self._snapshot  # at close(): see there

    def _write_file(self) -> None:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".kg-", suffix=".tmp", dir=self.path.parent)
        dumps = orjson.dumps
        try:
            os.fchmod(fd, snapshot.permissions_of(self.path))
            with os.fdopen(fd, "wb", buffering=1 << 20) as fh:
                fh.write(dumps({"version": FORMAT_VERSION}) + b"\n")
                graph = self.graph
                for uid in graph._node:  # every attribute, derived ones too: the file is the whole graph
                    fh.write(dumps(("n", uid, _view(graph, uid, None))) + b"\n")
                for u, v, k, attrs in self.graph.edges(keys=True, data=True):
                    fh.write(dumps(("e", u, v, k, unpacked(attrs))) + b"\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
            snapshot.sync_folder(self.path)  # the write is committed once the rename is on disk
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def write_snapshot(self) -> None:
        """Write the snapshot of the graph as loaded from the file (also with ``snapshot=False``)."""
        with self._lock:
            if self._stamp is not None:
                self._save_snapshot(self._stamp)
            self._snapshot_due = False

    def _save_snapshot(self, stamp: snapshot.Stamp) -> None:
        """The file is written or read: a snapshot that cannot be written is only a slower next load
        (a stale one no longer matches the file's stamp), never a failed write."""
        if self.path is None:
            return
        target = snapshot.path_for(self.path)
        try:
            snapshot.write(target, stamp, (self.graph._node, self.graph._succ, self.graph._pred), like=self.path)
        except (OSError, ValueError) as exc:
            log.warning("%s: snapshot not written (%s); the next load reads the JSON Lines file", target, exc)
            with contextlib.suppress(OSError):
                target.unlink(missing_ok=True)

    # -- contract ----------------------------------------------------------
    def ensure_schema(self) -> None:
        """Nothing to create: the schema is enforced by the write model."""

    def ping(self) -> None:
        if self.path is not None and self.path.exists() and not os.access(self.path, os.R_OK):
            raise StoreError(f"{self.path} is not readable")

    def close(self) -> None:
        """Every write already replaced the file. What is left is the snapshot of the graph this
        process wrote last: once here, not after every write (at 1M documents ``marshal.dumps``
        alone is ~7 s, and a multi-file ingest writes the file once per input file)."""
        if self._snapshot_due:
            self.write_snapshot()

    def clear(self) -> None:
        with self.writing():
            kept = self.graph, self._compact, self._writer, self._by_code
            self.graph, self._compact = nx.MultiDiGraph(), _Compactor()
            self._writer = GraphWriter(self.graph, self._compact)
            self._by_code = None
            self._bump()
            try:
                self._save()
            except BaseException:  # the file still holds the graph: so must this process (and its snapshot)
                self.graph, self._compact, self._writer, self._by_code = kept
                self._bump()
                raise

    @_locked
    def get_nodes(self, uids: Iterable[str], fields: Sequence[str] | None = None) -> dict[str, Props]:
        graph = self._fresh()
        return {uid: _view(graph, uid, fields) for uid in uids if uid in graph}

    @_locked
    def get_edges(self, ids: Iterable[EdgeId]) -> dict[EdgeId, Props]:
        graph = self._fresh()
        out: dict[EdgeId, Props] = {}
        for eid in ids:
            rel, start, end, key = eid
            data = graph.get_edge_data(start, end, _edge_key(rel, key))
            if data is not None:
                out[eid] = unpacked({k: v for k, v in data.items() if k != "type"})
        return out

    @_locked
    def documents_by_code_key(self, keys: Iterable[str], fields: Sequence[str] | None = None) -> list[Props]:
        graph, codes = self._fresh(), self._codes()
        uids = sorted({uid for key in keys for uid in codes.get(key, ())})
        return [_view(graph, uid, fields) for uid in uids]

    @_locked
    def documents_by_code_issuer(self, pairs: Iterable[tuple[str, str]],
                                 fields: Sequence[str] | None = None) -> list[Props]:
        graph = self._fresh()
        by_key: dict[str, set[str]] = {}
        for key, issuer in pairs:
            by_key.setdefault(key, set()).add(issuer)
        codes, held = self._codes(), graph._node
        uids = sorted({uid for key, issuers in by_key.items() for uid in codes.get(key, ())
                       if held[uid].get("issuer") in issuers})
        return [_view(graph, uid, fields) for uid in uids]

    @_locked
    def neighbours(self, uids: Iterable[str], rel: str, direction: str,
                   fields: Sequence[str] | None = None) -> list[Neighbour]:
        graph = self._fresh()
        out: list[Neighbour] = []
        for uid in uids:
            if uid not in graph:
                continue
            if direction == "out":
                edges = ((v, d) for _, v, d in graph.out_edges(uid, data=True))
            else:
                edges = ((u, d) for u, _, d in graph.in_edges(uid, data=True))
            for other, data in edges:
                if data["type"] == rel:
                    edge = {k: v for k, v in data.items() if k != "type"}
                    out.append(Neighbour(uid, other, rel, unpacked(edge), _view(graph, other, fields)))
        return out

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """This process's lock, and the file's lock against writers in other processes (``kg serve
        --workers N``, the CLI beside a server), held from a file's first read to its write
        (ingest.loader.apply_built): no other writer can commit in between, so the batch is built
        on the latest graph (a file replaced by another process is reloaded first). Reentrant:
        ``apply`` and ``clear`` take it too."""
        with self._lock:
            if self.path is None or fcntl is None or self._file_locked:
                yield
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path.with_name(self.path.name + ".lock"), "a+b") as fh:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
                self._file_locked = True
                try:
                    yield
                finally:
                    self._file_locked = False
                    fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

    def apply(self, batch: Batch) -> None:
        with self.writing():
            graph = self._fresh()
            if batch.based_on is not None and batch.based_on != self._version:
                raise StoreConflict(f"{self.path or 'the graph'} was written by another writer while this "
                                    "batch was built")
            self._bump(batch.version)
            undo_nodes = {uid: graph.nodes[uid] if uid in graph else None for uid in batch.nodes}
            undo_edges: dict[EdgeId, Props | None] = {}
            for eid in batch.edges:
                rel, start, end, key = eid
                undo_edges[eid] = graph.get_edge_data(start, end, _edge_key(rel, key))
            writer = self._writer  # writes replace dicts, never change them: the undo keeps the old ones
            try:
                for uid, props in batch.nodes.items():
                    writer.put_node(uid, {"labels": list(batch.labels[uid]), **props}, replace=True)
                    if props.get("code_key") and self._by_code is not None:
                        self._by_code.setdefault(props["code_key"], set()).add(uid)
                for eid, props in batch.edges.items():
                    rel, start, end, key = eid
                    if start not in graph or end not in graph:
                        raise StoreError(f"{rel} edge {start} -> {end}: unknown node")
                    writer.put_edge(start, end, _edge_key(rel, key), {"type": rel, **props}, replace=True)
                self._save()
            except BaseException:
                self._rollback(undo_nodes, undo_edges)
                raise

    def _rollback(self, nodes: dict[str, Props | None], edges: dict[EdgeId, Props | None]) -> None:
        writer = self._writer
        for (rel, start, end, key), old in edges.items():
            if old is None:
                writer.drop_edge(start, end, _edge_key(rel, key))
            else:
                writer.put_edge(start, end, _edge_key(rel, key), old, replace=True)
        for uid, old in nodes.items():
            if old is None:
                writer.drop_node(uid)
            else:
                writer.put_node(uid, old, replace=True)
        self._bump()
        self._by_code = None  # rebuilt when next asked for

    def version(self) -> str:
        """A token replaced with every generation (load, apply, clear, rollback), or the one a batch
        chose (Batch.version); a file replaced by another process is reloaded first (a new one)."""
        with self._lock:
            self._fresh()
            return self._version

    def _bump(self, version: str | None = None) -> None:
        """A new generation of the graph, and its version token (``version``: the one a batch chose)."""
        self._generation += 1
        self._version = version or uuid.uuid4().hex

    @_locked
    def stats(self) -> Stats:
        graph = self._fresh()
        nodes: Counter[str] = Counter()
        for _, attrs in graph.nodes(data=True):
            nodes.update(attrs.get("labels", []))
        edges: Counter[str] = Counter(d["type"] for _, _, d in graph.edges(data=True))
        return Stats(nodes=dict(nodes), edges=dict(edges))

    @_locked
    def dump(self) -> tuple[list[Props], list[tuple[str, str, str, Props]]]:
        graph = self._fresh()  # both halves of one graph
        return _nodes_of(graph), _edges_of(graph)

    @_locked
    def dump_nodes(self) -> list[Props]:
        return _nodes_of(self._fresh())

    def node_ids(self) -> Collection[str]:
        return self._fresh()._node.keys()

    @_locked
    def label_sets(self, uids: Sequence[str]) -> list[tuple[str, ...]]:
        # nodes of one label set share one list object (graph.shared_graph), hence one tuple each
        node = self._fresh()._node
        tuples: dict[int, tuple[str, ...]] = {}
        out = []
        for uid in uids:
            labels = node[uid].get("labels", ())
            found = tuples.get(id(labels))
            if found is None:
                found = tuples[id(labels)] = tuple(labels)
            out.append(found)
        return out

    @_locked
    def dump_edges(self) -> list[tuple[str, str, str, Props]]:
        return _edges_of(self._fresh())

    @_locked
    def run(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        graph = self._fresh()
        if self._memo_generation != self._generation:  # the graph changed: derived data is stale
            self._memo, self._memo_generation = {}, self._generation
        return memory_queries.run(graph, name, params, self._memo)
