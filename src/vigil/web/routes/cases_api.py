"""The case JSON API under ``/api/cases``: the same services and the same restriction as the
pages. Bad input answers 422 with every problem by field; a case outside your scope answers
404 exactly as a missing one."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from vigil.domain.cases import InvalidCaseInput
from vigil.services import case_actions
from vigil.services.case_views import CaseDetail, CaseListPage, CaseSummary
from vigil.services.cases import (
    NewCase,
    change_status,
    list_cases,
    open_case,
    parse_case_criteria,
    suggest_similar_cases,
    view_case,
)
from vigil.web.deps import ContainerDep, CsrfChecked, CurrentUser

router = APIRouter(prefix="/api/cases", tags=["cases"])

ANSWERS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not logged in"},
    403: {"description": "Your role may not do this, or the CSRF header is missing"},
    404: {"description": "No such case, or not yours to see"},
    422: {"description": "What you sent is not valid; `problems` names each field"},
}


def problems_answer(error: InvalidCaseInput) -> JSONResponse:
    return JSONResponse({"detail": "What you sent is not valid.", "problems": error.problems},
                        status_code=422)


class CaseSummaryPublic(BaseModel):
    reference: str
    title: str
    status: str
    status_label: str
    owning_agency_code: str
    owning_agency_name: str
    owner_name: str | None
    opened_at: datetime
    updated_at: datetime
    shared_with: list[str]

    @classmethod
    def of(cls, summary: CaseSummary) -> CaseSummaryPublic:
        return cls.model_validate(summary, from_attributes=True)


class CaseListPublic(BaseModel):
    items: list[CaseSummaryPublic]
    total: int
    page: int
    page_size: int

    @classmethod
    def of(cls, page: CaseListPage) -> CaseListPublic:
        return cls(items=[CaseSummaryPublic.of(c) for c in page.items], total=page.total,
                   page=page.page, page_size=page.page_size)


class PartyPublic(BaseModel):
    id: int
    role: str
    name: str
    is_group: bool
    date_of_birth: str | None
    note: str


class ActionPublic(BaseModel):
    id: int
    description: str
    agency_name: str
    officer_name: str | None
    due_on: date
    done_at: datetime | None
    overdue: bool


class InterventionPublic(BaseModel):
    id: int
    kind: str
    kind_label: str
    started_on: date
    ends_on: date | None
    people: list[str]
    outcome: str
    agency_name: str


class NotePublic(BaseModel):
    id: int
    text: str
    police_only: bool
    author_name: str
    agency_name: str | None
    created_at: datetime


class ReviewPublic(BaseModel):
    id: int
    held_on: date
    attendees: str
    agency_names: list[str]
    decisions: str
    next_review_on: date | None


class SharePublic(BaseModel):
    agency_code: str
    agency_name: str
    lawful_basis: str
    shared_at: datetime
    shared_by_name: str
    withdrawn_at: datetime | None
    withdrawal_reason: str


class DocumentPublic(BaseModel):
    token: str = Field(description="download at /api/cases/{reference}/documents/{token}")
    file_name: str
    kind: str
    size: int
    description: str
    police_only: bool
    uploaded_at: datetime
    uploaded_by_name: str


class ContactPublic(BaseModel):
    kind_label: str
    contacted_at: datetime
    summary: str
    by_name: str
    agency_name: str | None


class RiskPointPublic(BaseModel):
    level: str = Field(description="standard, medium or high")
    assessed_at: datetime
    score: int | None = Field(description="police users only")
    reference: str | None = Field(description="the call's reference; police users only")


class VictimRiskPublic(BaseModel):
    party_id: int
    name: str
    latest: RiskPointPublic | None = Field(description="null: no assessment you may see")
    trend: str | None = Field(description="rising, steady, falling or first (only one "
                                          "assessment): the latest level against the one "
                                          "before")
    history: list[RiskPointPublic] = Field(description="the latest assessments, oldest first")
    assessments: int


class CaseDetailPublic(CaseSummaryPublic):
    summary: str
    outcome_label: str | None
    incidents: list[str] = Field(description="references of the incidents you may see")
    parties: list[PartyPublic]
    actions: list[ActionPublic]
    interventions: list[InterventionPublic]
    notes: list[NotePublic] = Field(description="police-only notes reach police users only")
    reviews: list[ReviewPublic]
    shares: list[SharePublic]
    documents: list[DocumentPublic] = Field(description="police-only ones reach police only")
    contacts: list[ContactPublic]
    victim_risk: list[VictimRiskPublic] = Field(
        description="each victim's latest risk assessment and its trend; partners get the "
                    "level, date and trend of assessments that are not police-only, never "
                    "scores, answers or call references")
    case_review_threshold_reached: list[str] = Field(
        description="victims whose complaints reach the ASB Case Review threshold; see "
                    "/api/cases/{reference}/case-review")

    @classmethod
    def of_detail(cls, detail: CaseDetail) -> CaseDetailPublic:
        def each(model: type[BaseModel], items: list[Any]) -> list[Any]:
            return [model.model_validate(i, from_attributes=True) for i in items]

        base = CaseSummaryPublic.of(detail.summary).model_dump()
        return cls(**base, summary=detail.description, outcome_label=detail.outcome_label,
                   incidents=[i.reference for i in detail.incidents],
                   parties=each(PartyPublic, detail.parties),
                   actions=each(ActionPublic, detail.actions),
                   interventions=each(InterventionPublic, detail.interventions),
                   notes=each(NotePublic, detail.notes),
                   reviews=each(ReviewPublic, detail.reviews),
                   shares=each(SharePublic, detail.shares),
                   documents=each(DocumentPublic, detail.documents),
                   contacts=each(ContactPublic, detail.contacts),
                   victim_risk=each(VictimRiskPublic, detail.victim_risks),
                   case_review_threshold_reached=[t.name for t in detail.reached_triggers])


class NewCaseRequest(BaseModel):
    title: str = Field(max_length=1000)
    summary: str = Field(default="", max_length=20_000)
    incidents: list[str] = Field(default_factory=list, max_length=200)
    location: str = Field(default="", max_length=1000)


class StatusRequest(BaseModel):
    status: str
    outcome: str = ""
    reason: str = Field(default="", max_length=5000)


class ActionRequest(BaseModel):
    description: str = Field(max_length=20_000)
    due_on: str
    agency: str
    officer: str = ""


class InterventionRequest(BaseModel):
    kind: str
    started_on: str
    ends_on: str = ""
    party_ids: list[int] = Field(default_factory=list, max_length=100)
    outcome: str = Field(default="", max_length=20_000)


class NoteRequest(BaseModel):
    text: str = Field(max_length=20_000)
    police_only: bool = False


class ReviewRequest(BaseModel):
    held_on: str
    attendees: str = Field(max_length=20_000)
    agencies: list[str] = Field(max_length=50)
    decisions: str = Field(max_length=20_000)
    next_review_on: str = ""


class ShareRequest(BaseModel):
    agency: str
    lawful_basis: str = Field(max_length=2000)


class WithdrawRequest(BaseModel):
    reason: str = Field(max_length=5000)


class LinkIncidentRequest(BaseModel):
    incident: str


class PartyRequest(BaseModel):
    role: str
    person_record_id: int | None = None
    group_name: str = Field(default="", max_length=200)
    note: str = Field(default="", max_length=2000)


class Saved(BaseModel):
    reference: str
    id: int | None = None


@router.get("", response_model=CaseListPublic, responses=ANSWERS)
def cases(user: CurrentUser, container: ContainerDep,
          scope: Annotated[str, Query(description="all, mine, agency or shared")] = "all",
          q: Annotated[str, Query(description="Text in the reference, title or summary")] = "",
          status: Annotated[str, Query(description="a status, or live")] = "",
          page: Annotated[int, Query(ge=1)] = 1) -> CaseListPublic | JSONResponse:
    """The cases you may see: your agency's and those shared with it."""
    try:
        criteria, page_number = parse_case_criteria(scope=scope, text=q, status=status,
                                                    page=page)
    except InvalidCaseInput as error:
        return problems_answer(error)
    return CaseListPublic.of(list_cases(container.uow(user.actor), criteria=criteria,
                                        page=page_number,
                                        page_size=container.settings.page_size))


@router.get("/similar", response_model=list[CaseSummaryPublic], responses=ANSWERS)
def similar(user: CurrentUser, container: ContainerDep,
            incident: Annotated[list[str] | None, Query()] = None) -> list[CaseSummaryPublic]:
    """Open cases that look like the same problem as these incidents."""
    found = suggest_similar_cases(container.uow(user.actor), incident_references=incident or [])
    return [CaseSummaryPublic.of(s.summary) for s in found]


@router.post("", response_model=Saved, status_code=201, responses=ANSWERS)
def create(body: NewCaseRequest, user: CurrentUser, container: ContainerDep,
           _csrf: CsrfChecked) -> Saved | JSONResponse:
    """Open a case owned by your agency and you."""
    try:
        reference = open_case(container.uow(user.actor), new=NewCase(
            title=body.title, summary=body.summary, incident_references=tuple(body.incidents),
            location_description=body.location))
    except InvalidCaseInput as error:
        return problems_answer(error)
    return Saved(reference=reference)


@router.get("/{reference}", response_model=CaseDetailPublic, responses=ANSWERS)
def case(reference: str, user: CurrentUser, container: ContainerDep) -> CaseDetailPublic:
    """One case as you may see it (the view is audited)."""
    return CaseDetailPublic.of_detail(view_case(container.uow(user.actor), reference=reference))


def _saved(reference: str, change: Any) -> Saved | JSONResponse:
    try:
        result = change()
    except InvalidCaseInput as error:
        return problems_answer(error)
    return Saved(reference=reference, id=result if isinstance(result, int) else None)


@router.post("/{reference}/status", response_model=Saved, responses=ANSWERS)
def status(reference: str, body: StatusRequest, user: CurrentUser, container: ContainerDep,
           _csrf: CsrfChecked) -> Saved | JSONResponse:
    """Move the case on (owning agency only); closing needs an outcome."""
    return _saved(reference, lambda: change_status(
        container.uow(user.actor), reference=reference, status=body.status,
        outcome=body.outcome, reason=body.reason))


@router.post("/{reference}/actions", response_model=Saved, responses=ANSWERS)
def action(reference: str, body: ActionRequest, user: CurrentUser, container: ContainerDep,
           _csrf: CsrfChecked) -> Saved | JSONResponse:
    """Add an action assigned to an agency (and perhaps an officer) with a due date."""
    return _saved(reference, lambda: case_actions.add_action(
        container.uow(user.actor), reference=reference, new=case_actions.NewAction(
            description=body.description, due_on=body.due_on, agency_code=body.agency,
            officer_username=body.officer)))


@router.post("/{reference}/actions/{action_id}/done", response_model=Saved, responses=ANSWERS)
def action_done(reference: str, action_id: int, user: CurrentUser, container: ContainerDep,
                _csrf: CsrfChecked) -> Saved | JSONResponse:
    """Mark an action done."""
    return _saved(reference, lambda: case_actions.complete_action(
        container.uow(user.actor), reference=reference, action_id=action_id))


@router.post("/{reference}/interventions", response_model=Saved, responses=ANSWERS)
def intervention(reference: str, body: InterventionRequest, user: CurrentUser,
                 container: ContainerDep, _csrf: CsrfChecked) -> Saved | JSONResponse:
    """Record an intervention with its dates, the people it applies to and its outcome."""
    return _saved(reference, lambda: case_actions.add_intervention(
        container.uow(user.actor), reference=reference, new=case_actions.NewIntervention(
            kind=body.kind, started_on=body.started_on, ends_on=body.ends_on,
            party_ids=tuple(body.party_ids), outcome=body.outcome)))


@router.post("/{reference}/notes", response_model=Saved, responses=ANSWERS)
def note(reference: str, body: NoteRequest, user: CurrentUser, container: ContainerDep,
         _csrf: CsrfChecked) -> Saved | JSONResponse:
    """Add a note; police users may mark it police-only."""
    return _saved(reference, lambda: case_actions.add_note(
        container.uow(user.actor), reference=reference, text=body.text,
        police_only=body.police_only))


@router.post("/{reference}/reviews", response_model=Saved, responses=ANSWERS)
def review(reference: str, body: ReviewRequest, user: CurrentUser, container: ContainerDep,
           _csrf: CsrfChecked) -> Saved | JSONResponse:
    """Record a review or meeting."""
    return _saved(reference, lambda: case_actions.add_review(
        container.uow(user.actor), reference=reference, new=case_actions.NewReview(
            held_on=body.held_on, attendees=body.attendees, agency_codes=tuple(body.agencies),
            decisions=body.decisions, next_review_on=body.next_review_on)))


@router.post("/{reference}/incidents", response_model=Saved, responses=ANSWERS)
def link(reference: str, body: LinkIncidentRequest, user: CurrentUser, container: ContainerDep,
         _csrf: CsrfChecked) -> Saved | JSONResponse:
    """Link an incident you may see."""
    return _saved(reference, lambda: case_actions.link_incident(
        container.uow(user.actor), reference=reference, incident_reference=body.incident))


@router.post("/{reference}/parties", response_model=Saved, responses=ANSWERS)
def party(reference: str, body: PartyRequest, user: CurrentUser, container: ContainerDep,
          _csrf: CsrfChecked) -> Saved | JSONResponse:
    """Add a victim, perpetrator or witness (a person record, or a named group)."""
    return _saved(reference, lambda: case_actions.add_party(
        container.uow(user.actor), reference=reference, role=body.role,
        person_record_id=body.person_record_id, group_name=body.group_name, note=body.note))


@router.post("/{reference}/shares", response_model=Saved, responses=ANSWERS)
def share(reference: str, body: ShareRequest, user: CurrentUser, container: ContainerDep,
          _csrf: CsrfChecked) -> Saved | JSONResponse:
    """Share the case with an agency, with the lawful basis (owning agency only)."""
    return _saved(reference, lambda: case_actions.share_case(
        container.uow(user.actor), reference=reference, agency_code=body.agency,
        lawful_basis=body.lawful_basis))


@router.post("/{reference}/shares/{agency}/withdraw", response_model=Saved, responses=ANSWERS)
def withdraw(reference: str, agency: str, body: WithdrawRequest, user: CurrentUser,
             container: ContainerDep, _csrf: CsrfChecked) -> Saved | JSONResponse:
    """Stop sharing with an agency; the history keeps the share, marked withdrawn."""
    return _saved(reference, lambda: case_actions.withdraw_share(
        container.uow(user.actor), reference=reference, agency_code=agency,
        reason=body.reason))
