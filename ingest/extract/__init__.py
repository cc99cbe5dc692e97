"""Rule-based extractor for raw Vietnamese policy text (issue #4).

``extract_text(text, path)`` returns an :class:`Extraction`; ``to_json()`` gives
the contract shape ``{"path", "documents", "relations", "bodies"}``.
"""

from ingest.extract.model import (
    Body,
    Claim,
    Document,
    Evidence,
    ExpectedDocument,
    Extraction,
    Relation,
    RelationType,
)
from ingest.extract.pipeline import extract_text

__all__ = [
    "Body",
    "Claim",
    "Document",
    "Evidence",
    "ExpectedDocument",
    "Extraction",
    "Relation",
    "RelationType",
    "extract_text",
]
