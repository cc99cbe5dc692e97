"""Data model of an extraction: documents, bodies, relations, expected documents.

Everything is frozen. Every fact carries :class:`Evidence`: the sentence it was
read from and that sentence's (start, end) span in the cleaned text (ingest.extract.clean)
(``Extraction.text``). ``Extraction.to_json()`` is the issue #4 contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from graph.codes import DocType
from ingest.dates import Deadline


class RelationType(StrEnum):
    IMPLEMENTS = "implements"
    CITES = "cites"
    GUIDES = "guides"
    ASSIGNS = "assigns"
    REPORTS_TO = "reports_to"


@dataclass(frozen=True, slots=True)
class Evidence:
    """A sentence of the cleaned text and its span: ``text == Extraction.text[start:end]``."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Claim:
    """One value claimed for a document field ("date", "issuer") by one mention."""

    field: str
    value: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Document:
    """A referenced (or the text's own) document, merged over its mentions.

    ``code`` is the normalised code, or the bare number ("52") when the text gives
    no symbol. ``date``/``issuer`` keep the first claimed value; ``claims`` holds
    every claim in text order, so disagreements stay visible (``conflicts``).
    """

    code: str
    type: DocType
    issuer: str | None
    date: date | None
    is_subject: bool
    surfaces: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    claims: tuple[Claim, ...]
    evidence: Evidence

    @property
    def conflicts(self) -> tuple[Claim, ...]:
        """Claims that disagree with the kept value of their field."""
        kept = {"date": self.date.isoformat() if self.date else None, "issuer": self.issuer}
        return tuple(c for c in self.claims if kept.get(c.field) not in (None, c.value))

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "type": self.type.value,
            "issuer": self.issuer,
            "date": self.date.isoformat() if self.date else None,
        }


@dataclass(frozen=True, slots=True)
class Body:
    """An institution (canonical gazetteer name) or a group mention.

    A group ("các quận ủy, huyện ủy") is kept as written (normalised) and only
    when it is an endpoint of a relation; ``parent`` is the body it belongs to
    when the text says so ("các đơn vị thuộc Bộ" -> "Bộ Công Thương").
    """

    name: str
    kind: str  # "institution" | "group"
    surfaces: tuple[str, ...]
    parent: str | None
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Relation:
    """An edge; ``source``/``target`` are normalised codes or body names."""

    type: RelationType
    source: str
    target: str
    deadline: Deadline | None
    evidence: Evidence
    task: str | None = None  # assignment: the task text after the assignee

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type.value,
            "source": self.source,
            "target": self.target,
            "deadline": self.deadline.text if self.deadline else None,
        }


@dataclass(frozen=True, slots=True)
class ExpectedDocument:
    """A document an assignment requires but that has no code yet.

    ``issuer`` is the body whose document it will be ("Chương trình hành động của
    Thành ủy" -> the City Party Committee); ``owner`` the assignee responsible for
    it; ``drafter`` the body directed to draft it, if named. ``implements`` is
    the code it is to implement; ``implements_inferred`` is True when the title
    only says "thực hiện Nghị quyết" and the code was taken from the text.
    ``task`` is the task of the assignment that requires it (``Relation.task`` of the
    ASSIGNS relation from ``assigned_by`` to ``owner``): the two are one task, written as
    one ASSIGNS edge whose deliverable is this document.
    """

    type: DocType
    title: str
    issuer: str | None
    owner: str
    drafter: str | None
    implements: str | None
    implements_inferred: bool
    deadline: Deadline | None
    assigned_by: str
    evidence: Evidence
    task: str | None = None


@dataclass(frozen=True, slots=True)
class Extraction:
    path: str
    text: str  # the cleaned text all spans refer to (ingest.extract.clean: NFC, one space, no soft hyphens)
    subject: str | None  # code of the text's own / subject document
    documents: tuple[Document, ...]
    relations: tuple[Relation, ...]
    bodies: tuple[Body, ...]
    expected: tuple[ExpectedDocument, ...]

    @property
    def conflicts(self) -> tuple[tuple[str, Claim], ...]:
        """(code, claim) for every claim that disagrees with the kept value."""
        return tuple((d.code, c) for d in self.documents for c in d.conflicts)

    def document(self, code: str) -> Document | None:
        return next((d for d in self.documents if d.code == code), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "documents": [d.to_json() for d in self.documents],
            "relations": [r.to_json() for r in self.relations],
            "bodies": [b.name for b in self.bodies],
        }
