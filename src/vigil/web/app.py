"""The web app factory: ``uvicorn vigil.web.app:create_app --factory``. Nothing is built at
import time."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

import vigil
from vigil.bootstrap import Container
from vigil.web.errors import add_exception_handlers
from vigil.web.routes import (
    analysis,
    api,
    areas,
    audit,
    auth,
    calls,
    case_documents,
    case_forms,
    case_review,
    case_settings,
    cases,
    cases_api,
    docs,
    home,
    identify,
    incidents,
    officer,
    questionnaire,
    supervision,
)
from vigil.web.security import LoginThrottle, SecurityHeadersMiddleware
from vigil.web.templating import WEB_DIR, make_templates

API_DESCRIPTION = """Vigil's JSON API. Log in with `POST /api/session` (or on the site) and send
the session cookie it sets. Changes need the session's token in the `X-CSRF-Token` header.

Open data: contains public sector information licensed under the Open Government Licence v3.0
(data.police.uk); Office for National Statistics data licensed under the Open Government Licence
v3.0."""


def serving_app() -> FastAPI:
    """The app as ``vigil serve`` runs it: built, then the process readied for look-ups (see
    :func:`~vigil.services.identification.prepare_for_lookups`)."""
    from vigil.services.identification import prepare_for_lookups

    app = create_app()
    prepare_for_lookups()
    return app


def create_app(container: Container | None = None) -> FastAPI:
    """Build the app around ``container`` (by default, one built from the settings now)."""
    container = container or Container()
    settings = container.settings
    app = FastAPI(
        title="Vigil", version=vigil.__version__,
        description=API_DESCRIPTION, openapi_url="/api/openapi.json", docs_url=None,
        redoc_url=None,
    )
    app.state.container = container
    app.state.templates = make_templates()
    app.state.login_throttle = LoginThrottle()

    # Added last means outermost: the security headers wrap everything, sessions wrap routes.
    app.add_middleware(
        SessionMiddleware, secret_key=settings.secret_key, session_cookie="vigil_session",
        max_age=settings.session_max_age_seconds, same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(SecurityHeadersMiddleware)
    add_exception_handlers(app)

    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    for module in (auth, home, incidents, areas, docs, api):
        app.include_router(module.router)
    for module in (cases, case_forms, cases_api, audit):
        app.include_router(module.router)
    app.include_router(case_review.router)
    app.include_router(case_review.api_router)
    app.include_router(case_settings.router)
    app.include_router(officer.router)
    app.include_router(officer.api_router)
    app.include_router(case_documents.router)
    app.include_router(analysis.router)
    app.include_router(identify.router)
    app.include_router(identify.api_router)
    app.include_router(calls.router)
    app.include_router(calls.api_router)
    app.include_router(supervision.router)
    app.include_router(supervision.api_router)
    app.include_router(questionnaire.router)
    return app
