"""The home page: what each role does first, with real figures where the data exists."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import Response

from vigil.domain.access import Role
from vigil.services.cases import my_overdue_actions
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
        (("Record a call", "/calls/new"), ("Look up a caller", "/identify"),
         ("Find an incident", "/incidents"), ("Neighbourhoods", "/neighbourhoods")),
        ("Keeping callers informed after the call: what happened to their report, and a "
         "survey of how satisfied they were.",),
    ),
    Role.NEIGHBOURHOOD_OFFICER: RoleHome(
        "ASB on your beat: the latest incidents, the busiest places and the people to visit.",
        (("My tasks", "/my/tasks"), ("Victims on my beat", "/my/beat"),
         ("Record a visit", "/my/contact"), ("My cases", "/my/cases"),
         ("Latest incidents", "/incidents")),
        ("A briefing for your beat: hot spots and what changed since your last shift.",),
    ),
    Role.PARTNER_ASB_OFFICER: RoleHome(
        "ASB reported in your area that the police share with partners.",
        (("Cases", "/cases"), ("Incidents", "/incidents"),
         ("Neighbourhoods", "/neighbourhoods")),
        ("Victims' risk over time on each case.",
         "Importing your agency's case list so that call handlers see it on every call."),
    ),
    Role.ANALYST: RoleHome(
        "Where and when ASB happens, from the incident log and the open data imported.",
        (("Analysis: hot spots, repeats, trends, priorities", "/analysis"),
         ("Incidents", "/incidents"), ("Neighbourhoods and rates", "/neighbourhoods"),
         ("Data imported", "/about/data")),
        ("Repeat victims and offenders across every source, once the identification engine "
         "resolves people.",
         "Opening a problem-solving case from a proposal in one click."),
    ),
    Role.SUPERVISOR: RoleHome(
        "How the force is doing on the inspectorate's four tests of a good ASB service.",
        (("Supervision: high-risk calls and measures", "/supervision"),
         ("Incidents", "/incidents"), ("Cases", "/cases"),
         ("Staff audit trails", "/audit/staff"), ("Neighbourhoods", "/neighbourhoods")),
        ("Performance: victims kept informed after the call.",
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
        "overdue_actions": my_overdue_actions(container.uow(user.actor)),
    })
