"""The neighbourhood officer's pages, made for a phone: my tasks, my cases, the repeat and
vulnerable victims on my beat, and recording a visit or victim contact."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from vigil.domain.cases import InvalidCaseInput
from vigil.domain.officer import CONTACT_KINDS
from vigil.services import officer
from vigil.services.cases import list_cases, parse_case_criteria
from vigil.web.deps import ContainerDep, CsrfChecked, CurrentUser
from vigil.web.identity import SignedInUser
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)

TABS = (("/my/tasks", "My tasks"), ("/my/cases", "My cases"), ("/my/beat", "My beat"),
        ("/my/contact", "Record contact"))


def _render(request: Request, name: str, context: dict[str, object], *,
            status_code: int = 200) -> Response:
    return render(request, name, {"tabs": TABS, **context}, status_code=status_code)


@router.get("/my/tasks")
def tasks(request: Request, user: CurrentUser, container: ContainerDep) -> Response:
    """Actions for me or my agency, overdue first."""
    return _render(request, "officer/tasks.html",
                   {"tasks": officer.my_tasks(container.uow(user.actor))})


@router.get("/my/cases")
def my_cases(request: Request, user: CurrentUser, container: ContainerDep) -> Response:
    """The live cases I own."""
    criteria, _ = parse_case_criteria(scope="mine", status="live")
    found = list_cases(container.uow(user.actor), criteria=criteria, page=1, page_size=100)
    return _render(request, "officer/cases.html", {"cases": found})


@router.get("/my/beat")
def my_beat(request: Request, user: CurrentUser, container: ContainerDep) -> Response:
    """The repeat and vulnerable victims on my beat (audited)."""
    return _render(request, "officer/beat.html",
                   {"beat": officer.my_beat(container.uow(user.actor))})


def _contact_form(request: Request, user: SignedInUser, container: ContainerDep, *,
                  values: dict[str, str], problems: dict[str, str]) -> Response:
    return _render(request, "officer/contact.html", {
        "values": values, "problems": problems, "kinds": CONTACT_KINDS,
        "recent": officer.my_recent_contacts(container.uow(user.actor)),
        "notice": request.query_params.get("done", ""),
    }, status_code=400 if problems else 200)


@router.get("/my/contact")
def contact_form(request: Request, user: CurrentUser, container: ContainerDep, case: str = "",
                 record: str = "", incident: str = "") -> Response:
    """Record a visit or victim contact (``?case=``, ``?record=``, ``?incident=`` fill it in)."""
    return _contact_form(request, user, container, problems={}, values={
        "case": case, "record": record, "incident": incident, "kind": "visit",
        "contacted_at": "", "summary": ""})


@router.post("/my/contact")
def contact(request: Request, user: CurrentUser, container: ContainerDep, _csrf: CsrfChecked,
            kind: Annotated[str, Form()] = "", contacted_at: Annotated[str, Form()] = "",
            summary: Annotated[str, Form()] = "", case: Annotated[str, Form()] = "",
            record: Annotated[str, Form()] = "",
            incident: Annotated[str, Form()] = "") -> Response:
    values = {"kind": kind, "contacted_at": contacted_at, "summary": summary, "case": case,
              "record": record, "incident": incident}
    problems: dict[str, str] = {}
    record_id = int(record) if record.strip().isdigit() else None
    if record.strip() and record_id is None:
        problems["person_record_id"] = "give the person record's number"
    try:
        if problems:
            raise InvalidCaseInput(problems)
        officer.record_contact(container.uow(user.actor), new=officer.NewContact(
            kind=kind, contacted_at=contacted_at, summary=summary, case_reference=case,
            person_record_id=record_id, incident_reference=incident))
    except InvalidCaseInput as error:
        return _contact_form(request, user, container, values=values, problems=error.problems)
    if case.strip():
        return RedirectResponse(f"/cases/{case.strip()}?done=contacts#contacts",
                                status_code=303)
    return RedirectResponse("/my/contact?done=saved", status_code=303)
