"""The home page: what each role does first, with real figures where the data exists."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import Response

from vigil.domain.access import Role
from vigil.services.overview import home_figures
from vigil.web.deps import ContainerDep, CurrentUser
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class RoleHome:
    """What the home page says to one role: its job, its first links, what comes next."""

    intro: str
    links: tuple[tuple[str, str], ...]
    coming_next: tuple[str, ...]


ROLE_HOMES: dict[Role, RoleHome] = {
    Role.CALL_HANDLER: RoleHome(
        "Record ASB calls and see at once whether the caller or the address has been "
        "reported before.",
        (("Find an incident", "/incidents"), ("Neighbourhoods", "/neighbourhoods")),
        ("The call screen: the caller's and the address's ASB history from every connected "
         "system, found while you type, with repeat and vulnerable banners.",
         "The risk-assessment questions, scored into standard, medium or high, with the "
         "response each level needs."),
    ),
    Role.NEIGHBOURHOOD_OFFICER: RoleHome(
        "ASB on your beat: the latest incidents, the busiest places and the people to visit.",
        (("Latest incidents", "/incidents"), ("Neighbourhoods", "/neighbourhoods")),
        ("A briefing for your beat: repeat and vulnerable victims to visit, hot spots, "
         "open cases.",
         "Recording actions and victim contact from your phone.",
         "Cases shared with the council and housing providers."),
    ),
    Role.PARTNER_ASB_OFFICER: RoleHome(
        "ASB reported in your area that the police share with partners.",
        (("Incidents", "/incidents"), ("Neighbourhoods", "/neighbourhoods")),
        ("Long-term ASB cases managed together with the police: victims, perpetrators, "
         "places, actions, interventions and reviews.",
         "Importing your agency's case list so that call handlers see it on every call."),
    ),
    Role.ANALYST: RoleHome(
        "Where and when ASB happens, from the incident log and the open data imported.",
        (("Incidents", "/incidents"), ("Neighbourhoods and rates", "/neighbourhoods"),
         ("Data imported", "/about/data")),
        ("Analysis maps: hot spots, repeat locations, near-repeat patterns and trends.",
         "Repeat victims and offenders across every source.",
         "Proposals for where to put resources."),
    ),
    Role.SUPERVISOR: RoleHome(
        "How the force is doing on the inspectorate's four tests of a good ASB service.",
        (("Incidents", "/incidents"), ("Neighbourhoods", "/neighbourhoods")),
        ("Performance: questions asked on calls, repeat and vulnerable callers identified, "
         "victims kept informed.",
         "Victim satisfaction against last year and the national average."),
    ),
    Role.ADMINISTRATOR: RoleHome(
        "This install: its data, its sources and its users.",
        (("Data and sources", "/about/data"), ("Incidents", "/incidents"),
         ("JSON API", "/api/docs")),
        ("Managing users and roles on these pages (today: `vigil users add`).",
         "Agency data-sharing settings, connected sources and retention."),
    ),
}


@router.get("/")
def home(request: Request, user: CurrentUser, container: ContainerDep) -> Response:
    """The signed-in user's home page."""
    figures = home_figures(container.uow(user.actor),
                           force_name=container.settings.force_name)
    role = user.actor.role or Role.ANALYST
    return render(request, "home.html", {
        "figures": figures, "role_home": ROLE_HOMES[role], "role": role.value,
        "shows_open_data": figures.data.kind != "empty",
    })
