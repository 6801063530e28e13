"""Neighbourhoods, and what data this install holds."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from vigil.services.overview import data_overview, neighbourhood_overview
from vigil.web.deps import ContainerDep, CurrentUser
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/neighbourhoods")
def neighbourhoods(request: Request, user: CurrentUser, container: ContainerDep) -> Response:
    """Neighbourhoods by local authority, with population, ASB and the rate per 1,000."""
    overview = neighbourhood_overview(container.uow(user.actor))
    return render(request, "neighbourhoods.html", {"overview": overview,
                                                   "shows_open_data": True})


@router.get("/about/data")
def about_data(request: Request, user: CurrentUser, container: ContainerDep) -> Response:
    """The sources, the files imported and the open-data attributions."""
    overview = data_overview(container.uow(user.actor), force_name=container.settings.force_name)
    return render(request, "about_data.html", {"overview": overview, "shows_open_data": True})
