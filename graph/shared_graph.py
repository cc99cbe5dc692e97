"""Writes into a networkx ``MultiDiGraph`` whose repeated structures are shared.

A national graph repeats itself: most edges carry the same few attributes (type, empty key, the
source list), many adjacency entries hold the same one-edge key dict, and a leaf document has no
outgoing or no incoming edges. networkx would build a fresh dict for each of these; here equal ones
are one object, and uids are interned, so the edge ends and the ``uid`` attribute are the node
key's own string. Sharing is safe because nothing mutates these structures in place: every write
goes through :class:`GraphWriter`, which copies what it changes (copy-on-write). Readers see a
plain ``MultiDiGraph`` (``graph._succ[u][v] is graph._pred[v][u]``, a key dict per node pair).
"""

from __future__ import annotations

import sys
from typing import Any

import networkx as nx

MAX_SHARED = 64  # strings longer than this (titles, claims) are not interned
PACKED = ("claims",)  # list attributes held as one UTF-8 blob (read rarely: merges, conflicts)
_SEP = "\x00"


def pack(values: list[str]) -> bytes | list[str]:
    """A list of claims as one UTF-8 blob: a third of the list's size (the strings of a Vietnamese
    title are two bytes a character in CPython, plus a header each). A list holding the separator
    stays as it is."""
    if values and all(type(v) is str and _SEP not in v for v in values):
        return _SEP.join(values).encode()
    return values


def unpack(value: Any) -> Any:
    """What :func:`pack` packed, as the list again; anything else unchanged."""
    return value.decode().split(_SEP) if type(value) is bytes else value


def unpacked(attrs: dict[str, Any]) -> dict[str, Any]:
    """An attribute dict as callers see it (packed lists as lists): the dict itself when nothing in
    it is packed, else a copy."""
    for key in PACKED:
        if type(attrs.get(key)) is bytes:
            return {**attrs, **{k: unpack(attrs[k]) for k in PACKED if k in attrs}}
    return attrs


class Compactor:
    """Share what repeats across attribute dicts: short strings (labels, statuses, source and
    issuer uids) are interned, and equal short lists of them (labels, sources, the empty lists of
    conflicts/evidence) become one shared object. Shared lists are never mutated in place: every
    write replaces a node's or an edge's attribute dict with freshly built lists (see ingest.writer).
    """

    def __init__(self) -> None:
        self._lists: dict[tuple[str, ...], list[str]] = {}
        self._keys: dict[str, str] = {}
        self._ints: dict[int, int] = {}  # years and counts: CPython shares only -5..256

    def attrs(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return self.shareable(attrs)[0]

    def shareable(self, attrs: dict[str, Any]) -> tuple[dict[str, Any], tuple[Any, ...] | None]:
        """The compacted dict, and a hashable key of its content when every value is a shared one
        (so that equal dicts can be one object), else None."""
        # On the load path of every node and edge (a national file has millions): plain loops and
        # type() checks, a dict of interned keys instead of an intern call per key.
        out: dict[str, Any] = {}
        keys, lists, limit, intern = self._keys, self._lists, MAX_SHARED, sys.intern
        content: list[Any] | None = []
        for key, value in attrs.items():
            k = keys.get(key)
            if k is None:
                k = keys[key] = intern(key)
            kind = type(value)
            if kind is str:
                if len(value) <= limit:
                    value = intern(value)
                else:
                    content = None
            elif kind is list:
                for v in value:
                    if type(v) is not str or len(v) > limit:
                        content = None
                        if k in PACKED:  # not shared: packed instead
                            value = pack(value)
                        break
                else:
                    shared = tuple([intern(v) for v in value])
                    found = lists.get(shared)
                    if found is None:
                        found = lists[shared] = list(shared)
                    value = found
                    if content is not None:
                        content.append((k, shared))
                        out[k] = value
                        continue
            elif kind in (int, bool, float) or value is None:
                if kind is int:
                    value = self._ints.setdefault(value, value)
                if content is not None:
                    content.append((k, kind, value))  # the type too: True == 1, 1 == 1.0
                out[k] = value
                continue
            else:  # bytes (packed already), dicts
                content = None
            if content is not None:
                content.append((k, value))
            out[k] = value
        return out, (tuple(content) if content is not None else None)


class GraphWriter:
    """The only code that changes the graph's structure (see the module docstring)."""

    def __init__(self, graph: nx.MultiDiGraph, compactor: Compactor | None = None) -> None:
        self.graph = graph
        self.compact = compactor or Compactor()
        self._empty: dict[str, Any] = {}  # the adjacency of a node without edges that way
        self._edge_attrs: dict[tuple[Any, ...], dict[str, Any]] = {}
        self._keyed: dict[tuple[str, int], dict[str, dict[str, Any]]] = {}

    def put_node(self, uid: str, attrs: dict[str, Any], replace: bool = False) -> None:
        """Add a node, or merge ``attrs`` into it (``replace``: make them its whole dict)."""
        graph = self.graph
        uid = sys.intern(uid)
        attrs = self.compact.attrs(attrs)
        if attrs.get("uid") == uid:
            attrs["uid"] = uid
        nodes = graph._node
        if uid not in nodes:
            graph._succ[uid] = graph._pred[uid] = self._empty
            nodes[uid] = attrs
        elif replace:
            nodes[uid] = attrs
        else:
            nodes[uid] = {**nodes[uid], **attrs}

    def put_edge(self, u: str, v: str, key: str, attrs: dict[str, Any], replace: bool = False) -> None:
        """Add an edge, or merge ``attrs`` into it (``replace``: make them its whole dict).
        Unknown ends become bare nodes."""
        graph = self.graph
        succ, pred = graph._succ, graph._pred
        u, v, key = sys.intern(u), sys.intern(v), sys.intern(key)
        for end in (u, v):
            if end not in succ:
                self.put_node(end, {})
        old = succ[u].get(v)
        if old is not None and key in old and not replace:
            attrs = {**old[key], **attrs}
        data, content = self.compact.shareable(attrs)
        if content is not None:
            data = self._edge_attrs.setdefault(content, data)
        if old is not None:
            keyed = {**old, key: data}
        elif content is not None:
            keyed = self._keyed.setdefault((key, id(data)), {key: data})
        else:
            keyed = {key: data}
        self._adjacency(succ, u)[v] = keyed
        self._adjacency(pred, v)[u] = keyed

    def drop_edge(self, u: str, v: str, key: str) -> None:
        succ, pred = self.graph._succ, self.graph._pred
        old = succ.get(u, {}).get(v)
        if old is None or key not in old:
            return
        keyed = {k: d for k, d in old.items() if k != key}
        if keyed:
            succ[u][v] = pred[v][u] = keyed
        else:
            self._unlink(succ, u, v)
            self._unlink(pred, v, u)

    def drop_node(self, uid: str) -> None:
        graph = self.graph
        if uid not in graph._node:
            return
        for v in list(graph._succ[uid]):
            self._unlink(graph._pred, v, uid)
        for u in list(graph._pred[uid]):
            self._unlink(graph._succ, u, uid)
        del graph._node[uid], graph._succ[uid], graph._pred[uid]

    def _adjacency(self, side: dict[str, dict[str, Any]], uid: str) -> dict[str, Any]:
        """``side[uid]``, unshared first if empty: an empty adjacency may be shared (this writer's own
        empty dict, or one that a snapshot load restored as shared)."""
        found = side[uid]
        if not found:
            found = side[uid] = {}
        return found

    def _unlink(self, side: dict[str, dict[str, Any]], a: str, b: str) -> None:
        adjacency = side[a]
        del adjacency[b]
        if not adjacency:
            side[a] = self._empty
