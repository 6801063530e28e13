"""Case pages: the list, opening a case (with similar open cases suggested), a case's page, and
changing its status (closing asks for confirmation). The forms inside a case are in
:mod:`vigil.web.routes.case_forms`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from vigil.domain.access import PermissionDenied
from vigil.domain.cases import LAWFUL_BASES, CaseOutcome, InterventionKind, InvalidCaseInput
from vigil.services.case_views import CaseListPage
from vigil.services.cases import (
    NewCase,
    agency_choices,
    change_status,
    list_cases,
    open_case,
    parse_case_criteria,
    suggest_similar_cases,
    view_case,
)
from vigil.web.deps import ContainerDep, CsrfChecked, CurrentUser
from vigil.web.identity import SignedInUser
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)

SCOPE_TABS = (("all", "All I can see"), ("mine", "Mine"), ("agency", "My agency's"),
              ("shared", "Shared with us"))


@router.get("/cases")
def case_list(request: Request, user: CurrentUser, container: ContainerDep, scope: str = "all",
              q: str = "", status: str = "", page: str = "1") -> Response:
    """The cases this user may see: theirs, their agency's, or shared with their agency."""
    values = {"scope": scope, "q": q, "status": status}
    problems: dict[str, str] = {}
    results: CaseListPage | None = None
    try:
        criteria, page_number = parse_case_criteria(scope=scope, text=q, status=status,
                                                    page=page)
        results = list_cases(container.uow(user.actor), criteria=criteria, page=page_number,
                             page_size=container.settings.page_size)
    except InvalidCaseInput as error:
        problems = error.problems
    kept = {k: v for k, v in values.items() if v}
    return render(request, "cases/list.html", {
        "values": values, "problems": problems, "results": results, "tabs": SCOPE_TABS,
        "link": lambda **changes: "/cases?" + urlencode({**kept, **changes}),
        "page_link": lambda n: "/cases?" + urlencode({**kept, "page": n}),
    }, status_code=400 if problems else 200)


def _new_form(request: Request, user: SignedInUser, container: ContainerDep, *,
              values: dict[str, Any], problems: dict[str, str]) -> Response:
    similar = suggest_similar_cases(container.uow(user.actor),
                                    incident_references=values["incidents"])
    return render(request, "cases/new.html", {"values": values, "problems": problems,
                                              "similar": similar},
                  status_code=400 if problems else 200)


@router.get("/cases/new")
def new_case_form(request: Request, user: CurrentUser, container: ContainerDep,
                  incident: Annotated[list[str] | None, Query()] = None) -> Response:
    """The form to open a case, from incidents (``?incident=REF``) or directly; open cases that
    look like the same problem are offered first, to link to instead."""
    values = {"title": "", "summary": "", "incidents": incident or [], "location": ""}
    return _new_form(request, user, container, values=values, problems={})


@router.post("/cases")
def create_case(request: Request, user: CurrentUser, container: ContainerDep,
                _csrf: CsrfChecked, title: Annotated[str, Form()] = "",
                summary: Annotated[str, Form()] = "", incidents: Annotated[str, Form()] = "",
                location: Annotated[str, Form()] = "") -> Response:
    """Open the case and go to its page; every problem is shown on the form at once."""
    refs = [r for r in incidents.replace(",", " ").split() if r]
    try:
        reference = open_case(container.uow(user.actor), new=NewCase(
            title=title, summary=summary, incident_references=tuple(refs),
            location_description=location))
    except InvalidCaseInput as error:
        values = {"title": title, "summary": summary, "incidents": refs, "location": location}
        return _new_form(request, user, container, values=values, problems=error.problems)
    return RedirectResponse(f"/cases/{reference}", status_code=303)


def render_case(request: Request, user: SignedInUser, container: ContainerDep, *,
                reference: str, problems: dict[str, str] | None = None, form: str = "",
                values: Mapping[str, Any] | None = None) -> Response:
    """A case's page, with the problems of the form just sent (if any) beside that form."""
    detail = view_case(container.uow(user.actor), reference=reference)
    return render(request, "cases/detail.html", {
        "case": detail, "problems": problems or {}, "form": form, "values": values or {},
        "intervention_kinds": list(InterventionKind), "lawful_bases": LAWFUL_BASES,
        "agencies": agency_choices(container.uow(user.actor)),
        "notice": request.query_params.get("done", ""),
    }, status_code=400 if problems else 200)


@router.get("/cases/{reference}")
def case_page(request: Request, reference: str, user: CurrentUser,
              container: ContainerDep) -> Response:
    """Everything on one case the user may see (the view is audited)."""
    return render_case(request, user, container, reference=reference)


@router.post("/cases/{reference}/status")
def case_status(request: Request, reference: str, user: CurrentUser, container: ContainerDep,
                _csrf: CsrfChecked, status: Annotated[str, Form()] = "",
                outcome: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "",
                confirmed: Annotated[str, Form()] = "") -> Response:
    """Move the case on. Closing comes from the confirmation page (``confirmed=yes``)."""
    if status == "closed" and confirmed != "yes":
        return RedirectResponse(f"/cases/{reference}/close", status_code=303)
    try:
        change_status(container.uow(user.actor), reference=reference, status=status,
                      outcome=outcome, reason=reason)
    except InvalidCaseInput as error:
        if status == "closed":
            return _close_form(request, user, container, reference=reference,
                               problems=error.problems, values={"outcome": outcome,
                                                                "reason": reason})
        return render_case(request, user, container, reference=reference,
                           problems=error.problems, form="status")
    return RedirectResponse(f"/cases/{reference}?done=status", status_code=303)


def _close_form(request: Request, user: SignedInUser, container: ContainerDep, *,
                reference: str, problems: dict[str, str], values: dict[str, str]) -> Response:
    detail = view_case(container.uow(user.actor), reference=reference)
    if not detail.may_administer:
        raise PermissionDenied("only the agency that owns a case closes it")
    return render(request, "cases/close.html", {
        "case": detail, "problems": problems, "values": values, "outcomes": list(CaseOutcome),
    }, status_code=400 if problems else 200)


@router.get("/cases/{reference}/close")
def close_case_form(request: Request, reference: str, user: CurrentUser,
                    container: ContainerDep) -> Response:
    """Confirm closing a case, with its outcome."""
    return _close_form(request, user, container, reference=reference, problems={},
                       values={"outcome": "", "reason": ""})
