"""Jinja2 templates and the one function every page renders through."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from vigil.domain.access import Permission
from vigil.web.identity import signed_in_user
from vigil.web.security import csrf_token

WEB_DIR = Path(__file__).resolve().parent

OGL_POLICE = ("Contains public sector information licensed under the Open Government Licence "
              "v3.0 (data.police.uk).")
OGL_ONS = ("Source: Office for National Statistics licensed under the Open Government Licence "
           "v3.0. Contains OS data © Crown copyright and database right.")


def _number(value: int | float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"


def _when(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%d %b %Y %H:%M}"
    return f"{value:%d %b %Y}"


def make_templates() -> Jinja2Templates:
    """The page templates, autoescaped, with Vigil's filters and the attribution texts."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(WEB_DIR / "templates"),
        autoescape=jinja2.select_autoescape(default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    env.filters["number"] = _number
    env.filters["when"] = _when
    env.globals.update(ogl_police=OGL_POLICE, ogl_ons=OGL_ONS)
    return Jinja2Templates(env=env)


def render(request: Request, name: str, context: dict[str, Any] | None = None, *,
           status_code: int = 200) -> HTMLResponse:
    """Render a page with the signed-in user, the CSRF token and the current path."""
    templates: Jinja2Templates = request.app.state.templates
    page_context: dict[str, Any] = {
        "user": signed_in_user(request),
        "csrf_token": csrf_token(request.session) if "session" in request.scope else "",
        "path": request.url.path,
        "shows_open_data": False,
        "open_alert_count": _open_alert_count(request),
    }
    page_context.update(context or {})
    return templates.TemplateResponse(request, name, page_context, status_code=status_code)


def _open_alert_count(request: Request) -> int:
    """High-risk call alerts waiting for the signed-in supervisor's agency (0 for others)."""
    user = signed_in_user(request)
    if user is None or not user.actor.can(Permission.SUPERVISE_CALLS):
        return 0
    from vigil.services.call_alerts import open_alert_count

    with request.app.state.container.session_factory() as session:
        return open_alert_count(session, user.actor)
