"""POST /ingest: structured data, behind an API key."""

from __future__ import annotations

import secrets
import threading
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Request
from starlette.concurrency import run_in_threadpool

from api import schemas as s
from api.deps import CacheDep, SettingsDep, StoreDep
from api.errors import Problem
from graph.store import GraphStore
from graph.text import nfc
from ingest.files import IngestError
from ingest.loader import IngestReport, ingest_path

router = APIRouter(tags=["ingest"])
_write_lock = threading.Lock()  # one upload at a time per worker


def _ingest(store: GraphStore, path: str, body: bytes, fmt: str) -> IngestReport:
    with _write_lock:
        return ingest_path(store, path, content=body, fmt=fmt)
FORMATS = {"application/json": "json", "text/csv": "csv", "application/yaml": "yaml",
           "application/x-yaml": "yaml", "text/yaml": "yaml", "text/x-yaml": "yaml"}


def _file_name(name: str, fmt: str) -> str:
    """The upload's source file name: ``name`` with the format's extension, unless it already has it
    (``?name=plans.csv`` is ``plans.csv``, not ``plans.csv.csv``)."""
    extensions = (".yaml", ".yml") if fmt == "yaml" else (f".{fmt}",)
    return name if name.lower().endswith(extensions) else f"{name}.{fmt}"


async def _body(request: Request, limit: int) -> bytes:
    """The request body, refused with a 413 as soon as it is known to exceed ``limit`` bytes: from its
    Content-Length before reading, else while it streams in (chunked), so an oversized upload is never
    held in memory whole."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> Problem:
    return Problem(413, "Upload too large", f"the body is over KG_API_MAX_UPLOAD_BYTES ({limit:,} bytes): "
                   "load big files with `kg ingest`")


def _key_matches(header: str, key: str) -> bool:
    """Compared as bytes: ``compare_digest`` refuses a ``str`` holding non-ASCII characters. The
    header arrives as its raw bytes decoded as Latin-1 (ASGI), so a UTF-8 key sent as UTF-8 matches."""
    return secrets.compare_digest(header.encode("latin-1", "replace"), key.encode("utf-8"))


@router.post("/ingest", response_model=s.IngestResult, status_code=201,
             openapi_extra={"requestBody": {"content": {t: {} for t in FORMATS}, "required": True}})
async def post_ingest(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    cache: CacheDep,
    x_api_key: Annotated[str | None, Header()] = None,
    format: Annotated[Literal["yaml", "json", "csv"] | None, Query()] = None,
    name: Annotated[str, Query(description="name for the upload's file source: a file name, no folders",
                               min_length=1, max_length=128, pattern=r"^[\w][\w .\-]*$")] = "upload",
) -> s.IngestResult:
    if not settings.kg_api_key:
        raise Problem(403, "Writes disabled", "writes are disabled: the server has no KG_API_KEY")
    if x_api_key is None or not _key_matches(x_api_key, settings.kg_api_key):
        raise Problem(401, "Unauthorized", "a valid X-API-Key header is required for writes")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fmt = format or FORMATS.get(content_type)
    if fmt is None:
        raise Problem(415, "Unsupported media type",
                      f"send YAML, JSON or CSV (Content-Type one of {sorted(FORMATS)}) or pass ?format=")
    body = await _body(request, settings.kg_api_max_upload_bytes)
    try:  # in a worker thread: a large upload must not stall the event loop
        report = await run_in_threadpool(_ingest, store, _file_name(nfc(name), fmt), body, fmt)
    except IngestError as exc:
        raise Problem(422, "Ingest rejected", str(exc), problem_count=len(exc.problems),
                      problems=[{"location": loc, "reason": msg} for loc, msg in exc.shown()]) from exc
    finally:
        cache.gate.invalidate()  # this worker sees its own write at once, whatever the staleness bound
    return s.IngestResult(path=report.path, nodes=report.nodes, edges=report.edges, sources=report.sources)
