"""The supervisor's view: ``/supervision`` (alerts, open high-risk calls, overdue contacts and
the inspectorate's measures for a period), acknowledging an alert, recording that contact was
made, and ``GET /api/supervision/measures``. Thin: parse, call one service, render."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from vigil.domain.inspection import VULNERABILITY_QUESTIONS, Measures
from vigil.domain.officer import CONTACT_KINDS
from vigil.services.call_alerts import acknowledge_alert, open_alerts, require_supervisor
from vigil.services.paging import parse_page_number
from vigil.services.risk_versions import questionnaire_to_ask
from vigil.services.supervision import (
    ContactMade,
    InvalidSupervisionInput,
    inspection_report,
    open_high_risk_calls,
    overdue_contacts,
    parse_period,
    record_call_contact,
    task_to_close,
)
from vigil.store.types import utcnow
from vigil.web.deps import ContainerDep, CsrfChecked, CurrentUser
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api", tags=["supervision"])

CONTACT_LABELS = {"made_at": "When contact was made", "made_by": "Who made contact",
                  "kind": "How", "note": "Note", "task": "Task"}


@router.get("/supervision")
def supervision(request: Request, user: CurrentUser, container: ContainerDep) -> Response:
    """The supervisor's page. Bad dates or page numbers are listed, and the default period
    (the last complete month) is shown instead."""
    require_supervisor(user.actor)
    query = request.query_params
    page_problems: dict[str, str] = {}
    high_page = parse_page_number(query.get("high_page"), page_problems)
    overdue_page = parse_page_number(query.get("overdue_page"), page_problems)
    problems = {"page": "page numbers are whole numbers from 1"} if page_problems else {}
    today = utcnow().date()
    try:
        start, end = parse_period(query.get("from"), query.get("to"), today=today)
    except InvalidSupervisionInput as error:
        problems.update(error.problems)
        start, end = parse_period(None, None, today=today)
    page_numbers = (1, 1) if "page" in problems else (high_page, overdue_page)
    report = inspection_report(container.uow(user.actor), start=start, end=end)
    questionnaire = questionnaire_to_ask(container.uow(user.actor))
    questions = {q.key: q.text for q in questionnaire.questions}
    return render(request, "supervision/page.html", {
        "alerts": open_alerts(container.uow(user.actor)),
        "high": open_high_risk_calls(container.uow(user.actor), page=page_numbers[0]),
        "overdue": overdue_contacts(container.uow(user.actor), page=page_numbers[1]),
        "report": report, "start": start, "end": end, "problems": problems,
        "values": {"from": query.get("from", start.isoformat()),
                   "to": query.get("to", end.isoformat())},
        "earlier_question": questions.get("earlier_incidents", "Earlier incidents"),
        "vulnerability_questions": [questions.get(k, k) for k in VULNERABILITY_QUESTIONS],
        "acknowledged": query.get("acknowledged", ""),
        "contact_saved": query.get("contact", ""),
    }, status_code=400 if problems else 200)


@router.post("/supervision/alerts/{alert_id}/acknowledge")
def acknowledge(alert_id: int, user: CurrentUser, container: ContainerDep,
                _csrf: CsrfChecked) -> Response:
    """Acknowledge one alert (once: a second click changes nothing) and go back."""
    alert = acknowledge_alert(container.uow(user.actor), alert_id=alert_id)
    return RedirectResponse(f"/supervision?acknowledged={alert.reference}#alerts",
                            status_code=303)


def _contact_page(request: Request, container: Any, user: Any, *, task_id: int,
                  values: dict[str, str], problems: dict[str, str]) -> Response:
    row = task_to_close(container.uow(user.actor), task_id=task_id)
    return render(request, "supervision/contact.html", {
        "row": row, "values": values, "problems": problems, "labels": CONTACT_LABELS,
        "kinds": CONTACT_KINDS}, status_code=400 if problems else 200)


@router.get("/supervision/tasks/{task_id}/contact")
def contact_form(request: Request, task_id: int, user: CurrentUser,
                 container: ContainerDep) -> Response:
    """The form to record that the contact a call required was made."""
    return _contact_page(request, container, user, task_id=task_id, values={}, problems={})


@router.post("/supervision/tasks/{task_id}/contact")
async def save_contact(request: Request, task_id: int, user: CurrentUser,
                       container: ContainerDep, _csrf: CsrfChecked) -> Response:
    """Record the contact and close the task, or show the form again with every problem."""
    form = await request.form()
    values = {k: str(form.get(k, "")).strip()[:2000]
              for k in ("made_at", "made_by", "kind", "note")}
    try:
        reference = record_call_contact(container.uow(user.actor), contact=ContactMade(
            task_id=task_id, **values))
    except InvalidSupervisionInput as error:
        return _contact_page(request, container, user, task_id=task_id, values=values,
                             problems=error.problems)
    return RedirectResponse(f"/supervision?contact={reference}#overdue", status_code=303)


# ----- JSON API ---------------------------------------------------------------------------

def _measures_json(m: Measures) -> dict[str, Any]:
    def share(s: Any) -> dict[str, Any]:
        return {"count": s.count, "total": s.total,
                "percent": None if s.percent is None else round(s.percent, 1)}

    data = asdict(m)
    return {
        "from": m.start.isoformat(), "to": m.end.isoformat(), "calls": m.calls,
        "earlier_asb_asked": share(m.earlier_asb_asked),
        "vulnerability_asked": share(m.vulnerability_asked),
        "all_vulnerability_asked": share(m.all_vulnerability_asked),
        "repeat_or_vulnerable_identified": share(m.identified),
        "identified_by_lookup": m.identified_by_lookup,
        "identified_by_answers": m.identified_by_answers,
        "contact": {"made": m.contact.made,
                    "median_hours": _round(data["contact"]["median_hours"]),
                    "p90_hours": _round(data["contact"]["p90_hours"]),
                    "within_due_time": share(m.contact.in_time)},
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


@api_router.get("/supervision/measures",
                responses={401: {"description": "Not logged in"},
                           403: {"description": "Not a supervisor"},
                           422: {"description": "Bad dates, by field (from, to)"}})
def api_measures(request: Request, user: CurrentUser, container: ContainerDep
                 ) -> dict[str, Any]:
    """The inspectorate's measures over my agency's calls recorded from ``from`` to ``to``
    (UK dates, YYYY-MM-DD, both included; neither: the last complete month), beside the
    period before and the same period a year earlier. Counts and denominators included."""
    require_supervisor(user.actor)
    query = request.query_params
    try:
        start, end = parse_period(query.get("from"), query.get("to"), today=utcnow().date())
    except InvalidSupervisionInput as error:
        raise HTTPException(status_code=422, detail={"problems": error.problems}) from error
    report = inspection_report(container.uow(user.actor), start=start, end=end)
    return {"period": _measures_json(report.current),
            "previous_period": _measures_json(report.previous),
            "year_earlier": _measures_json(report.year_earlier),
            "months": [_measures_json(m.measures) for m in report.months],
            "definitions": DEFINITIONS}


DEFINITIONS = {
    "calls": "Calls your agency recorded in the period (UK dates), with a risk assessment.",
    "earlier_asb_asked": "The earlier-incidents question answered or declined by the caller "
                         "(not 'not asked').",
    "vulnerability_asked": "At least one of the vulnerability questions answered or declined: "
                           + ", ".join(VULNERABILITY_QUESTIONS) + ".",
    "all_vulnerability_asked": "Every one of those questions answered or declined.",
    "repeat_or_vulnerable_identified": "The look-up flagged the caller or victim as a repeat "
                                       "caller, repeat victim or vulnerable, or the answers "
                                       "showed earlier ASB or a vulnerability.",
    "contact": "Hours from the call to the neighbourhood contact; within due time counts "
               "the calls whose contact was made or is already due.",
}
