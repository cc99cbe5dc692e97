"""Coverage audits."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api import schemas as s
from api import service
from api.cache import request_url
from api.deps import CacheDep, IsoDate, StoreDep
from api.errors import Problem
from graph.reports import ReportError, coverage_report, to_csv

router = APIRouter(tags=["coverage"])


@router.get("/coverage", response_model=s.Coverage,
            responses={200: {"content": {"text/csv": {}}, "description": "JSON, or CSV with format=csv"}})
async def get_coverage(
    request: Request,
    store: StoreDep,
    cache: CacheDep,
    document: Annotated[str, Query(description="target document uid", examples=[s.NQ52])],
    scope: Annotated[str, Query(description="scope institution uid", examples=[s.HCMC])],
    as_of: Annotated[IsoDate | None, Query(description="audit date (default: today)", examples=["2020-12-31"])] = None,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> Response:
    when = as_of or date.today()  # the cache key holds the date the answer is for
    if format == "json":
        return await cache.json(("coverage", document, scope, when),
                                lambda: service.coverage(store, document, scope, when), url=request_url(request.scope))
    # one CSV for an audit: the report's (GET /reports/coverage?format=csv, kg audit coverage)
    try:
        report = await run_in_threadpool(coverage_report, store, document, scope, when.isoformat())
    except ReportError as exc:
        raise Problem(404, "Not found", str(exc)) from exc
    name = f"coverage-{document}-{scope}-{report.as_of}.csv"
    return Response(to_csv(report), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
