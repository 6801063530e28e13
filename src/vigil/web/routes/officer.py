"""The neighbourhood officer's pages, made for a phone: my tasks, my cases, the repeat and
vulnerable victims on my beat, and recording a visit or victim contact; and the same lists as
JSON under ``/api/my`` (paginated; the same services, so the same restriction and audit)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Generic, TypeVar

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from vigil.domain.cases import InvalidCaseInput
from vigil.domain.officer import CONTACT_KINDS
from vigil.services import officer
from vigil.services.cases import list_cases, parse_case_criteria
from vigil.services.paging import parse_page_number
from vigil.web.deps import ContainerDep, CsrfChecked, CurrentUser
from vigil.web.identity import SignedInUser
from vigil.web.routes.cases_api import ANSWERS, CaseSummaryPublic, problems_answer
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/my", tags=["my work"])

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


# ----- JSON API ---------------------------------------------------------------------------

Item = TypeVar("Item", bound=BaseModel)


class MyPage(BaseModel, Generic[Item]):
    items: list[Item]
    total: int = Field(description="how many there are in all")
    page: int
    page_size: int


class TaskPublic(BaseModel):
    action_id: int
    case_reference: str
    case_title: str
    description: str
    due_on: date
    overdue: bool
    mine: bool = Field(description="named to you, not only to your agency")


class BeatVictimPublic(BaseModel):
    record_id: int
    name: str
    reports: int = Field(description="reports in the look-back window")
    latest_month: date | None
    repeat: bool
    vulnerable: bool
    markers: list[str]
    last_contact: datetime | None = Field(description="your agency's latest contact")


class BeatPublic(MyPage[BeatVictimPublic]):
    neighbourhoods: list[str]
    window_from: date | None
    window_to: date | None
    repeat_threshold: int


PageQuery = Annotated[str, Query(description="page number, from 1")]


def _page(page: str) -> int:
    problems: dict[str, str] = {}
    number = parse_page_number(page, problems)
    if problems:
        raise InvalidCaseInput(problems)
    return number


@api_router.get("/tasks", response_model=MyPage[TaskPublic], responses=ANSWERS)
def api_tasks(user: CurrentUser, container: ContainerDep,
              page: PageQuery = "1") -> MyPage[TaskPublic] | JSONResponse:
    """Open actions for you or your agency on live cases you may see, the earliest due first."""
    try:
        number = _page(page)
    except InvalidCaseInput as error:
        return problems_answer(error)
    found = officer.my_tasks_page(container.uow(user.actor), page=number,
                                  page_size=container.settings.page_size)
    return MyPage[TaskPublic](
        items=[TaskPublic.model_validate(t, from_attributes=True) for t in found.items],
        total=found.total, page=found.page, page_size=found.page_size)


@api_router.get("/cases", response_model=MyPage[CaseSummaryPublic], responses=ANSWERS)
def api_cases(user: CurrentUser, container: ContainerDep,
              page: PageQuery = "1") -> MyPage[CaseSummaryPublic] | JSONResponse:
    """The live cases you own, most recently changed first."""
    try:
        criteria, number = parse_case_criteria(scope="mine", status="live", page=page)
    except InvalidCaseInput as error:
        return problems_answer(error)
    found = list_cases(container.uow(user.actor), criteria=criteria, page=number,
                       page_size=container.settings.page_size)
    return MyPage[CaseSummaryPublic](items=[CaseSummaryPublic.of(c) for c in found.items],
                                     total=found.total, page=found.page,
                                     page_size=found.page_size)


@api_router.get("/victims", response_model=BeatPublic, responses=ANSWERS)
def api_victims(user: CurrentUser, container: ContainerDep,
                page: PageQuery = "1") -> BeatPublic | JSONResponse:
    """The repeat and vulnerable victims on your beat, the vulnerable first (audited as a view
    of the records on the page)."""
    try:
        number = _page(page)
    except InvalidCaseInput as error:
        return problems_answer(error)
    size = container.settings.page_size
    beat = officer.my_beat(container.uow(user.actor), page=number, page_size=size)
    return BeatPublic(
        items=[BeatVictimPublic.model_validate(v, from_attributes=True) for v in beat.victims],
        total=beat.total, page=number, page_size=size, neighbourhoods=beat.neighbourhoods,
        window_from=beat.window_from, window_to=beat.window_to,
        repeat_threshold=beat.repeat_threshold)
