"""The implementation tree under a document, drawn top-down as SVG by Graphviz ``dot``.

The tree is the named query ``lineage_down`` (``queries/lineage_down.cypher``); this
module only builds a DOT text (one box per document, one edge per IMPLEMENTS/GUIDES
row) and lets ``dot -Tsvg`` lay it out. Boxes are labelled with the document's code
(or an excerpt of its title when it has none), type, date and issuer, and coloured by
status: issued, expected, overdue (expected with a due date before today), fulfilled.
A code-less document also shows its uid. A document whose ``conflicts`` list is
non-empty gets a "⚠" and a tooltip naming the conflicting fields and their claimed values.

Every box is a Graphviz node named by the document uid, so in the SVG each box is a
``<g class="node" id="doc-<uid>">`` whose ``<title>`` is the uid.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from html import escape
from typing import Any

from graph.reports.common import ReportError, claimed_values, doc_label
from graph.store import GraphStore

STATUS_FILL = {
    "issued": "#e8f5e9",
    "expected": "#e3f2fd",
    "overdue": "#ffebee",
    "fulfilled": "#f3e5f5",
}
STATUS_BORDER = {
    "issued": "#2e7d32",
    "expected": "#1565c0",
    "overdue": "#c62828",
    "fulfilled": "#6a1b9a",
}
EDGE_STYLE = {"IMPLEMENTS": "solid", "GUIDES": "dashed"}
DOT_TIMEOUT = 60
# The most documents one diagram draws: 3,000 made a 5 MB SVG in 2.3 s, and a wide tree of 20,000 held a
# worker and a `dot` process for the whole timeout (the route is open to anyone). Bigger trees: the JSON.
MAX_DRAWN = 1000


class GraphvizUnavailable(ReportError):
    """Graphviz ``dot`` is not installed (or failed)."""


class DiagramTooLarge(ReportError):
    """The tree has more documents than one diagram draws."""


class DiagramTimeout(ReportError):
    """Graphviz did not lay the diagram out within DOT_TIMEOUT seconds."""


def display_status(props: dict[str, Any], today: str) -> str:
    """issued / expected / overdue / fulfilled, as drawn."""
    status = str(props.get("status") or "issued")
    if status == "expected" and props.get("due") and str(props["due"]) < today:
        return "overdue"
    return status if status in STATUS_FILL else "issued"


def _dot_string(value: str) -> str:
    """A DOT double-quoted string (IDs, escString attributes such as ``tooltip``)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "") + '"'


def _html(value: Any) -> str:
    """Text for a Graphviz HTML-like label."""
    return escape("" if value is None else str(value), quote=True)


def build_dot(root: str, rows: list[dict[str, Any]], nodes: dict[str, dict[str, Any]],
              institutions: dict[str, dict[str, Any]], today: str) -> str:
    """The DOT text of the tree (exposed for tests and for callers that lay it out themselves)."""
    order = [root]
    for row in rows:
        for uid in (row["target"], row["source"]):
            if uid not in order:
                order.append(uid)
    lines = [
        "digraph lineage {",
        '  graph [rankdir=TB, charset="UTF-8", nodesep=0.3, ranksep=0.6, fontname="Helvetica"];',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10, margin="0.12,0.06"];',
        '  edge [fontname="Helvetica", fontsize=8, color="#555555", dir=back];',
    ]
    for uid in order:
        props = nodes.get(uid) or {}
        status = display_status(props, today)
        conflicts = [str(c) for c in props.get("conflicts") or []]
        issuer_uid = props.get("issuer")
        issuer = (institutions.get(issuer_uid) or {}).get("name") or issuer_uid or ""
        when = props.get("issued_on") or (f"due {props['due']}" if props.get("due") else "")
        head = _html(doc_label(props, uid, width=48))
        if conflicts:
            head = "⚠ " + head
        rows_html = [f'<TR><TD><B>{head}</B></TD></TR>']
        if not props.get("code"):  # a title excerpt is ambiguous: name the document by its uid too
            rows_html.append(f'<TR><TD><FONT POINT-SIZE="8" COLOR="#555555">{_html(uid)}</FONT></TD></TR>')
        meta = ", ".join(x for x in (str(props.get("type") or ""), status, str(when)) if x)
        rows_html.append(f'<TR><TD><FONT POINT-SIZE="9">{_html(meta)}</FONT></TD></TR>')
        if issuer:
            rows_html.append(f'<TR><TD><FONT POINT-SIZE="9">{_html(issuer)}</FONT></TD></TR>')
        if props.get("status") in ("expected", "fulfilled") and props.get("owner"):
            owner = (institutions.get(props["owner"]) or {}).get("name") or props["owner"]
            rows_html.append(f'<TR><TD><FONT POINT-SIZE="8">drafted by: {_html(owner)}</FONT></TD></TR>')
        label = '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">' + "".join(rows_html) + "</TABLE>>"
        tip = [str(props.get("title") or uid)]
        if issuer:
            tip.append(f"issuer: {issuer}")
        for fieldname in conflicts:
            values = claimed_values(props, fieldname)
            tip.append(f"⚠ conflicting {fieldname}: " + (" vs ".join(values) if values else "several values"))
        attrs = [
            f"label={label}",
            f"id={_dot_string('doc-' + uid)}",
            f"tooltip={_dot_string(chr(10).join(tip))}",
            f'fillcolor="{STATUS_FILL[status]}"',
            f'color="{STATUS_BORDER[status]}"',
            f"class={_dot_string('status-' + status + (' conflict' if conflicts else ''))}",
        ]
        if uid == root:
            attrs.append("penwidth=2")
        if conflicts:
            attrs.append("peripheries=2")
        lines.append(f"  {_dot_string(uid)} [{', '.join(attrs)}];")
    seen: set[tuple[str, str, str]] = set()
    for row in rows:
        key = (row["target"], row["source"], row["type"])
        if key in seen:
            continue
        seen.add(key)
        rel = str(row["type"])
        lines.append(
            f"  {_dot_string(row['target'])} -> {_dot_string(row['source'])} "
            f"[label={_dot_string(rel.lower())}, style={EDGE_STYLE.get(rel, 'solid')}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_svg(dot_text: str, dot_binary: str | None = None) -> str:
    """Lay out DOT text with Graphviz ``dot -Tsvg``; :class:`GraphvizUnavailable` if it cannot."""
    exe = dot_binary or shutil.which("dot")
    if not exe:
        raise GraphvizUnavailable(
            "Graphviz 'dot' was not found on PATH; install Graphviz (Debian/Ubuntu: apt-get install graphviz)"
        )
    try:
        done = subprocess.run([exe, "-Tsvg"], input=dot_text.encode("utf-8"), capture_output=True,
                              timeout=DOT_TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise DiagramTimeout(f"Graphviz took longer than {DOT_TIMEOUT} s to lay the diagram out: "
                             "lower the depth, or read the lineage as JSON") from exc
    except OSError as exc:
        raise GraphvizUnavailable(f"Graphviz 'dot' could not run: {exc.strerror or exc}") from exc
    if done.returncode != 0:
        raise GraphvizUnavailable(f"Graphviz 'dot' failed ({done.returncode}): "
                                  f"{done.stderr.decode('utf-8', 'replace').strip()}")
    return done.stdout.decode("utf-8")


def lineage_svg(store: GraphStore, document_uid: str, depth: int = 5, *, today: str | date | None = None,
                dot_binary: str | None = None, max_documents: int | None = MAX_DRAWN) -> str:
    """The implementation tree under ``document_uid`` (``depth`` 1..20 hops) as an SVG document;
    :class:`DiagramTooLarge` past ``max_documents`` (None: no limit), before Graphviz runs."""
    if not 1 <= int(depth) <= 20:
        raise ReportError(f"depth must be between 1 and 20, not {depth}")
    root = store.get_nodes([document_uid]).get(document_uid)
    if root is None or "Document" not in (root.get("labels") or []):
        raise ReportError(f"no document with uid {document_uid!r}")
    today_iso = (today.isoformat() if isinstance(today, date) else today) or date.today().isoformat()
    rows = store.run("lineage_down", {"document": document_uid, "depth": int(depth)})
    uids = {document_uid} | {r["source"] for r in rows} | {r["target"] for r in rows}
    if max_documents is not None and len(uids) > max_documents:
        raise DiagramTooLarge(f"the tree under {document_uid} has {len(uids):,} documents within {depth} hops, "
                              f"more than a diagram draws ({max_documents:,}): lower the depth, or read "
                              f"/documents/{document_uid}/lineage (JSON)")
    nodes = store.get_nodes(sorted(uids))
    inst_uids = sorted({str(p[k]) for p in nodes.values() for k in ("issuer", "owner") if p.get(k)})
    institutions = store.get_nodes(inst_uids) if inst_uids else {}
    return render_svg(build_dot(document_uid, rows, nodes, institutions, today_iso), dot_binary)
