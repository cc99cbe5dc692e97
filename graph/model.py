"""Write model: what an ingest asks a store to write, and how claims merge.

Loaders never write properties directly. They produce :class:`NodeWrite` and
:class:`EdgeWrite` records, each asserted by one source; :func:`merge_node`
and :func:`merge_edge` fold a record into what the store already holds, so that
both stores receive the very same, fully computed property maps.

Resolution rule for a claimable field: the value asserted by the source of highest
standing wins (``graph.schema.SOURCE_STANDING``: an official or reference source over
press accounts and extracted text, however many repeat them), then the value asserted by
the most sources; on a tie the value claimed first stays (a later source never silently
overwrites an earlier one). Every value is kept in ``claims``; a field with more
than one distinct value is listed in ``conflicts``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from graph.schema import CLAIM_SEP, DEFAULT_STANDING, NODES, Label, Rel, edge_spec

Props = dict[str, Any]
UNION_PROPS = frozenset({"aliases"})  # list-valued props that accumulate across sources
Standing = Callable[[str], int]  # a source uid -> its standing (graph.schema.SOURCE_STANDING)


def _equal_standing(source: str) -> int:
    return DEFAULT_STANDING


@dataclass(slots=True)
class NodeWrite:
    label: Label
    uid: str
    source: str
    props: Props = field(default_factory=dict)  # identity / descriptive, non-claimable
    claims: Props = field(default_factory=dict)  # claimable field -> value
    extra_labels: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()


@dataclass(slots=True)
class EdgeWrite:
    rel: Rel
    start: str
    end: str
    source: str
    key: str = ""
    props: Props = field(default_factory=dict)
    claims: Props = field(default_factory=dict)
    evidence: tuple[str, ...] = ()

    @property
    def id(self) -> tuple[str, str, str, str]:
        return (self.rel.value, self.start, self.end, self.key)


@dataclass(slots=True)
class Batch:
    """Everything one ingest writes, applied atomically by a store."""

    nodes: dict[str, Props] = field(default_factory=dict)  # uid -> full props
    labels: dict[str, tuple[str, ...]] = field(default_factory=dict)  # uid -> labels
    edges: dict[tuple[str, str, str, str], Props] = field(default_factory=dict)
    edge_labels: dict[tuple[str, str, str, str], tuple[str, str]] = field(default_factory=dict)
    # What the store did not hold when the batch was built: written with CREATE, not MERGE.
    new_nodes: set[str] = field(default_factory=set)
    new_edges: set[tuple[str, str, str, str]] = field(default_factory=set)
    # The store's version (``version() or ""``) when the reads this batch rests on began: apply
    # refuses the batch if the graph changed since (GraphStore.apply). None: no check.
    based_on: str | None = None
    # The version the write leaves (a store that can take one: Neo4j), so that a batch built on
    # this one before it committed (ingest.overlap) can name it as its ``based_on``.
    version: str | None = None

    def __len__(self) -> int:
        return len(self.nodes) + len(self.edges)


def _append_unique(items: list[str], new: Iterable[str]) -> list[str]:
    for item in new:
        if item not in items:
            items.append(item)
    return items


def _claim(field_name: str, value: Any, source: str) -> str:
    return CLAIM_SEP.join((field_name, _claim_value(value), source))


def _claim_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parse_claims(claims: Iterable[str]) -> list[tuple[str, str, str]]:
    out = []
    for raw in claims:
        field_name, value, source = raw.split(CLAIM_SEP, 2)
        out.append((field_name, value, source))
    return out


def resolve_claims(
    claims: Iterable[str], typed: dict[tuple[str, str], Any], standing: Standing = _equal_standing
) -> tuple[Props, list[str]]:
    """Pick a value per field (the module's rule; ``standing`` is asked only about the sources of
    a field that has several values); return (values, conflicting fields)."""
    order: dict[str, list[str]] = {}
    support: dict[tuple[str, str], set[str]] = {}
    for field_name, value, source in parse_claims(claims):
        values = order.setdefault(field_name, [])
        if value not in values:
            values.append(value)
        support.setdefault((field_name, value), set()).add(source)
    chosen: Props = {}
    conflicts: list[str] = []
    for field_name, values in order.items():
        best = values[0]
        if len(values) > 1:
            best = max(values, key=lambda v: (max(map(standing, support[(field_name, v)])),
                                              len(support[(field_name, v)]), -values.index(v)))
            conflicts.append(field_name)
        chosen[field_name] = typed.get((field_name, best), best)
    return chosen, sorted(conflicts)


def _first(props: Props, claims: Props, source: str, evidence: Iterable[str]) -> Props:
    """:func:`_merge` into nothing (the common case of a national load): one source, so every claimed
    value wins as it is and nothing conflicts. Same result as the general path, without its work."""
    merged: Props = {}
    for key, value in props.items():
        if value is not None:
            merged[key] = _append_unique([], value) if key in UNION_PROPS else value
    merged["sources"] = [source]
    tail = CLAIM_SEP + source
    merged["claims"] = [k + CLAIM_SEP + (v if type(v) is str else _claim_value(v)) + tail  # _claim, inline
                        for k, v in claims.items() if v is not None]
    merged["evidence"] = _append_unique([], evidence)
    for key, value in claims.items():
        if value is not None:
            merged[key] = value
    merged["conflicts"] = []
    return merged


def _merge(existing: Props | None, props: Props, claims: Props, source: str,
           evidence: Iterable[str], standing: Standing = _equal_standing) -> Props:
    if not existing:
        return _first(props, claims, source, evidence)
    merged: Props = dict(existing)
    for key, value in props.items():
        if value is None:
            continue
        if key in UNION_PROPS:
            merged[key] = _append_unique(list(merged.get(key) or []), value)
        else:
            merged[key] = value
    earlier = list(merged.get("claims") or [])
    # A field that became claimable after the node was written (owner, deadline, due of documents) holds
    # a value no claim records: it stands as the node's first source's claim, so a new value conflicts.
    claimed = {f for f, _, _ in parse_claims(earlier)}
    first_source = (merged.get("sources") or [source])[0]
    earlier = [_claim(k, existing[k], first_source) for k in claims
               if k not in claimed and existing.get(k) is not None] + earlier
    merged["sources"] = _append_unique(list(merged.get("sources") or []), [source])
    all_claims = _append_unique(earlier, [_claim(k, v, source) for k, v in claims.items() if v is not None])
    merged["claims"] = all_claims
    merged["evidence"] = _append_unique(list(merged.get("evidence") or []), evidence)
    # Typed values: keep a bool/int as it was claimed, not as its string form.
    typed = {(k, _claim_value(v)): v for k, v in claims.items() if v is not None}
    for k in claims:
        if existing and k in existing and existing[k] is not None:
            typed.setdefault((k, _claim_value(existing[k])), existing[k])
    chosen, conflicts = resolve_claims(all_claims, typed, standing)
    merged.update(chosen)
    merged["conflicts"] = conflicts
    return merged


def merge_node(existing: Props | None, write: NodeWrite, standing: Standing = _equal_standing) -> Props:
    spec = NODES[write.label]
    unknown = (set(write.props) | set(write.claims)) - set(spec.props)
    if unknown:
        raise ValueError(f"{write.label} has no properties {sorted(unknown)}")
    not_claimable = set(write.claims) - set(spec.claimable)
    if not_claimable:
        raise ValueError(f"{write.label} properties {sorted(not_claimable)} are not claimable")
    props = {"uid": write.uid, **write.props}
    return _merge(existing, props, write.claims, write.source, write.evidence, standing)


def merge_edge(existing: Props | None, write: EdgeWrite, start: Label, end: Label,
               standing: Standing = _equal_standing) -> Props:
    spec = edge_spec(write.rel, start, end)
    if spec is None:
        raise ValueError(f"{write.rel} cannot link {start} to {end}")
    unknown = (set(write.props) | set(write.claims)) - set(spec.props)
    if unknown:
        raise ValueError(f"{write.rel} has no properties {sorted(unknown)}")
    props = {"key": write.key, **write.props}
    return _merge(existing, props, write.claims, write.source, write.evidence, standing)
