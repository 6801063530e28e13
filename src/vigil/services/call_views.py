"""Reading a recorded call back: the summary the handler sees after saving (audited, since it
names the caller)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from vigil.domain.access import Actor, NotFound, Permission, PermissionDenied
from vigil.domain.incidents import Category, DetailedType
from vigil.domain.risk import RESPONSES, THRIVE_FIELDS, RiskLevel
from vigil.services.risk_versions import questionnaire_by_id
from vigil.store.call_detail_tables import IncidentPersonDetail
from vigil.store.call_tables import CallTask, RiskAssessment
from vigil.store.models import Incident, Neighbourhood
from vigil.store.repositories import find_incident, incident_people, incident_scope
from vigil.store.uow import UnitOfWork

_STATUS_WORDS = {"declined": "Caller declined", "not_asked": "Not asked"}


@dataclass(frozen=True)
class AnsweredQuestion:
    text: str
    answer: str
    reason: str


@dataclass(frozen=True)
class CallPerson:
    """Someone in the call, in their roles ("caller, victim"), with what the handler said of
    them."""

    name: str
    role: str
    nickname: str = ""
    description: str = ""


_ROLE_ORDER = {"caller": 0, "victim": 1, "witness": 2, "suspect": 3}


@dataclass(frozen=True)
class CallSummary:
    reference: str
    occurred_at: datetime | None
    place: str
    lsoa_code: str | None
    lsoa_name: str | None
    neighbourhood: str | None
    latitude: float | None
    longitude: float | None
    category: str
    detailed_type: str
    description: str
    people: list[CallPerson]
    level: RiskLevel
    score: int
    raised_by: str
    response: str
    alert_supervisor: bool
    due_at: datetime | None
    questionnaire_version: int
    answers: list[AnsweredQuestion]
    thrive: list[tuple[str, str]]


def may_view_calls(actor: Actor) -> bool:
    """Call summaries hold the risk answers and a grading raised by police-only records, so
    they are police-only: police users who may see people."""
    return actor.is_police and actor.can(Permission.VIEW_PEOPLE)


def call_summary_reference(uow: UnitOfWork, *, reference: str) -> str | None:
    """The reference to link to the call summary of incident ``reference`` (its risk
    assessment), or ``None`` when it has none or the user may not see it."""
    if not may_view_calls(uow.actor):
        return None
    with uow:
        found = uow.session.scalar(
            select(Incident.reference).join(RiskAssessment,
                                            RiskAssessment.incident_id == Incident.id)
            .where(Incident.reference == reference, incident_scope(uow.actor)))
    return found


def view_call(uow: UnitOfWork, *, reference: str) -> CallSummary:
    """The call ``reference`` with its risk assessment and task; ``NotFound`` when it does not
    exist, is outside the user's scope, or has no assessment; ``PermissionDenied`` for users
    who may not see call summaries (see :func:`may_view_calls`)."""
    if not may_view_calls(uow.actor):
        raise PermissionDenied("call summaries and risk assessments are for police users who "
                               "may see people")
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
        links = incident_people(session, uow.actor, incident_id=incident.id)
        details = {d.incident_person_id: d for d in session.scalars(
            select(IncidentPersonDetail).where(IncidentPersonDetail.incident_person_id.in_(
                [link.id for link in links])))}
        roles: dict[int, list[str]] = {}
        for link in links:  # a caller who is the victim is one person in two roles
            roles.setdefault(link.person_record_id, []).append(link.role)
        shown: dict[int, CallPerson] = {}
        for link in sorted(links, key=lambda k: _ROLE_ORDER.get(k.role, 9)):
            if link.person_record_id in shown:
                continue
            detail = details.get(link.id)
            shown[link.person_record_id] = CallPerson(
                name="(name not known)" if link.record.display_name == "(no name)"
                else link.record.display_name,
                role=", ".join(sorted(roles[link.person_record_id],
                                      key=lambda r: _ROLE_ORDER.get(r, 9))),
                nickname=detail.nickname if detail else "",
                description=detail.description if detail else "")
        people = list(shown.values())
        lsoa = incident.lsoa
        neighbourhood = (session.get(Neighbourhood, lsoa.neighbourhood_id)
                         if lsoa is not None and lsoa.neighbourhood_id is not None else None)
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
            lsoa_name=lsoa.name if lsoa else None,
            neighbourhood=neighbourhood.name if neighbourhood else None,
            latitude=incident.latitude, longitude=incident.longitude,
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
