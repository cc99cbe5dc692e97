"""One typed store interface, two backends (memory/networkx and Neo4j).

A store knows how to read nodes and edges by identity, apply a :class:`Batch`
atomically and run the named queries of ``queries/``. Everything that decides
*what* to write (identity resolution, claim merging, fulfilment) lives in the
ingest layer, shared by both backends, so that both give identical answers.
"""

from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from graph.model import Batch, Props

EdgeId = tuple[str, str, str, str]  # (rel, start uid, end uid, key)


class StoreError(RuntimeError):
    """The store cannot be reached or refused an operation."""


class StoreTimeout(StoreError):
    """A read ran longer than the store's query timeout and was stopped by the server."""


class StoreConflict(StoreError):
    """Another writer changed the graph after the batch's reads began (``Batch.based_on``): nothing
    of the batch was written, and a batch built again on the graph as it is now may be applied."""


@dataclass(slots=True)
class Stats:
    nodes: dict[str, int] = field(default_factory=dict)  # label -> count
    edges: dict[str, int] = field(default_factory=dict)  # rel type -> count

    @property
    def total_nodes(self) -> int:
        return sum(self.nodes.get(k, 0) for k in ("Document", "Institution", "Source"))

    @property
    def total_edges(self) -> int:
        return sum(self.edges.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "nodes": dict(sorted(self.nodes.items())),
            "edges": dict(sorted(self.edges.items())),
            "total_nodes": self.total_nodes,
            "total_edges": self.total_edges,
        }


@dataclass(frozen=True, slots=True)
class Neighbour:
    uid: str  # the node asked about
    other: str  # the node at the other end
    rel: str
    edge: Props
    other_props: Props


def project(node: Props, fields: Sequence[str] | None) -> Props:
    """A node (props with ``labels``) as ``get_nodes`` returns it: a copy, or with ``fields`` only
    ``uid``, ``labels`` and those fields that it has."""
    if fields is None:
        return dict(node)
    return {"uid": node["uid"], "labels": node.get("labels", []), **{f: node[f] for f in fields if f in node}}


class AsyncVersionReader(Protocol):
    """:meth:`GraphStore.version` as a coroutine, for one event loop at a time."""

    async def read(self) -> str | None: ...

    async def aclose(self) -> None: ...


class GraphStore(ABC):
    """The contract both backends fulfil (see tests/contract)."""

    kind: str

    @abstractmethod
    def ensure_schema(self) -> None: ...

    @abstractmethod
    def ping(self) -> None:
        """Raise :class:`StoreError` when the store is unreachable."""

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def clear(self) -> None:
        """Delete everything (tests, `kg demo --reset`)."""

    @abstractmethod
    def get_nodes(self, uids: Iterable[str], fields: Sequence[str] | None = None) -> dict[str, Props]:
        """Props (plus ``labels``) of the nodes that exist among ``uids``; with ``fields``, only
        ``uid``, ``labels`` and those fields that the node has (a lean read: loaders resolve thousands
        of references per file and need little of each)."""

    @abstractmethod
    def get_edges(self, ids: Iterable[EdgeId]) -> dict[EdgeId, Props]: ...

    @abstractmethod
    def documents_by_code_key(self, keys: Iterable[str], fields: Sequence[str] | None = None) -> list[Props]:
        """Documents whose ``code_key`` is among ``keys``, in uid order (``fields`` as in get_nodes)."""

    @abstractmethod
    def documents_by_code_issuer(self, pairs: Iterable[tuple[str, str]],
                                 fields: Sequence[str] | None = None) -> list[Props]:
        """Documents whose (``code_key``, ``issuer``) is among ``pairs``, in uid order: what identity
        resolution needs of a document with an issuer, without the other issuers' documents of the
        code (one per commune for "01-kh-ubnd")."""

    @abstractmethod
    def neighbours(self, uids: Iterable[str], rel: str, direction: str,
                   fields: Sequence[str] | None = None) -> list[Neighbour]:
        """Edges of type ``rel`` leaving (``out``) or entering (``in``) the nodes; ``other_props`` as
        ``get_nodes`` gives them (``fields``: a lean read of the other ends)."""

    @abstractmethod
    def apply(self, batch: Batch) -> None:
        """Write the whole batch atomically: all of it or nothing. With ``batch.based_on`` set, only
        if the graph is still at that version (``version() or ""``), checked under the write's
        lock, else :class:`StoreConflict`: a batch replaces the property maps it read, so one built
        on an older graph would undo another writer's claims. Writers in other processes included."""

    @abstractmethod
    def stats(self) -> Stats: ...

    @abstractmethod
    def dump(self) -> tuple[list[Props], list[tuple[str, str, str, Props]]]:
        """Every node (props with ``labels``) and edge (rel, start, end, props)."""

    def dump_nodes(self) -> list[Props]:
        """The nodes of :meth:`dump` (a store that can read them alone overrides this)."""
        return self.dump()[0]

    def dump_edges(self) -> list[tuple[str, str, str, Props]]:
        """The edges of :meth:`dump` (a store that can read them alone overrides this)."""
        return self.dump()[1]

    def node_ids(self) -> Collection[str]:
        """The uids of every node, for membership tests (a store that holds them overrides this)."""
        return {node["uid"] for node in self.dump_nodes()}

    def label_sets(self, uids: Sequence[str]) -> list[tuple[str, ...]]:
        """The labels of each of ``uids`` (all exist), in order (a store that holds them overrides
        this): what the bulk export numbers nodes by."""
        found = self.get_nodes(uids, fields=())
        return [tuple(found[uid]["labels"]) for uid in uids]

    @abstractmethod
    def run(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Run a named query of ``queries/`` and return its rows."""

    def writing(self) -> contextlib.AbstractContextManager[None]:
        """Held around a file's resolution and write (ingest.loader.apply_built). A store whose
        writers can wait for each other cheaply (the embedded one: a file lock) makes them take
        turns here, so a build is never refused; otherwise nothing is held and a write built on an
        older graph is refused by ``apply`` (Batch.based_on) and built again."""
        return contextlib.nullcontext()

    def version(self) -> str | None:
        """A token that changes whenever the graph does (every ``apply`` and ``clear``, in
        any process), or None when unknown: then nothing derived from the graph may be cached."""
        return None

    def async_version_reader(self) -> AsyncVersionReader | None:
        """A reader of :meth:`version` for asyncio callers (the API's version gate), or None: then
        callers run :meth:`version` in a worker thread. A store whose version is a network round trip
        offers one, so that the read does not cost a thread hop and a second thread's share of the GIL."""
        return None

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
