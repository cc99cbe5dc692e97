"""Embedded store: a networkx MultiDiGraph persisted to one JSON Lines file.

The file is replaced atomically (write a temporary file in the same folder,
fsync, rename), so a crash never leaves a half-written graph. A process that
holds the store open reloads the file when another process replaced it.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import orjson

from graph import heap, memory_queries
from graph.model import Batch, Props
from graph.store import EdgeId, GraphStore, Neighbour, Stats, StoreError, project
from graph.text import search_text

FORMAT_VERSION = 2  # JSON Lines: a header, then one line per node or edge


def _edge_key(rel: str, key: str) -> str:
    return f"{rel}|{key}"


def _builder(graph: nx.MultiDiGraph) -> tuple[Callable[[str, dict[str, Any]], None],
                                              Callable[[str, str, str, dict[str, Any]], None]]:
    """``add_node`` / ``add_edge`` for loading a file into a fresh graph, writing networkx's own
    dicts (what ``MultiDiGraph.add_node`` / ``add_edges_from`` build, without their per-call
    argument handling and cache clearing: about half of networkx's share of a load). Same structure:
    a node has an attribute dict and two adjacency dicts; an edge's key dict is shared by
    ``_succ[u][v]`` and ``_pred[v][u]``; ``attrs`` become the node's or edge's own dict."""
    succ, pred, nodes = graph._succ, graph._pred, graph._node

    def add_node(uid: str, attrs: dict[str, Any]) -> None:
        if uid not in succ:
            succ[uid], pred[uid] = {}, {}
            nodes[uid] = attrs
        else:
            nodes[uid].update(attrs)

    def add_edge(u: str, v: str, key: str, attrs: dict[str, Any]) -> None:
        for end in (u, v):
            if end not in succ:
                succ[end], pred[end], nodes[end] = {}, {}, {}
        keyed = succ[u].get(v)
        if keyed is None:
            keyed = succ[u][v] = pred[v][u] = {}
        data = keyed.get(key)
        if data is None:
            keyed[key] = attrs
        else:
            data.update(attrs)

    return add_node, add_edge


class _Compactor:
    """Share what repeats across a national graph: short strings (labels, statuses,
    source and issuer uids) are interned, and equal short lists of them (labels,
    sources, the empty lists of conflicts/evidence) become one shared object.

    Shared lists are never mutated in place: every write replaces a node's or an
    edge's attribute dict with freshly built lists (see ingest.writer).
    """

    MAX_SHARED = 64  # strings longer than this (titles, claims) are left alone

    def __init__(self) -> None:
        self._lists: dict[tuple[str, ...], list[str]] = {}
        self._keys: dict[str, str] = {}

    def attrs(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # On the load path of every node and edge (a national file has millions): plain loops and
        # type() checks, a dict of interned keys instead of an intern call per key.
        out: dict[str, Any] = {}
        keys, lists, limit, intern = self._keys, self._lists, self.MAX_SHARED, sys.intern
        for key, value in attrs.items():
            k = keys.get(key)
            if k is None:
                k = keys[key] = intern(key)
            kind = type(value)
            if kind is str:
                if len(value) <= limit:
                    value = intern(value)
            elif kind is list:
                for v in value:
                    if type(v) is not str or len(v) > limit:
                        break
                else:
                    shared = tuple([intern(v) for v in value])
                    found = lists.get(shared)
                    if found is None:
                        found = lists[shared] = list(shared)
                    value = found
            out[k] = value
        return out


class MemoryStore(GraphStore):
    kind = "memory"

    def __init__(self, path: Path | str | None) -> None:
        self.path = Path(path) if path else None
        self.graph: nx.MultiDiGraph = nx.MultiDiGraph()
        self._lock = threading.RLock()
        self._stamp: tuple[int, int] | None = None
        self._by_code: dict[str, set[str]] = {}
        self._compact = _Compactor()
        self._generation = 0  # bumped by every load, apply, clear and rollback (see version())
        self._memo: dict[Any, Any] = {}  # memory_queries' derived data, valid for _memo_generation
        self._memo_generation = -1
        self._load()

    # -- persistence -------------------------------------------------------
    def _file_stamp(self) -> tuple[int, int] | None:
        if self.path is None or not self.path.exists():
            return None
        st = self.path.stat()
        return (st.st_mtime_ns, st.st_size)

    def _load(self) -> None:
        """Read the file line by line (JSON Lines): peak memory stays near the graph's own."""
        graph = nx.MultiDiGraph()
        stamp = self._file_stamp()
        if stamp is not None and self.path is not None:
            compact = self._compact.attrs
            add_node, add_edge = _builder(graph)
            with heap.collector_paused(), self.path.open("rb") as fh:
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
                        add_node(item[1], compact(attrs))
                    else:
                        add_edge(item[1], item[2], item[3], compact(item[4]))
        self.graph = graph
        self._stamp = stamp
        self._generation += 1
        self._reindex()
        self._memo, self._memo_generation = {}, -1  # it may hold the replaced graph's objects
        heap.settle(graph.number_of_nodes())

    def _reindex(self) -> None:
        by_code: dict[str, set[str]] = {}
        for uid, attrs in self.graph.nodes(data=True):
            key = attrs.get("code_key")
            if key:
                by_code.setdefault(key, set()).add(uid)
        self._by_code = by_code

    def _fresh(self) -> nx.MultiDiGraph:
        """The graph, reloaded first if another process replaced the file."""
        with self._lock:
            if self.path is not None and self._file_stamp() != self._stamp:
                self._load()
            return self.graph

    def _save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".kg-", suffix=".tmp", dir=self.path.parent)
        dumps = orjson.dumps
        try:
            with os.fdopen(fd, "wb", buffering=1 << 20) as fh:
                fh.write(dumps({"version": FORMAT_VERSION}) + b"\n")
                for uid, attrs in self.graph.nodes(data=True):
                    fh.write(dumps(("n", uid, attrs)) + b"\n")
                for u, v, k, attrs in self.graph.edges(keys=True, data=True):
                    fh.write(dumps(("e", u, v, k, attrs)) + b"\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._stamp = self._file_stamp()

    # -- contract ----------------------------------------------------------
    def ensure_schema(self) -> None:
        """Nothing to create: the schema is enforced by the write model."""

    def ping(self) -> None:
        if self.path is not None and self.path.exists() and not os.access(self.path, os.R_OK):
            raise StoreError(f"{self.path} is not readable")

    def close(self) -> None:
        """Nothing held open: every write already replaced the file."""

    def clear(self) -> None:
        with self._lock:
            self.graph = nx.MultiDiGraph()
            self._by_code = {}
            self._generation += 1
            self._save()

    def get_nodes(self, uids: Iterable[str], fields: Sequence[str] | None = None) -> dict[str, Props]:
        graph = self._fresh()
        nodes = graph.nodes
        return {uid: project(nodes[uid], fields) for uid in uids if uid in graph}

    def get_edges(self, ids: Iterable[EdgeId]) -> dict[EdgeId, Props]:
        graph = self._fresh()
        out: dict[EdgeId, Props] = {}
        for eid in ids:
            rel, start, end, key = eid
            data = graph.get_edge_data(start, end, _edge_key(rel, key))
            if data is not None:
                out[eid] = {k: v for k, v in data.items() if k != "type"}
        return out

    def documents_by_code_key(self, keys: Iterable[str], fields: Sequence[str] | None = None) -> list[Props]:
        graph = self._fresh()
        uids = sorted({uid for key in keys for uid in self._by_code.get(key, ())})
        return [project(graph.nodes[uid], fields) for uid in uids]

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
                    out.append(Neighbour(uid, other, rel, edge, project(graph.nodes[other], fields)))
        return out

    def apply(self, batch: Batch) -> None:
        with self._lock:
            graph = self._fresh()
            self._generation += 1
            undo_nodes = {uid: dict(graph.nodes[uid]) if uid in graph else None
                          for uid in batch.nodes}
            undo_edges: dict[EdgeId, Props | None] = {}
            for eid in batch.edges:
                rel, start, end, key = eid
                old = graph.get_edge_data(start, end, _edge_key(rel, key))
                undo_edges[eid] = dict(old) if old is not None else None
            try:
                for uid, props in batch.nodes.items():
                    attrs = self._compact.attrs({"labels": list(batch.labels[uid]), **props})
                    if uid in graph:
                        graph.nodes[uid].clear()
                        graph.nodes[uid].update(attrs)
                    else:
                        graph.add_node(uid, **attrs)
                    if props.get("code_key"):
                        self._by_code.setdefault(props["code_key"], set()).add(uid)
                for eid, props in batch.edges.items():
                    rel, start, end, key = eid
                    if start not in graph or end not in graph:
                        raise StoreError(f"{rel} edge {start} -> {end}: unknown node")
                    ek = _edge_key(rel, key)
                    if graph.has_edge(start, end, ek):
                        graph.edges[start, end, ek].clear()
                        graph.edges[start, end, ek].update(self._compact.attrs({"type": rel, **props}))
                    else:
                        graph.add_edge(start, end, ek)
                        graph.edges[start, end, ek].update(self._compact.attrs({"type": rel, **props}))
                self._save()
            except BaseException:
                self._rollback(undo_nodes, undo_edges)
                raise

    def _rollback(self, nodes: dict[str, Props | None], edges: dict[EdgeId, Props | None]) -> None:
        graph = self.graph
        for (rel, start, end, key), old in edges.items():
            ek = _edge_key(rel, key)
            if old is None:
                if graph.has_edge(start, end, ek):
                    graph.remove_edge(start, end, ek)
            else:
                graph.edges[start, end, ek].clear()
                graph.edges[start, end, ek].update(old)
        for uid, old in nodes.items():
            if old is None:
                if uid in graph:
                    graph.remove_node(uid)
            else:
                graph.nodes[uid].clear()
                graph.nodes[uid].update(old)
        self._generation += 1
        self._reindex()

    def version(self) -> str:
        """In-process generation; a file replaced by another process is reloaded first (a new one)."""
        with self._lock:
            self._fresh()
            return str(self._generation)

    def stats(self) -> Stats:
        graph = self._fresh()
        nodes: Counter[str] = Counter()
        for _, attrs in graph.nodes(data=True):
            nodes.update(attrs.get("labels", []))
        edges: Counter[str] = Counter(d["type"] for _, _, d in graph.edges(data=True))
        return Stats(nodes=dict(nodes), edges=dict(edges))

    def dump(self) -> tuple[list[Props], list[tuple[str, str, str, Props]]]:
        graph = self._fresh()
        nodes = [dict(attrs) for _, attrs in sorted(graph.nodes(data=True))]
        edges = sorted(
            ((d["type"], u, v, {k: x for k, x in d.items() if k != "type"})
             for u, v, d in graph.edges(data=True)),
            key=lambda e: (e[0], e[1], e[2], e[3].get("key", "")),
        )
        return nodes, edges

    def run(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        with self._lock:
            graph = self._fresh()
            if self._memo_generation != self._generation:  # the graph changed: derived data is stale
                self._memo, self._memo_generation = {}, self._generation
            memo = self._memo
        return memory_queries.run(graph, name, params, memo)
