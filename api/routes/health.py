"""GET /health."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.deps import StoreDep
from api.errors import PROBLEM
from graph.store import StoreError

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: Literal["ok"]
    store: Literal["memory", "neo4j"]


@router.head("/health", include_in_schema=False, response_model=Health)  # a load balancer's probe
@router.get("/health", response_model=Health,
            responses={503: {"description": "Store unreachable", "content": {PROBLEM: {}}}})
def health(store: StoreDep) -> Health | JSONResponse:
    try:
        store.ping()
    except StoreError as exc:
        return JSONResponse(
            {"type": "about:blank", "title": "Store unavailable", "status": 503,
             "detail": str(exc), "instance": "/health", "store": store.kind},
            status_code=503, media_type=PROBLEM,
        )
    return Health(status="ok", store=store.kind)  # type: ignore[arg-type]
