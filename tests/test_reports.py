"""Analyst reports (graph/reports) against the demo data in both stores."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from graph.reports import (
    STATUSES,
    GraphvizUnavailable,
    ReportError,
    coverage_report,
    lineage_svg,
    to_csv,
    to_html,
    to_xlsx,
)
from graph.reports.coverage_report import COLUMNS
from graph.reports.lineage_svg import render_svg
from graph.store import GraphStore

NQ52 = "52-nq-tw.bo-chinh-tri.2019"
TU = "thanh-uy-thanh-pho-ho-chi-minh"
BCSD_UBND = "ban-can-su-dang-uy-ban-nhan-dan-thanh-pho-ho-chi-minh"
AS_OF = "2020-12-31"
SVG = "{http://www.w3.org/2000/svg}"


class _Page(HTMLParser):
    """Collects ids, href/src attributes and the coverage table's rows."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []  # (attribute, value)
        self.rows: list[dict[str, str | None]] = []  # attributes of <tr> in the table body
        self.status_of: dict[str, str] = {}
        self._in_body = False
        self._unit: str | None = None
        self._in_status = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        for name in ("href", "src", "xlink:href", "action"):
            if a.get(name) is not None:
                self.refs.append((name, a[name] or ""))
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append(a)
            self._unit = a.get("data-institution")
        elif tag == "span" and self._unit and "status" in (a.get("class") or "").split():
            self._in_status = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        elif tag == "span":
            self._in_status = False

    def handle_data(self, data: str) -> None:
        if self._in_status and self._unit and data.strip():
            self.status_of[self._unit] = data.strip()


def _report(store: GraphStore):
    return coverage_report(store, NQ52, TU, AS_OF)


def test_html_report(demo_store: GraphStore) -> None:
    report = _report(demo_store)
    rows = demo_store.run("coverage", {"document": NQ52, "scope": TU, "as_of": AS_OF})
    assert report.rows == rows
    assert report.document["uid"] == NQ52 and report.scope["uid"] == TU
    summary = report.summary
    assert summary["total"] == len(rows) == sum(summary[s] for s in STATUSES)
    assert summary["overdue"] == sum(r["status"] == "overdue" for r in rows)
    quan1 = next(u for u in report.units if u.institution == "quan-uy-quan-1")
    assert quan1.sources == ["src-illustrative-hcmc"]

    page = to_html(report)
    parser = _Page()
    parser.feed(page)
    parser.close()
    assert len(parser.rows) == len(rows)
    assert [r["data-institution"] for r in parser.rows] == [r["institution"] for r in rows]
    assert "quan-uy-quan-1" in page
    assert parser.status_of[BCSD_UBND] == "overdue"
    assert parser.status_of == {r["institution"]: r["status"] for r in rows}
    internal = [v for _, v in parser.refs if v.startswith("#")]
    assert internal, "the page has internal links"
    for href in internal:
        assert href[1:] in parser.ids, f"dangling anchor {href}"
    for name, value in parser.refs:
        assert not value.lower().startswith(("http://", "https://", "//")), (name, value)
        assert value.startswith("#"), f"non-internal {name}={value}"
    assert "<script src" not in page and "<link" not in page


def test_csv_report(demo_store: GraphStore) -> None:
    report = _report(demo_store)
    data = to_csv(report)
    assert data.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, body = table[0], table[1:]
    assert header[:4] == ["institution", "name", "level", "status"]
    assert len(body) == len(report.rows)
    assert [(r[0], r[3]) for r in body] == [(r["institution"], r["status"]) for r in report.rows]
    bcsd = next(r for r in body if r[0] == BCSD_UBND)
    assert bcsd[3] == "overdue" and bcsd[header.index("due")] == "2020-06-30"
    assert "Quận ủy Quận 1" in [r[1] for r in body]


def test_xlsx_report(demo_store: GraphStore) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    report = _report(demo_store)
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
    ws = wb["Coverage"]
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    header, body = values[0], values[1:]
    assert header[:4] == ["institution", "name", "level", "status"]
    assert len(body) == len(report.rows)
    assert [(r[0], r[3]) for r in body] == [(r["institution"], r["status"]) for r in report.rows]
    assert [r[:len(COLUMNS)] for r in body] == [[c if c != "" else None for c in u.cells()] for u in report.units]


def test_a_name_a_spreadsheet_would_evaluate_stays_text_in_csv_and_xlsx(store: GraphStore, tmp_path) -> None:
    """A unit named like a formula (anyone who can ingest names units): openpyxl wrote it as a formula, and
    Excel evaluates a CSV cell starting with "=", "+", "-" or "@"."""
    from ingest.loader import ingest_path

    name = '=HYPERLINK("http://example.invalid","x")'
    path = tmp_path / "f.yaml"
    path.write_text("source: s\nsources: [{id: s, title: S}]\ninstitutions:\n  - {id: tu, name: Tỉnh ủy}\n"
                    f"  - {{id: so, name: '{name}', part_of: [tu]}}\n"
                    "documents:\n  - {id: r, code: 1-NQ/TU, issuer: tu, issued_on: 2020-01-01}\n",
                    encoding="utf-8")
    ingest_path(store, path)
    report = coverage_report(store, "1-nq-tu.tu.2020", "tu", "2020-12-31")
    table = list(csv.reader(io.StringIO(to_csv(report).decode("utf-8-sig"))))
    names = [row[COLUMNS.index("name")] for row in table[1:]]
    assert "'" + name in names and name not in names
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))["Coverage"]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value == name]
    assert len(cells) == 1 and cells[0].data_type == "s"


def test_report_unknown_ids(demo_store: GraphStore) -> None:
    with pytest.raises(ReportError):
        coverage_report(demo_store, "no-such-doc", TU, AS_OF)
    with pytest.raises(ReportError):
        coverage_report(demo_store, NQ52, NQ52, AS_OF)  # a document is not a scope


# `make test` installs Graphviz; without `dot` these tests fail rather than skip.


def test_lineage_svg(demo_store: GraphStore) -> None:
    svg = lineage_svg(demo_store, NQ52, depth=5, today=AS_OF)
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag == f"{SVG}svg"
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    groups = {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("class") and "node" in g.get("class", "")}
    rows = demo_store.run("lineage_down", {"document": NQ52, "depth": 5})
    uids = {NQ52} | {r["source"] for r in rows} | {r["target"] for r in rows}
    nodes = demo_store.get_nodes(uids)
    assert len(uids) == 9
    for uid in uids:
        props = nodes[uid]
        group = groups[f"doc-{uid}"]
        assert group.findtext(f"{SVG}title") == uid
        label = props.get("code") or uid  # code-less documents show a title excerpt and their uid
        assert any(label in t for t in texts), f"{label} not drawn"
    # one edge per lineage row
    edges = [g for g in root.iter(f"{SVG}g") if g.get("class") == "edge"]
    assert len(edges) == len({(r["source"], r["target"], r["type"]) for r in rows})
    # the resolution's misdated claim is flagged, with a tooltip naming both years
    assert any(t.startswith("⚠") and "52-NQ/TW" in t for t in texts)
    tips = [a.get("{http://www.w3.org/1999/xlink}title") or "" for a in groups[f"doc-{NQ52}"].iter(f"{SVG}a")]
    assert any("2014-09-27" in tip and "2019-09-27" in tip for tip in tips)
    # the expected programme is overdue at the end of 2020, and its owner is named
    programme = groups["doc-hcmc-programme-52"]
    assert "status-overdue" in (programme.get("class") or "")
    assert any("overdue" in (t.text or "") for t in programme.iter(f"{SVG}text"))


def test_lineage_svg_depth_and_status_by_date(demo_store: GraphStore) -> None:
    svg = lineage_svg(demo_store, NQ52, depth=1, today="2020-01-01")
    root = ET.fromstring(svg.encode("utf-8"))
    ids = {g.get("id") for g in root.iter(f"{SVG}g")}
    assert "doc-quan-1-plan-52" not in ids and "doc-quan-3-plan-52" in ids
    programme = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "doc-hcmc-programme-52")
    assert "status-expected" in (programme.get("class") or "")
    with pytest.raises(ReportError):
        lineage_svg(demo_store, "no-such-doc")


def test_a_tree_too_large_to_draw_is_refused_before_graphviz_runs(store: GraphStore, tmp_path) -> None:
    """1,001 plans under one resolution: the route is open to anyone, and a wide tree held a worker and a
    `dot` process for the whole timeout. The API says 422 with what to do instead; the CLI's limit is its own."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from graph.reports.lineage_svg import MAX_DRAWN
    from graph.settings import Settings
    from ingest.loader import ingest_path

    lines = ["source: s", "sources: [{id: s, title: S}]", "institutions:", "  - {id: tu, name: Tỉnh ủy}",
             "documents:", "  - {id: r, code: 1-NQ/TU, issuer: tu, issued_on: 2020-01-01}"]
    lines += [f"  - {{id: p{i}, type: plan, issuer: tu, title: p, implements: [r]}}" for i in range(MAX_DRAWN)]
    path = tmp_path / "wide.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest_path(store, path)
    with TestClient(create_app(store=store, settings=Settings())) as client:
        response = client.get("/documents/1-nq-tu.tu.2020/lineage.svg", params={"depth": 1})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "1,001 documents" in response.json()["detail"] and "/lineage (JSON)" in response.json()["detail"]
    svg = lineage_svg(store, "1-nq-tu.tu.2020", 1, max_documents=None)  # no limit asked: drawn
    assert svg.count('class="node ') == MAX_DRAWN + 1


def test_graphviz_missing_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(GraphvizUnavailable, match="Graphviz"):
        render_svg("digraph { a }", dot_binary=str(tmp_path / "no-dot"))


def test_the_report_of_an_abolished_scope_says_why_it_is_empty(demo_store: GraphStore) -> None:
    """The JSON /coverage had the note; the HTML and XLSX audit were empty without a word."""
    report = coverage_report(demo_store, NQ52, "quan-uy-quan-1", "2026-01-01")
    assert report.units == []
    assert report.note is not None and report.note.startswith(
        "quan-uy-quan-1 did not exist on 2026-01-01 (it existed until 2025-06-30)")
    assert report.note in to_html(report).replace("&#x27;", "'")
    assert coverage_report(demo_store, NQ52, TU, "2020-12-31").note is None
