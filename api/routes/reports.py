"""Analyst views: the coverage audit report and the lineage diagram."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from api import schemas as s
from api.deps import IsoDate, StoreDep
from api.errors import Problem
from graph.reports import (
    DiagramTimeout,
    DiagramTooLarge,
    GraphvizUnavailable,
    ReportError,
    coverage_report,
    lineage_svg,
    to_csv,
    to_html,
    to_xlsx,
)
from graph.reports.coverage_report import report_csp

router = APIRouter(tags=["reports"])
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/reports/coverage", response_class=Response,
            responses={200: {"content": {"text/html": {}, "text/csv": {}, XLSX: {}}}})
def coverage_audit(
    store: StoreDep,
    document: Annotated[str, Query(examples=[s.NQ52])],
    scope: Annotated[str, Query(examples=[s.HCMC])],
    as_of: Annotated[IsoDate | None, Query(examples=["2020-12-31"])] = None,
    format: Annotated[Literal["html", "csv", "xlsx"], Query()] = "html",
) -> Response:
    when = (as_of or date.today()).isoformat()
    try:
        report = coverage_report(store, document, scope, when)
    except ReportError as exc:
        raise Problem(404, "Not found", str(exc)) from exc
    name = f"coverage-{document}-{scope}-{when}"
    if format == "csv":
        return Response(to_csv(report), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    if format == "xlsx":
        return Response(to_xlsx(report), media_type=XLSX,
                        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})
    return Response(to_html(report), media_type="text/html; charset=utf-8",
                    headers={"Content-Security-Policy": report_csp(), "X-Content-Type-Options": "nosniff"})


@router.get("/documents/{uid}/lineage.svg", response_class=Response,
            responses={200: {"content": {"image/svg+xml": {}}}})
def lineage_diagram(
    store: StoreDep,
    uid: Annotated[str, Path(examples=[s.NQ52])],
    depth: Annotated[int, Query(ge=1, le=20)] = 5,
) -> Response:
    try:
        svg = lineage_svg(store, uid, depth)
    except DiagramTooLarge as exc:
        raise Problem(422, "Diagram too large", str(exc)) from exc
    except DiagramTimeout as exc:
        raise Problem(504, "Diagram timed out", str(exc)) from exc
    except GraphvizUnavailable as exc:
        raise Problem(503, "Graphviz unavailable", str(exc)) from exc
    except ReportError as exc:
        raise Problem(404, "Not found", str(exc)) from exc
    return Response(svg, media_type="image/svg+xml",  # opened on its own, an SVG is a document: no scripts
                    headers={"Content-Security-Policy": SVG_CSP, "X-Content-Type-Options": "nosniff"})
