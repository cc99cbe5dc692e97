"""The Neo4j Browser kit (``queries/browser/``): the GraSS style and the guide, served so
that Neo4j Browser can load them on connect (``browser.post_connect_cmd``).

Browser runs on another origin (Neo4j's HTTP port) and fetches the guide with a CORS
preflight, so these read-only paths, and only these, answer cross-origin requests:
``KitCORSMiddleware`` wraps Starlette's CORS middleware and lets every other path
(``POST /ingest`` above all) through untouched.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import Problem
from graph.queries import QUERIES_DIR

PREFIX = "/browser/"
KIT_DIR = QUERIES_DIR / "browser"
FILES = {
    "style.grass": "text/plain; charset=utf-8",
    "guide.html": "text/html; charset=utf-8",
}

router = APIRouter(prefix="/browser", tags=["neo4j browser kit"])


@router.head("/{name}", include_in_schema=False)
@router.get("/{name}", response_class=FileResponse,
                  summary="The Neo4j Browser kit: style.grass (GraSS) or guide.html (a Browser guide)",
                  responses={200: {"content": {"text/plain": {}, "text/html": {}}}})
def kit_file(name: str) -> FileResponse:
    if name not in FILES:
        raise Problem(404, "Not found", f"the Browser kit has {sorted(FILES)}, not {name!r}")
    return FileResponse(KIT_DIR / name, media_type=FILES[name], headers={"Cache-Control": "no-cache"})


class KitCORSMiddleware(CORSMiddleware):
    """CORS (any origin, GET/HEAD, preflight answered) for ``/browser/*`` only."""

    def __init__(self, app: ASGIApp, prefix: str = PREFIX) -> None:
        super().__init__(app, allow_origins=["*"], allow_methods=["GET", "HEAD"], allow_headers=["*"],
                         allow_credentials=False, max_age=600)
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.prefix):
            await super().__call__(scope, receive, send)
        else:
            await self.app(scope, receive, send)
