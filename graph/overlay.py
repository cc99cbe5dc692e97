"""A read view of a store as it will be once some batches, not yet committed, are applied.

A multi-file ingest resolves file N+1 while file N is still being written (ingest/overlap.py):
its reads must already see file N. :class:`PendingView` answers the reads that loaders make
(``get_nodes``, ``get_edges``, ``documents_by_code_key``, ``documents_by_code_issuer``, ``neighbours``) from the pending
batches first, then from the store. It writes nothing: a batch built on it is applied to the
store itself, after the batches it was built on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NoReturn

from graph.model import Batch, Props
from graph.store import EdgeId, GraphStore, Neighbour, Stats, project


def _project(labels: tuple[str, ...], props: Props, fields: Sequence[str] | None) -> Props:
    return project({"labels": list(labels), **props}, fields)


class PendingView(GraphStore):
    """``store`` with ``batches`` (oldest first) applied on top, for reading only."""

    def __init__(self, store: GraphStore, batches: Sequence[Batch]) -> None:
        self.store = store
        self.kind = store.kind
        self._nodes: dict[str, tuple[tuple[str, ...], Props]] = {}
        self._edges: dict[EdgeId, Props] = {}
        for batch in batches:
            for uid, props in batch.nodes.items():
                self._nodes[uid] = (batch.labels[uid], props)
            self._edges.update(batch.edges)
        self._by_end: dict[tuple[str, str, str], list[EdgeId]] = {}  # (rel, direction, uid) -> edges
        for eid in self._edges:
            rel, start, end, _ = eid
            self._by_end.setdefault((rel, "out", start), []).append(eid)
            self._by_end.setdefault((rel, "in", end), []).append(eid)

    # -- the reads loaders make ----------------------------------------------------
    def get_nodes(self, uids: Iterable[str], fields: Sequence[str] | None = None) -> dict[str, Props]:
        wanted = list(uids)
        found = self.store.get_nodes((u for u in wanted if u not in self._nodes), fields)
        for uid in wanted:
            if uid in self._nodes:
                labels, props = self._nodes[uid]
                found[uid] = _project(labels, props, fields)
        return found

    def get_edges(self, ids: Iterable[EdgeId]) -> dict[EdgeId, Props]:
        wanted = list(ids)
        found = self.store.get_edges(e for e in wanted if e not in self._edges)
        found.update({e: self._edges[e] for e in wanted if e in self._edges})
        return found

    def documents_by_code_key(self, keys: Iterable[str], fields: Sequence[str] | None = None) -> list[Props]:
        wanted = set(keys)
        out = [n for n in self.store.documents_by_code_key(wanted, fields) if n["uid"] not in self._nodes]
        out += [_project(labels, props, fields) for labels, props in self._nodes.values()
                if "Document" in labels and props.get("code_key") in wanted]
        return sorted(out, key=lambda n: n["uid"])

    def documents_by_code_issuer(self, pairs: Iterable[tuple[str, str]],
                                 fields: Sequence[str] | None = None) -> list[Props]:
        wanted = set(pairs)
        out = [n for n in self.store.documents_by_code_issuer(wanted, fields) if n["uid"] not in self._nodes]
        out += [_project(labels, props, fields) for labels, props in self._nodes.values()
                if "Document" in labels and (props.get("code_key"), props.get("issuer")) in wanted]
        return sorted(out, key=lambda n: n["uid"])

    def neighbours(self, uids: Iterable[str], rel: str, direction: str,
                   fields: Sequence[str] | None = None) -> list[Neighbour]:
        wanted = list(dict.fromkeys(uids))
        pending: dict[tuple[str, str, str], tuple[str, Props]] = {}  # (uid, other, key) -> (other, edge)
        for uid in wanted:
            for eid in self._by_end.get((rel, direction, uid), ()):
                _, start, end, key = eid
                other = end if direction == "out" else start
                pending[(uid, other, key)] = (other, self._edges[eid])
        out: list[Neighbour] = []
        for n in self.store.neighbours(wanted, rel, direction, fields):
            ident = (n.uid, n.other, n.edge.get("key", ""))
            if ident in pending:
                continue  # rewritten by a pending batch: reported below
            if n.other in self._nodes:
                labels, props = self._nodes[n.other]
                n = Neighbour(n.uid, n.other, n.rel, n.edge, _project(labels, props, fields))
            out.append(n)
        others = self.get_nodes({other for other, _ in pending.values()}, fields)
        for (uid, other, _), (_, edge) in pending.items():
            if other in others:
                out.append(Neighbour(uid, other, rel, edge, others[other]))
        return out

    # -- everything else belongs to the store ----------------------------------------
    def _read_only(self) -> NoReturn:
        raise TypeError("PendingView is a read view: apply batches to the store itself")

    def ensure_schema(self) -> None:
        self._read_only()

    def ping(self) -> None:
        self.store.ping()

    def close(self) -> None:
        """The view holds nothing; the store is closed by its owner."""

    def clear(self) -> None:
        self._read_only()

    def apply(self, batch: Batch) -> None:
        self._read_only()

    def stats(self) -> Stats:
        self._read_only()

    def dump(self) -> tuple[list[Props], list[tuple[str, str, str, Props]]]:
        self._read_only()

    def run(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        self._read_only()
