"""Documents, their lineage."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from api import schemas as s
from api import service
from api.cache import request_url
from api.deps import CacheDep, StoreDep
from graph.codes import DocType

router = APIRouter(prefix="/documents", tags=["documents"])
DocUid = Annotated[str, Path(description="document uid", examples=[s.NQ52])]


@router.get("", response_model=s.DocumentPage)
def list_documents(
    store: StoreDep,
    code: Annotated[str | None, Query(description="document number and symbol", examples=["52-NQ/TW"])] = None,
    q: Annotated[str | None, Query(description="words, diacritics optional", examples=["nghi quyet 52"])] = None,
    type: Annotated[DocType | None, Query(description="document type", examples=["plan"])] = None,
    issuer: Annotated[str | None, Query(description="issuer uid", examples=["bo-chinh-tri"])] = None,
    status: Annotated[Literal["issued", "expected", "fulfilled"] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
) -> s.DocumentPage:
    return service.list_documents(store, code=code, q=q, type_=type.value if type else None, issuer=issuer,
                                  status=status, limit=limit, cursor=cursor)


@router.get("/{uid}", response_model=s.DocumentDetail)
def get_document(store: StoreDep, uid: DocUid) -> s.DocumentDetail:
    return service.document_detail(store, uid)


@router.get("/{uid}/lineage", response_model=s.Lineage)
async def get_lineage(
    request: Request,
    store: StoreDep,
    cache: CacheDep,
    uid: DocUid,
    direction: Annotated[Literal["up", "down", "both"], Query()] = "both",
    depth: Annotated[int, Query(ge=1, le=service.MAX_DEPTH)] = 5,
) -> Response:
    return await cache.json(("lineage", uid, direction, depth), lambda: service.lineage(store, uid, direction, depth),
                            url=request_url(request.scope))
