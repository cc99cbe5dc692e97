"""The analyst web page at ``/``: plain HTML + a little JavaScript from ``api/static/``.

No build step and no third-party code: the page calls the JSON API (``/documents?q=``,
``/institutions``), inlines ``/documents/{uid}/lineage.svg`` and frames
``/reports/coverage``. A Content-Security-Policy keeps every request on this origin.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from api.errors import Problem

router = APIRouter(include_in_schema=False)
STATIC = Path(__file__).resolve().parent.parent / "static"
ASSETS = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'")
NO_CACHE = {"Cache-Control": "no-cache"}


@router.get("/")
def index() -> FileResponse:
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8",
                        headers={**NO_CACHE, "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"})


@router.get("/ui/{name}")
def asset(name: str) -> FileResponse:
    if name not in ASSETS:
        raise Problem(404, "Not found", f"no asset {name!r}")
    return FileResponse(STATIC / name, media_type=ASSETS[name],
                        headers={**NO_CACHE, "X-Content-Type-Options": "nosniff"})
