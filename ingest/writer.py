"""Fold node and edge writes into one :class:`Batch` against the store's state.

Shared by every loader (structured files, text extraction, generators): it
merges claims with what the store holds, keeps document status consistent,
links real documents to the expected ones they fulfil, and derives the
``search_text`` of documents and institutions.
"""

from __future__ import annotations

from typing import Any

from graph.codes import DocCode, DocType, try_parse_code
from graph.model import Batch, EdgeWrite, NodeWrite, Props, merge_edge, merge_node
from graph.schema import DEFAULT_STANDING, SOURCE_STANDING, DocStatus, Label, Rel
from graph.store import GraphStore
from graph.text import search_text, search_text_of

TYPE_NAMES_VI = {
    "resolution": "Nghị quyết", "conclusion": "Kết luận", "directive": "Chỉ thị",
    "plan": "Kế hoạch", "programme": "Chương trình hành động", "guidance": "Hướng dẫn",
    "decision": "Quyết định", "regulation": "Quy định", "notice": "Thông báo",
    "report": "Báo cáo", "official_letter": "Công văn", "decree": "Nghị định",
    "circular": "Thông tư", "other": "Văn bản",
}


def document_uid(code: DocCode, issuer: str | None, year: int | None) -> str:
    """Stable, URL-safe id from (normalised code, issuing institution, year)."""
    parts = [code.key, issuer or "unknown-issuer"]
    if year:
        parts.append(str(year))
    return ".".join(parts)


#: What the writer needs of a stored node it does not rewrite (an edge's far end, a document's issuer):
#: its labels and name. Loaders that read references ahead hand such lean nodes in as ``known``.
HEAD_FIELDS = ("name",)


#: The kinds of node: a uid names one of them, for good.
KINDS = frozenset(label.value for label in (Label.DOCUMENT, Label.INSTITUTION, Label.SOURCE))


class WriteConflict(ValueError):
    """Writes the graph refuses, each with its place: a node of one kind (document, institution,
    source) made into another, or a FULFILS of a document that is not an expectation."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems  # (place, message)
        super().__init__("; ".join(msg for _, msg in problems))


def _kind(labels: Any) -> str | None:
    return next((label for label in labels or () if label in KINDS), None)


class Writer:
    def __init__(self, store: GraphStore, known: dict[str, Props | None] | None = None) -> None:
        """``known``: lean store nodes (uid, labels, HEAD_FIELDS) already read, None for a uid the
        store does not hold; the writer reads only what it lacks."""
        self.store = store
        self.known = known if known is not None else {}
        self.nodes: list[NodeWrite] = []
        self.edges: list[EdgeWrite] = []
        self.fulfils: list[tuple[str, str, str]] = []  # (real, expected, source)
        self.places: dict[int, str] = {}  # id() of a NodeWrite -> where it came from (``line 12``)
        self.fulfil_places: dict[tuple[str, str], str] = {}  # (real, expected) -> where it came from
        self._source_kinds: dict[str, str | None] = {}  # source uid -> its kind (see _standing)

    def node(self, write: NodeWrite, place: str = "") -> None:
        self.nodes.append(write)
        if place:
            self.places[id(write)] = place

    def edge(self, write: EdgeWrite) -> None:
        self.edges.append(write)

    def fulfil(self, real: str, expected: str, source: str, place: str = "") -> None:
        self.fulfils.append((real, expected, source))
        if place:
            self.fulfil_places[(real, expected)] = place

    def _standing(self, source: str) -> int:
        """A source's standing (graph.schema.SOURCE_STANDING) by its ``kind``: as this batch writes
        the Source, else as the store holds it. Asked only when sources disagree on a value."""
        kinds = self._source_kinds
        if source not in kinds:
            written = [w for w in self.nodes if w.uid == source and w.label == Label.SOURCE]
            if written:
                kinds[source] = written[-1].props.get("kind")
            else:
                kinds[source] = self.store.get_nodes([source], fields=("kind",)).get(source, {}).get("kind")
        return SOURCE_STANDING.get(kinds[source] or "", DEFAULT_STANDING)

    # -- building ------------------------------------------------------------
    def build(self) -> Batch:
        batch = Batch()
        # Full props of the nodes this batch rewrites (their claims merge); known misses are not asked.
        written = {w.uid for w in self.nodes} | {u for f in self.fulfils for u in f[:2]}
        existing = self.store.get_nodes(u for u in written if u not in self.known or self.known[u] is not None)
        self._check_kinds(existing)
        for write in self.nodes:
            old = batch.nodes.get(write.uid) or _props(existing.get(write.uid))
            merged = merge_node(old, write, self._standing)
            merged["status"] = _status(old, merged)
            if write.label == Label.DOCUMENT:
                merged["year"] = _year(merged)
            batch.nodes[write.uid] = _strip(merged)
            if write.label == Label.DOCUMENT and merged.get("type"):  # the winning type claim's label
                batch.labels[write.uid] = (write.label.value, DocType(merged["type"]).label)
            else:
                batch.labels[write.uid] = (write.label.value, *write.extra_labels)
        self._auto_fulfil(batch)
        extra = {u for f in self.fulfils for u in f[:2]} - set(existing) - set(batch.nodes)
        existing.update(self.store.get_nodes(extra))
        for real, expected, source in self.fulfils:
            self.edges.append(EdgeWrite(Rel.FULFILS, real, expected, source=source))
            node = batch.nodes.get(expected) or _props(existing.get(expected))
            place = self.fulfil_places.get((real, expected), "")
            if node is None:
                raise WriteConflict([(place, f"FULFILS: unknown expected document {expected}")])
            if node.get("status") == DocStatus.ISSUED:
                raise WriteConflict([(place, f"{real} cannot fulfil {expected}: it is an issued document")])
            batch.nodes[expected] = {**node, "status": DocStatus.FULFILLED.value}
            batch.labels.setdefault(expected, tuple(existing[expected]["labels"])
                                    if expected in existing else ("Document",))

        # A node this batch creates has no edges yet: only ask about edges between known nodes.
        batch.new_nodes = set(batch.nodes) - set(existing)
        heads = self._heads({w.start for w in self.edges} | {w.end for w in self.edges}, batch, existing)
        new_nodes = batch.new_nodes
        ids = [w.id for w in self.edges]
        old_edges = self.store.get_edges(
            eid for eid, w in zip(ids, self.edges, strict=True) if w.start not in new_nodes and w.end not in new_nodes
        )
        for eid, write in zip(ids, self.edges, strict=True):
            start_label = _label_of(write.start, batch, heads)
            end_label = _label_of(write.end, batch, heads)
            old = batch.edges.get(eid) or old_edges.get(eid)
            batch.edges[eid] = _strip(merge_edge(old, write, _label(start_label), _label(end_label),
                                                 self._standing))
            batch.edge_labels[eid] = (start_label, end_label)
            if eid not in old_edges:
                batch.new_edges.add(eid)
        self._shown_issuers(batch, existing)
        self._search_text(batch, existing)
        return batch

    def _shown_issuers(self, batch: Batch, existing: dict[str, Props]) -> None:
        """Keep every document's ``shown_issuer`` the least uid of its ISSUED_BY ends. Edges are only
        ever added, so that is the least of the stored value and this batch's new ends. A stored
        document that gains an issuer without being rewritten (an ISSUED_BY line of a relations file)
        is rewritten whole, with its new value."""
        ends: dict[str, set[str]] = {}
        for rel, start, end, _ in batch.edges:
            if rel == Rel.ISSUED_BY.value:
                ends.setdefault(start, set()).add(end)
        missing = [uid for uid in ends if uid not in batch.nodes and uid not in existing]
        existing.update(self.store.get_nodes(missing))
        for uid, issuers in ends.items():
            props = batch.nodes.get(uid)
            if props is None:
                props = batch.nodes[uid] = _props(existing[uid]) or {}
                batch.labels[uid] = tuple(existing[uid]["labels"])
            held = props.get("shown_issuer")
            props["shown_issuer"] = min(issuers if held is None else issuers | {held})

    def _check_kinds(self, existing: dict[str, Props]) -> None:
        """A uid keeps its kind: a document never becomes an institution, in the store or in the batch."""
        kinds = {uid: kind for uid, node in existing.items() if (kind := _kind(node.get("labels")))}
        first: dict[str, str] = {}  # uid -> where this batch first gave it its kind
        problems: list[tuple[str, str]] = []
        for write in self.nodes:
            kind, place = write.label.value, self.places.get(id(write), "")
            held = kinds.setdefault(write.uid, kind)
            first.setdefault(write.uid, place)
            if held != kind:
                where = "in the graph" if write.uid in existing else \
                    f"at {first[write.uid]}" if first[write.uid] else "earlier in this file"
                problems.append((place, f"uid {write.uid!r} is already {_article(held)} {held} {where}: it cannot "
                                        f"also be {_article(kind)} {kind} (give this record another id)"))
        if problems:
            raise WriteConflict(problems)

    def _heads(self, uids: set[str], batch: Batch, existing: dict[str, Props]) -> dict[str, Props]:
        """Lean nodes (labels, HEAD_FIELDS) for ``uids`` that the batch does not write: from what was
        read already, the rest in one lean read."""
        heads: dict[str, Props] = {}
        missing: list[str] = []
        for uid in uids:
            if uid in batch.nodes:
                continue
            node = existing.get(uid) or self.known.get(uid)
            if node is not None:
                heads[uid] = node
            elif uid not in self.known:
                missing.append(uid)
        found = self.store.get_nodes(missing, fields=HEAD_FIELDS)
        self.known.update({uid: found.get(uid) for uid in missing})
        heads.update(found)
        return heads

    def _auto_fulfil(self, batch: Batch) -> None:
        """An issued document of the expected type, implementing the same target and issued by the
        expected issuer or owner, fulfils the expected document, whichever of the two was ingested first
        (one of them is in this batch)."""
        implements: dict[str, set[str]] = {}
        for w in self.edges:
            if w.rel == Rel.IMPLEMENTS:
                implements.setdefault(w.start, set()).add(w.end)
        open_kinds = (DocStatus.ISSUED, DocStatus.EXPECTED)
        mine = {uid: ts for uid, ts in implements.items()
                if uid in batch.nodes and batch.nodes[uid].get("status") in open_kinds}
        if not mine:
            return
        docs: dict[str, Props] = {}  # uid -> status, type, issuer, owner
        targets_of: dict[str, set[str]] = {}
        # a lean read: the targets' implementers are their whole first level (thousands for a national one)
        for n in self.store.neighbours(sorted(set().union(*mine.values())), Rel.IMPLEMENTS.value, "in",
                                       fields=("status", "type", "issuer", "owner")):
            docs.setdefault(n.other, n.other_props)
            targets_of.setdefault(n.other, set()).add(n.uid)
        for uid, targets in mine.items():
            docs[uid] = batch.nodes[uid]
            targets_of.setdefault(uid, set()).update(targets)
        expected: dict[tuple[Any, str], list[str]] = {}  # (type, issuer or owner) -> expected uids
        order = sorted(docs)  # the uids (unique): cheaper to sort than (uid, props) pairs
        for uid in order:
            p = docs[uid]
            if p.get("status") == DocStatus.EXPECTED:
                for who in sorted({p.get("issuer"), p.get("owner")} - {None}):
                    expected.setdefault((p.get("type"), who), []).append(uid)
        already = {(r, e) for r, e, _ in self.fulfils}
        for real in order:
            p = docs[real]
            if p.get("status") != DocStatus.ISSUED or not p.get("issuer"):
                continue
            for exp in dict.fromkeys(expected.get((p.get("type"), p["issuer"]), [])):
                if (real not in batch.nodes and exp not in batch.nodes) or (real, exp) in already \
                        or not targets_of[real] & targets_of[exp]:
                    continue
                source = batch.nodes[real if real in batch.nodes else exp]["sources"][-1]
                self.fulfils.append((real, exp, source))
                already.add((real, exp))

    def _search_text(self, batch: Batch, existing: dict[str, Props]) -> None:
        issuers = {p["issuer"] for p in batch.nodes.values() if p.get("issuer")}
        names = {uid: node.get("name") for uid, node in
                 self._heads(issuers - set(existing), batch, existing).items()}
        names.update({uid: existing[uid].get("name") for uid in issuers & set(existing)})
        names.update({uid: p.get("name") for uid, p in batch.nodes.items()})
        for uid, props in batch.nodes.items():
            labels = batch.labels[uid]
            # Folded words only ("TP.HCM, Đảng" -> "tp hcm dang"): the Neo4j full-text index, its
            # analyzer without stop words, and the memory store's matcher then see the same tokens.
            if labels[0] == "Institution":
                props["search_text"] = search_text(" ".join(str(p) for p in (
                    props.get("name"), props.get("short_name"), *props.get("aliases", [])) if p))
            elif labels[0] == "Document":
                props["search_text"] = search_text_of(
                    (TYPE_NAMES_VI.get(props.get("type", ""), ""), props.get("code"), props.get("title"),
                     names.get(props.get("issuer") or "")), repeated=_DOC_REPEATED)


_LABELS = {label.value: label for label in Label}
# which parts of a document's search text repeat across a file: its type name, code, title, issuer's name
_DOC_REPEATED = (True, True, False, True)


def _props(node: Props | None) -> Props | None:
    if node is None:
        return None
    return {k: v for k, v in node.items() if k != "labels"}


def _strip(props: Props) -> Props:
    """Drop None values and empty lists: Neo4j stores no nulls and a bulk import drops
    empty arrays, so neither store keeps them (readers treat a missing list as empty)."""
    return {k: v for k, v in props.items() if v is not None and v != []}


def _status(old: Props | None, merged: Props) -> Any:
    """A fulfilled expectation stays fulfilled; otherwise issued wins over expected."""
    previous = (old or {}).get("status")
    new = merged.get("status")
    if previous == DocStatus.FULFILLED:
        return previous
    if DocStatus.ISSUED in (previous, new):
        return DocStatus.ISSUED.value
    return new or previous


def _year(props: Props) -> int | None:
    """The year in a state code wins; otherwise the year of the resolved issue date."""
    code = try_parse_code(props["code"]) if props.get("code") else None
    if code is not None and code.year:
        return code.year
    if props.get("issued_on"):
        return int(str(props["issued_on"])[:4])
    return None


def _article(kind: str) -> str:
    return "an" if kind[0] in "AEIOU" else "a"


def _label(name: str) -> Label:
    return _LABELS.get(name) or Label(name)  # Label() raises the ValueError of an unknown one


def _label_of(uid: str, batch: Batch, heads: dict[str, Props]) -> str:
    if uid in batch.labels:
        return batch.labels[uid][0]
    if uid in heads:
        return heads[uid]["labels"][0]
    raise ValueError(f"unknown node {uid}")
