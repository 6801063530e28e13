"""ASB Case Review (Community Trigger) pages and API: a case's victims against the local
threshold with the complaints that qualify, and the application, meeting and outcome forms."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from vigil.domain.case_review import APPLICANT_KINDS, ReviewDecision
from vigil.domain.cases import InvalidCaseInput
from vigil.services import case_review
from vigil.services.case_review import NewApplication, NewMeeting, NewOutcome
from vigil.services.cases import agency_choices
from vigil.web.deps import ContainerDep, CsrfChecked, CurrentUser
from vigil.web.identity import SignedInUser
from vigil.web.routes.cases_api import ANSWERS, Saved, problems_answer
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/cases", tags=["ASB Case Review"])


def _page(request: Request, user: SignedInUser, container: ContainerDep, *, reference: str,
          form: str = "", problems: dict[str, str] | None = None,
          values: dict[str, Any] | None = None) -> Response:
    page = case_review.case_review_page(container.uow(user.actor), reference=reference)
    return render(request, "cases/case_review.html", {
        "page": page, "form": form, "problems": problems or {}, "values": values or {},
        "applicant_kinds": APPLICANT_KINDS, "decisions": list(ReviewDecision),
        "agencies": agency_choices(container.uow(user.actor)),
        "notice": request.query_params.get("done", ""),
    }, status_code=400 if problems else 200)


def _then_back(request: Request, user: SignedInUser, container: ContainerDep, *,
               reference: str, form: str, values: dict[str, Any],
               change: Callable[[], object]) -> Response:
    try:
        change()
    except InvalidCaseInput as error:
        return _page(request, user, container, reference=reference, form=form,
                     problems=error.problems, values=values)
    return RedirectResponse(f"/cases/{reference}/case-review?done={form}", status_code=303)


@router.get("/cases/{reference}/case-review")
def page(request: Request, reference: str, user: CurrentUser,
         container: ContainerDep) -> Response:
    """Each victim on the case against the ASB Case Review threshold (audited)."""
    return _page(request, user, container, reference=reference)


@router.post("/cases/{reference}/case-review")
def apply(request: Request, reference: str, user: CurrentUser, container: ContainerDep,
          _csrf: CsrfChecked, party_id: Annotated[str, Form()] = "",
          applied_on: Annotated[str, Form()] = "", applicant_name: Annotated[str, Form()] = "",
          applicant_kind: Annotated[str, Form()] = "") -> Response:
    new = NewApplication(party_id=int(party_id) if party_id.isdigit() else None,
                         applied_on=applied_on, applicant_name=applicant_name,
                         applicant_kind=applicant_kind)
    return _then_back(request, user, container, reference=reference, form="application",
                      values=new.__dict__, change=lambda: case_review.apply_for_review(
                          container.uow(user.actor), reference=reference, application=new))


@router.post("/cases/{reference}/case-review/{review_id}/meeting")
def meeting(request: Request, reference: str, review_id: int, user: CurrentUser,
            container: ContainerDep, _csrf: CsrfChecked,
            held_on: Annotated[str, Form()] = "", attendees: Annotated[str, Form()] = "",
            agencies: Annotated[list[str] | None, Form()] = None) -> Response:
    new = NewMeeting(held_on=held_on, attendees=attendees, agency_codes=tuple(agencies or ()))
    return _then_back(request, user, container, reference=reference,
                      form=f"meeting-{review_id}", values=new.__dict__,
                      change=lambda: case_review.record_meeting(
                          container.uow(user.actor), reference=reference, review_id=review_id,
                          meeting=new))


@router.post("/cases/{reference}/case-review/{review_id}/outcome")
def outcome(request: Request, reference: str, review_id: int, user: CurrentUser,
            container: ContainerDep, _csrf: CsrfChecked,
            decided_on: Annotated[str, Form()] = "", decision: Annotated[str, Form()] = "",
            recommendations: Annotated[str, Form()] = "") -> Response:
    new = NewOutcome(decided_on=decided_on, decision=decision, recommendations=recommendations)
    return _then_back(request, user, container, reference=reference,
                      form=f"outcome-{review_id}", values=new.__dict__,
                      change=lambda: case_review.record_outcome(
                          container.uow(user.actor), reference=reference, review_id=review_id,
                          outcome=new))


class ComplaintPublic(BaseModel):
    reference: str
    recorded_at: Any
    occurred_at: Any
    occurred_month: date
    place: str
    category: str | None
    cases: list[str]


class VictimTriggerPublic(BaseModel):
    party_id: int
    name: str
    reached: bool
    threshold_text: str
    local_area: str
    problem_label: str
    window_start: date
    qualifying: list[ComplaintPublic] = Field(description="the complaints that count")
    late: list[ComplaintPublic] = Field(description="made too long after the incident")


class TriggerReviewPublic(BaseModel):
    id: int
    victim_name: str
    applied_on: date
    applicant_name: str
    applicant_kind: str
    threshold_met: bool
    threshold_text: str
    complaints: list[str]
    meeting_on: date | None
    meeting_attendees: str
    meeting_agency_names: list[str]
    decided_on: date | None
    decision: str | None
    recommendations: str
    stage: str
    outcome_due: date


class CaseReviewPublic(BaseModel):
    reference: str
    victims: list[VictimTriggerPublic]
    reviews: list[TriggerReviewPublic]


class ApplicationRequest(BaseModel):
    party_id: int
    applied_on: str
    applicant_name: str = Field(max_length=1000)
    applicant_kind: str = "victim"


class MeetingRequest(BaseModel):
    held_on: str
    attendees: str = Field(max_length=20_000)
    agencies: list[str] = Field(max_length=50)


class OutcomeRequest(BaseModel):
    decided_on: str
    decision: str
    recommendations: str = Field(default="", max_length=20_000)


def _saved(reference: str, change: Callable[[], object]) -> Saved | JSONResponse:
    try:
        result = change()
    except InvalidCaseInput as error:
        return problems_answer(error)
    return Saved(reference=reference, id=result if isinstance(result, int) else None)


@api_router.get("/{reference}/case-review", response_model=CaseReviewPublic, responses=ANSWERS)
def api_page(reference: str, user: CurrentUser, container: ContainerDep) -> CaseReviewPublic:
    """Each victim against the ASB Case Review threshold, the complaints that qualify, and the
    reviews recorded (audited)."""
    found = case_review.case_review_page(container.uow(user.actor), reference=reference)
    return CaseReviewPublic(
        reference=found.case.reference,
        victims=[VictimTriggerPublic.model_validate(v, from_attributes=True)
                 for v in found.victims],
        reviews=[TriggerReviewPublic.model_validate(r, from_attributes=True)
                 for r in found.reviews])


@api_router.post("/{reference}/case-review", response_model=Saved, status_code=201,
                 responses=ANSWERS)
def api_apply(reference: str, body: ApplicationRequest, user: CurrentUser,
              container: ContainerDep, _csrf: CsrfChecked) -> Saved | JSONResponse:
    """Record an application for an ASB Case Review about a victim on the case."""
    return _saved(reference, lambda: case_review.apply_for_review(
        container.uow(user.actor), reference=reference, application=NewApplication(
            party_id=body.party_id, applied_on=body.applied_on,
            applicant_name=body.applicant_name, applicant_kind=body.applicant_kind)))


@api_router.post("/{reference}/case-review/{review_id}/meeting", response_model=Saved,
                 responses=ANSWERS)
def api_meeting(reference: str, review_id: int, body: MeetingRequest, user: CurrentUser,
                container: ContainerDep, _csrf: CsrfChecked) -> Saved | JSONResponse:
    """Record the review meeting: date, attendees, agencies."""
    return _saved(reference, lambda: case_review.record_meeting(
        container.uow(user.actor), reference=reference, review_id=review_id,
        meeting=NewMeeting(held_on=body.held_on, attendees=body.attendees,
                           agency_codes=tuple(body.agencies))))


@api_router.post("/{reference}/case-review/{review_id}/outcome", response_model=Saved,
                 responses=ANSWERS)
def api_outcome(reference: str, review_id: int, body: OutcomeRequest, user: CurrentUser,
                container: ContainerDep, _csrf: CsrfChecked) -> Saved | JSONResponse:
    """Record the review's outcome and recommendations."""
    return _saved(reference, lambda: case_review.record_outcome(
        container.uow(user.actor), reference=reference, review_id=review_id,
        outcome=NewOutcome(decided_on=body.decided_on, decision=body.decision,
                           recommendations=body.recommendations)))
