"""Queries behind the ASB Case Review (Community Trigger), restricted by the acting user: a
victim's complaints are only the incidents and person records the actor may see, and the cases
they are linked to only those in the actor's case scope. Nothing here commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vigil.domain.access import Actor
from vigil.domain.incidents import PersonRole
from vigil.store.case_repository import case_scope
from vigil.store.case_tables import Case, CaseIncident, CaseReviewThreshold, CaseTriggerReview
from vigil.store.models import Incident, IncidentPerson, Lsoa, PersonRecord
from vigil.store.repositories import incident_scope, record_scope

COMPLAINANT_ROLES = (PersonRole.CALLER.value, PersonRole.VICTIM.value)


@dataclass(frozen=True)
class ComplaintRow:
    """One incident the victim reported, with what the trigger rule needs."""

    reference: str
    recorded_at: datetime
    occurred_at: datetime | None
    occurred_month: date
    address_id: int | None
    lsoa_code: str | None
    local_authority_code: str | None
    category: str | None
    detailed_type: str
    location_text: str
    case_references: tuple[str, ...]


def same_person_records(session: Session, actor: Actor, *, person_record_id: int) -> list[int]:
    """The record and every record the identification engine linked to the same person, as far
    as ``actor`` may see them (empty when the record itself is out of sight)."""
    record = session.scalars(select(PersonRecord).where(
        PersonRecord.id == person_record_id, record_scope(actor))).unique().one_or_none()
    if record is None:
        return []
    if record.person_id is None:
        return [record.id]
    return list(session.scalars(select(PersonRecord.id).where(
        PersonRecord.person_id == record.person_id, record_scope(actor))))


def victim_complaints(session: Session, actor: Actor, *,
                      person_record_ids: list[int]) -> list[ComplaintRow]:
    """Every incident ``actor`` may see in which one of these records is caller or victim."""
    if not person_record_ids:
        return []
    incident_ids = select(IncidentPerson.incident_id).where(
        IncidentPerson.person_record_id.in_(person_record_ids),
        IncidentPerson.role.in_(COMPLAINANT_ROLES))
    rows = session.execute(
        select(Incident.id, Incident.reference, Incident.recorded_at, Incident.occurred_at,
               Incident.occurred_month, Incident.address_id, Incident.lsoa_code,
               Lsoa.local_authority_code, Incident.category, Incident.detailed_type,
               Incident.location_text)
        .outerjoin(Lsoa, Lsoa.code == Incident.lsoa_code)
        .where(Incident.id.in_(incident_ids), incident_scope(actor))
        .order_by(Incident.recorded_at, Incident.id)).all()
    cases: dict[int, list[str]] = {}
    for incident_id, reference in session.execute(
            select(CaseIncident.incident_id, Case.reference)
            .join(Case, Case.id == CaseIncident.case_id)
            .where(CaseIncident.incident_id.in_([r.id for r in rows]), case_scope(actor))):
        cases.setdefault(incident_id, []).append(reference)
    return [ComplaintRow(reference=r.reference, recorded_at=r.recorded_at,
                         occurred_at=r.occurred_at, occurred_month=r.occurred_month,
                         address_id=r.address_id, lsoa_code=r.lsoa_code,
                         local_authority_code=r.local_authority_code, category=r.category,
                         detailed_type=r.detailed_type, location_text=r.location_text,
                         case_references=tuple(sorted(cases.get(r.id, []))))
            for r in rows]


def local_threshold(session: Session, *, local_authority_code: str) -> CaseReviewThreshold | None:
    return session.get(CaseReviewThreshold, local_authority_code)


def all_thresholds(session: Session) -> list[CaseReviewThreshold]:
    return list(session.scalars(select(CaseReviewThreshold)
                                .order_by(CaseReviewThreshold.local_authority_code)))


def local_authorities(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every local authority among the LSOAs loaded (public geography)."""
    rows = session.execute(
        select(Lsoa.local_authority_code, func.max(Lsoa.local_authority_name))
        .where(Lsoa.local_authority_code.is_not(None))
        .group_by(Lsoa.local_authority_code)).all()
    return [(str(code), str(name or code)) for code, name in rows]


def force_local_authorities(session: Session, *, force_name: str) -> set[str]:
    """The codes of the local authorities holding LSOAs of ``force_name`` (empty when no LSOA
    is marked with a force: a synthetic area, where every authority is the force's)."""
    return {str(code) for code in session.scalars(
        select(Lsoa.local_authority_code).distinct()
        .where(Lsoa.police_force == force_name, Lsoa.local_authority_code.is_not(None)))}


def local_authority_name(session: Session, *, code: str) -> str | None:
    return session.scalar(select(Lsoa.local_authority_name)
                          .where(Lsoa.local_authority_code == code).limit(1))


def trigger_reviews(session: Session, *, case_id: int) -> list[CaseTriggerReview]:
    return list(session.scalars(
        select(CaseTriggerReview).where(CaseTriggerReview.case_id == case_id)
        .order_by(CaseTriggerReview.applied_on.desc(), CaseTriggerReview.id.desc())).unique())
