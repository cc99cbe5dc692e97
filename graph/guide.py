"""Keep the Neo4j Browser guide (queries/browser/guide.html) in step with queries/.

Each runnable block of the guide that carries ``data-query="NAME"`` holds the body of
``queries/NAME.cypher`` (the file without its header comments), HTML-escaped.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from graph import queries

_BLOCK = re.compile(r'(<pre[^>]*\bdata-query="(?P<name>[a-z_]+)"[^>]*>)(?P<body>.*?)(</pre>)', re.S)


def query_body(name: str) -> str:
    lines = queries.load(name).text.splitlines()
    while lines and lines[0].startswith("//"):
        lines.pop(0)
    return "\n".join(lines).strip()


def sync_guide(path: Path | None = None) -> list[str]:
    """Rewrite the guide's query blocks from the .cypher files; return the names changed."""
    path = path or queries.QUERIES_DIR / "browser" / "guide.html"
    text = path.read_text(encoding="utf-8")
    changed: list[str] = []

    names = set(queries.names())

    def replace(match: re.Match[str]) -> str:
        if match["name"] not in names:
            return match.group(0)
        body = html.escape(query_body(match["name"]), quote=False)
        if body != match["body"]:
            changed.append(match["name"])
        return f"{match.group(1)}{body}{match.group(4)}"

    new = _BLOCK.sub(replace, text)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return changed
