"""The JSON API under ``/api``: the same services as the pages, the same session cookie."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import text

from vigil.services.incidents import list_incidents, parse_incident_query, view_incident
from vigil.services.overview import neighbourhood_overview
from vigil.web.deps import ContainerDep, CsrfChecked, CurrentUser, Throttle
from vigil.web.identity import signed_in_user
from vigil.web.login import attempt_login, end_session
from vigil.web.schemas import (
    HealthPublic,
    IncidentDetailPublic,
    IncidentListPublic,
    LoginRequest,
    MePublic,
    NeighbourhoodListPublic,
    SessionPublic,
)
from vigil.web.security import csrf_token

router = APIRouter(prefix="/api")

UNAUTHORISED: dict[int | str, dict[str, Any]] = {401: {"description": "Not logged in"}}


@router.get("/health", tags=["system"], response_model=HealthPublic,
            responses={503: {"description": "The database cannot be reached"}})
def health(container: ContainerDep) -> HealthPublic | JSONResponse:
    """Whether the app is up and its database answers. Needs no log-in."""
    try:
        with container.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database means "unavailable"
        return JSONResponse({"status": "unavailable", "database": "unreachable"},
                            status_code=503)
    return HealthPublic(status="ok", database="reachable")


def _require_json(request: Request) -> None:
    if not request.headers.get("content-type", "").startswith("application/json"):
        raise HTTPException(status_code=415, detail="Send the log-in as application/json.")


@router.post("/session", tags=["session"], response_model=SessionPublic,
             dependencies=[Depends(_require_json)],
             responses={400: {"description": "Wrong username or password"},
                        415: {"description": "Send JSON"},
                        429: {"description": "Too many failed attempts; wait"}})
def create_session(request: Request, body: LoginRequest, container: ContainerDep,
                   throttle: Throttle) -> SessionPublic | JSONResponse:
    """Log in with JSON ``{"username", "password"}``; the answer sets the session cookie.

    Only ``application/json`` is accepted: a browser cannot send that from another site
    without a CORS preflight, which Vigil never grants, so this cannot be used to log a
    victim's browser into someone else's account.
    """
    outcome = attempt_login(request, container=container, throttle=throttle,
                            username=body.username, password=body.password)
    if outcome.user_id is None:
        return JSONResponse({"detail": outcome.message}, status_code=outcome.status_code)
    user = signed_in_user(request)
    assert user is not None
    return SessionPublic(user=MePublic.of(user), csrf_token=csrf_token(request.session))


@router.delete("/session", tags=["session"], status_code=204,
               responses={**UNAUTHORISED, 403: {"description": "Missing X-CSRF-Token"}})
def delete_session(request: Request, _user: CurrentUser, _csrf: CsrfChecked) -> Response:
    """Log out. Send the session's token in the ``X-CSRF-Token`` header."""
    end_session(request)
    return Response(status_code=204)


@router.get("/me", tags=["session"], response_model=MePublic, responses=UNAUTHORISED)
def me(user: CurrentUser) -> MePublic:
    """The signed-in user: name, role, agency and what the role may do."""
    return MePublic.of(user)


@router.get("/incidents", tags=["incidents"], response_model=IncidentListPublic,
            responses={**UNAUTHORISED, 422: {"description": "A filter is not valid"}})
def incidents(
    user: CurrentUser, container: ContainerDep,
    q: Annotated[str, Query(description="Text in the reference, location or description")] = "",
    source: Annotated[str, Query(description="Source code, e.g. police-uk")] = "",
    category: Annotated[str, Query(description="personal, nuisance, environmental or "
                                               "not_recorded")] = "",
    month_from: Annotated[str, Query(description="YYYY-MM")] = "",
    month_to: Annotated[str, Query(description="YYYY-MM")] = "",
    neighbourhood: Annotated[str, Query(description="Neighbourhood code")] = "",
    page: Annotated[int, Query(ge=1)] = 1,
) -> IncidentListPublic:
    """The incidents you may see, newest first, one page at a time."""
    query = parse_incident_query(text=q, source=source, category=category,
                                 month_from=month_from, month_to=month_to,
                                 neighbourhood=neighbourhood, page=page)
    result = list_incidents(container.uow(user.actor), query=query,
                            page_size=container.settings.page_size)
    return IncidentListPublic.of(result)


@router.get("/incidents/{reference}", tags=["incidents"], response_model=IncidentDetailPublic,
            responses={**UNAUTHORISED, 404: {"description": "No such incident, or not yours "
                                                            "to see"}})
def incident(reference: str, user: CurrentUser, container: ContainerDep) -> IncidentDetailPublic:
    """One incident with its place and, if your role may see people, who was involved
    (each such view is audited)."""
    return IncidentDetailPublic.of_detail(
        view_incident(container.uow(user.actor), reference=reference))


@router.get("/neighbourhoods", tags=["areas"], response_model=NeighbourhoodListPublic,
            responses=UNAUTHORISED)
def neighbourhoods(user: CurrentUser, container: ContainerDep) -> NeighbourhoodListPublic:
    """Every neighbourhood with LSOAs, population and ASB in the last twelve months of data."""
    return NeighbourhoodListPublic.of(neighbourhood_overview(container.uow(user.actor)))
