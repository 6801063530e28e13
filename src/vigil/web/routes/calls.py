"""The call screen: ``/calls/new`` (the caller found as the handler types, with confirm and
reject for possible matches; the incident and its place, typed or chosen on the map; witnesses
and suspects; the risk questions and THRIVE), ``/calls/{reference}`` (the summary) and
``POST /api/calls``. Thin: parse, call one service, render."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from vigil.domain.access import Permission, PermissionDenied
from vigil.domain.incidents import Category
from vigil.domain.risk import THRIVE_FIELDS, Answer, AnswerStatus, Questionnaire
from vigil.services.call_people import MAX_EXTRA_PEOPLE
from vigil.services.call_places import find_place, force_area_map
from vigil.services.call_views import view_call
from vigil.services.calls import EDITABLE_TYPES, InvalidCall, NewCall, PersonIn, record_call
from vigil.services.flag_sources import flag_sources
from vigil.services.identification import InvalidCaller, identify, record_match_feedback
from vigil.services.risk_versions import questionnaire_to_ask
from vigil.web.call_forms import (
    DECLINED,
    GROUPS,
    NOT_ASKED,
    PERSON_FIELDS,
    PERSON_LABELS,
    call_from_form,
    labels,
    row_counts,
    without_row,
)
from vigil.web.deps import ContainerDep, CsrfChecked, CurrentUser
from vigil.web.identity import SignedInUser
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api", tags=["calls"])


def _require(user: SignedInUser) -> None:
    if not user.actor.can(Permission.RECORD_CALLS):
        raise PermissionDenied("recording calls needs the record_calls permission")


def _page(request: Request, *, questionnaire: Questionnaire, values: dict[str, str],
          problems: dict[str, str], status_code: int | None = None) -> Response:
    return render(request, "calls/new.html", {
        "questionnaire": questionnaire, "values": values, "problems": problems,
        "labels": labels(questionnaire), "person_labels": PERSON_LABELS,
        "rows": row_counts(values), "groups": GROUPS,
        "categories": list(Category), "types": EDITABLE_TYPES, "thrive": THRIVE_FIELDS,
        "declined": DECLINED, "not_asked": NOT_ASKED},
        status_code=status_code or (400 if problems else 200))


@router.get("/calls/new")
def new_call(request: Request, user: CurrentUser, container: ContainerDep) -> Response:
    """The call screen, empty: the time defaults to now."""
    _require(user)
    questionnaire = questionnaire_to_ask(container.uow(user.actor))
    return _page(request, questionnaire=questionnaire, values={}, problems={})


@router.post("/calls/new")
async def save_call(request: Request, user: CurrentUser, container: ContainerDep,
                    _csrf: CsrfChecked) -> Response:
    """Save the call, or show the screen again with every gap listed and everything kept.
    "Add another witness/suspect" and "Remove" (without a script) show it again, unsaved."""
    _require(user)
    form = await request.form()
    values = {k: str(v).strip()[:2000] for k, v in form.items() if k != "csrf_token"}
    questionnaire = questionnaire_to_ask(container.uow(user.actor))
    if values.get("more") or values.get("remove"):
        kept = without_row(values, values.pop("remove", ""))
        return _page(request, questionnaire=questionnaire, values=kept, problems={},
                     status_code=200)
    try:
        saved = record_call(container.uow(user.actor),
                            call=call_from_form(values, questionnaire),
                            force_name=container.settings.force_name)
    except InvalidCall as error:
        return _page(request, questionnaire=questionnaire, values=values,
                     problems=error.problems)
    return RedirectResponse(f"/calls/{saved.reference}?saved=1", status_code=303)


def _caller_values(form: Any) -> dict[str, str]:
    values = {k: str(form.get(f"caller.{k}", "")).strip()[:300] for k in PERSON_FIELDS}
    values["reason"] = "ASB call"
    return values


def _panel(request: Request, user: SignedInUser, container: ContainerDep, *,
           values: dict[str, str], notice: str = "") -> Response:
    context: dict[str, Any] = {"values": values, "result": None, "problems": {},
                               "labels": PERSON_LABELS, "notice": notice, "evidence": {},
                               "on_call_screen": True}
    if any(values[k] for k in PERSON_FIELDS):
        try:
            result = identify(container.uow(user.actor),
                              caller=PersonIn(**{k: values[k] for k in PERSON_FIELDS})
                              .caller_details(), reason="ASB call")
        except InvalidCaller:
            return render(request, "identify/_results.html", context)  # not enough typed yet
        context["result"] = result
        context["evidence"] = flag_sources(result)
    return render(request, "identify/_results.html", context)


@router.post("/calls/identify")
async def identify_caller(request: Request, user: CurrentUser, container: ContainerDep,
                          _csrf: CsrfChecked) -> Response:
    """The identification panel for the caller typed so far (HTMX, debounced)."""
    return _panel(request, user, container, values=_caller_values(await request.form()))


@router.post("/calls/identify/feedback")
async def caller_feedback(request: Request, user: CurrentUser, container: ContainerDep,
                          _csrf: CsrfChecked) -> Response:
    """The handler confirms (``same``) or rejects (``different``) a possible match: every
    record of that person, for the caller typed so far; the panel is then looked up again."""
    form = await request.form()
    values = _caller_values(form)
    verdict = str(form.get("verdict", ""))
    try:
        record_ids = [int(str(v)) for v in form.getlist("record_id")][:50]
    except ValueError as error:
        raise HTTPException(status_code=400, detail="record_id must be a number") from error
    if not record_ids:
        raise HTTPException(status_code=400, detail="say which record (record_id)")
    caller = PersonIn(**{k: values[k] for k in PERSON_FIELDS}).caller_details()
    try:
        for record_id in record_ids:
            record_match_feedback(container.uow(user.actor), caller=caller,
                                  record_id=record_id, verdict=verdict,
                                  reason="ASB call: the handler asked the caller")
    except InvalidCaller as error:
        raise HTTPException(status_code=400, detail=error.problems) from error
    notice = ("Confirmed: the caller is this person." if verdict == "same" else
              "Rejected: not the caller. Those records will not be matched to them again.")
    return _panel(request, user, container, values=values, notice=notice)


@router.post("/calls/place")
async def place_found(request: Request, user: CurrentUser, container: ContainerDep,
                      _csrf: CsrfChecked) -> Response:
    """Where the incident happened, resolved as the handler gives it (HTMX): the LSOA and
    neighbourhood, or what is wrong with the coordinates."""
    form = await request.form()
    values = {k: str(form.get(k, "")).strip()[:300] for k in (
        "place_address", "place_postcode", "place_latitude", "place_longitude",
        "caller.address", "caller.postcode")}
    place, problems = find_place(
        container.uow(user.actor),
        text=values["place_address"] or values["caller.address"],
        postcode=values["place_postcode"] or values["caller.postcode"],
        latitude=values["place_latitude"], longitude=values["place_longitude"],
        force_name=container.settings.force_name)
    return render(request, "calls/_place.html", {
        "place": place, "problems": problems, "values": values,
        "labels": {"place_latitude": "Latitude", "place_longitude": "Longitude"}})


@router.get("/calls/areas.geojson")
def call_areas(user: CurrentUser, container: ContainerDep) -> Response:
    """The force area for the call screen's map: LSOA centroids and neighbourhood names."""
    return JSONResponse(force_area_map(container.uow(user.actor),
                                       force_name=container.settings.force_name),
                        media_type="application/geo+json")


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


class SuspectBody(PersonBody):
    """A suspect: a name, or only a nickname or a description."""

    nickname: str = Field(default="", max_length=100)
    description: str = Field(default="", max_length=1000,
                             description="What the suspect looks like, wears, drives...")


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
    place_latitude: float | None = Field(
        default=None, description="Where it happened, decimal degrees (WGS84); with "
        "place_longitude, placed in the nearest LSOA. Must be inside the force area.")
    place_longitude: float | None = Field(default=None, description="Decimal degrees (WGS84)")
    witnesses: list[PersonBody] = Field(default_factory=list, max_length=MAX_EXTRA_PEOPLE)
    suspects: list[SuspectBody] = Field(default_factory=list, max_length=MAX_EXTRA_PEOPLE)
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
    """Record an ASB call with its place (address or postcode, or a point), its people
    (caller, victim, witnesses, suspects), its risk assessment (every question answered, or
    declined / not asked with a reason) and THRIVE. Answers the reference, the risk level and
    the required response with its due time; or 422 with every problem by field
    (``witnesses.0.family_name``, ``place_latitude``...). Needs the session's
    ``X-CSRF-Token``."""
    call = NewCall(
        caller=body.caller.person(), victim=body.victim.person() if body.victim else None,
        occurred_at=body.occurred_at, place_address=body.place_address,
        place_postcode=body.place_postcode,
        place_latitude="" if body.place_latitude is None else repr(body.place_latitude),
        place_longitude="" if body.place_longitude is None else repr(body.place_longitude),
        witnesses=tuple(w.person() for w in body.witnesses),
        suspects=tuple(s.person() for s in body.suspects), category=body.category,
        detailed_type=body.detailed_type, description=body.description,
        answers={k: Answer(a.status, a.value, a.reason) for k, a in body.answers.items()},
        thrive=body.thrive)
    try:
        saved = record_call(container.uow(user.actor), call=call,
                            force_name=container.settings.force_name)
    except InvalidCall as error:
        raise HTTPException(status_code=422, detail={"problems": error.problems}) from error
    return {"reference": saved.reference, "level": saved.level.value, "score": saved.score,
            "raised_by": list(saved.raised_by), "flags": list(saved.flags),
            "required_response": saved.response.summary,
            "alert_supervisor": saved.response.alert_supervisor,
            "due_at": saved.due_at.isoformat()}
