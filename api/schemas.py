"""Response models of the HTTP API."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

NQ52 = "52-nq-tw.bo-chinh-tri.2019"
HCMC = "thanh-uy-thanh-pho-ho-chi-minh"


class Ref(BaseModel):
    uid: str
    name: str | None = None


class DocumentItem(BaseModel):
    uid: str = Field(examples=[NQ52])
    code: str | None = Field(None, examples=["52-NQ/TW"])
    type: str = Field(examples=["resolution"])
    title: str | None = None
    issuer: Ref | None = None
    issued_on: str | None = Field(None, examples=["2019-09-27"])
    status: str = Field(examples=["issued"])
    owner: str | None = None
    due: str | None = None
    conflicts: list[str] = Field(default_factory=list, examples=[["issued_on"]])


class Page(BaseModel):
    next_cursor: str | None = None


class DocumentPage(Page):
    items: list[DocumentItem]


class Claim(BaseModel):
    field: str
    value: str
    source: str


class SourceOut(BaseModel):
    uid: str
    title: str | None = None
    kind: str | None = None
    url: str | None = None
    path: str | None = None
    illustrative: bool | None = None


class EdgeOut(BaseModel):
    type: str
    source: str
    target: str
    properties: dict[str, Any] = Field(default_factory=dict)


class DocumentDetail(DocumentItem):
    deadline: str | None = None
    year: int | None = None
    claims: list[Claim]
    sources: list[SourceOut]
    outgoing: list[EdgeOut]
    incoming: list[EdgeOut]


class LineageNode(BaseModel):
    uid: str
    code: str | None = None
    type: str | None = None
    title: str | None = None
    status: str | None = None
    issued_on: str | None = None
    issuer: str | None = None
    due: str | None = None
    conflicts: list[str] = Field(default_factory=list)
    depth: int = Field(description="hops from the root: negative upstream, positive downstream")

    @field_validator("conflicts", mode="before")
    @classmethod
    def _no_conflicts(cls, value: Any) -> Any:
        return [] if value is None else value  # the lineage query returns null for none


class LineageEdge(BaseModel):
    source: str
    target: str
    type: str


class Lineage(BaseModel):
    root: str
    direction: Literal["up", "down", "both"]
    depth: int
    nodes: list[LineageNode]
    edges: list[LineageEdge]
    levels: dict[str, int] = Field(description="number of documents at each signed depth")
    truncated: bool


class CoverageSummary(BaseModel):
    covered: int
    expected: int
    overdue: int
    missing: int
    total: int
    late: int = Field(description="covered units that were covered after their due date (counted in covered)")


class CoverageUnit(BaseModel):
    institution: Ref
    level: int
    status: Literal["covered", "expected", "overdue", "missing"]
    documents: list[str]
    chain: list[str]
    due: str | None = None
    covered_on: str | None = Field(None, description="the earliest issue date of its documents")
    late: bool = Field(False, description="covered, but after its due date")


class Coverage(BaseModel):
    document: DocumentItem
    scope: Ref
    as_of: str
    summary: CoverageSummary
    units: list[CoverageUnit]
    note: str | None = Field(None, description="why the audit has no units, when the scope did not exist on as_of",
                             examples=[None])


class InstitutionItem(BaseModel):
    uid: str = Field(examples=[HCMC])
    name: str | None = None
    short_name: str | None = None
    kind: str | None = None
    level: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    aliases: list[str] = Field(default_factory=list)
    part_of: list[str] = Field(default_factory=list)
    conflicts: list[str] = Field(default_factory=list)


class InstitutionPage(Page):
    items: list[InstitutionItem]


class InstitutionDetail(InstitutionItem):
    members: list[Ref]
    reports_to: list[Ref]
    issued: list[DocumentItem]
    sources: list[SourceOut]


class Obligation(BaseModel):
    document: str | None = None
    code: str | None = None
    task: str | None = None
    deadline: str | None = None
    due: str | None = None
    cadence: str | None = None
    counterpart: str | None = None
    fulfilled: bool | None = None


class Obligations(BaseModel):
    institution: Ref
    tasks: list[Obligation]
    expected: list[Obligation]
    reports_to: list[Obligation]


class SearchHit(BaseModel):
    uid: str
    kind: Literal["document", "institution"]
    label: str | None = None
    title: str | None = None
    name: str | None = None


class SearchResult(BaseModel):
    query: str
    items: list[SearchHit]


class ConflictValue(BaseModel):
    value: str
    sources: list[SourceOut]


class Conflict(BaseModel):
    subject: str = Field(description="a node uid, or 'start -TYPE-> end' for an edge, with its key when it has one "
                                     "('start -ASSIGNS[key]-> end': one unit may have several tasks)",
                         examples=["52-nq-tw.bo-chinh-tri.2019"])
    kind: str
    field: str
    values: list[ConflictValue]


class IngestResult(BaseModel):
    path: str
    nodes: int
    edges: int
    sources: list[str]
