"""Typed exceptions turned into HTTP answers at the edge: an HTML page for the pages, JSON under
``/api``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from vigil.domain.access import NotFound, PermissionDenied
from vigil.services.incidents import InvalidQuery
from vigil.web.templating import render


class LoginRequired(Exception):
    """The request needs a signed-in user and has none."""


class CsrfRejected(Exception):
    """A state-changing request came without this session's CSRF token."""


def is_api(request: Request) -> bool:
    return request.url.path == "/api" or request.url.path.startswith("/api/")


def _error_page(request: Request, *, status_code: int, title: str, message: str) -> Response:
    return render(request, "error.html", {"title": title, "message": message},
                  status_code=status_code)


async def _login_required(request: Request, _: Exception) -> Response:
    if is_api(request):
        return JSONResponse({"detail": "Log in first (POST /api/session, or log in on the "
                                       "site and reuse its cookie)."}, status_code=401)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    login_url = f"/login?{urlencode({'next': target})}"
    if request.headers.get("hx-request") == "true":  # HTMX: send the whole page to log-in
        return Response(status_code=401, headers={"HX-Redirect": login_url})
    return RedirectResponse(login_url, status_code=303)


async def _csrf_rejected(request: Request, _: Exception) -> Response:
    message = ("The form could not be accepted: it was missing its security token, or the "
               "token had expired. Go back, reload the page and try again.")
    if is_api(request):
        return JSONResponse({"detail": "Missing or wrong X-CSRF-Token header."},
                            status_code=403)
    return _error_page(request, status_code=403, title="The form could not be accepted",
                       message=message)


async def _permission_denied(request: Request, _: Exception) -> Response:
    if is_api(request):
        return JSONResponse({"detail": "You do not have permission to do this."},
                            status_code=403)
    return _error_page(request, status_code=403, title="You do not have permission",
                       message="Your role does not allow this. If you need it for your work, "
                               "ask your agency's administrator.")


async def _not_found(request: Request, _: Exception) -> Response:
    if is_api(request):
        return JSONResponse({"detail": "Not found."}, status_code=404)
    return _error_page(request, status_code=404, title="Page not found",
                       message="There is nothing here, or you do not have access to it. "
                               "Check the address or reference and try again.")


async def _invalid_query(request: Request, error: Exception) -> Response:
    assert isinstance(error, InvalidQuery)
    return JSONResponse({"detail": "The search is not valid.", "problems": error.problems},
                        status_code=422)


async def _http_exception(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    if is_api(request):
        return await http_exception_handler(request, error)
    if error.status_code == 404:
        return await _not_found(request, error)
    return _error_page(request, status_code=error.status_code, title="Something went wrong",
                       message=str(error.detail))


def add_exception_handlers(app: FastAPI) -> None:
    """Map the domain's and the edge's exceptions to answers."""
    handlers: dict[type[Exception], Any] = {
        LoginRequired: _login_required,
        CsrfRejected: _csrf_rejected,
        PermissionDenied: _permission_denied,
        NotFound: _not_found,
        InvalidQuery: _invalid_query,
        StarletteHTTPException: _http_exception,
    }
    for exception_type, handler in handlers.items():
        app.add_exception_handler(exception_type, handler)
