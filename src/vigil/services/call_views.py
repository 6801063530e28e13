"""Reading a recorded call back: the summary the handler sees after saving (audited, since it
names the caller)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from vigil.domain.access import NotFound, Permission, PermissionDenied
from vigil.domain.incidents import Category, DetailedType
from vigil.domain.risk import RESPONSES, THRIVE_FIELDS, RiskLevel
from vigil.services.risk_versions import questionnaire_by_id
from vigil.store.call_tables import CallTask, RiskAssessment
from vigil.store.repositories import find_incident, incident_people
from vigil.store.uow import UnitOfWork

_STATUS_WORDS = {"declined": "Caller declined", "not_asked": "Not asked"}


@dataclass(frozen=True)
class AnsweredQuestion:
    text: str
    answer: str
    reason: str


@dataclass(frozen=True)
class CallSummary:
    reference: str
    occurred_at: datetime | None
    place: str
    lsoa_code: str | None
    category: str
    detailed_type: str
    description: str
    people: list[tuple[str, str]]
    level: RiskLevel
    score: int
    raised_by: str
    response: str
    alert_supervisor: bool
    due_at: datetime | None
    questionnaire_version: int
    answers: list[AnsweredQuestion]
    thrive: list[tuple[str, str]]


def view_call(uow: UnitOfWork, *, reference: str) -> CallSummary:
    """The call ``reference`` with its risk assessment and task; ``NotFound`` when it does not
    exist, is outside the user's scope, or has no assessment."""
    if not uow.actor.can(Permission.VIEW_PEOPLE):
        raise PermissionDenied("viewing a call needs the view_people permission")
    with uow:
        session = uow.session
        incident = find_incident(session, uow.actor, reference=reference)
        if incident is None:
            raise NotFound(reference)
        assessment = session.scalars(select(RiskAssessment).where(
            RiskAssessment.incident_id == incident.id)).one_or_none()
        if assessment is None:
            raise NotFound(reference)
        questionnaire = questionnaire_by_id(session, assessment.questionnaire_id)
        task = session.scalars(select(CallTask).where(CallTask.incident_id == incident.id)
                               .order_by(CallTask.id)).first()
        people = [(p.record.display_name, p.role)
                  for p in incident_people(session, uow.actor, incident_id=incident.id)]
        answers = []
        for question in questionnaire.questions:
            given = assessment.answers.get(question.key, {})
            option = question.option(given.get("value", ""))
            answers.append(AnsweredQuestion(
                text=question.text,
                answer=option.label if given.get("status") == "answered" and option
                else _STATUS_WORDS.get(given.get("status", ""), "—"),
                reason=given.get("reason", "")))
        level = RiskLevel(assessment.level)
        summary = CallSummary(
            reference=incident.reference, occurred_at=incident.occurred_at,
            place=incident.location_text, lsoa_code=incident.lsoa_code,
            category=Category(incident.category).label if incident.category else "",
            detailed_type=DetailedType(incident.detailed_type).label,
            description=incident.description, people=people, level=level,
            score=assessment.score, raised_by=assessment.raised_by,
            response=RESPONSES[level].summary, alert_supervisor=RESPONSES[level].alert_supervisor,
            due_at=task.due_at if task else None, questionnaire_version=questionnaire.version,
            answers=answers,
            thrive=[(label, assessment.thrive.get(key, "")) for key, label in THRIVE_FIELDS])
        uow.audit.record(action="view_call", object_type="incident", object_id=reference,
                         reason="Call summary")
        uow.commit()
    return summary
