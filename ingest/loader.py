"""Structured ingest: validate a whole file, resolve identities, write atomically.

The loader never writes before the whole file has been read, validated and
resolved: a file with a problem anywhere raises :class:`IngestError` listing
every problem (file, line or record, reason) and the store is left unchanged.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from graph.codes import CodeError, DocCode, DocType, parse_code, try_parse_code
from graph.model import Batch, EdgeWrite, NodeWrite
from graph.schema import DocStatus, InstKind, Label, Rel
from graph.store import GraphStore, StoreConflict
from graph.text import slug
from ingest.files import LOC, IngestError, RawDataset, read_dataset
from ingest.shapes import shape_problems
from ingest.writer import HEAD_FIELDS, WriteConflict, Writer, document_uid

R = TypeVar("R")

UID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
DOC_REL_FIELDS = {"implements": Rel.IMPLEMENTS, "guides": Rel.GUIDES, "cites": Rel.CITES,
                  "supersedes": Rel.SUPERSEDES}
INST_FIELDS = {"id", "uid", "name", "short_name", "aliases", "kind", "level", "valid_from",
               "valid_to", "part_of", "reports_to", "supersedes", "source", "illustrative", LOC}
DOC_FIELDS = {"id", "uid", "code", "type", "title", "issuer", "issued_on", "status", "owner",
              "deadline", "due", "implements", "guides", "cites", "supersedes", "fulfils",
              "assigns", "source", "illustrative", LOC}
CODE_FIELDS = ("code_key", "issuer", "year")  # what identity resolution reads of a stored document
SOURCE_FIELDS = {"id", "title", "url", "kind", "illustrative", "note", LOC}
TASK_FIELDS = {"to", "task", "deadline", "due", "cadence", "deliverable", "source", LOC}  # an 'assigns' entry
REPORT_FIELDS = {"to", "cadence", LOC}  # a 'reports_to' entry
REL_FIELDS = {"type", "from", "to", "source", "cadence", "task", "deadline", "due", "deliverable", LOC}
_INST_KINDS = tuple(k.value for k in InstKind)


@dataclass(slots=True)
class IngestReport:
    path: str
    nodes: int = 0
    edges: int = 0
    sources: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # what a text ingest found but could not write, and why


def _place(rec: dict[str, Any]) -> str:
    """Where a record is in its file (``line 12``, ``documents[3]``)."""
    return str(rec.get(LOC, ""))


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ValueError(f"{value!r} is not a date (expected YYYY-MM-DD)") from None


def _bool(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if str(value).lower() in ("true", "yes", "1"):
        return True
    if str(value).lower() in ("false", "no", "0"):
        return False
    raise ValueError(f"{value!r} is not true/false")


def _parse_deadline(text: str) -> Any:
    """The deadline a record's text names; ValueError for a day the calendar does not have."""
    from ingest.dates import impossible_dates, parse_deadline

    wrong = impossible_dates(text)
    if wrong:
        raise ValueError(f"deadline {text!r}: {wrong[0]!r} is not a day of the calendar")
    return parse_deadline(text)


class _Resolver:
    """Turns one dataset into node and edge writes, collecting every problem."""

    def __init__(self, store: GraphStore, ds: RawDataset) -> None:
        self.store = store
        self.ds = ds
        self.problems: list[tuple[str, str]] = []
        self._nodes: dict[str, Any] = {}  # uid -> lean store node (HEAD_FIELDS), None if not in the store
        self.writer = Writer(store, known=self._nodes)
        self.source_uids: dict[str, str] = {}
        self.file_source: str | None = None
        self.inst_refs: dict[str, str] = {}  # local id / name / uid -> uid
        self.doc_refs: dict[str, str] = {}  # local id / uid -> uid
        # (code key, issuer uid) -> [(uid, year)] of this file's documents
        self.doc_codes: dict[tuple[str, str | None], list[tuple[str, int | None]]] = {}
        self.doc_keys: dict[str, list[tuple[str, int | None]]] = {}  # code key -> the same, any issuer
        self._by_code: dict[str, list[dict[str, Any]]] = {}  # code key -> the store's documents, any issuer
        # (code key, issuer uid) -> [(uid, year)] of the store's documents
        self._by_code_issuer: dict[tuple[str, str], list[tuple[str, int | None]]] = {}

    def prefetch(self) -> None:
        """Read once, up front, every store node the file may refer to (no per-record round trips)."""
        refs: set[str] = set()
        keys: set[str] = set()

        def collect(value: Any) -> None:
            for item in _as_list(value):
                if isinstance(item, dict):
                    collect(item.get("to"))
                    collect(item.get("deliverable"))
                elif item:
                    text = str(item)
                    refs.update((text, slug(text)))
                    code = try_parse_code(text)
                    if code is not None:
                        keys.add(code.key)

        for section in ("institutions", "documents", "relations"):
            for rec in self.ds.sections.get(section, []):
                for fld in ("issuer", "owner", "part_of", "supersedes", "reports_to", "implements", "guides",
                            "cites", "fulfils", "assigns", "from", "to", "uid"):
                    collect(rec.get(fld))
                if section == "documents" and rec.get("code") and not rec.get("issuer"):
                    code = try_parse_code(str(rec["code"]))
                    if code is not None:  # identity by code alone: every issuer's documents of it
                        keys.add(code.key)
        found = self.store.get_nodes(refs, fields=HEAD_FIELDS)
        self._nodes.update({ref: found.get(ref) for ref in refs})  # misses cached as None
        self._by_code = {key: [] for key in keys}
        for node in self.store.documents_by_code_key(keys, fields=CODE_FIELDS):
            self._by_code.setdefault(node["code_key"], []).append(node)

    def prefetch_identities(self) -> None:
        """Read once, after the file's institutions are known, the store's documents that share a code
        and an issuer with a document of the file (its identity candidates; see :meth:`_identity`)."""
        pairs: set[tuple[str, str]] = set()
        for rec in self.ds.sections.get("documents", []):
            if rec.get("code") and rec.get("issuer") and not rec.get("uid"):
                code = try_parse_code(str(rec["code"]))
                issuer = self._known_institution(rec["issuer"])
                if code is not None and issuer is not None:
                    pairs.add((code.key, issuer))
        self._by_code_issuer.update({pair: [] for pair in pairs})
        for node in self.store.documents_by_code_issuer(pairs, fields=CODE_FIELDS):
            self._by_code_issuer[(node["code_key"], node["issuer"])].append((node["uid"], node.get("year")))

    def _store_node(self, uid: str) -> dict[str, Any] | None:
        if uid not in self._nodes:
            self._nodes.update(self.store.get_nodes([uid], fields=HEAD_FIELDS) or {uid: None})
        return self._nodes.get(uid)

    def _store_docs(self, key: str) -> list[dict[str, Any]]:
        if key not in self._by_code:
            self._by_code[key] = self.store.documents_by_code_key([key], fields=CODE_FIELDS)
        return self._by_code[key]

    def problem(self, rec: dict[str, Any], msg: str) -> None:
        self.problems.append((_place(rec), msg))

    def _unknown_fields(self, rec: dict[str, Any], allowed: set[str], what: str) -> None:
        extra = sorted(set(rec) - allowed)
        if extra:
            self.problem(rec, f"unknown field(s) {extra} for {what}")

    # -- sources -------------------------------------------------------------
    def sources(self) -> None:
        for rec in self.ds.sections.get("sources", []):
            self._unknown_fields(rec, SOURCE_FIELDS, "a source")
            sid = rec.get("id")
            if not sid or not rec.get("title"):
                self.problem(rec, "a source needs 'id' and 'title'")
                continue
            uid = "src-" + slug(str(sid))
            self.source_uids[str(sid)] = uid
            try:
                illustrative = _bool(rec.get("illustrative"))
            except ValueError as exc:
                self.problem(rec, f"illustrative: {exc}")
                continue
            self.writer.node(NodeWrite(Label.SOURCE, uid, source=uid, props={
                "title": rec["title"], "url": rec.get("url"), "kind": rec.get("kind"),
                "note": rec.get("note"), "illustrative": illustrative}), place=_place(rec))

    def source_for(self, rec: dict[str, Any]) -> str:
        sid = rec.get("source") or self.ds.source
        if sid is not None:
            sid = str(sid)
            if sid in self.source_uids:
                return self.source_uids[sid]
            if sid.startswith("src-") and self._store_node(sid):
                return sid
            self.problem(rec, f"unknown source {sid!r}: declare it under 'sources'")
            return "src-unknown"
        if self.file_source is None:
            digest = hashlib.sha256(self.ds.content).hexdigest()
            self.file_source = "src-" + digest[:16]
            name = Path(self.ds.path).name
            self.writer.node(NodeWrite(Label.SOURCE, self.file_source, source=self.file_source,
                                       props={"title": name, "path": name, "sha256": digest,
                                              "kind": "file"}))
        return self.file_source

    # -- institutions --------------------------------------------------------
    def institutions(self) -> None:
        records = self.ds.sections.get("institutions", [])
        by_name: dict[str, list[dict[str, Any]]] = {}  # uid taken from a name -> the records without an id
        for rec in records:
            self._unknown_fields(rec, INST_FIELDS, "an institution")
            name = rec.get("name")
            if not name:
                self.problem(rec, "an institution needs a 'name'")
                continue
            uid = str(rec.get("uid") or rec.get("id") or slug(str(name)))
            if rec.get("uid") or rec.get("id"):
                uid = slug(uid) if not UID_RE.match(uid) else uid
            if not UID_RE.match(uid):
                self.problem(rec, f"cannot make a uid of {str(rec.get('uid') or rec.get('id') or name)!r}: give the "
                                  "institution an 'id' of letters a-z, digits, '.', '_' or '-'")
                continue
            if not (rec.get("uid") or rec.get("id")):
                by_name.setdefault(uid, []).append(rec)
            for ref in (rec.get("id"), rec.get("uid"), name, uid):
                if ref:
                    self.inst_refs[str(ref)] = uid
            rec["__uid__"] = uid
        self._same_names(by_name)
        for rec in records:
            uid = rec.get("__uid__")
            if uid is None:
                continue
            source = self.source_for(rec)
            try:
                claims = {
                    "name": rec["name"], "short_name": rec.get("short_name"),
                    "kind": rec.get("kind"), "level": rec.get("level"),
                    "valid_from": _iso(rec.get("valid_from")),
                    "valid_to": _iso(rec.get("valid_to")),
                }
                if claims["kind"] is not None and claims["kind"] not in _INST_KINDS:
                    raise ValueError(f"unknown institution kind {claims['kind']!r}; expected one of "
                                     f"{list(_INST_KINDS)}")
                if claims["valid_from"] and claims["valid_to"] and claims["valid_to"] < claims["valid_from"]:
                    raise ValueError(f"valid_to {claims['valid_to']} is before valid_from {claims['valid_from']}")
                illustrative = _bool(rec.get("illustrative"))
            except ValueError as exc:
                self.problem(rec, str(exc))
                continue
            aliases = [str(a) for a in _as_list(rec.get("aliases"))]
            self.writer.node(NodeWrite(Label.INSTITUTION, uid, source=source, claims=claims,
                                       props={"aliases": aliases, "illustrative": illustrative}),
                             place=_place(rec))
            for ref in _as_list(rec.get("part_of")):
                target = self.institution(rec, ref)
                if target:
                    self._link(rec, EdgeWrite(Rel.PART_OF, uid, target, source=source))
            for ref in _as_list(rec.get("supersedes")):
                target = self.institution(rec, ref)
                if target:
                    self._link(rec, EdgeWrite(Rel.SUPERSEDES, uid, target, source=source))
            for line in _as_list(rec.get("reports_to")):
                if isinstance(line, dict):
                    self._unknown_fields({LOC: rec.get(LOC), **line}, REPORT_FIELDS, "a 'reports_to' entry")
                to, cadence = (line.get("to"), line.get("cadence")) if isinstance(line, dict) \
                    else (line, None)
                target = self.institution(rec, to)
                if target:
                    self._link(rec, EdgeWrite(Rel.REPORTS_TO, uid, target, source=source,
                                               claims={"cadence": cadence}))

    def _parents(self, rec: dict[str, Any]) -> set[str]:
        """The uids a record's ``part_of`` names (no problems reported: the second pass does that)."""
        return {self.inst_refs.get(str(r)) or self.inst_refs.get(slug(str(r))) or slug(str(r))
                for r in _as_list(rec.get("part_of")) if r}

    def _same_names(self, by_name: dict[str, list[dict[str, Any]]]) -> None:
        """A body without an id takes its uid from its name. Commune names repeat across provinces
        ("Đảng ủy xã Tân Bình"), and two such bodies of different parents became one body, part of
        both. Refused, in the file and against the store: such bodies need ids."""
        parents_of: dict[str, set[str]] = {}
        for uid, recs in by_name.items():
            first, parents = recs[0], self._parents(recs[0])
            for rec in recs[1:]:
                more = self._parents(rec)
                if parents and more and more != parents:
                    self.problem(rec, f"institution {rec['name']!r} (part of {sorted(more)}) has the name, and so "
                                      f"the uid {uid!r}, of another one at {_place(first) or 'an earlier line'} "
                                      f"(part of {sorted(parents)}): give each an 'id'")
                    rec["__uid__"] = None
                parents = parents or more
            if parents:
                parents_of[uid] = parents
        stored: dict[str, set[str]] = {}
        if parents_of:
            for edge in self.store.neighbours(sorted(parents_of), Rel.PART_OF.value, "out", fields=()):
                stored.setdefault(edge.uid, set()).add(edge.other)
        for uid in sorted(stored):
            if not parents_of[uid] & stored[uid]:
                rec = by_name[uid][0]
                self.problem(rec, f"institution {rec['name']!r} (part of {sorted(parents_of[uid])}) has the name, "
                                  f"and so the uid {uid!r}, of a stored one part of {sorted(stored[uid])}: give it "
                                  "an 'id'")
                for r in by_name[uid]:
                    r["__uid__"] = None

    def institution(self, rec: dict[str, Any], ref: Any) -> str | None:
        if not ref:
            self.problem(rec, "empty institution reference")
            return None
        uid = self._known_institution(ref)
        if uid is None:
            self.problem(rec, f"unknown institution {str(ref)!r}: declare it under 'institutions'")
        return uid

    def _known_institution(self, ref: Any) -> str | None:
        """The uid of the institution ``ref`` names (this file's id, name or uid, or a stored uid)."""
        ref = str(ref)
        for key in (ref, slug(ref)):
            if key in self.inst_refs:
                return self.inst_refs[key]
        for key in (ref, slug(ref)):
            found = self._store_node(key)
            if found and "Institution" in found.get("labels", []):
                self.inst_refs[ref] = key
                return key
        return None

    # -- documents -----------------------------------------------------------
    def _identity(self, code: DocCode, issuer: str | None, year: int | None) -> str:
        """The uid of the one document with this code and issuer (and a compatible year), in this file
        or in the store; otherwise a new uid from (code, issuer, year). Candidates are indexed by
        (code key, issuer): a national file holds thousands of "01-KH/ĐU" of different issuers.

        A year that differs is a misdating source only for Party codes, numbered through a term; state
        numbering restarts every year, so there it is another document. A record without an issuer is
        a mention of the one document with its code, whoever issued it, and one without a year (no code year,
        no issue date) the one document of its code and issuer, of whichever year: both raise when there
        are several."""
        if issuer is None:
            stored = [(n["uid"], n.get("year")) for n in self._store_docs(code.key)]
            candidates = [*self.doc_keys.get(code.key, ()), *stored]
        else:
            candidates = [*self.doc_codes.get((code.key, issuer), ()), *self._store_docs_of(code.key, issuer)]
        if candidates:
            exact = [c for c in candidates if c[1] == year or year is None or c[1] is None]
            unique = {c[0] for c in (exact or (candidates if code.family == "party" else []))}
            if len(unique) == 1:
                return unique.pop()
            if len(unique) > 1 and issuer is None:
                raise ValueError(f"code {code.code!r} without an issuer matches {len(unique)} documents "
                                 f"({sorted(unique)}): give its issuer")
            if not unique and issuer is None:
                raise ValueError(f"code {code.code!r} without an issuer, of {year}, is none of the code's documents "
                                 f"({sorted({c[0] for c in candidates})}): a new document needs its 'issuer'")
            if len(unique) > 1 and exact:  # as without an issuer: a record with no year fits every year's
                when, fix = ("without a year", "give its 'issued_on'") if year is None \
                    else (f"of {year}", "use a 'uid'")
                raise ValueError(f"code {code.code!r} of {issuer!r} {when} matches {len(unique)} documents "
                                 f"({sorted(unique)}): {fix}")
        elif issuer is None:  # an identity is (code, issuer, year): there is no '<code>.unknown-issuer' document
            raise ValueError(f"code {code.code!r} without an issuer is not a known document: a new document "
                             "needs its 'issuer'")
        return document_uid(code, issuer, year)

    def _store_docs_of(self, key: str, issuer: str) -> list[tuple[str, int | None]]:
        pair = (key, issuer)
        if pair not in self._by_code_issuer:  # not prefetched (an issuer that needed the store)
            self._by_code_issuer[pair] = [(n["uid"], n.get("year")) for n in
                                          self.store.documents_by_code_issuer([pair], fields=CODE_FIELDS)]
        return self._by_code_issuer[pair]

    def documents(self) -> None:
        records = self.ds.sections.get("documents", [])
        # Pass 1: identities, so that documents can refer to each other in any order. A record that
        # names a document by its code alone is a mention of one the file may declare further down.
        for rec in sorted(records, key=lambda r: bool(r.get("code") and not r.get("issuer") and not r.get("uid"))):
            self._unknown_fields(rec, DOC_FIELDS, "a document")
            try:
                self._document_identity(rec)
            except (ValueError, CodeError) as exc:
                self.problem(rec, str(exc))
        # Pass 2: properties and edges.
        for rec in records:
            if "__uid__" in rec:
                self._document_body(rec)

    def _document_identity(self, rec: dict[str, Any]) -> None:
        code = parse_code(str(rec["code"])) if rec.get("code") else None
        doc_type = rec.get("type") or (code.type.value if code else None)
        if doc_type is None:
            raise ValueError("a document needs a 'code' or a 'type'")
        try:
            rec["__type__"] = DocType(str(doc_type).lower())
        except ValueError:
            raise ValueError(f"unknown document type {doc_type!r}; expected one of "
                             f"{[t.value for t in DocType]}") from None
        if code is not None and code.type_abbrev is not None and rec["__type__"] != code.type:
            # the abbreviation says what the document is (a code without one, "1906/VPCP-KGVX", says nothing)
            raise ValueError(f"type {rec['__type__'].value!r} contradicts the code {code.code!r}, whose "
                             f"{code.type_abbrev} means {code.type.value!r}: give type {code.type.value!r} "
                             "or leave it out")
        status = str(rec.get("status") or "issued")
        if status not in (DocStatus.ISSUED, DocStatus.EXPECTED):
            raise ValueError(f"status must be 'issued' or 'expected', not {status!r}")
        rec["__status__"] = status
        issuer = self.institution(rec, rec["issuer"]) if rec.get("issuer") else None
        rec["__issuer__"] = issuer
        issued_on = _iso(rec.get("issued_on"))
        year = code.year if code and code.year else (int(issued_on[:4]) if issued_on else None)
        if rec.get("uid"):
            uid = str(rec["uid"])
        elif code is not None and rec.get("issuer") and issuer is None:  # an unknown one, already a problem
            uid = document_uid(code, None, year)
        elif code is not None:
            uid = self._identity(code, issuer, year)
        elif rec.get("id"):
            uid = slug(str(rec["id"]))
            if not UID_RE.match(uid):  # "%%%" slugs to nothing: name the id, not an empty uid
                raise ValueError(f"cannot make a uid of {str(rec['id'])!r}: give the document an 'id' of letters "
                                 "a-z, digits, '.', '_' or '-' (or a 'uid')")
        else:
            raise ValueError("a document without a code needs an 'id' (it becomes its uid)")
        if not UID_RE.match(uid):
            raise ValueError(f"uid {uid!r} is not URL-safe ([a-z0-9._-])")
        rec["__uid__"] = uid
        rec["__code__"] = code
        rec["__year__"] = year
        if code is not None:
            self.doc_codes.setdefault((code.key, issuer), []).append((uid, year))
            self.doc_keys.setdefault(code.key, []).append((uid, year))
        for ref in (rec.get("id"), rec.get("uid")):
            if ref:
                self.doc_refs[str(ref)] = uid

    def document(self, rec: dict[str, Any], ref: Any) -> str | None:
        if not ref:
            self.problem(rec, "empty document reference")
            return None
        ref = str(ref)
        if ref in self.doc_refs:
            return self.doc_refs[ref]
        found_node = self._store_node(ref)
        if found_node and found_node.get("labels", [None])[0] == "Document":
            return ref
        try:
            code = parse_code(ref)
        except CodeError:
            code = None
        if code is not None:  # this file's documents of the code and the store's, as one set
            found = {u for u, _ in self.doc_keys.get(code.key, ())} | {n["uid"] for n in self._store_docs(code.key)}
            if len(found) == 1:
                return found.pop()
            if len(found) > 1:
                self.problem(rec, f"document {ref!r} is ambiguous ({sorted(found)}): use a uid")
                return None
        self.problem(rec, f"unknown document {ref!r}: declare it under 'documents'")
        return None

    def _document_body(self, rec: dict[str, Any]) -> None:
        uid: str = rec["__uid__"]
        code: DocCode | None = rec["__code__"]
        doc_type: DocType = rec["__type__"]
        source = self.source_for(rec)
        status = rec["__status__"]
        owner = self.institution(rec, rec["owner"]) if rec.get("owner") else None
        deadline = rec.get("deadline")
        try:
            due = _iso(rec.get("due"))
            if due is None and deadline:
                parsed = _parse_deadline(str(deadline))
                due = parsed.due.isoformat() if parsed and parsed.due else None
            illustrative = _bool(rec.get("illustrative"))
            issued_on = _iso(rec.get("issued_on"))
        except ValueError as exc:
            self.problem(rec, str(exc))
            return
        if status == DocStatus.EXPECTED and not (owner or rec["__issuer__"]):
            self.problem(rec, "an expected document needs an 'owner' or an 'issuer'")
        props: dict[str, Any] = {
            "code": code.code if code else None, "code_key": code.key if code else None,
            "number": code.number if code else None, "issuer_code": code.issuer_code if code else None,
            "year": rec["__year__"], "status": status, "illustrative": illustrative,
        }
        claims = {"title": rec.get("title"), "issued_on": issued_on, "issuer": rec["__issuer__"], "owner": owner,
                  "due": due,
                  "deadline": str(deadline) if deadline else None}
        # a type the code's abbreviation fixes is a fact; any other a source's word, weighed as the others
        (props if code is not None and code.type_abbrev is not None else claims)["type"] = doc_type.value
        self.writer.node(NodeWrite(Label.DOCUMENT, uid, source=source, props=props, claims=claims,
                                   extra_labels=(doc_type.label,)), place=_place(rec))
        if rec["__issuer__"]:
            self.writer.edge(EdgeWrite(Rel.ISSUED_BY, uid, rec["__issuer__"], source=source))
        for fld, rel in DOC_REL_FIELDS.items():
            for ref in _as_list(rec.get(fld)):
                target = self.document(rec, ref)
                if target:
                    self._link(rec, EdgeWrite(rel, uid, target, source=source))
        if rec.get("fulfils"):
            target = self.document(rec, rec["fulfils"])
            if target:
                self.writer.fulfil(uid, target, source, place=_place(rec))
        for task in _as_list(rec.get("assigns")):
            self._assignment(rec, uid, task, source)

    def _assignment(self, rec: dict[str, Any], uid: str, task: Any, source: str) -> None:
        if not isinstance(task, dict) or not task.get("to"):
            self.problem(rec, "each 'assigns' entry needs 'to' (an institution)")
            return
        task_rec = {**task, LOC: task.get(LOC, rec.get(LOC))}
        if "type" not in task:  # an entry of a document's 'assigns' (a relation's fields are checked there)
            self._unknown_fields(task_rec, TASK_FIELDS, "an 'assigns' entry")
        if task.get("source"):
            source = self.source_for(task_rec)
        target = self.institution(task_rec, task["to"])
        deliverable = self.document(task_rec, task["deliverable"]) if task.get("deliverable") \
            else None
        deadline = task.get("deadline")
        cadence = task.get("cadence")
        try:
            due = _iso(task.get("due"))
            # an explicit cadence does not stop the phrase giving the due day ("trước 15/12/2020, hằng năm")
            if deadline and due is None:
                parsed = _parse_deadline(str(deadline))
                if parsed is not None:
                    due = parsed.due.isoformat() if parsed.due else None
                    cadence = cadence or parsed.cadence
        except ValueError as exc:
            self.problem(task_rec, str(exc))
            return
        if target is None:
            return
        text = str(task.get("task") or "")
        key = hashlib.sha1(f"{text}|{deliverable or ''}".encode()).hexdigest()[:10]
        self.writer.edge(EdgeWrite(
            Rel.ASSIGNS, uid, target, source=source, key=key,
            props={"task": text or None, "deliverable": deliverable},
            claims={"deadline": str(deadline) if deadline else None, "due": due, "cadence": cadence}))

    def _link(self, rec: dict[str, Any], edge: EdgeWrite) -> None:
        """Write ``edge``, unless it is a loop: a plan implementing itself, a body part of itself (a
        typo or two spellings of one code; it would count a document as its own lineage)."""
        if edge.start == edge.end:
            self.problem(rec, f"{edge.rel.value} from {edge.start} to itself: a node cannot relate to itself")
            return
        self.writer.edge(edge)

    # -- generic relations ---------------------------------------------------
    def relations(self) -> None:
        for rec in self.ds.sections.get("relations", []):
            self._unknown_fields(rec, REL_FIELDS, "a relation")
            rel_name = str(rec.get("type", "")).upper()
            try:
                rel = Rel(rel_name)
            except ValueError:
                self.problem(rec, f"unknown relation type {rec.get('type')!r}; expected one of "
                                  f"{[r.value for r in Rel]}")
                continue
            source = self.source_for(rec)
            if rel in (Rel.PART_OF, Rel.REPORTS_TO):
                start = self.institution(rec, rec.get("from"))
                end = self.institution(rec, rec.get("to"))
            elif rel in (Rel.ISSUED_BY, Rel.ASSIGNS):
                start = self.document(rec, rec.get("from"))
                end = self.institution(rec, rec.get("to"))
            else:
                start = self.document(rec, rec.get("from"))
                end = self.document(rec, rec.get("to"))
            if start is None or end is None:
                continue
            if rel == Rel.ASSIGNS:
                self._assignment(rec, start, {**rec, "to": end}, source)
            elif rel == Rel.FULFILS:
                self.writer.fulfil(start, end, source, place=_place(rec))
            else:
                claims = {"cadence": rec.get("cadence")} if rel == Rel.REPORTS_TO else {}
                self._link(rec, EdgeWrite(rel, start, end, source=source, claims=claims))


#: What the resolver writes onto a file's records while it resolves them (see _Resolver).
_RESOLVED = ("__uid__", "__type__", "__status__", "__issuer__", "__code__", "__year__")


def _forget(ds: RawDataset) -> None:
    """Take the resolver's notes off every record (the file's own fields and places stay)."""
    for records in ds.sections.values():
        for rec in records:
            for key in _RESOLVED:
                rec.pop(key, None)


def build_batch(store: GraphStore, ds: RawDataset) -> tuple[Batch, IngestReport]:
    """Validate and resolve a whole file against ``store``: the batch to apply and its report.
    Raises :class:`IngestError` (every problem, with its place) and writes nothing."""
    _forget(ds)  # a build again (after a StoreConflict) starts from the records as they were read
    resolver = _Resolver(store, ds)
    for section, records in ds.sections.items():
        ids: dict[str, tuple[str, str]] = {}  # the uid a local id becomes -> that id, where it was first used
        for rec in records:
            for msg in shape_problems(rec):
                resolver.problem(rec, msg)
            local = rec.get("id")
            if section != "relations" and isinstance(local, str):
                # as the resolver makes uids of ids: "Bo-A" and "bo-a" would be one node, silently merged
                key = local if section == "institutions" and UID_RE.match(local) else slug(local)
                if key in ids:
                    first, place = ids[key]
                    same = "is already used" if first == local else f"is {first!r} once made a uid, used"
                    resolver.problem(rec, f"id {local!r} {same} at {place}: an id names one record")
                ids.setdefault(key, (local, _place(rec)))
    if resolver.problems:  # the rest reads these values: stop before it does
        raise IngestError(ds.path, resolver.problems)
    resolver.prefetch()
    resolver.sources()
    resolver.institutions()
    resolver.prefetch_identities()
    resolver.documents()
    resolver.relations()
    if resolver.problems:
        raise IngestError(ds.path, resolver.problems)
    try:
        batch = resolver.writer.build()
    except WriteConflict as exc:
        raise IngestError(ds.path, exc.problems) from exc
    except ValueError as exc:
        raise IngestError(ds.path, [("", str(exc))]) from exc
    sources = sorted({uid for uid, labels in batch.labels.items() if labels[0] == "Source"})
    return batch, IngestReport(ds.path, nodes=len(batch.nodes), edges=len(batch.edges), sources=sources)


#: Builds of one file before its ingest gives up because other writers keep changing the graph.
WRITE_ATTEMPTS = 5


def apply_built(store: GraphStore, build: Callable[[], tuple[Batch, R]]) -> R:
    """``build()`` a batch on the graph as it is, and apply it; built again when another writer
    changed the graph in between (:class:`StoreConflict`: a batch replaces the property maps it
    read, so one built on an older graph would drop the other writer's claims)."""
    with store.writing():  # the embedded store: writers take turns, and the first build stands
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            based_on = store.version() or ""
            batch, result = build()
            batch.based_on = based_on
            try:
                store.apply(batch)
                return result
            except StoreConflict:
                if attempt == WRITE_ATTEMPTS:
                    raise
    raise AssertionError("unreachable")


def ingest_dataset(store: GraphStore, ds: RawDataset) -> IngestReport:
    return apply_built(store, lambda: build_batch(store, ds))


def ingest_path(store: GraphStore, path: str | Path, content: bytes | None = None,
                fmt: str | None = None) -> IngestReport:
    return ingest_dataset(store, read_dataset(path, content, fmt))
