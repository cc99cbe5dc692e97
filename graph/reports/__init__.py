"""Analyst reports built on the named queries: a coverage audit (HTML, CSV, XLSX)
and the implementation tree of a document drawn as SVG (Graphviz ``dot``)."""

from graph.reports.common import ReportError
from graph.reports.coverage_report import (
    STATUSES,
    CoverageReport,
    UnitRow,
    coverage_report,
    to_csv,
    to_html,
    to_xlsx,
)
from graph.reports.lineage_svg import DiagramTimeout, DiagramTooLarge, GraphvizUnavailable, lineage_svg

__all__ = [
    "STATUSES",
    "CoverageReport",
    "DiagramTimeout",
    "DiagramTooLarge",
    "GraphvizUnavailable",
    "ReportError",
    "UnitRow",
    "coverage_report",
    "lineage_svg",
    "to_csv",
    "to_html",
    "to_xlsx",
]
