"""The incident list and an incident's page."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from vigil.services.call_views import call_summary_reference
from vigil.services.incidents import (
    IncidentPage,
    InvalidQuery,
    incident_filter_choices,
    list_incidents,
    parse_incident_query,
    view_incident,
)
from vigil.web.deps import ContainerDep, CurrentUser
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)

FILTER_FIELDS = ("q", "source", "category", "month_from", "month_to", "neighbourhood")


@router.get("/incidents")
def incident_list(request: Request, user: CurrentUser, container: ContainerDep,
                  q: str = "", source: str = "", category: str = "", month_from: str = "",
                  month_to: str = "", neighbourhood: str = "", page: str = "1") -> Response:
    """Search and filter the incidents this user may see, newest first, a page at a time."""
    values = {"q": q, "source": source, "category": category, "month_from": month_from,
              "month_to": month_to, "neighbourhood": neighbourhood}
    problems: dict[str, str] = {}
    results: IncidentPage | None = None
    try:
        query = parse_incident_query(text=q, source=source, category=category,
                                     month_from=month_from, month_to=month_to,
                                     neighbourhood=neighbourhood, page=page)
        results = list_incidents(container.uow(user.actor), query=query,
                                 page_size=container.settings.page_size)
    except InvalidQuery as error:
        problems = error.problems
    choices = incident_filter_choices(container.uow(user.actor))
    kept = {k: v for k, v in values.items() if v}
    return render(request, "incidents/list.html", {
        "values": values, "problems": problems, "results": results, "choices": choices,
        "page_link": lambda n: "/incidents?" + urlencode({**kept, "page": n}),
        "filtered": bool(kept), "shows_open_data": True,
    }, status_code=400 if problems else 200)


@router.get("/incidents/{reference}")
def incident_page(request: Request, reference: str, user: CurrentUser,
                  container: ContainerDep) -> Response:
    """One incident, its place and (for roles that may see them) its people."""
    detail = view_incident(container.uow(user.actor), reference=reference)
    call = call_summary_reference(container.uow(user.actor), reference=reference)
    return render(request, "incidents/detail.html", {"incident": detail, "call_reference": call,
                                                     "shows_open_data": True})
