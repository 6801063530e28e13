"""The interactive API documentation, served from the vendored Swagger UI (no outside network)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from vigil.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/api/docs")
def api_docs(request: Request) -> Response:
    """Swagger UI for ``/api/openapi.json``."""
    return render(request, "api_docs.html", {"openapi_url": request.app.openapi_url})
