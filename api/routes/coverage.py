"""Coverage audits."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api import schemas as s
from api import service
from api.cache import request_url
from api.deps import CacheDep, StoreDep

router = APIRouter(tags=["coverage"])
CSV_COLUMNS = ("institution_uid", "institution_name", "level", "status", "documents", "chain", "due")


def coverage_csv(result: s.Coverage) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for u in result.units:
        writer.writerow([u.institution.uid, u.institution.name or "", u.level, u.status,
                         ";".join(u.documents), " → ".join(u.chain), u.due or ""])
    return buf.getvalue()


@router.get("/coverage", response_model=s.Coverage,
            responses={200: {"content": {"text/csv": {}}, "description": "JSON, or CSV with format=csv"}})
async def get_coverage(
    request: Request,
    store: StoreDep,
    cache: CacheDep,
    document: Annotated[str, Query(description="target document uid", examples=[s.NQ52])],
    scope: Annotated[str, Query(description="scope institution uid", examples=[s.HCMC])],
    as_of: Annotated[date | None, Query(description="audit date (default: today)", examples=["2020-12-31"])] = None,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> Response:
    when = as_of or date.today()  # the cache key holds the date the answer is for
    if format == "json":
        return await cache.json(("coverage", document, scope, when),
                                lambda: service.coverage(store, document, scope, when), url=request_url(request.scope))
    result = await run_in_threadpool(service.coverage, store, document, scope, when)
    name = f"coverage-{document}-{scope}-{result.as_of}.csv"
    return Response(coverage_csv(result), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
