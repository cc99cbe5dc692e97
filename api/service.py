"""Answers built from the store's named queries; routers stay thin.

Ordering rules (identical on both stores): lists are in uid order unless said
otherwise; lineage edges by (depth, source, target, type); coverage units by
(PART_OF level, name, uid); conflicts by (subject, field, first claim).
"""

from __future__ import annotations

import base64
from collections import Counter
from datetime import date
from typing import Any

import orjson

from api import schemas as s
from api.errors import Problem
from graph.codes import try_parse_code
from graph.model import parse_claims
from graph.reports.coverage_report import scope_note
from graph.schema import Rel
from graph.store import GraphStore
from graph.text import nfc, words

MAX_DEPTH = 20


# -- helpers ---------------------------------------------------------------------
def encode_cursor(uid: str) -> str:
    return base64.urlsafe_b64encode(uid.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> str | None:
    if not cursor:
        return None
    try:
        uid = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        uid = None
    if uid is None or encode_cursor(uid) != cursor:
        raise Problem(422, "Invalid request", f"cursor {cursor!r} is not a cursor this API returned")
    return uid


# every word is one clause of the full-text query, and Lucene refuses a query of more than 1,024;
# its tokenizer cuts words longer than 255 characters in pieces, which would find texts without the word
MAX_SEARCH_WORDS = 64
MAX_WORD_LENGTH = 255


def search_words(q: str | None) -> list[str] | None:
    """The words every hit must hold, folded: 'Nghị quyết 52' -> nghi, quyet, 52 (None for no or an
    empty ``q``: no search; a query without words, such as '?!', finds nothing)."""
    if not q:
        return None
    found = list(dict.fromkeys(words(q)))
    if len(found) > MAX_SEARCH_WORDS:
        raise Problem(422, "Invalid request", f"q has {len(found)} distinct words; a search takes at most "
                      f"{MAX_SEARCH_WORDS}")
    long = next((w for w in found if len(w) > MAX_WORD_LENGTH), None)
    if long is not None:
        raise Problem(422, "Invalid request", f"q has a word of {len(long)} characters ({long[:20]}...); the "
                      f"full-text index holds words of at most {MAX_WORD_LENGTH}")
    return found


def _node(store: GraphStore, uid: str, label: str) -> dict[str, Any]:
    node = store.get_nodes([uid]).get(uid)
    if node is None or label not in node.get("labels", []):
        raise Problem(404, "Not found", f"no {label.lower()} with uid {uid!r}")
    return node


def _doc_item(row: dict[str, Any]) -> s.DocumentItem:
    issuer = s.Ref(uid=row["issuer"], name=row.get("issuer_name")) if row.get("issuer") else None
    return s.DocumentItem(uid=row["uid"], code=row.get("code"), type=row["type"], title=row.get("title"),
                          issuer=issuer, issued_on=row.get("issued_on"), status=row["status"],
                          owner=row.get("owner"), due=row.get("due"), conflicts=row.get("conflicts") or [])


def _sources(store: GraphStore, uids: list[str]) -> list[s.SourceOut]:
    found = store.get_nodes(uids)
    return [s.SourceOut(**{k: found[u].get(k) for k in ("uid", "title", "kind", "url", "path", "illustrative")})
            for u in uids if u in found]


# -- documents ------------------------------------------------------------------
def list_documents(store: GraphStore, *, code: str | None, q: str | None, type_: str | None,
                   issuer: str | None, status: str | None, limit: int, cursor: str | None) -> s.DocumentPage:
    code_key = None
    if code:
        parsed = try_parse_code(code)
        if parsed is None:
            raise Problem(422, "Invalid request", f"code {code!r} is not a document number and symbol "
                          "(e.g. 52-NQ/TW or 749/QĐ-TTg)")
        code_key = parsed.key
    # q: the documents the full-text search finds, all of them, in pages
    rows = store.run("documents", {"words": search_words(q), "code_key": code_key, "type": type_, "issuer": issuer,
                                   "status": status, "uids": None, "after": decode_cursor(cursor), "limit": limit + 1})
    items = [_doc_item(r) for r in rows[:limit]]
    next_cursor = encode_cursor(items[-1].uid) if len(rows) > limit else None
    return s.DocumentPage(items=items, next_cursor=next_cursor)


def document_item(store: GraphStore, uid: str) -> s.DocumentItem:
    rows = store.run("documents", {"words": None, "code_key": None, "type": None, "issuer": None, "status": None,
                                   "uids": [uid], "after": None, "limit": 1})
    if not rows:
        raise Problem(404, "Not found", f"no document with uid {uid!r}")
    return _doc_item(rows[0])


def _edges(rows: list[dict[str, Any]], direction: str) -> list[s.EdgeOut]:
    out = [s.EdgeOut(type=r["type"], source=r["source"], target=r["target"],
                     # by name: the stores hold an edge's properties in different orders, and the JSON of
                     # both must be the same bytes
                     properties={k: v for k, v in sorted(r["properties"].items())
                                 if k not in ("claims", "evidence", "key") and v not in ([], None)})
           for r in rows if r["direction"] == direction]
    return sorted(out, key=lambda e: (e.type, e.source, e.target, str(e.properties.get("task", ""))))


def document_detail(store: GraphStore, uid: str) -> s.DocumentDetail:
    node = _node(store, uid, "Document")
    item = document_item(store, uid)
    claims = [s.Claim(field=f, value=v, source=src) for f, v, src in parse_claims(node.get("claims", []))]
    edges = store.run("document_edges", {"uid": uid})
    return s.DocumentDetail(**item.model_dump(), deadline=node.get("deadline"), year=node.get("year"),
                            claims=claims, sources=_sources(store, node.get("sources", [])),
                            outgoing=_edges(edges, "out"), incoming=_edges(edges, "in"))


def lineage(store: GraphStore, uid: str, direction: str, depth: int) -> bytes:
    """The lineage view as JSON: the bytes ``s.Lineage`` would give for the same view (tested equal on
    both stores), built without it. At 1M documents, validating and dumping the ~340 nodes and edges
    of a provincial programme's view cost ~1.9 ms of a ~10 ms request."""
    # one named query, one round trip: the edges and the fields of the documents they reach
    rows = store.run("lineage", {"document": uid, "up": depth if direction in ("up", "both") else 0,
                                 "down": depth if direction in ("down", "both") else 0})
    if not rows:
        raise Problem(404, "Not found", f"no document with uid {uid!r}")
    view = rows[0]
    # the columns of graph.queries.LINEAGE_NODE, unpacked by name: twice as fast as dict(zip(...))
    nodes = [{"uid": node_uid, "code": code, "type": type_, "title": title, "status": status, "issued_on": issued_on,
              "issuer": issuer, "due": due, "conflicts": conflicts or [], "depth": level}
             for node_uid, code, type_, title, status, issued_on, issuer, due, conflicts, level in view["nodes"]]
    levels = Counter(node["depth"] for node in nodes)
    return orjson.dumps({
        "root": uid, "direction": direction, "depth": depth, "nodes": nodes,
        "edges": [{"source": source, "target": target, "type": type_} for source, target, type_ in view["edges"]],
        "levels": {str(level): levels[level] for level in sorted(levels)}, "truncated": view["truncated"]})


# -- coverage -------------------------------------------------------------------
def coverage(store: GraphStore, document: str, scope: str, as_of: date | None) -> s.Coverage:
    item = document_item(store, document)
    when = (as_of or date.today()).isoformat()
    rows = store.run("coverage", {"document": document, "scope": scope, "as_of": when})
    note = None
    if rows and rows[0]["institution"] == scope:  # valid on the day, the scope is its own first unit (level 0)
        scope_name = rows[0].get("name")
    else:  # one more round trip: is it an institution at all (else 404), its name, and why it is not a unit
        node = _node(store, scope, "Institution")
        scope_name = node.get("name")
        # why no unit is audited; units under a scope that is not valid on the day are audited still
        note = None if rows else scope_note(store, scope, node, when)
    counts = Counter(r["status"] for r in rows)
    # validated in one call into pydantic-core (a national audit has ~3,500 units)
    return s.Coverage.model_validate({
        "document": item, "scope": {"uid": scope, "name": scope_name}, "as_of": when,
        "summary": {"covered": counts["covered"], "expected": counts["expected"], "overdue": counts["overdue"],
                    "missing": counts["missing"], "total": len(rows), "late": sum(1 for r in rows if r["late"])},
        "units": [{"institution": {"uid": r["institution"], "name": r.get("name")}, "level": r["level"],
                   "status": r["status"], "documents": r["documents"], "chain": r["chain"], "due": r.get("due"),
                   "covered_on": r.get("covered_on"), "late": r["late"]}
                  for r in rows], "note": note})


# -- institutions -----------------------------------------------------------------
def _inst_item(row: dict[str, Any]) -> s.InstitutionItem:
    return s.InstitutionItem(**{k: v for k, v in row.items() if v is not None})


def list_institutions(store: GraphStore, q: str | None, limit: int, cursor: str | None) -> s.InstitutionPage:
    rows = store.run("institutions", {"words": search_words(q), "uids": None, "after": decode_cursor(cursor),
                                      "limit": limit + 1})
    items = [_inst_item(r) for r in rows[:limit]]
    return s.InstitutionPage(items=items, next_cursor=encode_cursor(items[-1].uid) if len(rows) > limit else None)


def institution_detail(store: GraphStore, uid: str) -> s.InstitutionDetail:
    node = _node(store, uid, "Institution")
    row = store.run("institutions", {"words": None, "uids": [uid], "after": None, "limit": 1})[0]
    def refs(rel: Rel, direction: str) -> list[s.Ref]:
        return sorted((s.Ref(uid=n.other, name=n.other_props.get("name"))
                       for n in store.neighbours([uid], rel.value, direction, fields=("name",))), key=lambda r: r.uid)

    members, reports = refs(Rel.PART_OF, "in"), refs(Rel.REPORTS_TO, "out")
    issued_uids = [r["uid"] for r in store.run("issued_by", {"institution": uid})]
    issued = store.run("documents", {"words": None, "code_key": None, "type": None, "issuer": None, "status": None,
                                     "uids": issued_uids, "after": None, "limit": max(len(issued_uids), 1)})
    return s.InstitutionDetail(**_inst_item(row).model_dump(), members=members, reports_to=reports,
                               issued=[_doc_item(d) for d in issued] if issued_uids else [],
                               sources=_sources(store, node.get("sources", [])))


def obligations(store: GraphStore, uid: str) -> s.Obligations:
    node = _node(store, uid, "Institution")
    rows = store.run("obligations", {"institution": uid})
    groups: dict[str, list[s.Obligation]] = {"task": [], "expected": [], "reports_to": []}
    for r in rows:
        groups[r["kind"]].append(s.Obligation(**{k: v for k, v in r.items() if k != "kind"}))
    return s.Obligations(institution=s.Ref(uid=uid, name=node.get("name")), tasks=groups["task"],
                         expected=groups["expected"], reports_to=groups["reports_to"])


# -- search and conflicts -----------------------------------------------------------
def search(store: GraphStore, q: str, limit: int) -> s.SearchResult:
    rows = store.run("search", {"words": search_words(q), "limit": limit})
    return s.SearchResult(query=nfc(q), items=[s.SearchHit(**r) for r in rows])


def conflicts(store: GraphStore) -> list[s.Conflict]:
    rows = store.run("conflicts", {})
    source_uids = sorted({src for r in rows for src in r["sources"]})
    sources = {src.uid: src for src in _sources(store, source_uids)}
    out: list[s.Conflict] = []
    for r in rows:
        if not out or (out[-1].subject, out[-1].field) != (r["subject"], r["field"]):
            out.append(s.Conflict(subject=r["subject"], kind=r["kind"], field=r["field"], values=[]))
        out[-1].values.append(s.ConflictValue(
            value=r["value"], sources=[sources.get(u) or s.SourceOut(uid=u) for u in r["sources"]]))
    return out
