"""The call screen: ``/calls/new`` (the caller found as the handler types, the incident, the
risk questions and THRIVE), ``/calls/{reference}`` (the summary) and ``POST /api/calls``.
Thin: parse, call one service, render."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from vigil.domain.access import Permission, PermissionDenied
from vigil.domain.incidents import Category
from vigil.domain.risk import THRIVE_FIELDS, Answer, AnswerStatus, Questionnaire
from vigil.services.call_views import view_call
from vigil.services.calls import EDITABLE_TYPES, InvalidCall, NewCall, PersonIn, record_call
from vigil.services.identification import InvalidCaller, identify
from vigil.services.risk_versions import questionnaire_to_ask
from vigil.web.deps import ContainerDep, CsrfChecked, CurrentUser
from vigil.web.identity import SignedInUser
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api", tags=["calls"])

PERSON_FIELDS = ("given_name", "family_name", "date_of_birth", "phone", "email", "address",
                 "postcode")
PERSON_LABELS = {"given_name": "Given name", "family_name": "Family name",
                 "date_of_birth": "Date of birth", "phone": "Phone", "email": "E-mail",
                 "address": "Address", "postcode": "Postcode"}
CALL_FIELDS = ("occurred_at", "place_address", "place_postcode", "category", "detailed_type",
               "description")
DECLINED, NOT_ASKED = "_declined", "_not_asked"


def _labels(questionnaire: Questionnaire) -> dict[str, str]:
    labels = {f"{who}.{k}": f"{who.capitalize()}: {v.lower() if k != 'given_name' else v}"
              for who in ("caller", "victim") for k, v in PERSON_LABELS.items()}
    labels |= {"occurred_at": "When it happened", "place_address": "Where: address",
               "place_postcode": "Where: postcode", "category": "Category",
               "detailed_type": "Type of ASB", "description": "What happened"}
    labels |= {f"answers.{q.key}": q.text for q in questionnaire.questions}
    labels |= {f"thrive.{k}": f"THRIVE: {label}" for k, label in THRIVE_FIELDS}
    return labels


def _require(user: SignedInUser) -> None:
    if not user.actor.can(Permission.RECORD_CALLS):
        raise PermissionDenied("recording calls needs the record_calls permission")


def _person(values: dict[str, str], who: str) -> PersonIn:
    return PersonIn(**{k: values.get(f"{who}.{k}", "") for k in PERSON_FIELDS})


def call_from_form(values: dict[str, str], questionnaire: Questionnaire) -> NewCall:
    """The form's fields as a call to record (radio ``_declined``/``_not_asked`` for the
    questions the caller declined or was not asked)."""
    answers: dict[str, Answer] = {}
    for question in questionnaire.questions:
        chosen = values.get(f"answers.{question.key}", "")
        reason = values.get(f"answers.{question.key}.reason", "")
        if chosen == DECLINED:
            answers[question.key] = Answer(AnswerStatus.DECLINED, reason=reason)
        elif chosen == NOT_ASKED:
            answers[question.key] = Answer(AnswerStatus.NOT_ASKED, reason=reason)
        elif chosen:
            answers[question.key] = Answer(AnswerStatus.ANSWERED, chosen, reason)
    return NewCall(
        caller=_person(values, "caller"),
        victim=_person(values, "victim") if values.get("victim_differs") else None,
        answers=answers, thrive={k: values.get(f"thrive.{k}", "") for k, _ in THRIVE_FIELDS},
        **{k: values.get(k, "") for k in CALL_FIELDS})


def _page(request: Request, *, questionnaire: Questionnaire, values: dict[str, str],
          problems: dict[str, str]) -> Response:
    return render(request, "calls/new.html", {
        "questionnaire": questionnaire, "values": values, "problems": problems,
        "labels": _labels(questionnaire), "person_labels": PERSON_LABELS,
        "categories": list(Category), "types": EDITABLE_TYPES, "thrive": THRIVE_FIELDS,
        "declined": DECLINED, "not_asked": NOT_ASKED},
        status_code=400 if problems else 200)


@router.get("/calls/new")
def new_call(request: Request, user: CurrentUser, container: ContainerDep) -> Response:
    """The call screen, empty: the time defaults to now."""
    _require(user)
    questionnaire = questionnaire_to_ask(container.uow(user.actor))
    return _page(request, questionnaire=questionnaire, values={}, problems={})


@router.post("/calls/new")
async def save_call(request: Request, user: CurrentUser, container: ContainerDep,
                    _csrf: CsrfChecked) -> Response:
    """Save the call, or show the screen again with every gap listed and everything kept."""
    _require(user)
    form = await request.form()
    values = {k: str(v).strip()[:2000] for k, v in form.items() if k != "csrf_token"}
    questionnaire = questionnaire_to_ask(container.uow(user.actor))
    try:
        saved = record_call(container.uow(user.actor),
                            call=call_from_form(values, questionnaire))
    except InvalidCall as error:
        return _page(request, questionnaire=questionnaire, values=values,
                     problems=error.problems)
    return RedirectResponse(f"/calls/{saved.reference}?saved=1", status_code=303)


@router.post("/calls/identify")
async def identify_caller(request: Request, user: CurrentUser, container: ContainerDep,
                          _csrf: CsrfChecked) -> Response:
    """The identification panel for the caller typed so far (HTMX, debounced)."""
    form = await request.form()
    values = {k: str(form.get(f"caller.{k}", "")).strip()[:300] for k in PERSON_FIELDS}
    values["reason"] = "ASB call"
    context: dict[str, Any] = {"values": values, "result": None, "problems": {},
                               "labels": PERSON_LABELS, "notice": ""}
    if any(values[k] for k in PERSON_FIELDS):
        try:
            context["result"] = identify(container.uow(user.actor),
                                         caller=PersonIn(**{k: values[k] for k in PERSON_FIELDS})
                                         .caller_details(), reason="ASB call")
        except InvalidCaller:
            pass  # not enough typed yet: the panel stays empty
    return render(request, "identify/_results.html", context)


@router.get("/calls/{reference}")
def show_call(request: Request, reference: str, user: CurrentUser,
              container: ContainerDep) -> Response:
    """The summary of a recorded call: reference, risk level, required response and answers."""
    summary = view_call(container.uow(user.actor), reference=reference)
    return render(request, "calls/show.html", {
        "call": summary, "saved": request.query_params.get("saved") == "1"})


# ----- JSON API ---------------------------------------------------------------------------

class PersonBody(BaseModel):
    given_name: str = Field(default="", max_length=100)
    family_name: str = Field(default="", max_length=100)
    date_of_birth: str = Field(default="", max_length=20)
    phone: str = Field(default="", max_length=30)
    email: str = Field(default="", max_length=200)
    address: str = Field(default="", max_length=300)
    postcode: str = Field(default="", max_length=12)

    def person(self) -> PersonIn:
        return PersonIn(**self.model_dump())


class AnswerBody(BaseModel):
    status: AnswerStatus = AnswerStatus.ANSWERED
    value: str = Field(default="", max_length=40)
    reason: str = Field(default="", max_length=500)


class CallBody(BaseModel):
    """A call as another system (command and control) sends it."""

    caller: PersonBody
    victim: PersonBody | None = None
    occurred_at: str = Field(default="", max_length=30,
                             description="UK local time, YYYY-MM-DDTHH:MM; blank: now")
    place_address: str = Field(default="", max_length=300)
    place_postcode: str = Field(default="", max_length=12)
    category: str = Field(default="", max_length=20)
    detailed_type: str = Field(default="", max_length=40)
    description: str = Field(default="", max_length=5000)
    answers: dict[str, AnswerBody] = Field(default_factory=dict)
    thrive: dict[str, str] = Field(default_factory=dict)


def _require_json(request: Request) -> None:
    if not request.headers.get("content-type", "").startswith("application/json"):
        raise HTTPException(status_code=415, detail="Send the call as application/json.")


@api_router.post("/calls", status_code=201, dependencies=[Depends(_require_json)],
                 responses={401: {"description": "Not logged in"},
                            403: {"description": "Not allowed"},
                            422: {"description": "Every problem, by field"}})
def api_record_call(body: CallBody, user: CurrentUser, container: ContainerDep,
                    _csrf: CsrfChecked) -> dict[str, Any]:
    """Record an ASB call with its risk assessment (every question answered, or declined /
    not asked with a reason) and THRIVE. Answers the reference, the risk level and the
    required response with its due time. Needs the session's ``X-CSRF-Token``."""
    call = NewCall(
        caller=body.caller.person(), victim=body.victim.person() if body.victim else None,
        occurred_at=body.occurred_at, place_address=body.place_address,
        place_postcode=body.place_postcode, category=body.category,
        detailed_type=body.detailed_type, description=body.description,
        answers={k: Answer(a.status, a.value, a.reason) for k, a in body.answers.items()},
        thrive=body.thrive)
    try:
        saved = record_call(container.uow(user.actor), call=call)
    except InvalidCall as error:
        raise HTTPException(status_code=422, detail={"problems": error.problems}) from error
    return {"reference": saved.reference, "level": saved.level.value, "score": saved.score,
            "raised_by": list(saved.raised_by), "flags": list(saved.flags),
            "required_response": saved.response.summary,
            "alert_supervisor": saved.response.alert_supervisor,
            "due_at": saved.due_at.isoformat()}
