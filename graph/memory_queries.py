"""The named queries of ``queries/``, implemented over networkx.

Each function returns exactly the rows its ``.cypher`` twin returns, so that the
two stores answer identically (the contract suite checks it).
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.shared_graph import derived, unpack, unpacked

Row = dict[str, Any]
QueryFn = Callable[..., list[Row]]

QUERIES: dict[str, QueryFn] = {}


def named(name: str) -> Callable[[QueryFn], QueryFn]:
    def register(fn: QueryFn) -> QueryFn:
        QUERIES[name] = fn
        return fn

    return register


def run(graph: nx.MultiDiGraph, name: str, params: dict[str, Any],
        memo: dict[Any, Any] | None = None) -> list[Row]:
    """``memo``: a dict the caller empties whenever the graph changes; queries keep derived
    structures there (the implementation tree of a resolution) between calls."""
    try:
        fn = QUERIES[name]
    except KeyError:
        raise KeyError(f"no named query {name!r}") from None
    return fn(graph, params, {} if memo is None else memo)


# -- helpers ------------------------------------------------------------------
LINEAGE_RELS = ("IMPLEMENTS", "GUIDES")
MAX_HOPS = 20


def _labels(graph: nx.MultiDiGraph, uid: str) -> list[str]:
    return graph.nodes[uid].get("labels", []) if uid in graph else []


def _is(graph: nx.MultiDiGraph, uid: str, label: str) -> bool:
    return label in _labels(graph, uid)


# The adjacency dicts themselves (uid -> neighbour -> key -> attrs): networkx's edge views cost more
# than the walk on a national graph, and these two are on every query's path.
def _out(graph: nx.MultiDiGraph, uid: str, rels: tuple[str, ...]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(v, d["type"], d) for v, keyed in graph._succ[uid].items() for d in keyed.values() if d["type"] in rels]


def _in(graph: nx.MultiDiGraph, uid: str, rels: tuple[str, ...]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(u, d["type"], d) for u, keyed in graph._pred[uid].items() for d in keyed.values() if d["type"] in rels]


def _bfs(graph: nx.MultiDiGraph, start: str, rels: tuple[str, ...], direction: str,
         limit: int = MAX_HOPS) -> dict[str, int]:
    """Shortest hop count from ``start`` to every node reachable within ``limit``."""
    dist = {start: 0}
    frontier = [start]
    step = _out if direction == "out" else _in
    while frontier:
        nxt = []
        for uid in frontier:
            if dist[uid] >= limit:
                continue
            for other, _, _ in step(graph, uid, rels):
                if other not in dist:
                    dist[other] = dist[uid] + 1
                    nxt.append(other)
        frontier = nxt
    return dist


def _reach(graph: nx.MultiDiGraph, start: str, rels: tuple[str, ...], limit: int = MAX_HOPS) -> set[str]:
    """The ends of the outgoing paths of 1..``limit`` hops, as Cypher's ``-[*1..limit]->``: ``start``
    itself only when a cycle of at most ``limit`` hops comes back to it."""
    dist = _bfs(graph, start, rels, "out", limit)
    back = any(other == start for uid, hops in dist.items() if hops < limit
               for other, _, _ in _out(graph, uid, rels))
    return set(dist) - ({start} if not back else set())


def _nulls_last(value: Any) -> tuple[bool, Any]:
    return (value is None, value if value is not None else "")


def _lineage(graph: nx.MultiDiGraph, params: dict[str, Any], direction: str) -> list[Row]:
    root, depth = params["document"], int(params["depth"])
    if not _is(graph, root, "Document"):
        return []
    dist = _bfs(graph, root, LINEAGE_RELS, direction, min(depth, MAX_HOPS))
    rows: dict[tuple[str, str, str], int] = {}
    for near, d in dist.items():
        if d + 1 > depth:
            continue
        step = _out if direction == "out" else _in
        for other, rel, _ in step(graph, near, LINEAGE_RELS):
            key = (near, other, rel) if direction == "out" else (other, near, rel)
            rows[key] = min(rows.get(key, d + 1), d + 1)
    out = [{"source": s, "target": t, "type": r, "depth": d} for (s, t, r), d in rows.items()]
    return sorted(out, key=lambda r: (r["depth"], r["source"], r["target"], r["type"]))


@named("lineage_up")
def lineage_up(graph: nx.MultiDiGraph, params: dict[str, Any], memo: dict[Any, Any]) -> list[Row]:
    return _lineage(graph, params, "out")


@named("lineage_down")
def lineage_down(graph: nx.MultiDiGraph, params: dict[str, Any], memo: dict[Any, Any]) -> list[Row]:
    return _lineage(graph, params, "in")


@named("document_edges")
def document_edges(graph: nx.MultiDiGraph, params: dict[str, Any], memo: dict[Any, Any]) -> list[Row]:
    uid = params["uid"]
    if not _is(graph, uid, "Document"):
        return []
    rows = []
    for direction, adjacency in (("out", graph._succ[uid]), ("in", graph._pred[uid])):
        for other, keyed in adjacency.items():
            for data in keyed.values():
                source, target = (uid, other) if direction == "out" else (other, uid)
                # unpacked: claims are held packed (graph.shared_graph), and returned as Neo4j returns them
                rows.append({"direction": direction, "type": data["type"], "source": source, "target": target,
                             "properties": {k: v for k, v in unpacked(data).items() if k != "type"}})
    return sorted(rows, key=lambda r: (r["direction"] != "out", r["type"], r["source"], r["target"],
                                       _nulls_last(r["properties"].get("key"))))


def shown_issuer(graph: nx.MultiDiGraph, uid: str) -> str | None:
    """The document's issuer; of a joint document's several, the least uid (its ``shown_issuer``,
    which the memory store derives from the edges instead of holding it)."""
    nodes, shown = graph._node, None  # on every read of a document (graph.memory._view): plain loops
    for v, keyed in graph._succ[uid].items():
        if shown is not None and v >= shown:
            continue
        for d in keyed.values():
            if d["type"] == "ISSUED_BY" and "Institution" in nodes[v].get("labels", ()):
                shown = v
                break
    return shown


def code_key(uid: str, attrs: dict[str, Any]) -> str | None:
    """A node's ``code_key``, held or derived (graph.shared_graph.stripped)."""
    if "uid" in attrs:
        return attrs.get("code_key")
    return derived(uid, attrs).get("code_key")  # type: ignore[no-any-return]


def _issuers(graph: nx.MultiDiGraph, uid: str) -> set[str]:
    """Every issuer of a document (a joint document has several)."""
    return {i for i, _, _ in _out(graph, uid, ("ISSUED_BY",)) if _is(graph, i, "Institution")}


@named("lineage")
def lineage(graph: nx.MultiDiGraph, params: dict[str, Any], memo: dict[Any, Any]) -> list[Row]:
    root = params["document"]
    if not _is(graph, root, "Document"):
        return []
    depth_of = {root: 0}
    edges: dict[tuple[str, str, str], None] = {}
    truncated = False
    for sign, direction, bound in ((-1, "out", int(params["up"])), (1, "in", int(params["down"]))):
        if bound <= 0:
            continue
        # one hop further than asked (21 at the bound of 20 too): an edge out there means the bound cut the lineage
        rows = _lineage(graph, {"document": root, "depth": bound + 1}, direction)
        truncated = truncated or any(r["depth"] > bound for r in rows)
        for r in rows:
            if r["depth"] > bound:
                continue
            depth_of.setdefault(r["target"] if sign < 0 else r["source"], sign * r["depth"])
            edges.setdefault((r["source"], r["target"], r["type"]))
    nodes = []
    for uid in sorted(depth_of, key=lambda u: (depth_of[u], u)):
        a = graph.nodes[uid]
        nodes.append([uid, a.get("code"), a.get("type"), a.get("title"), a.get("status"), a.get("issued_on"),
                      shown_issuer(graph, uid), a.get("due"), a.get("conflicts"), depth_of[uid]])
    return [{"nodes": nodes, "edges": [[s, t, r] for s, t, r in edges], "truncated": truncated}]


def _valid(attrs: dict[str, Any], as_of: str) -> bool:
    start, end = attrs.get("valid_from"), attrs.get("valid_to")
    return (start is None or start <= as_of) and (end is None or end >= as_of)


def _issued_by_then(attrs: dict[str, Any], as_of: str) -> bool:
    issued_on = attrs.get("issued_on")
    return attrs.get("status") == "issued" and (issued_on is None or issued_on <= as_of)


@dataclass(slots=True)
class _Tree:
    """What a coverage audit needs of one target, whatever the scope and date (memoised per graph
    version): the documents with an IMPLEMENTS chain to it (hop count, next hop up) and, per unit,
    the tree's documents it issued, the tasks the tree assigns it and the expectations it owes."""

    dist: dict[str, int]
    parent: dict[str, str]
    issued: dict[str, list[str]]
    tasks: dict[str, list[tuple[str, dict[str, Any]]]]
    owed: dict[str, list[str]]


def _implementation_tree(graph: nx.MultiDiGraph, target: str) -> _Tree:
    dist = {target: 0}
    parent: dict[str, str] = {}
    frontier = [target]
    pred = graph._pred
    while frontier:
        nxt = []
        for uid in sorted(frontier):
            hops = dist[uid] + 1
            if hops > MAX_HOPS:
                continue
            lowers = []
            for lower, keyed in pred[uid].items():  # plain loops: ~5,500 documents a national tree
                if lower not in dist:
                    for data in keyed.values():
                        if data["type"] == "IMPLEMENTS":
                            lowers.append(lower)
                            break
            lowers.sort()
            for lower in lowers:
                if lower not in dist:
                    dist[lower] = hops
                    parent[lower] = uid
                    nxt.append(lower)
        frontier = nxt
    del dist[target]
    issued: dict[str, list[str]] = {}
    tasks: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    owed: dict[str, list[str]] = {}  # unit -> expected documents of the tree it owns or will issue
    succ, nodes = graph._succ, graph._node
    for doc in (target, *dist):
        for unit, keyed in succ[doc].items():  # one pass over the document's edges for both types
            for data in keyed.values():
                kind = data["type"]
                if kind == "ASSIGNS":
                    tasks.setdefault(unit, []).append((doc, data))
                elif kind == "ISSUED_BY" and doc != target:
                    issued.setdefault(unit, []).append(doc)
        if doc == target:
            continue
        attrs = nodes[doc]
        if attrs.get("status") in ("expected", "fulfilled"):
            for unit in dict.fromkeys((attrs.get("owner"), attrs.get("issuer"))):
                if unit is not None:
                    owed.setdefault(unit, []).append(doc)
    return _Tree(dist, parent, issued, tasks, owed)


def _delivered_by(graph: nx.MultiDiGraph, deliverable: str | None, as_of: str) -> list[str]:
    if not deliverable or deliverable not in graph:
        return []
    return sorted({u for u, _, _ in _in(graph, deliverable, ("FULFILS",))
                   if _issued_by_then(graph.nodes[u], as_of)})


def _superseded(graph: nx.MultiDiGraph, unit: str, memo: dict[Any, Any]) -> list[str]:
    """The bodies ``unit`` superseded, transitively (SUPERSEDES points from the new body to the old)."""
    key = ("superseded", unit)
    if key not in memo:
        memo[key] = [b for b in _bfs(graph, unit, ("SUPERSEDES",), "out") if b != unit and _is(graph, b, "Institution")]
    return memo[key]  # type: ignore[no-any-return]


@named("coverage")
def coverage(graph: nx.MultiDiGraph, params: dict[str, Any], memo: dict[Any, Any]) -> list[Row]:
    target, scope, as_of = params["document"], params["scope"], params["as_of"]
    if not _is(graph, target, "Document") or not _is(graph, scope, "Institution"):
        return []
    # Units under the scope, memoised too: climbing PART_OF scans every in-edge of each unit, and at 1M a
    # unit has hundreds (an ISSUED_BY and an ASSIGNS per resolution).
    levels = memo.get(("part_of_levels", scope))
    if levels is None:
        levels = memo[("part_of_levels", scope)] = _bfs(graph, scope, ("PART_OF",), "in")
    # The tree depends on the target only: every province's (and the nation's) audit shares it.
    key = ("implementation_tree", target)
    if key not in memo:
        memo[key] = _implementation_tree(graph, target)
    tr: _Tree = memo[key]
    tree, parent = tr.dist, tr.parent
    # an expectation is owed from the day the target was issued, as the target's own tasks are
    owed_yet = _issued_by_then(graph.nodes[target], as_of)
    rows = []
    for unit, level in levels.items():
        attrs = graph.nodes[unit]
        if not _is(graph, unit, "Institution") or not _valid(attrs, as_of):
            continue
        # the unit answers for the bodies it superseded that no longer exist on the day
        bodies = [unit, *(old for old in _superseded(graph, unit, memo) if not _valid(graph.nodes[old], as_of))]
        issued = sorted({d for b in bodies for d in tr.issued.get(b, ()) if _issued_by_then(graph.nodes[d], as_of)},
                        key=lambda d: (tree[d], d))
        chain: list[str] = []
        if issued:
            node = issued[0]
            chain = [node]
            while node != target:
                node = parent[node]
                chain.append(node)
        tasks = [(a, d) for b in bodies for a, d in tr.tasks.get(b, ()) if _issued_by_then(graph.nodes[a], as_of)]
        task_delivered = sorted({r for _, t in tasks for r in _delivered_by(graph, t.get("deliverable"), as_of)})
        expected = [e for b in bodies for e in tr.owed.get(b, [])] if owed_yet else []  # one per role, as in Cypher
        expected_delivered = sorted({r for e in expected for r in _delivered_by(graph, e, as_of)})
        delivered: list[str] = []
        for uid in task_delivered + expected_delivered:
            if uid not in delivered and uid not in issued:
                delivered.append(uid)
        dues = [t.get("due") for _, t in tasks] + [graph.nodes[e].get("due") for e in expected]
        dues = [d for d in dues if d is not None]
        due = min(dues) if dues else None
        obligations = len(tasks) + len(expected)
        if issued or delivered:
            status = "covered"
        elif obligations and due is not None and due < as_of:
            status = "overdue"
        elif obligations:
            status = "expected"
        else:
            status = "missing"
        dates = [d for d in (graph.nodes[x].get("issued_on") for x in issued + delivered) if d is not None]
        covered_on = min(dates) if dates else None
        rows.append({"institution": unit, "name": attrs.get("name"), "level": level,
                     "status": status, "documents": issued + delivered, "chain": chain,
                     "due": due, "covered_on": covered_on,
                     "late": status == "covered" and due is not None and covered_on is not None and covered_on > due})
    return sorted(rows, key=lambda r: (r["level"], r["name"], r["institution"]))


@named("issued_by")
def issued_by(graph: nx.MultiDiGraph, params: dict[str, Any], memo: dict[Any, Any]) -> list[Row]:
    inst = params["institution"]
    if not _is(graph, inst, "Institution"):
        return []
    rows = []
    for d, _, _ in _in(graph, inst, ("ISSUED_BY",)):
        a = graph.nodes[d]
        rows.append({"uid": d, "code": a.get("code"), "type": a.get("type"),
                     "title": a.get("title"), "issued_on": a.get("issued_on"),
                     "status": a.get("status")})
    return sorted(rows, key=lambda r: (_nulls_last(r["issued_on"]), r["uid"]))


@named("reports_to_chain")
def reports_to_chain(graph: nx.MultiDiGraph, params: dict[str, Any], memo: dict[Any, Any]) -> list[Row]:
    start = params["institution"]
    if not _is(graph, start, "Institution"):
        return []
    dist = _bfs(graph, start, ("REPORTS_TO",), "out")
    rows = []
    for near, d in dist.items():
        if d + 1 > MAX_HOPS:
            continue
        for other, _, edge in _out(graph, near, ("REPORTS_TO",)):
            rows.append({"source": near, "source_name": graph.nodes[near].get("name"),
                         "target": other, "target_name": graph.nodes[other].get("name"),
                         "cadence": edge.get("cadence"), "depth": d + 1})
    return sorted(rows, key=lambda r: (r["depth"], r["source"], r["target"]))


@named("obligations")
def obligations(graph: nx.MultiDiGraph, params: dict[str, Any], memo: dict[Any, Any]) -> list[Row]:
    inst = params["institution"]
    if not _is(graph, inst, "Institution"):
        return []
    issued_here = [x for x, _, _ in _in(graph, inst, ("ISSUED_BY",))
                   if graph.nodes[x].get("status") == "issued"]
    reach: set[str] = set()
    for x in issued_here:
        reach |= _reach(graph, x, ("IMPLEMENTS",))
    rows: list[Row] = []
    for a, _, t in _in(graph, inst, ("ASSIGNS",)):
        bases = {a} | {up for up, _, _ in _out(graph, a, ("IMPLEMENTS",))}
        deliverable = t.get("deliverable")
        # a task with a deliverable in the graph is done when that is fulfilled, whatever else was issued
        done = graph.nodes[deliverable].get("status") == "fulfilled" if deliverable and deliverable in graph \
            else bool(bases & reach)
        rows.append({"kind": "task", "document": a, "code": graph.nodes[a].get("code"),
                     "task": t.get("task"), "deadline": t.get("deadline"), "due": t.get("due"),
                     "cadence": t.get("cadence"), "counterpart": deliverable, "fulfilled": done})
    for e, attrs in graph.nodes(data=True):
        if attrs.get("status") in ("expected", "fulfilled") and \
                inst in (attrs.get("owner"), attrs.get("issuer")):
            rows.append({"kind": "expected", "document": e, "code": attrs.get("code"),
                         "task": attrs.get("title"), "deadline": attrs.get("deadline"),
                         "due": attrs.get("due"), "cadence": None,
                         "counterpart": attrs.get("issuer"),
                         "fulfilled": attrs.get("status") == "fulfilled"})
    for to, _, r in _out(graph, inst, ("REPORTS_TO",)):
        rows.append({"kind": "reports_to", "document": None, "code": None, "task": None,
                     "deadline": None, "due": None, "cadence": r.get("cadence"),
                     "counterpart": to, "fulfilled": None})
    return sorted(rows, key=lambda r: (r["kind"], _nulls_last(r["due"]), _nulls_last(r["document"]),
                                       _nulls_last(r["counterpart"]), _nulls_last(r["task"])))


@named("conflicts")
def conflicts(graph: nx.MultiDiGraph, params: dict[str, Any], memo: dict[Any, Any]) -> list[Row]:
    subjects: list[tuple[str, str, list[str], list[str]]] = []
    for uid, attrs in graph.nodes(data=True):
        if attrs.get("conflicts"):
            labels = attrs.get("labels", [])
            kind = next((k for k in ("Document", "Institution") if k in labels), "Source")
            subjects.append((uid, kind, attrs["conflicts"], unpack(attrs.get("claims", []), attrs)))
    for u, v, d in graph.edges(data=True):
        if d.get("conflicts"):
            # the key tells apart edges of one type between the same pair (two tasks assigned to one unit)
            key = d.get("key") or ""
            label = f"{d['type']}[{key}]" if key else d["type"]
            subjects.append((f"{u} -{label}-> {v}", d["type"], d["conflicts"],
                             unpack(d.get("claims", []), d)))
    rows = []
    for subject, kind, fields, claims in subjects:
        seen: dict[tuple[str, str], Row] = {}
        for i, claim in enumerate(claims):
            field, value, source = claim.split("\t", 2)
            if field not in fields:
                continue
            row = seen.setdefault((field, value), {"subject": subject, "kind": kind,
                                                   "field": field, "value": value,
                                                   "sources": [], "_first": i})
            row["sources"].append(source)
        rows.extend(seen.values())
    rows.sort(key=lambda r: (r["subject"], r["field"], r["_first"]))
    for row in rows:
        del row["_first"]
    return rows


# A search with more hits than this walks nodes in uid order testing each one, as its Cypher twin does:
# sorting a million hits for one page took seconds (the answers are the same either way).
WALK_OVER = 10_000


def _text_index(graph: nx.MultiDiGraph, memo: dict[Any, Any]) -> tuple[list[str], dict[str, array[int]]]:
    """Node uids in graph order and, per folded word, the positions of the nodes whose search text holds
    it: built once per graph version (a scan folding every node's text took ~9 s per query at 100k
    nodes), ~15 MB at 100k."""
    from graph.text import search_text

    if "text_index" not in memo:
        order: list[str] = []
        postings: dict[str, array[int]] = {}
        for i, (uid, attrs) in enumerate(graph.nodes(data=True)):
            order.append(uid)
            text = unpack(attrs.get("search_text"), attrs)
            for word in set(search_text(text).split()) if text else ():
                if word not in postings:
                    postings[word] = array("I")
                postings[word].append(i)
        memo["text_index"] = (order, postings)
    return memo["text_index"]  # type: ignore[no-any-return]


def _text_hits(graph: nx.MultiDiGraph, words: Any, memo: dict[Any, Any]) -> list[str] | None:
    """The uids whose search text holds every one of ``words`` (folded words, as `graph.text.words`
    makes them), in graph order: the full-text index's twin. None when a word is in more than
    WALK_OVER nodes: the caller then walks uids and tests each node (:func:`_has_words`)."""
    wanted = {str(w) for w in words}
    if not wanted:
        return []
    order, postings = _text_index(graph, memo)
    lists = sorted((postings.get(w, array("I")) for w in wanted), key=len)
    if len(lists[0]) > WALK_OVER:
        return None
    others = [set(p) for p in lists[1:]]
    return [order[i] for i in lists[0] if all(i in other for other in others)]


def _has_words(attrs: dict[str, Any], wanted: set[str]) -> bool:
    from graph.text import search_text

    text = unpack(attrs.get("search_text"), attrs)
    return bool(text) and wanted <= set(search_text(text).split())


def _sorted_uids(graph: nx.MultiDiGraph, label: str, memo: dict[Any, Any]) -> list[str]:
    """The uids of one label in uid order, once per graph version (the walk's uid index)."""
    key = ("sorted_uids", label)
    if key not in memo:
        memo[key] = sorted(u for u, a in graph.nodes(data=True) if label in a.get("labels", []))
    return memo[key]  # type: ignore[no-any-return]


def _by_code_key(graph: nx.MultiDiGraph, memo: dict[Any, Any]) -> dict[str, list[str]]:
    """Document uids by code key, in uid order, once per graph version (the code_key index's twin)."""
    if "by_code_key" not in memo:
        index: dict[str, list[str]] = {}
        for uid in _sorted_uids(graph, "Document", memo):
            key = code_key(uid, graph.nodes[uid])
            if key is not None:
                index.setdefault(key, []).append(uid)
        memo["by_code_key"] = index
    return memo["by_code_key"]  # type: ignore[no-any-return]


def _walk(graph: nx.MultiDiGraph, label: str, memo: dict[Any, Any], after: str | None, limit: int,
          keep: Callable[[str, dict[str, Any]], bool]) -> list[str]:
    """The first ``limit`` uids of ``label`` after ``after``, in uid order, that ``keep`` accepts."""
    order, nodes = _sorted_uids(graph, label, memo), graph._node  # the node dict: NodeView lookups cost more
    out: list[str] = []
    for uid in order[bisect_right(order, after) if after is not None else 0:]:
        if len(out) == limit:
            break
        if keep(uid, nodes[uid]):
            out.append(uid)
    return out


def _pick(graph: nx.MultiDiGraph, memo: dict[Any, Any], label: str, params: dict[str, Any],
          keep: Callable[[str, dict[str, Any]], bool], indexed: list[str] | None) -> list[str]:
    """A page of `documents` or `institutions`, from the narrowest source as their Cypher twins choose
    it: the text hits, else $uids, else ``indexed`` (the documents of $code_key or of $issuer, in uid
    order), else the uid walk (no narrower source, or a word in most nodes)."""
    words, uids, after, limit = params.get("words"), params.get("uids"), params.get("after"), int(params["limit"])
    hits = _text_hits(graph, words, memo) if words is not None else None
    if hits is not None:
        return sorted(u for u in hits if keep(u, graph.nodes[u]))[:limit]
    if words is None and uids is not None:
        return sorted(u for u in dict.fromkeys(uids) if u in graph and keep(u, graph.nodes[u]))[:limit]
    if words is None and indexed is not None:
        return [u for u in indexed if keep(u, graph.nodes[u])][:limit]
    return _walk(graph, label, memo, after, limit, keep)


@named("search")
def search(graph: nx.MultiDiGraph, params: dict[str, Any], memo: dict[Any, Any]) -> list[Row]:
    words, limit = params["words"], int(params["limit"])
    hits = _text_hits(graph, words, memo)
    if hits is None:
        wanted = {str(w) for w in words}
        hits = [u for label in ("Document", "Institution")
                for u in _walk(graph, label, memo, None, limit, lambda _u, a: _has_words(a, wanted))]
    rows = []
    for uid in hits:
        attrs = graph.nodes[uid]
        is_doc = "Document" in attrs.get("labels", [])
        rows.append({"uid": uid, "kind": "document" if is_doc else "institution",
                     "label": attrs.get("code") or attrs.get("name"),
                     "title": attrs.get("title"), "name": attrs.get("name")})
    rows.sort(key=lambda r: (r["kind"], r["uid"]))
    return rows[:limit]


@named("documents")
def documents(graph: nx.MultiDiGraph, params: dict[str, Any], memo: dict[Any, Any]) -> list[Row]:
    filters = {k: params.get(k) for k in ("code_key", "type", "status")}
    issuer = params.get("issuer")
    uids, after, words = params.get("uids"), params.get("after"), params.get("words")
    within = set(uids) if uids is not None else None
    wanted = {str(w) for w in words} if words is not None else set()
    given = [(k, v) for k, v in filters.items() if v is not None]

    def keep(uid: str, a: dict[str, Any]) -> bool:
        for k, v in given:
            if (code_key(uid, a) if k == "code_key" else a.get(k)) != v:
                return False
        return ("Document" in a.get("labels", []) and (within is None or uid in within)
                and (after is None or uid > after) and (not wanted or _has_words(a, wanted))
                and (issuer is None or issuer in _issuers(graph, uid)))

    key = filters["code_key"]
    if key is not None:
        indexed = _by_code_key(graph, memo).get(key, [])
    elif issuer is not None:  # the documents it issued, alone or jointly
        indexed = sorted({p for p, _, _ in _in(graph, issuer, ("ISSUED_BY",))}) if issuer in graph else []
    else:
        indexed = None
    picked = _pick(graph, memo, "Document", params, keep, indexed)
    rows = []
    for uid in picked:
        a = graph.nodes[uid]
        issuer = shown_issuer(graph, uid)
        rows.append({"uid": uid, "code": a.get("code"), "type": a.get("type"), "title": a.get("title"),
                     "issued_on": a.get("issued_on"), "status": a.get("status"),
                     "conflicts": a.get("conflicts"), "owner": a.get("owner"), "due": a.get("due"),
                     "issuer": issuer, "issuer_name": graph.nodes[issuer].get("name") if issuer else None})
    return rows


@named("institutions")
def institutions(graph: nx.MultiDiGraph, params: dict[str, Any], memo: dict[Any, Any]) -> list[Row]:
    uids, after, words = params.get("uids"), params.get("after"), params.get("words")
    wanted = {str(w) for w in words} if words is not None else set()

    def keep(uid: str, a: dict[str, Any]) -> bool:
        return ("Institution" in a.get("labels", []) and (uids is None or uid in uids)
                and (after is None or uid > after) and (not wanted or _has_words(a, wanted)))

    picked = _pick(graph, memo, "Institution", params, keep, None)
    rows = []
    for uid in picked:
        a = graph.nodes[uid]
        rows.append({"uid": uid, "name": a.get("name"), "short_name": a.get("short_name"),
                     "kind": a.get("kind"), "level": a.get("level"), "valid_from": a.get("valid_from"),
                     "valid_to": a.get("valid_to"), "aliases": a.get("aliases"),
                     "part_of": sorted(p for p, _, _ in _out(graph, uid, ("PART_OF",))),
                     "conflicts": a.get("conflicts")})
    return rows
