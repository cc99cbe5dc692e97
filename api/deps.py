"""Request dependencies (the store, the settings, the cache) and parameter types, as Annotated types."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic import BeforeValidator

from api.cache import ResponseCache
from graph.settings import Settings
from graph.store import GraphStore
from ingest.dates import parse_iso_day


async def get_store(request: Request) -> GraphStore:
    return request.app.state.store


async def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_cache(request: Request) -> ResponseCache:
    return request.app.state.cache


StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
CacheDep = Annotated[ResponseCache, Depends(get_cache)]


def _iso_date(value: Any) -> Any:
    """A date as YYYY-MM-DD (or its basic form YYYYMMDD): pydantic alone reads "86400" as a Unix time."""
    if isinstance(value, str):
        return parse_iso_day(value)
    return value




#: a date query parameter (?as_of=): ISO 8601 only, never a number of seconds
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
