"""Search and conflicts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api import schemas as s
from api import service
from api.deps import StoreDep

router = APIRouter(tags=["explore"])


@router.get("/search", response_model=s.SearchResult)
def search(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, description="words, diacritics optional", examples=["nghi quyet 52"])],
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> s.SearchResult:
    return service.search(store, q, limit)


@router.get("/conflicts", response_model=list[s.Conflict])
def conflicts(store: StoreDep) -> list[s.Conflict]:
    return service.conflicts(store)
