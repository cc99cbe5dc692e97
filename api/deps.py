"""Request dependencies: the store and the settings, as Annotated types."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.cache import ResponseCache
from graph.settings import Settings
from graph.store import GraphStore


async def get_store(request: Request) -> GraphStore:
    return request.app.state.store


async def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_cache(request: Request) -> ResponseCache:
    return request.app.state.cache


StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
CacheDep = Annotated[ResponseCache, Depends(get_cache)]
