"""The OpenAPI document: every error response is declared as what the API sends, problem+json.

FastAPI declares a 422 ``HTTPValidationError`` (``application/json``, ``detail`` a list) on every
route with parameters, and nothing for the errors a route raises itself. The handlers in
``api.errors`` answer all of them as RFC 9457 problems, so generated clients would parse them
wrongly. This rewrites the document once: each 4xx/5xx response gets the ``Problem`` schema under
``application/problem+json``; routes with a path parameter declare 404, every route 503 (the store
is down).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field

from api.errors import PROBLEM


class ProblemOut(BaseModel):
    """An error, as application/problem+json (RFC 9457)."""

    type: str = Field("about:blank", examples=["about:blank"])
    title: str = Field(examples=["Not found"])
    status: int = Field(examples=[404])
    detail: str = Field(examples=["no document with uid 'x'"])
    instance: str = Field(examples=["/documents/x"])
    errors: list[dict[str, Any]] | None = Field(None, description="422: each invalid parameter, as loc and msg")
    problems: list[dict[str, str]] | None = Field(None, description="ingest: each problem, as location and reason")


ERRORS = {"401": "Unauthorized", "403": "Forbidden", "404": "Not found", "405": "Method not allowed",
          "415": "Unsupported media type", "422": "Invalid request", "503": "Store unavailable"}


def _problem(status: str) -> dict[str, Any]:
    return {"description": ERRORS.get(status, "Error"),
            "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def install_openapi(app: FastAPI, errors: dict[str, list[str]] | None = None) -> None:
    """``errors``: more statuses per path (e.g. ``{"/ingest": ["401", "403", "415"]}``)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = get_openapi(title=app.title, version=app.version, summary=app.summary,
                           description=app.description, routes=app.routes)
        for path, item in spec.get("paths", {}).items():
            for operation in item.values():
                responses = operation.setdefault("responses", {})
                wanted = {s for s in responses if s[0] in "45"} | {"503"} | set((errors or {}).get(path, []))
                if "{" in path:
                    wanted.add("404")
                for status in sorted(wanted):
                    responses[status] = _problem(status)
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        schemas["Problem"] = ProblemOut.model_json_schema()
        for unused in ("HTTPValidationError", "ValidationError"):
            schemas.pop(unused, None)
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]
