"""Looking a caller up: the ``/identify`` page (HTMX updates the results as the handler types)
and ``POST /api/identify``. Thin: parse, call the identification service, render."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from vigil.domain.access import Permission
from vigil.services.identification import (
    CallerDetails,
    Identification,
    InvalidCaller,
    identify,
    record_match_feedback,
)
from vigil.web.deps import ContainerDep, CsrfChecked, CurrentUser
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api", tags=["identify"])

CALLER_FIELDS = ("given_name", "family_name", "date_of_birth", "phone", "email", "address",
                 "postcode")
LABELS = {"given_name": "Given name", "family_name": "Family name",
          "date_of_birth": "Date of birth", "phone": "Phone", "email": "E-mail",
          "address": "Address", "postcode": "Postcode", "reason": "Reason",
          "caller": "Caller", "verdict": "Answer"}


def _caller(values: dict[str, str]) -> CallerDetails:
    phone = values.get("phone", "").strip()
    return CallerDetails(
        given_name=values.get("given_name") or None, family_name=values.get("family_name") or None,
        date_of_birth=values.get("date_of_birth") or None, phones=(phone,) if phone else (),
        email=values.get("email") or None, address=values.get("address") or None,
        postcode=values.get("postcode") or None)


def _page(request: Request, *, values: dict[str, str], result: Identification | None,
          problems: dict[str, str], notice: str = "") -> Response:
    partial = request.headers.get("hx-request") == "true"
    template = "identify/_results.html" if partial else "identify/page.html"
    return render(request, template, {
        "values": values, "result": result, "problems": problems, "labels": LABELS,
        "notice": notice}, status_code=200 if partial or not problems else 400)


@router.get("/identify")
def identify_form(request: Request, user: CurrentUser) -> Response:
    """The look-up form, empty."""
    return _page(request, values={"reason": "ASB call"}, result=None, problems={})


def _form_values(form: Any) -> dict[str, str]:
    return {name: str(form.get(name, "")).strip()[:300] for name in (*CALLER_FIELDS, "reason")}


@router.post("/identify")
async def identify_page(request: Request, user: CurrentUser, container: ContainerDep,
                        _csrf: CsrfChecked) -> Response:
    """Look the caller up and show who they are, their history and the flags."""
    values = _form_values(await request.form())
    if request.headers.get("hx-request") == "true" and not any(
            values[f] for f in CALLER_FIELDS):
        return _page(request, values=values, result=None, problems={})
    try:
        result = identify(container.uow(user.actor), caller=_caller(values),
                          reason=values["reason"])
    except InvalidCaller as error:
        return _page(request, values=values, result=None, problems=error.problems)
    return _page(request, values=values, result=result, problems={})


@router.post("/identify/feedback")
async def identify_feedback(request: Request, user: CurrentUser, container: ContainerDep,
                            _csrf: CsrfChecked) -> Response:
    """The handler's answer about one possible match; the look-up is then run again."""
    form = await request.form()
    values = _form_values(form)
    verdict = str(form.get("verdict", ""))
    try:
        record_id = int(str(form.get("record_id", "")))
    except ValueError as error:
        raise HTTPException(status_code=400, detail="record_id must be a number") from error
    caller = _caller(values)
    try:
        record_match_feedback(container.uow(user.actor), caller=caller, record_id=record_id,
                              verdict=verdict, reason=values["reason"])
        result = identify(container.uow(user.actor), caller=caller, reason=values["reason"])
    except InvalidCaller as error:
        return _page(request, values=values, result=None, problems=error.problems)
    notice = ("Recorded: the same person." if verdict == "same"
              else "Recorded: not the same person. That record will not be matched again.")
    return _page(request, values=values, result=result, problems={}, notice=notice)


# ----- JSON API ---------------------------------------------------------------------------

class CallerIn(BaseModel):
    """What the handler knows about the caller; every field may be left out."""

    given_name: str | None = Field(default=None, max_length=100)
    family_name: str | None = Field(default=None, max_length=100)
    date_of_birth: str | None = Field(default=None, max_length=20,
                                      description="YYYY-MM-DD, YYYY-MM, YYYY or DD/MM/YYYY")
    phones: list[str] = Field(default_factory=list, max_length=5)
    email: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=300)
    postcode: str | None = Field(default=None, max_length=12)
    uprn: str | None = Field(default=None, max_length=12)

    def details(self) -> CallerDetails:
        return CallerDetails(given_name=self.given_name, family_name=self.family_name,
                             date_of_birth=self.date_of_birth, phones=tuple(self.phones),
                             email=self.email, address=self.address, postcode=self.postcode,
                             uprn=self.uprn)


class IdentifyRequest(BaseModel):
    caller: CallerIn
    reason: str = Field(min_length=1, max_length=300,
                        description="Why you look this person up (audited)")


class FeedbackRequest(BaseModel):
    caller: CallerIn
    record_id: int
    verdict: str = Field(pattern="^(same|different)$")
    reason: str = Field(default="", max_length=300)


def _require_json(request: Request) -> None:
    if not request.headers.get("content-type", "").startswith("application/json"):
        raise HTTPException(status_code=415, detail="Send the caller as application/json.")


def _jsonable(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def identification_json(result: Identification) -> dict[str, Any]:
    """The identification as JSON: people, possible matches, history, markers, flags."""
    data = asdict(result)

    def convert(obj: Any) -> Any:
        if isinstance(obj, dict):
            return {k: convert(v) for k, v in obj.items()}
        if isinstance(obj, list | tuple):
            return [convert(v) for v in obj]
        return _jsonable(obj)

    converted: dict[str, Any] = convert(data)
    return converted


API_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not logged in"}, 403: {"description": "Not allowed"},
    415: {"description": "Send JSON"}, 422: {"description": "Nothing to look up, or no reason"}}


@api_router.post("/identify", dependencies=[Depends(_require_json)], responses=API_ERRORS)
def api_identify(body: IdentifyRequest, user: CurrentUser, container: ContainerDep
                 ) -> dict[str, Any]:
    """Identify a caller: the matched people in every source you may see, each with a match
    probability, the reason (each field's level and weight), their ASB history and
    vulnerability markers; possible matches to confirm; and the repeat and vulnerable flags.
    Every look-up is audited with you and the reason."""
    if not user.actor.can(Permission.VIEW_PEOPLE):
        raise HTTPException(status_code=403, detail="You do not have permission to do this.")
    try:
        result = identify(container.uow(user.actor), caller=body.caller.details(),
                          reason=body.reason)
    except InvalidCaller as error:
        raise HTTPException(status_code=422, detail={"problems": error.problems}) from error
    return identification_json(result)


@api_router.post("/identify/feedback", status_code=204, responses=API_ERRORS,
                 dependencies=[Depends(_require_json)])
def api_identify_feedback(body: FeedbackRequest, user: CurrentUser, container: ContainerDep,
                          _csrf: CsrfChecked) -> Response:
    """Confirm (``same``) or reject (``different``) a possible match for these caller
    details. A rejected pair never links again; a confirmed one always does. Needs the
    session's ``X-CSRF-Token``."""
    try:
        record_match_feedback(container.uow(user.actor), caller=body.caller.details(),
                              record_id=body.record_id, verdict=body.verdict,
                              reason=body.reason)
    except InvalidCaller as error:
        raise HTTPException(status_code=422, detail={"problems": error.problems}) from error
    return Response(status_code=204)

