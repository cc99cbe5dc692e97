"""FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.cache import CachedRoutes, ResponseCache
from api.errors import install_problem_handlers
from api.openapi import install_openapi
from api.routes import browser_kit, coverage, documents, explore, health, ingest, institutions, reports, web
from graph.factory import open_store
from graph.settings import Settings, get_settings
from graph.store import GraphStore


def create_app(store: GraphStore | None = None, settings: Settings | None = None) -> FastAPI:
    """Build the app; tests pass their own store, `kg serve` lets settings choose."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        app.state.store = store if store is not None else open_store(settings)
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
