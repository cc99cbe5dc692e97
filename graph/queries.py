"""The named Cypher queries of ``queries/``: one ``.cypher`` file each.

A file starts with ``//`` header lines: a description, the parameters, and
example ``:param name => value`` lines that Neo4j Browser accepts as-is.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path


def _queries_dir() -> Path:
    """KG_QUERIES_DIR, else the checkout's queries/, else an installed wheel's copy of it."""
    if os.environ.get("KG_QUERIES_DIR"):
        return Path(os.environ["KG_QUERIES_DIR"])
    checkout = Path(__file__).resolve().parent.parent / "queries"
    installed = Path(sys.prefix) / "share" / "policy-kg" / "queries"
    return checkout if checkout.is_dir() or not installed.is_dir() else installed


QUERIES_DIR = _queries_dir()
_PARAM_RE = re.compile(r"^//\s*:param\s+(\w+)\s*=>\s*(.+?)\s*;?\s*$")

# The `lineage` query's node lists, column by column (the API's LineageNode has its fields in this order).
LINEAGE_NODE = ("uid", "code", "type", "title", "status", "issued_on", "issuer", "due", "conflicts", "depth")


@dataclass(frozen=True, slots=True)
class NamedQuery:
    name: str
    text: str
    description: str
    examples: dict[str, str]  # parameter -> Cypher literal, as in the header


def names() -> list[str]:
    return sorted(p.stem for p in QUERIES_DIR.glob("*.cypher"))


@cache
def load(name: str) -> NamedQuery:
    if not re.fullmatch(r"[a-z_]+", name):
        raise KeyError(f"bad query name {name!r}")
    path = QUERIES_DIR / f"{name}.cypher"
    if not path.exists():
        raise KeyError(f"no named query {name!r} in {QUERIES_DIR}")
    text = path.read_text(encoding="utf-8")
    description: list[str] = []
    examples: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        match = _PARAM_RE.match(line)
        if match:
            examples[match[1]] = match[2]
        else:
            description.append(line.lstrip("/ ").rstrip())
    return NamedQuery(name, text, "\n".join(description).strip(), examples)
