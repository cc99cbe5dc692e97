"""FastAPI application factory."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.cache import CachedRoutes, ResponseCache
from api.errors import install_problem_handlers
from api.openapi import install_openapi
from api.routes import browser_kit, coverage, documents, explore, health, ingest, institutions, reports, web
from graph.factory import open_store
from graph.settings import Settings, get_settings
from graph.store import GraphStore, StoreError

log = logging.getLogger("policy-kg")


async def _schema_when_up(store: GraphStore, every: float = 5.0) -> None:
    """Ensure the store's schema once it answers (the API started while Neo4j was down)."""
    while True:
        await asyncio.sleep(every)
        try:
            await asyncio.to_thread(store.ensure_schema)
        except StoreError:
            continue
        log.warning("the store is up: schema ensured")
        return


def create_app(store: GraphStore | None = None, settings: Settings | None = None) -> FastAPI:
    """Build the app; tests pass their own store, `kg serve` lets settings choose."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        pending: asyncio.Task[None] | None = None
        try:
            app.state.store = store if store is not None else open_store(settings)
        except StoreError as exc:  # Neo4j down: serve 503 problems (/health too) until it answers
            if settings.kg_store != "neo4j":
                raise
            app.state.store = open_store(settings, schema=False)
            log.warning("%s: the API answers 503 until the store is up", exc)
            pending = asyncio.create_task(_schema_when_up(app.state.store))
        app.state.settings = settings
        # the version read on this (the serving) event loop when the store offers it
        reader = app.state.store.async_version_reader() if settings.kg_api_cache else None
        app.state.cache = ResponseCache(app.state.store.version, max_entries=settings.kg_api_cache_size,
                                        enabled=settings.kg_api_cache,
                                        max_staleness=settings.kg_api_cache_staleness_ms / 1000,
                                        aversion=reader.read if reader is not None else None)
        try:
            yield
        finally:
            if pending is not None:
                pending.cancel()
            if reader is not None:
                await reader.aclose()
            if owned:
                app.state.store.close()

    app = FastAPI(
        title="policy-kg",
        summary="Lineage and coverage of Vietnamese Party and State documents",
        version="0.1.0",
        lifespan=lifespan,
    )
    install_problem_handlers(app)
    install_openapi(app, errors={"/ingest": ["401", "403", "415"]})
    for module in (health, reports, documents, coverage, institutions, explore, ingest, web, browser_kit):
        app.include_router(module.router)
    app.add_middleware(browser_kit.KitCORSMiddleware)  # CORS for the read-only /browser/* kit only
    app.add_middleware(CachedRoutes)  # outermost: repeat GETs of the cached routes skip the routing
    return app
