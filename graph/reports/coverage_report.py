"""Coverage audit report: which units under a scope had to implement a document,
which did, which are late. One data object, three renderers (HTML page, CSV, XLSX).

The rows are exactly those of the named query ``coverage`` (``queries/coverage.cypher``);
the report adds the props of the target document, the scope and every document it
mentions, the summary counts, and for each unit the sources behind its proving documents.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
from dataclasses import dataclass, field
from html import escape
from typing import Any

from graph.reports.common import ReportError, doc_label
from graph.schema import Rel
from graph.store import GraphStore

STATUSES = ("covered", "expected", "overdue", "missing")
STATUS_COLOURS = {"covered": "#2e7d32", "expected": "#1565c0", "overdue": "#c62828", "missing": "#757575"}
STATUS_LABELS = {
    "covered": "covered — đã ban hành",
    "expected": "expected — chưa đến hạn",
    "overdue": "overdue — quá hạn",
    "missing": "missing — không có",
}
COLUMNS = ("institution", "name", "level", "status", "documents", "chain", "due", "covered_on", "late", "sources")
CHAIN_SEP = " → "
LIST_SEP = "; "


@dataclass(frozen=True, slots=True)
class UnitRow:
    """One row of the ``coverage`` query, plus the sources behind its documents."""

    institution: str
    name: str | None
    level: int
    status: str
    documents: list[str]
    chain: list[str]
    due: str | None
    sources: list[str]
    covered_on: str | None = None  # the earliest issue date of its documents
    late: bool = False  # covered after its due date

    def cells(self) -> list[Any]:
        """The row as flat cells, in :data:`COLUMNS` order (CSV, XLSX)."""
        return [
            self.institution,
            self.name or "",
            self.level,
            self.status,
            LIST_SEP.join(self.documents),
            CHAIN_SEP.join(self.chain),
            self.due or "",
            self.covered_on or "",
            "late" if self.late else "",
            LIST_SEP.join(self.sources),
        ]


@dataclass(slots=True)
class CoverageReport:
    document_uid: str
    scope_uid: str
    as_of: str
    document: dict[str, Any]
    scope: dict[str, Any]
    rows: list[dict[str, Any]]  # the coverage query's rows, untouched
    units: list[UnitRow]
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)  # every document mentioned
    source_nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    note: str | None = None  # why a scope has no units on the day (see scope_note)

    @property
    def summary(self) -> dict[str, int]:
        counts = {s: 0 for s in STATUSES}
        for unit in self.units:
            counts[unit.status] = counts.get(unit.status, 0) + 1
        counts["total"] = len(self.units)
        counts["late"] = sum(1 for unit in self.units if unit.late)  # of the covered
        return counts

    @property
    def title(self) -> str:
        return (f"Coverage of {doc_label(self.document, self.document_uid)} under "
                f"{self.scope.get('name') or self.scope_uid} as of {self.as_of}")


def scope_note(store: GraphStore, scope_uid: str, scope: dict[str, Any], when: str) -> str | None:
    """Why an audit of ``scope`` on ``when`` has no units: the scope did not exist then (and what
    superseded it); None when it did."""
    start, end = scope.get("valid_from"), scope.get("valid_to")
    if not ((start and start > when) or (end and end < when)):
        return None
    span = " ".join(p for p in (start and f"from {start}", end and f"until {end}") if p)
    after = sorted(n.other for n in store.neighbours([scope_uid], Rel.SUPERSEDES.value, "in", fields=()))
    return (f"{scope_uid} did not exist on {when} (it existed {span}), so no unit under it is audited"
            + (f"; it was superseded by {', '.join(after)}" if after else ""))


def coverage_report(store: GraphStore, document_uid: str, scope_uid: str, as_of: str) -> CoverageReport:
    """Run ``coverage`` for (document, scope, as_of) and gather what the renderers show."""
    head = store.get_nodes([document_uid, scope_uid])
    document, scope = head.get(document_uid), head.get(scope_uid)
    if document is None or "Document" not in (document.get("labels") or []):
        raise ReportError(f"no document with uid {document_uid!r}")
    if scope is None or "Institution" not in (scope.get("labels") or []):
        raise ReportError(f"no institution with uid {scope_uid!r}")
    rows = store.run("coverage", {"document": document_uid, "scope": scope_uid, "as_of": as_of})
    mentioned = {document_uid}
    for row in rows:
        mentioned.update(row.get("documents") or [])
        mentioned.update(row.get("chain") or [])
    documents = store.get_nodes(sorted(mentioned))
    units = []
    for row in rows:
        sources: list[str] = []
        for uid in row.get("documents") or []:
            for src in (documents.get(uid) or {}).get("sources") or []:
                if src not in sources:
                    sources.append(src)
        units.append(UnitRow(
            institution=row["institution"], name=row.get("name"), level=int(row.get("level") or 0),
            status=row["status"], documents=list(row.get("documents") or []), chain=list(row.get("chain") or []),
            due=row.get("due"), sources=sources, covered_on=row.get("covered_on"), late=bool(row.get("late")),
        ))
    source_uids = sorted({s for u in units for s in u.sources})
    source_nodes = store.get_nodes(source_uids) if source_uids else {}
    note = None if rows else scope_note(store, scope_uid, scope, as_of)
    return CoverageReport(document_uid=document_uid, scope_uid=scope_uid, as_of=as_of, document=document,
                          scope=scope, rows=rows, units=units, documents=documents, source_nodes=source_nodes,
                          note=note)


# --------------------------------------------------------------------------- CSV / XLSX


_FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")  # what makes Excel or Calc read a CSV cell as a formula


def _csv_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would evaluate ("=HYPERLINK(...)" as an institution's name, ingested
    from anywhere) with a leading apostrophe, which shows it as text (OWASP's advice for CSV injection)."""
    return f"'{value}" if isinstance(value, str) and value.startswith(_FORMULA_LEADS) else value


def to_csv(report: CoverageReport) -> bytes:
    """One row per unit (same rows as the HTML table), UTF-8 with a BOM so Excel reads Vietnamese."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for unit in report.units:
        writer.writerow([_csv_cell(v) for v in unit.cells()])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _as_text(cells: Any) -> None:
    """openpyxl stores a string starting with "=" as a formula: every value here is data, kept as text."""
    for cell in cells:
        if cell.data_type == "f":
            cell.data_type = "s"


def to_xlsx(report: CoverageReport) -> bytes:
    """A workbook: sheet ``Coverage`` (header + one row per unit) and sheet ``Summary``."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font, PatternFill
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ReportError("XLSX export needs the 'openpyxl' package") from exc
    wb = Workbook()
    ws = wb.active
    ws.title = "Coverage"
    ws.append(list(COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for unit in report.units:
        ws.append(unit.cells())
        _as_text(ws[ws.max_row])
        status_cell = ws.cell(row=ws.max_row, column=COLUMNS.index("status") + 1)
        colour = STATUS_COLOURS.get(unit.status, "#000000").lstrip("#")
        status_cell.font = Font(bold=True, color="FFFFFF")
        status_cell.fill = PatternFill("solid", fgColor=colour)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for letter, width in zip("ABCDEFGH", (40, 45, 6, 10, 45, 70, 11, 30), strict=True):
        ws.column_dimensions[letter].width = width
    summary = wb.create_sheet("Summary")
    summary.append(["document", report.document_uid])
    summary.append(["code / title", doc_label(report.document, report.document_uid, width=200)])
    summary.append(["scope", report.scope_uid])
    summary.append(["scope name", report.scope.get("name") or ""])
    summary.append(["as of", report.as_of])
    if report.note:
        summary.append(["note", report.note])
    for key, value in report.summary.items():
        summary.append([key, value])
    for row in summary.iter_rows():
        _as_text(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- HTML

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:2rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}nav a{margin-right:1rem}
.meta{color:#555}.chart{margin:.5rem 0 1rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3;cursor:pointer;user-select:none;white-space:nowrap}
th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
.status{color:#fff;border-radius:3px;padding:.1rem .4rem;font-weight:600;white-space:nowrap}
.uid{color:#666;font-size:.8rem;font-family:ui-monospace,monospace}
ul.plain{margin:0;padding-left:1rem}
""".strip()
_CSS += "\n" + "\n".join(f".status-{s}{{background:{c}}}" for s, c in STATUS_COLOURS.items())
_CSS += "\n.late{color:#c62828}"

_JS = """
document.querySelectorAll("table.sortable th").forEach(function (th) {
  th.addEventListener("click", function () {
    var table = th.closest("table"), body = table.tBodies[0];
    var asc = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var key = function (tr) {
      var c = tr.cells[th.cellIndex];
      return c.dataset.sort !== undefined ? c.dataset.sort : c.textContent;
    };
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a), y = key(b), num = /^-?[0-9]+([.][0-9]+)?$/;
      var r = (num.test(x) && num.test(y)) ? Number(x) - Number(y) : x.localeCompare(y, "vi");
      return asc ? r : -r;
    });
    rows.forEach(function (tr) { body.appendChild(tr); });
  });
});
"""


def report_csp() -> str:
    """The HTML report's Content-Security-Policy: nothing loaded from anywhere, inline styles, and only its
    own script (by hash), so a value that escaped escaping still could not run."""
    digest = base64.b64encode(hashlib.sha256(_JS.encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; img-src data:; "
            "base-uri 'none'; form-action 'none'").strip()


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _bar_chart(summary: dict[str, int]) -> str:
    """An inline SVG horizontal bar chart of the four status counts."""
    total = max(summary.get("total", 0), 1)
    bar_w, row_h, label_w = 320, 26, 90
    parts = [f'<svg class="chart" role="img" aria-label="units by status" '
             f'width="{label_w + bar_w + 60}" height="{row_h * len(STATUSES) + 4}">']
    for i, status in enumerate(STATUSES):
        n = summary.get(status, 0)
        y = i * row_h + 2
        w = round(bar_w * n / total)
        parts.append(f'<text x="0" y="{y + 17}" font-size="13">{status}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{bar_w}" height="{row_h - 6}" fill="#eee"/>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w}" height="{row_h - 6}" '
                     f'fill="{STATUS_COLOURS[status]}"><title>{status}: {n}</title></rect>')
        parts.append(f'<text x="{label_w + bar_w + 8}" y="{y + 17}" font-size="13">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


def to_html(report: CoverageReport) -> str:
    """A self-contained page (inline CSS/JS/SVG, no external requests, only internal anchors)."""
    doc_ids = {uid: f"doc-{uid}" for uid in report.documents}
    src_ids = {uid: f"src-{uid}" for uid in report.source_nodes}

    def doc_ref(uid: str) -> str:
        text = _e(doc_label(report.documents.get(uid), uid))
        title = _e((report.documents.get(uid) or {}).get("title") or uid)
        return f'<a href="#{_e(doc_ids[uid])}" title="{title}">{text}</a>' if uid in doc_ids else text

    def src_ref(uid: str) -> str:
        return f'<a href="#{_e(src_ids[uid])}">{_e(uid)}</a>' if uid in src_ids else _e(uid)

    summary = report.summary
    out = [
        "<!DOCTYPE html>",
        '<html lang="vi"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(report.title)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f'<h1 id="top">{_e(report.title)}</h1>',
        '<nav><a href="#summary">Summary</a><a href="#units">Units</a>'
        '<a href="#documents">Documents</a><a href="#sources">Sources</a></nav>',
        f'<p class="meta">Document: <strong>{_e(doc_label(report.document, report.document_uid, 200))}</strong>'
        f' — {_e(report.document.get("title"))} <span class="uid">{_e(report.document_uid)}</span><br>'
        f'Scope: <strong>{_e(report.scope.get("name"))}</strong> <span class="uid">{_e(report.scope_uid)}</span>'
        f" and every unit under it (PART_OF) valid on {_e(report.as_of)}.</p>",
        *([f'<p class="note" id="note">{_e(report.note)}</p>'] if report.note else []),
        '<h2 id="summary">Summary</h2>',
        "<p>" + ", ".join(f'<span class="status status-{s}">{s}</span> {summary[s]}' for s in STATUSES)
        + f" — <strong>{summary['total']}</strong> units in total"
        + (f"; {summary['late']} of the covered were covered after their due date (late)" if summary["late"] else "")
        + ".</p>",
        _bar_chart(summary),
        '<h2 id="units">Units</h2>',
        "<p class=\"meta\">Click a column header to sort.</p>",
        '<table class="sortable" id="coverage-table"><thead><tr>'
        "<th>Unit</th><th>Level</th><th>Status</th><th>Proving documents</th><th>Chain</th><th>Due</th>"
        "<th>Covered on</th><th>Sources</th></tr></thead><tbody>",
    ]
    for unit in report.units:
        docs = "<br>".join(doc_ref(d) for d in unit.documents)
        chain = CHAIN_SEP.join(_e(c) for c in unit.chain)
        srcs = "<br>".join(src_ref(s) for s in unit.sources)
        order = STATUSES.index(unit.status) if unit.status in STATUSES else len(STATUSES)
        out.append(
            f'<tr id="unit-{_e(unit.institution)}" data-institution="{_e(unit.institution)}">'
            f'<td data-sort="{_e(unit.name or unit.institution)}">{_e(unit.name)}<br>'
            f'<span class="uid">{_e(unit.institution)}</span></td>'
            f"<td>{unit.level}</td>"
            f'<td data-sort="{order}"><span class="status status-{_e(unit.status)}" '
            f'title="{_e(STATUS_LABELS.get(unit.status, unit.status))}">{_e(unit.status)}</span></td>'
            f"<td>{docs}</td><td>{chain}</td>"
            f'<td data-sort="{_e(unit.due or "9999-99-99")}">{_e(unit.due)}</td>'
            f'<td data-sort="{_e(unit.covered_on or "9999-99-99")}">{_e(unit.covered_on)}'
            + (' <strong class="late" title="covered after its due date">late</strong>' if unit.late else "")
            + f"</td><td>{srcs}</td></tr>"
        )
    out.append("</tbody></table>")
    out.append('<h2 id="documents">Documents</h2><ul class="plain">')
    for uid in sorted(report.documents, key=lambda u: (u != report.document_uid, u)):
        props = report.documents[uid]
        conflicts = props.get("conflicts") or []
        warn = f' <strong title="conflicting values">⚠ {_e(", ".join(conflicts))}</strong>' if conflicts else ""
        out.append(
            f'<li id="{_e(doc_ids[uid])}"><strong>{_e(doc_label(props, uid))}</strong> '
            f'[{_e(props.get("type"))}, {_e(props.get("status"))}'
            f'{", " + _e(props["issued_on"]) if props.get("issued_on") else ""}] '
            f'{_e(props.get("title"))} <span class="uid">{_e(uid)}</span>{warn}</li>'
        )
    out.append('</ul><h2 id="sources">Sources</h2><ul class="plain">')
    for uid in sorted(report.source_nodes):
        props = report.source_nodes[uid]
        url = f' <span class="uid">{_e(props["url"])}</span>' if props.get("url") else ""  # text, never a link
        out.append(f'<li id="{_e(src_ids[uid])}"><strong>{_e(uid)}</strong> — {_e(props.get("title"))} '
                   f'({_e(props.get("kind"))}){url}</li>')
    out.append('</ul><p><a href="#top">↑ top</a></p>')
    out.append(f"<script>{_JS}</script></body></html>")
    return "\n".join(out)
