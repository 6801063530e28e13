"""The risk assessments of a victim's calls, restricted by the acting user. Nothing here commits.

An assessment belongs to the victim of the call it was asked on (every recorded call has a
victim row, the caller's own record when they were the victim). A partner sees an assessment
only when they may see both its incident and the victim's record on it (``incident_scope`` and
``record_scope``): a police-only call, or a call from a police-only source, stays police-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigil.domain.access import Actor
from vigil.domain.incidents import PersonRole
from vigil.store.call_tables import RiskAssessment
from vigil.store.models import Incident, IncidentPerson, PersonRecord
from vigil.store.repositories import incident_scope, record_scope


@dataclass(frozen=True)
class AssessmentRow:
    reference: str  # the call's incident reference
    level: str
    score: int
    assessed_at: datetime


def victim_assessments(session: Session, actor: Actor, *,
                       person_record_ids: list[int]) -> list[AssessmentRow]:
    """Every assessment ``actor`` may see of a call on which one of these records is the
    victim, oldest first."""
    if not person_record_ids:
        return []
    rows = session.execute(
        select(Incident.reference, RiskAssessment.level, RiskAssessment.score,
               RiskAssessment.assessed_at)
        .join(Incident, Incident.id == RiskAssessment.incident_id)
        .where(Incident.id.in_(
            select(IncidentPerson.incident_id)
            .join(PersonRecord, PersonRecord.id == IncidentPerson.person_record_id)
            .where(IncidentPerson.person_record_id.in_(person_record_ids),
                   IncidentPerson.role == PersonRole.VICTIM.value, record_scope(actor))),
               incident_scope(actor))
        .order_by(RiskAssessment.assessed_at, RiskAssessment.id)).all()
    return [AssessmentRow(reference=r.reference, level=r.level, score=r.score,
                          assessed_at=r.assessed_at) for r in rows]
