"""Institutions and what they owe."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api import schemas as s
from api import service
from api.deps import StoreDep

router = APIRouter(prefix="/institutions", tags=["institutions"])
InstUid = Annotated[str, Path(description="institution uid", examples=[s.HCMC])]


@router.get("", response_model=s.InstitutionPage)
def list_institutions(
    store: StoreDep,
    q: Annotated[str | None, Query(description="words, diacritics optional", examples=["thanh uy"])] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query()] = None,
) -> s.InstitutionPage:
    return service.list_institutions(store, q, limit, cursor)


@router.get("/{uid}", response_model=s.InstitutionDetail)
def get_institution(store: StoreDep, uid: InstUid) -> s.InstitutionDetail:
    return service.institution_detail(store, uid)


@router.get("/{uid}/obligations", response_model=s.Obligations)
def get_obligations(store: StoreDep, uid: InstUid) -> s.Obligations:
    return service.obligations(store, uid)
