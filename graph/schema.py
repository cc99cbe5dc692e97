"""The graph schema, declared once.

Everything else derives from these declarations: validation of structured
records (which properties a node or edge may carry, which are claimable), the
Neo4j constraints and indexes, and the attribute layout of the memory store.

Provenance layout, identical in both stores (lists of strings so that Neo4j
can hold them as plain properties and Cypher can read them):

* ``sources``   - uids of the Source nodes that assert the node or edge;
* ``claims``    - ``"field\\tvalue\\tsource_uid"`` for every claimed value,
  in the order the claims were first made;
* ``conflicts`` - the fields on which sources disagree;
* ``evidence``  - ``"source_uid\\tstart:end\\tsentence"`` for text-derived facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from graph.codes import DocType

CLAIM_SEP = "\t"
# The full-text index over search_text, which the writer folds (graph.text.search_text). Its analyzer
# has no stop words: 'standard-folding' drops English ones, and folded Vietnamese is full of them
# ("an" of An Giang, "the" of thể, "to" of tổ, "on" of ổn).
SEARCH_INDEX = "kg_search"
SEARCH_ANALYZER = "standard-no-stop-words"


class Label(StrEnum):
    DOCUMENT = "Document"
    INSTITUTION = "Institution"
    SOURCE = "Source"


class Rel(StrEnum):
    ISSUED_BY = "ISSUED_BY"
    IMPLEMENTS = "IMPLEMENTS"
    GUIDES = "GUIDES"
    CITES = "CITES"
    ASSIGNS = "ASSIGNS"
    REPORTS_TO = "REPORTS_TO"
    PART_OF = "PART_OF"
    SUPERSEDES = "SUPERSEDES"
    FULFILS = "FULFILS"


class DocStatus(StrEnum):
    ISSUED = "issued"
    EXPECTED = "expected"  # required by an assignment, not issued yet
    FULFILLED = "fulfilled"  # an expected document that a real one FULFILS


class InstKind(StrEnum):
    """What an institution is (its ``kind``): the values a structured record may give."""

    PARTY_COMMITTEE = "party_committee"  # Ban Chấp hành Trung ương, Bộ Chính trị, Thành ủy, Quận ủy, Đảng ủy xã
    PARTY_STANDING_COMMITTEE = "party_standing_committee"  # Ban Thường vụ (of a Party committee)
    PARTY_DEPARTMENT = "party_department"  # Ban Tuyên giáo Trung ương, Ban Dân vận Thành ủy
    PARTY_DELEGATION = "party_delegation"  # Ban cán sự đảng, Đảng đoàn
    GOVERNMENT = "government"  # Chính phủ
    MINISTRY = "ministry"  # Bộ Công Thương
    MINISTRY_UNIT = "ministry_unit"  # Vụ, Cục, Văn phòng Bộ
    PEOPLE_COMMITTEE = "people_committee"  # Ủy ban nhân dân (province, district, commune)


PROVENANCE_PROPS = ("sources", "claims", "conflicts", "evidence")


@dataclass(frozen=True, slots=True)
class NodeSpec:
    label: Label
    props: tuple[str, ...]
    claimable: tuple[str, ...]  # values that sources may disagree on
    indexed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EdgeSpec:
    rel: Rel
    start: Label
    end: Label | tuple[Label, ...]
    props: tuple[str, ...] = ()
    claimable: tuple[str, ...] = ()

    def allows(self, start: Label, end: Label) -> bool:
        ends = self.end if isinstance(self.end, tuple) else (self.end,)
        return start == self.start and end in ends


NODES: dict[Label, NodeSpec] = {
    Label.DOCUMENT: NodeSpec(
        Label.DOCUMENT,
        props=("uid", "code", "code_key", "number", "type", "issuer_code", "year", "title",
               "issued_on", "status", "issuer", "owner", "due", "deadline", "search_text",
               "illustrative", "shown_issuer"),
        # shown_issuer, derived by the writer from the ISSUED_BY edges (never claimed): the issuer that
        # lists and lineage show, of a joint document's several the least uid. Neo4j's queries read it
        # instead of expanding ISSUED_BY per document (docs/benchmarks.md, ninth run).
        # who issued it (a document declared by uid may be given another issuer by another source),
        # who drafts an expected one, by when
        # type: claimed only where no code abbreviation fixes it (an official letter's "1906/VPCP-KGVX",
        # a document without a code); its label follows the winning claim
        claimable=("title", "issued_on", "issuer", "owner", "deadline", "due", "type"),
        indexed=("code_key", "status", "type", "issuer", "owner"),
    ),
    Label.INSTITUTION: NodeSpec(
        Label.INSTITUTION,
        props=("uid", "name", "short_name", "aliases", "kind", "level", "valid_from",
               "valid_to", "search_text", "illustrative"),
        claimable=("name", "short_name", "kind", "level", "valid_from", "valid_to"),
        indexed=("name",),
    ),
    Label.SOURCE: NodeSpec(
        Label.SOURCE,
        props=("uid", "title", "url", "path", "sha256", "kind", "illustrative", "note"),
        claimable=(),
        indexed=(),
    ),
}

#: How much a source's word weighs when sources disagree on a value (graph.model.resolve_claims), by
#: the Source's ``kind``: the value claimed by the source of highest standing wins, then the one
#: claimed by the most sources, then the earliest claim. ``official``: the document itself or its
#: publisher (the official gazette, the issuer's portal); ``reference``: curated facts (the domain
#: primer). Every other kind (``press``, ``text``: extracted from a raw text, ``file``, ``synthetic``,
#: ``illustrative``, none) stands at DEFAULT_STANDING: so a wrong year repeated by any number of press
#: accounts is flagged against the reference, never adopted over it.
SOURCE_STANDING: dict[str, int] = {"official": 3, "reference": 2}
DEFAULT_STANDING = 1

_DOC, _INST = Label.DOCUMENT, Label.INSTITUTION

EDGES: dict[Rel, EdgeSpec] = {
    Rel.ISSUED_BY: EdgeSpec(Rel.ISSUED_BY, _DOC, _INST),
    Rel.IMPLEMENTS: EdgeSpec(Rel.IMPLEMENTS, _DOC, _DOC),
    Rel.GUIDES: EdgeSpec(Rel.GUIDES, _DOC, _DOC),
    Rel.CITES: EdgeSpec(Rel.CITES, _DOC, _DOC),
    Rel.ASSIGNS: EdgeSpec(
        Rel.ASSIGNS, _DOC, _INST,
        props=("task", "deadline", "due", "cadence", "deliverable"),
        claimable=("deadline", "due", "cadence"),
    ),
    Rel.REPORTS_TO: EdgeSpec(Rel.REPORTS_TO, _INST, _INST, props=("cadence",),
                             claimable=("cadence",)),
    Rel.PART_OF: EdgeSpec(Rel.PART_OF, _INST, _INST),
    Rel.SUPERSEDES: EdgeSpec(Rel.SUPERSEDES, _DOC, _DOC),
    Rel.FULFILS: EdgeSpec(Rel.FULFILS, _DOC, _DOC),
}
# An institution can succeed another one (mergers of 2025): allow it too.
EDGES_EXTRA: tuple[EdgeSpec, ...] = (EdgeSpec(Rel.SUPERSEDES, _INST, _INST),)

DOC_LABELS: dict[DocType, str] = {t: t.label for t in DocType}


@lru_cache(maxsize=256)
def edge_spec(rel: Rel, start: Label, end: Label) -> EdgeSpec | None:
    for spec in (EDGES[rel], *EDGES_EXTRA):
        if spec.rel == rel and spec.allows(start, end):
            return spec
    return None


#: Bookkeeping, not part of the graph model: one node holding the graph's version, a token that
#: every write through the project replaces (the API's response cache checks it, api/cache.py).
#: Excluded from stats and dumps.
META_LABEL = "KgMeta"
META_ID = "graph"
#: One-off migrations of graphs written by earlier versions (graph.neo4j_store), by name. The meta node
#: lists those done; a graph exported by this version needs none (its post-import lists them all).
MIGRATIONS = ("shown_issuer",)


#: Indexes on several properties. (code_key, issuer): identity resolution asks for the documents of
#: a code *and* an issuer; state and Party units number their plans from 1 each year, so a code key
#: alone ("01-kh-ubnd") matches one document per commune and resolution, tens of thousands nationally.
COMPOSITE_INDEXES: tuple[tuple[Label, tuple[str, ...]], ...] = ((Label.DOCUMENT, ("code_key", "issuer")),)


def neo4j_schema_statements() -> list[str]:
    """Idempotent constraints and indexes, derived from the declarations above."""
    stmts: list[str] = [
        f"CREATE CONSTRAINT kg_meta_id IF NOT EXISTS FOR (m:{META_LABEL}) REQUIRE m.id IS UNIQUE"
    ]
    for spec in NODES.values():
        low = spec.label.lower()
        stmts.append(
            f"CREATE CONSTRAINT {low}_uid IF NOT EXISTS "
            f"FOR (n:{spec.label}) REQUIRE n.uid IS UNIQUE"
        )
        for prop in spec.indexed:
            stmts.append(
                f"CREATE INDEX {low}_{prop} IF NOT EXISTS FOR (n:{spec.label}) ON (n.{prop})"
            )
    stmts.append(
        f"CREATE FULLTEXT INDEX {SEARCH_INDEX} IF NOT EXISTS "
        "FOR (n:Document|Institution) ON EACH [n.search_text] "
        f"OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{SEARCH_ANALYZER}'}}}}"
    )
    for label, props in COMPOSITE_INDEXES:
        name = "_".join((label.lower(), *props))
        on = ", ".join(f"n.{prop}" for prop in props)
        stmts.append(f"CREATE INDEX {name} IF NOT EXISTS FOR (n:{label}) ON ({on})")
    return stmts
