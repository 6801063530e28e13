"""The supervisor's view of calls: open high-risk calls, overdue contacts (and recording that
contact was made, which closes the task), and the inspectorate's measures for any period.

Everything is restricted to the supervisor's own agency: the calls it recorded and the
response tasks assigned to it. Another agency's call or task answers "not found".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from vigil.domain.access import NotFound
from vigil.domain.inspection import (
    CallFacts,
    Measures,
    last_complete_month,
    measure,
    month_starts,
    previous_period,
    year_earlier,
)
from vigil.domain.officer import UK_TIME, validate_contact
from vigil.domain.problems import FieldProblems
from vigil.domain.risk import RiskLevel
from vigil.services.call_alerts import require_supervisor
from vigil.services.paging import Page
from vigil.store.call_tables import CallTask, RiskAssessment
from vigil.store.case_tables import CaseContact
from vigil.store.models import Incident, User
from vigil.store.repositories import incident_scope
from vigil.store.supervision_tables import CallFlags, SupervisorAlert
from vigil.store.types import utcnow
from vigil.store.uow import UnitOfWork

PAGE_SIZE = 10
CHART_MONTHS = 12


class InvalidSupervisionInput(FieldProblems):
    """``problems`` maps each field (``from``, ``to``, ``made_at``, ``kind``...) to what is
    wrong. Nothing was written."""


@dataclass(frozen=True)
class CallRow:
    """One call in the supervisor's lists."""

    task_id: int
    reference: str
    recorded_at: datetime
    place: str
    level: RiskLevel
    score: int
    raised_by: str
    response: str
    due_at: datetime
    overdue_by: timedelta | None
    alert_id: int | None
    alert_acknowledged_at: datetime | None
    alert_acknowledged_by: str | None


_CallQuery = Select[CallTask, Incident, RiskAssessment, SupervisorAlert, str]


def _calls(actor_agency: int) -> _CallQuery:
    return (select(CallTask, Incident, RiskAssessment, SupervisorAlert, User.full_name)
            .join(Incident, Incident.id == CallTask.incident_id)
            .join(RiskAssessment, RiskAssessment.incident_id == Incident.id)
            .outerjoin(SupervisorAlert, SupervisorAlert.incident_id == Incident.id)
            .outerjoin(User, User.id == SupervisorAlert.acknowledged_by_user_id)
            .where(CallTask.assigned_agency_id == actor_agency, CallTask.done_at.is_(None)))


def _page(session: Session, query: _CallQuery, *, page: int, now: datetime) -> Page[CallRow]:
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = session.execute(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    items = [CallRow(
        task_id=task.id, reference=incident.reference,
        recorded_at=incident.recorded_at or task.created_at,
        place=incident.location_text or "", level=RiskLevel(assessment.level),
        score=assessment.score, raised_by=assessment.raised_by, response=task.description,
        due_at=task.due_at, overdue_by=now - task.due_at if task.due_at < now else None,
        alert_id=alert.id if alert else None,
        alert_acknowledged_at=alert.acknowledged_at if alert else None,
        alert_acknowledged_by=by) for task, incident, assessment, alert, by in rows]
    return Page(items=items, total=total or 0, page=page, page_size=PAGE_SIZE)


def open_high_risk_calls(uow: UnitOfWork, *, page: int = 1, now: datetime | None = None
                         ) -> Page[CallRow]:
    """My agency's high-risk calls whose contact is not yet made, newest first."""
    require_supervisor(uow.actor)
    now = now or utcnow()
    with uow:
        query = (_calls(uow.actor.agency_id or 0)
                 .where(RiskAssessment.level == RiskLevel.HIGH.value, incident_scope(uow.actor))
                 .order_by(Incident.recorded_at.desc(), Incident.id.desc()))
        return _page(uow.session, query, page=page, now=now)


def overdue_contacts(uow: UnitOfWork, *, page: int = 1, now: datetime | None = None
                     ) -> Page[CallRow]:
    """Response tasks assigned to my agency, past their due time and not done; the most
    overdue first."""
    require_supervisor(uow.actor)
    now = now or utcnow()
    with uow:
        query = (_calls(uow.actor.agency_id or 0)
                 .where(CallTask.due_at < now, incident_scope(uow.actor))
                 .order_by(CallTask.due_at, CallTask.id))
        return _page(uow.session, query, page=page, now=now)


def task_to_close(uow: UnitOfWork, *, task_id: int, now: datetime | None = None) -> CallRow:
    """The open response task ``task_id`` of my agency (for the contact form); ``NotFound``
    when it is another agency's, done, or missing."""
    require_supervisor(uow.actor)
    with uow:
        query = _calls(uow.actor.agency_id or 0).where(CallTask.id == task_id,
                                                      incident_scope(uow.actor))
        found = _page(uow.session, query, page=1, now=now or utcnow()).items
    if not found:
        raise NotFound(f"task {task_id}")
    return found[0]


@dataclass(frozen=True)
class ContactMade:
    """What a supervisor records: when contact was made, by whom, how, and a note."""

    task_id: int
    made_at: str | datetime
    made_by: str
    kind: str
    note: str


def record_call_contact(uow: UnitOfWork, *, contact: ContactMade,
                        now: datetime | None = None) -> str:
    """Record that the contact a call required was made: closes the task (done at the time
    of contact) and keeps the contact with the incident. Every problem at once; the task must
    be assigned to my agency (else ``NotFound``). Returns the call's reference."""
    require_supervisor(uow.actor)
    now = now or utcnow()
    when, note, problems = validate_contact(kind=contact.kind, contacted_at=contact.made_at,
                                            summary=contact.note, targets=1, now=now)
    made_by = contact.made_by.strip()
    if not made_by:
        problems["made_by"] = "say who made the contact"
    elif len(made_by) > 200:
        problems["made_by"] = "use at most 200 characters"
    if "contacted_at" in problems:
        problems["made_at"] = problems.pop("contacted_at")
    if "summary" in problems:
        problems["note"] = problems.pop("summary")
    with uow:
        session = uow.session
        row = session.execute(
            select(CallTask, Incident).join(Incident, Incident.id == CallTask.incident_id)
            .where(CallTask.id == contact.task_id,
                   CallTask.assigned_agency_id == uow.actor.agency_id,
                   incident_scope(uow.actor))
            .with_for_update(of=CallTask)).one_or_none()
        if row is None:
            raise NotFound(f"task {contact.task_id}")
        task, incident = row
        if task.done_at is not None:
            problems["task"] = f"contact was already recorded ({task.done_at:%d %b %Y %H:%M})"
        if when is not None and incident.recorded_at and when < incident.recorded_at:
            problems["made_at"] = "the contact cannot be before the call"
        if problems:
            raise InvalidSupervisionInput(problems)
        assert when is not None
        task.done_at = when
        session.add(CaseContact(incident_id=incident.id, kind=contact.kind, contacted_at=when,
                                summary=note, by_user_id=uow.actor.user_id, by_name=made_by,
                                agency_id=uow.actor.agency_id))
        uow.audit.record(action="record_call_contact", object_type="incident",
                         object_id=incident.reference, reason="Contact the call required",
                         detail={"task": task.id, "after": {
                             "done_at": when.isoformat(), "kind": contact.kind,
                             "made_by": made_by}})
        uow.commit()
        return incident.reference


# ----- the inspectorate's measures --------------------------------------------------------

@dataclass(frozen=True)
class MonthShare:
    month: date
    measures: Measures


@dataclass(frozen=True)
class InspectionReport:
    """The measures for a period, beside the period before and the same period a year
    earlier, and the monthly measures for the chart."""

    current: Measures
    previous: Measures
    year_earlier: Measures
    months: list[MonthShare]


def parse_period(start: str | None, end: str | None, *, today: date
                 ) -> tuple[date, date]:
    """``from``/``to`` as YYYY-MM-DD (both blank: the last complete month). Every problem by
    field in one :class:`InvalidSupervisionInput`."""
    if not (start or "").strip() and not (end or "").strip():
        return last_complete_month(today)
    problems: dict[str, str] = {}
    parsed: dict[str, date] = {}
    for name, text in (("from", start), ("to", end)):
        try:
            parsed[name] = date.fromisoformat((text or "").strip())
        except ValueError:
            problems[name] = (f"{text!r} is not a date (YYYY-MM-DD)" if (text or "").strip()
                              else "give the date (YYYY-MM-DD)")
    if not problems and parsed["from"] > parsed["to"]:
        problems["to"] = "must not be before the start of the period"
    if not problems and (parsed["to"] - parsed["from"]).days > 3 * 366:
        problems["to"] = "choose a period of at most three years"
    if problems:
        raise InvalidSupervisionInput(problems)
    return parsed["from"], parsed["to"]


def _utc(day: date) -> datetime:
    """The start of a UK calendar day, in UTC."""
    return datetime.combine(day, time(0), tzinfo=UK_TIME).astimezone(UTC)


def _facts(session: Session, agency_id: int, actor_scope: ColumnElement[bool], *, start: date,
           end: date) -> list[CallFacts]:
    rows = session.execute(
        select(Incident.recorded_at, RiskAssessment.answers, CallFlags, CallTask.due_at,
               CallTask.done_at)
        .join(RiskAssessment, RiskAssessment.incident_id == Incident.id)
        .outerjoin(CallTask, CallTask.incident_id == Incident.id)
        .outerjoin(CallFlags, CallFlags.incident_id == Incident.id)
        .where(Incident.agency_id == agency_id, actor_scope,
               Incident.recorded_at >= _utc(start),
               Incident.recorded_at < _utc(end + timedelta(days=1)))).all()
    return [CallFacts(recorded_at=at, answers=answers,
                      flagged_repeat=bool(flags and (flags.repeat_caller or flags.repeat_victim)),
                      flagged_vulnerable=bool(flags and flags.vulnerable),
                      due_at=due, done_at=done)
            for at, answers, flags, due, done in rows if at is not None]


def inspection_report(uow: UnitOfWork, *, start: date, end: date,
                      now: datetime | None = None) -> InspectionReport:
    """The measures over my agency's calls recorded from ``start`` to ``end`` (UK dates,
    both included)."""
    require_supervisor(uow.actor)
    now = now or utcnow()
    previous, earlier = previous_period(start, end), year_earlier(start, end)
    months = month_starts(end, CHART_MONTHS)
    first = min(earlier[0], months[0], previous[0])
    with uow:
        facts = _facts(uow.session, uow.actor.agency_id or 0, incident_scope(uow.actor),
                       start=first, end=end)

    def over(a: date, b: date) -> Measures:
        lo, hi = _utc(a), _utc(b + timedelta(days=1))
        return measure([f for f in facts if lo <= f.recorded_at < hi], start=a, end=b, now=now)

    month_rows = []
    for month in months:
        following = month_starts(month.replace(day=28) + timedelta(days=4), 1)[0]
        month_rows.append(MonthShare(month, over(month, following - timedelta(days=1))))
    return InspectionReport(current=over(start, end), previous=over(*previous),
                            year_earlier=over(*earlier), months=month_rows)

