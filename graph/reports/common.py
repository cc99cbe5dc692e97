"""Small helpers shared by the report modules."""

from __future__ import annotations

from typing import Any


class ReportError(LookupError):
    """A report cannot be built (unknown document or institution, bad parameters)."""


def doc_label(props: dict[str, Any] | None, uid: str, width: int = 60) -> str:
    """How a document is named to a reader: its code, else an excerpt of its title, else its uid."""
    if not props:
        return uid
    if props.get("code"):
        return str(props["code"])
    title = str(props.get("title") or "").strip()
    if not title:
        return uid
    return title if len(title) <= width else title[: width - 1].rstrip() + "…"


def claimed_values(props: dict[str, Any], field: str) -> list[str]:
    """The distinct values claimed for ``field`` (``claims`` are ``field⇥value⇥source``), in claim order."""
    values: list[str] = []
    for claim in props.get("claims") or []:
        parts = str(claim).split("\t")
        if len(parts) >= 2 and parts[0] == field and parts[1] not in values:
            values.append(parts[1])
    return values
