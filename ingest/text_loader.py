"""Write what the extractor read from a raw Vietnamese text into the store.

One ``Source`` node per text (path, title, sha256). Every node and edge written
carries that source and the sentence (with its character span) that supports it.
A document reference resolves to an existing node with the same code and a
compatible issuer (same issuer, or the text names none and exactly one exists);
otherwise a new node is made. A date that differs from a known one becomes a
conflicting claim, never an overwrite. A bare number ("Nghị quyết số 52") makes
no node: it cannot be told apart from other "52"s.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from graph.codes import DocType, parse_code, try_parse_code
from graph.model import Batch, EdgeWrite, NodeWrite
from graph.schema import DocStatus, Label, Rel
from graph.store import GraphStore
from graph.text import slug
from ingest.dates import Deadline
from ingest.extract import extract_text
from ingest.extract.model import Evidence, Extraction, RelationType
from ingest.files import IngestError, read_regular_file
from ingest.loader import IngestReport, apply_built
from ingest.writer import WriteConflict, Writer, document_uid

_DOC_RELS = {RelationType.IMPLEMENTS: Rel.IMPLEMENTS, RelationType.GUIDES: Rel.GUIDES,
             RelationType.CITES: Rel.CITES}


def _evidence(source: str, ev: Evidence) -> tuple[str, ...]:
    return (f"{source}\t{ev.start}:{ev.end}\t{ev.text}",)


@dataclass(slots=True)
class _Task:
    """An ASSIGNS edge to write: the assignment and, when it requires a document without a number yet,
    that expected document (one task, one edge)."""

    start: str
    end: str
    task: str | None
    deadline: Deadline | None
    evidence: tuple[str, ...]
    deliverable: str | None = None


class _TextWriter:
    def __init__(self, store: GraphStore, ex: Extraction, source: str) -> None:
        self.store, self.ex, self.source = store, ex, source
        self.writer = Writer(store)
        self.docs: dict[str, str] = {}  # extracted code -> uid
        self.bodies: dict[str, str] = {}  # canonical name -> uid
        self.skipped: list[str] = []  # extracted facts that cannot be written, said to the user
        # (assigning code, assignee name, task text) -> the ASSIGNS edge, written by assignments()
        self.tasks: dict[tuple[str, str, str], _Task] = {}

    def body(self, name: str | None, implied_by: Evidence | None = None) -> str | None:
        """The uid of a body the text names; with ``implied_by``, also of one the text does not name
        but a document's code implies (749/QĐ-TTg: Thủ tướng Chính phủ), on that code's evidence: the
        document had no issuer, and a later text naming the body made it a second document."""
        if not name:
            return None
        if name in self.bodies:
            return self.bodies[name]
        known = next((b for b in self.ex.bodies if b.name == name), None)
        if known is None and implied_by is not None:
            evidence = implied_by
        elif known is None or known.kind != "institution":
            return None  # a group ("các quận ủy, huyện ủy") is not one institution
        else:
            evidence = known.evidence
        uid = slug(name)
        self.bodies[name] = uid
        self.writer.node(NodeWrite(Label.INSTITUTION, uid, source=self.source, claims={"name": name},
                                   evidence=_evidence(self.source, evidence)))
        return uid

    def _resolve(self, code: str, issuer: str | None, year: int | None) -> str:
        parsed = parse_code(code)
        candidates = self.store.documents_by_code_key([parsed.key])
        same = [c for c in candidates if c.get("issuer") == issuer] if issuer is not None else candidates
        # as the structured loader's identity: another year is a misdating source for a Party code
        # (numbered through a term), another document for a state one (numbering restarts each year)
        exact = [c for c in same if year is None or c.get("year") is None or c.get("year") == year]
        unique = {c["uid"] for c in (exact or (same if parsed.family == "party" else []))}
        if len(unique) == 1:
            return unique.pop()
        return document_uid(parsed, issuer, year)

    def documents(self) -> None:
        for doc in self.ex.documents:
            parsed = try_parse_code(doc.code)
            if parsed is None:
                continue
            issuer = self.body(doc.issuer, implied_by=doc.evidence)
            year = parsed.year or (doc.date.year if doc.date else None)
            uid = self._resolve(doc.code, issuer, year)
            self.docs[doc.code] = uid
            props = {"code": parsed.code, "code_key": parsed.key, "number": parsed.number,
                     "issuer_code": parsed.issuer_code, "status": DocStatus.ISSUED.value}
            claims: dict[str, object] = {"issuer": issuer}
            # as in the structured loader: claimed where the code's abbreviation does not fix it
            (props if parsed.type_abbrev is not None else claims)["type"] = doc.type.value
            dates = [c for c in doc.claims if c.field == "date"] or [None]
            for claim in dates:
                ev = claim.evidence if claim else doc.evidence
                self.writer.node(NodeWrite(Label.DOCUMENT, uid, source=self.source, props=props,
                                           claims={**claims, "issued_on": claim.value if claim else None},
                                           extra_labels=(doc.type.label,), evidence=_evidence(self.source, ev)))
            if issuer:
                self.writer.edge(EdgeWrite(Rel.ISSUED_BY, uid, issuer, source=self.source,
                                           evidence=_evidence(self.source, doc.evidence)))

    def relations(self) -> None:
        for rel in self.ex.relations:
            ev = _evidence(self.source, rel.evidence)
            if rel.type in _DOC_RELS:
                start, end = self.docs.get(rel.source), self.docs.get(rel.target)
                if start and end:
                    self.writer.edge(EdgeWrite(_DOC_RELS[rel.type], start, end, source=self.source, evidence=ev))
            elif rel.type == RelationType.ASSIGNS:
                start, end = self.docs.get(rel.source), self.body(rel.target)
                if start is None:
                    self.skipped.append(f"assignment of {rel.target!r} by {rel.source!r}: not written, an assignment "
                                        "needs a numbered document (give the letter an id in a structured file)")
                if start and end is None:  # "các cơ quan, đơn vị thuộc Bộ": a group, not one institution
                    self.skipped.append(f"assignment of {rel.target!r} by {rel.source!r}: not written, "
                                        f"{rel.target!r} is not one institution")
                if start and end:
                    self.tasks.setdefault((rel.source, rel.target, rel.task or ""),
                                          _Task(start, end, rel.task, rel.deadline, ev))
            elif rel.type == RelationType.REPORTS_TO:
                start, end = self.body(rel.source), self.body(rel.target)
                if start is None or end is None:
                    group = rel.source if start is None else rel.target
                    self.skipped.append(f"report of {rel.source!r} to {rel.target!r}: not written, {group!r} is "
                                        "not one institution")
                else:
                    cadence = rel.deadline.cadence if rel.deadline else None
                    self.writer.edge(EdgeWrite(Rel.REPORTS_TO, start, end, source=self.source, evidence=ev,
                                               claims={"cadence": cadence}))

    def expected(self) -> None:
        for exp in self.ex.expected:
            owner = self.body(exp.owner)
            issuer = self.body(exp.issuer)
            target = self.docs.get(exp.implements or "")
            if owner is None or target is None:  # an expectation must say who owes what, for which document
                why = "no single owner" if owner is None else "not known which document it implements"
                self.skipped.append(f"expected {exp.title!r}: not written, {why}")
                continue
            uid = self._existing_expectation(exp.type, target, {owner, issuer} - {None})
            if uid is None:
                uid = ".".join(["exp", exp.type.value, issuer or owner, self.store.get_nodes([target]).get(
                    target, {}).get("code_key") or target.split(".")[0]])
            due = exp.deadline.due.isoformat() if exp.deadline and exp.deadline.due else None
            ev = _evidence(self.source, exp.evidence)
            self.writer.node(NodeWrite(
                Label.DOCUMENT, uid, source=self.source, extra_labels=(exp.type.label,), evidence=ev,
                props={"type": exp.type.value, "status": DocStatus.EXPECTED.value},
                claims={"title": exp.title, "issuer": issuer, "owner": owner, "due": due,
                        "deadline": exp.deadline.text if exp.deadline else None}))
            self.writer.edge(EdgeWrite(Rel.IMPLEMENTS, uid, target, source=self.source, evidence=ev))
            # the assignment that requires it carries it as its deliverable: not a second ASSIGNS edge
            task_key = (exp.assigned_by, exp.owner, exp.task or exp.title)
            assigner = self.docs.get(exp.assigned_by)
            if task_key not in self.tasks and assigner:  # no such assignment among the relations
                self.tasks[task_key] = _Task(assigner, owner, task_key[2], exp.deadline, ev)
            if task_key in self.tasks and self.tasks[task_key].deliverable is None:
                self.tasks[task_key].deliverable = uid

    def assignments(self) -> None:
        """One ASSIGNS edge per task, keyed by its text: the same text ingested again rewrites it."""
        for t in self.tasks.values():
            key = hashlib.sha1((t.task or "").encode()).hexdigest()[:10]
            due = t.deadline.due.isoformat() if t.deadline and t.deadline.due else None
            self.writer.edge(EdgeWrite(
                Rel.ASSIGNS, t.start, t.end, source=self.source, key=key, evidence=t.evidence,
                props={"task": t.task, "deliverable": t.deliverable},
                claims={"deadline": t.deadline.text if t.deadline else None, "due": due,
                        "cadence": t.deadline.cadence if t.deadline else None}))

    def _existing_expectation(self, doc_type: DocType, target: str, bodies: set[str]) -> str | None:
        lean = ("status", "type", "owner", "issuer")
        for n in self.store.neighbours([target], Rel.IMPLEMENTS.value, "in", fields=lean):
            p = n.other_props
            if p.get("status") in (DocStatus.EXPECTED, DocStatus.FULFILLED) and p.get("type") == doc_type.value \
                    and bodies & {p.get("owner"), p.get("issuer")}:
                return n.other
        return None


def ingest_text(store: GraphStore, text: str, path: str, title: str | None = None) -> IngestReport:
    ex = extract_text(text, path)
    return apply_built(store, lambda: _build(store, ex, path, title))


def _build(store: GraphStore, ex: Extraction, path: str, title: str | None) -> tuple[Batch, IngestReport]:
    digest = hashlib.sha256(ex.text.encode("utf-8")).hexdigest()
    source = "src-" + digest[:16]
    first_line = next((line.strip() for line in ex.text.splitlines() if line.strip()), Path(path).name)
    tw = _TextWriter(store, ex, source)
    tw.writer.node(NodeWrite(Label.SOURCE, source, source=source, props={
        "title": title or first_line[:200], "path": path, "sha256": digest, "kind": "text"}))
    tw.documents()
    tw.relations()
    tw.expected()
    tw.assignments()
    try:
        batch = tw.writer.build()
    except WriteConflict as exc:
        raise IngestError(path, exc.problems) from exc
    except ValueError as exc:
        raise IngestError(path, [("", str(exc))]) from exc
    return batch, IngestReport(path, nodes=len(batch.nodes), edges=len(batch.edges), sources=[source],
                               skipped=tw.skipped)


def read_text_file(path: str | Path) -> str:
    """A raw text file: UTF-8 (with or without a BOM), or UTF-16 with its BOM (Notepad's "Unicode").
    Raises IngestError naming the line of the first byte that is not UTF-8."""
    raw = read_regular_file(path)
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise IngestError(str(path), [("", f"not UTF-16 text although it starts with a UTF-16 mark: {exc}")]) \
                from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise IngestError(str(path), [(f"line {line}", f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset "
                                                      f"{exc.start}): save the file as UTF-8")]) from exc


def ingest_text_path(store: GraphStore, path: str | Path) -> IngestReport:
    text = read_text_file(path)
    if not text.strip():
        raise IngestError(str(path), [("", "the file holds no text: nothing to extract")])
    return ingest_text(store, text, str(path))
