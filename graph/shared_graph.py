"""Writes into a networkx ``MultiDiGraph`` whose repeated structures are shared.

A national graph repeats itself: most edges carry the same few attributes (type, empty key, the
source list), many adjacency entries hold the same one-edge key dict, and a leaf document has no
outgoing or no incoming edges. networkx would build a fresh dict for each of these; here equal ones
are one object, and uids are interned, so the edge ends and the ``uid`` attribute are the node
key's own string. Sharing is safe because nothing mutates these structures in place: every write
goes through :class:`GraphWriter`, which copies what it changes (copy-on-write). Readers see a
plain ``MultiDiGraph`` (``graph._succ[u][v] is graph._pred[v][u]``, a key dict per node pair).
A node's dict does not hold what its other attributes determine (:data:`DERIVED`: its uid, a
document's code parts and year) or what its edges do (:data:`FROM_EDGES`): the store's reads put
them back (:func:`restored`), so only code that reads ``graph._node`` directly sees the difference.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from typing import Any

import networkx as nx

from graph.codes import try_parse_code
from graph.text import search_text

MAX_SHARED = 64  # strings up to this length are interned
MAX_SHARED_LONG = 1024  # longer ones up to this (titles, mostly) are one object when equal (Compactor)
#: Attributes held in a packed form (read rarely: merges, conflicts, search): claims as one UTF-8 blob
#: (:func:`pack`), a search text as its shared pieces (:meth:`Compactor.text`). :func:`unpack` and
#: :func:`unpacked` give readers the plain value back.
PACKED = ("claims", "search_text")
_SEP = "\x00"  # between the claims of a blob
_SAME = "\x01"  # a claim's value that is the attribute's value: the claim refers to it
MAX_SHARED_BLOB = 2 * MAX_SHARED  # equal blobs up to this size are one object


def pack(claims: list[str], attrs: dict[str, Any]) -> bytes | list[str]:
    """A node's or an edge's claims ("field<TAB>value<TAB>source", graph.model) as one UTF-8 blob.

    A claim whose value is the attribute's own value (the title claimed by the source that set
    it, typically) holds a reference to it instead of a second copy. So a blob is a few bytes a
    claim and often the same as thousands of others (shared by the Compactor), where the list was a
    Vietnamese title again in UCS-2, with a header a string. Claims holding a separator stay a list.
    """
    if not claims or any(type(c) is not str or _SEP in c or _SAME in c for c in claims):
        return claims
    out = []
    for claim in claims:
        parts = claim.split("\t", 2)
        if len(parts) == 3 and parts[0] not in PACKED and type(attrs.get(parts[0])) is str \
                and attrs[parts[0]] == parts[1]:
            claim = f"{parts[0]}\t{_SAME}\t{parts[2]}"
        out.append(claim)
    return _SEP.join(out).encode()


def unpack(value: Any, attrs: dict[str, Any]) -> Any:
    """What :func:`pack` packed from ``attrs``'s claims, as the list again, a search text's pieces as
    the text again; anything else unchanged."""
    kind = type(value)
    if kind is tuple:
        return " ".join([piece for piece in value if piece])
    if kind is not bytes:
        return value
    claims = _claims(value) if len(value) <= MAX_SHARED_BLOB else _split(value)
    return [claim if field is None else f"{field}\t{attrs[field]}\t{claim}" for field, claim in claims]


def _split(blob: bytes) -> tuple[tuple[str | None, str], ...]:
    """A blob's claims: (None, claim), or (field, source) for a claim of the attribute's own value."""
    out: list[tuple[str | None, str]] = []
    for claim in blob.decode().split(_SEP):
        parts = claim.split("\t", 2)
        out.append((parts[0], parts[2]) if len(parts) == 3 and parts[1] == _SAME else (None, claim))
    return tuple(out)


#: The shared blobs, decoded once: a dump or an export reads the same few thousands of times.
_claims = lru_cache(maxsize=4096)(_split)


def unpacked(attrs: dict[str, Any]) -> dict[str, Any]:
    """An attribute dict as callers see it (claims as a list): the dict itself when nothing in it
    is packed, else a copy. A packed dict is only ever replaced whole, never changed (GraphWriter):
    its blob's references stay true."""
    for key in PACKED:
        kind = type(attrs.get(key))
        if kind is bytes or kind is tuple:
            return {**attrs, **{k: unpack(attrs[k], attrs) for k in PACKED if k in attrs}}
    return attrs


#: A title's search words (graph.text.search_text), to find them in a search text: titles repeat.
_title_words = lru_cache(maxsize=1 << 14)(search_text)


#: Attributes that a written node's others determine, as the writer derives them (graph.model,
#: ingest.writer): its key, and a document's code parts and year. A node's dict holds them only when
#: they differ from that derivation (:func:`stripped`), so that a document has ten entries, not
#: fifteen: CPython sizes a dict of 6-10 entries at 272 bytes and one of 11-21 at 464.
DERIVED = ("uid", "code_key", "number", "issuer_code", "year")
#: Derived from the node's edges, never held (graph.memory derives it when it is read).
FROM_EDGES = ("shown_issuer",)


@lru_cache(maxsize=1 << 16)
def _code_parts(code: str) -> tuple[tuple[str, Any], ...] | None:
    """What a code determines (codes repeat across issuers: "01-KH/ĐU" thousands of times)."""
    parsed = try_parse_code(code)
    if parsed is None:
        return None
    parts = (("code_key", parsed.key), ("number", parsed.number), ("issuer_code", parsed.issuer_code),
             ("year", parsed.year))
    return tuple((k, v) for k, v in parts if v)


def derived(uid: str, attrs: dict[str, Any]) -> dict[str, Any]:
    """The DERIVED attributes of a node with this uid and these other attributes."""
    out: dict[str, Any] = {"uid": uid}
    code = attrs.get("code")
    parts = _code_parts(code) if type(code) is str else None
    if parts:
        out.update(parts)
    if "year" not in out and attrs.get("issued_on"):  # the code's year, else the issue date's (writer._year)
        out["year"] = int(str(attrs["issued_on"])[:4])
    return out


def stripped(uid: str, attrs: dict[str, Any]) -> dict[str, Any]:
    """``attrs`` without what :func:`restored` gives back exactly; unchanged when that would not be
    exact (an attribute that differs from its derivation, or a derivable one that is missing), or
    when nothing else would be left. A stripped dict is a non-empty one without ``uid``: every node
    the writer writes has one (an empty dict is a bare node, an edge end not written yet)."""
    if "uid" not in attrs:  # stripped already, or a bare node (an edge end not written yet)
        return attrs
    held = {k: attrs[k] for k in DERIVED if k in attrs}
    expected = derived(uid, attrs)
    if len(held) == len(attrs) or held.keys() != expected.keys() or any(type(held[k]) is not type(v) or held[k] != v
                                             for k, v in expected.items()):
        return attrs
    return {k: v for k, v in attrs.items() if k not in held}


def restored(uid: str, attrs: dict[str, Any]) -> dict[str, Any]:
    """A node's attributes with the DERIVED ones that :func:`stripped` took out: the dict itself when
    nothing was."""
    if "uid" in attrs or not attrs:
        return attrs
    return {**derived(uid, attrs), **attrs}


class Compactor:
    """Share what repeats across attribute dicts: short strings (labels, statuses, source and
    issuer uids) and ints are interned, equal longer strings (titles: a commune's plan has its
    province's programme's title, word for word) are one object, equal short lists of strings
    (labels, sources, the empty lists of conflicts/evidence) become one shared object, claims are
    packed (:func:`pack`) and equal small blobs shared, a search text is held as its pieces
    (:meth:`text`). Nothing shared is mutated in place: every write replaces a node's or an edge's
    attribute dict with freshly built values (see ingest.writer and GraphWriter).

    A compactor keeps every distinct string it shared, for the graph it writes: the store makes a
    new one for each graph it loads.
    """

    def __init__(self) -> None:
        self._lists: dict[tuple[str, ...], list[str]] = {}
        self._keys: dict[str, str] = {}
        self._ints: dict[int, int] = {}  # years and counts: CPython shares only -5..256
        self._blobs: dict[bytes, bytes] = {}
        self._long: dict[str, str] = {}

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
                    if k == "search_text":
                        value = self.text(value, attrs.get("title"))
                    elif len(value) <= MAX_SHARED_LONG:
                        value = self._long.setdefault(value, value)
            elif kind is list:
                if k == "claims" and value:  # packed; a claim of the attribute's value is a reference
                    value, content = self._blob(k, pack(value, attrs), content)
                elif all(type(v) is str and len(v) <= limit for v in value):
                    shared = tuple([intern(v) for v in value])
                    found = lists.get(shared)
                    if found is None:
                        found = lists[shared] = list(shared)
                    value = found
                    if content is not None:
                        content.append((k, shared))
                else:
                    content = None
                out[k] = value
                continue
            elif kind is bytes:  # packed already (a dict written back by a rollback)
                value, content = self._blob(k, value, content)
                out[k] = value
                continue
            elif kind in (int, bool, float) or value is None:
                if kind is int:
                    value = self._ints.setdefault(value, value)
                if content is not None:
                    content.append((k, kind, value))  # the type too: True == 1, 1 == 1.0
                out[k] = value
                continue
            else:  # dicts, anything else
                content = None
            if content is not None:
                content.append((k, value))
            out[k] = value
        return out, (tuple(content) if content is not None else None)

    def share(self, text: str) -> str:
        """One object for equal strings (interned when short)."""
        if len(text) <= MAX_SHARED:
            return sys.intern(text)
        return self._long.setdefault(text, text) if len(text) <= MAX_SHARED_LONG else text

    def text(self, text: str, title: Any) -> str | tuple[str, str, str]:
        """A document's search text (ingest.writer: its type's name, code, title, issuer's name, as
        search words) as three shared pieces: what comes before its title's words, the title's words,
        what comes after; ``unpack`` joins them again. Each piece repeats across thousands of
        documents where the whole text is one document's own (~180 bytes at 1M documents, a tuple is
        64). The text itself when it does not hold its title's words, or the pieces would not join
        back to it exactly, or no document before it had this title: for a title of its own, the
        pieces would cost more than the text."""
        if type(title) is str and (words := _title_words(title)):
            if len(words) > MAX_SHARED and words not in self._long:
                self._long[words] = words  # the next document with this title shares them
                return text
            padded = f" {text} "
            at = padded.find(f" {words} ")
            if at >= 0:
                head, tail = padded[1:at], padded[at + len(words) + 2:-1]
                if " ".join([piece for piece in (head, words, tail) if piece]) == text:
                    return (self.share(head), self.share(words), self.share(tail))
        return text

    def _blob(self, key: str, value: Any, content: list[Any] | None) -> tuple[Any, list[Any] | None]:
        """A packed value, shared when small; and the content key, still valid if it was shared."""
        if type(value) is bytes and len(value) <= MAX_SHARED_BLOB:
            value = self._blobs.setdefault(value, value)
            if content is not None:
                content.append((key, bytes, value))
            return value, content
        return value, None


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
        nodes = graph._node
        if uid in nodes and not replace:  # merged as lists: packed claims refer to the old values
            attrs = {**restored(uid, unpacked(nodes[uid])), **attrs}
        if any(key in attrs for key in FROM_EDGES):
            attrs = {k: v for k, v in attrs.items() if k not in FROM_EDGES}
        attrs = self.compact.attrs(stripped(uid, attrs))
        if attrs.get("uid") == uid:
            attrs["uid"] = uid
        if uid not in nodes:
            graph._succ[uid] = graph._pred[uid] = self._empty
        nodes[uid] = attrs

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
            attrs = {**unpacked(old[key]), **attrs}
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
