"""Queries behind the neighbourhood officer's pages, restricted by the acting user: their
tasks, their beat, the repeat and vulnerable victims on it, and contacts. Nothing here commits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from vigil.domain.access import Actor
from vigil.domain.cases import CaseStatus
from vigil.store.case_repository import case_scope
from vigil.store.case_review_queries import COMPLAINANT_ROLES
from vigil.store.case_tables import Case, CaseAction, CaseContact, UserNeighbourhood
from vigil.store.models import (
    Incident,
    IncidentPerson,
    Lsoa,
    Neighbourhood,
    PersonRecord,
    VulnerabilityMarker,
)
from vigil.store.repositories import incident_scope, record_scope


def _open_task_conditions(actor: Actor) -> list[ColumnElement[bool]]:
    mine = or_(CaseAction.assigned_user_id == actor.user_id,
               and_(CaseAction.assigned_user_id.is_(None),
                    CaseAction.assigned_agency_id == actor.agency_id))
    return [case_scope(actor), mine, CaseAction.done_at.is_(None),
            Case.status != CaseStatus.CLOSED.value]


def open_tasks(session: Session, actor: Actor, *, limit: int = 100,
               offset: int = 0) -> list[tuple[CaseAction, Case]]:
    """Actions not done on live cases ``actor`` may see, assigned to the actor or (with no
    officer named) to the actor's agency; the earliest due (so the overdue) first."""
    rows = session.execute(
        select(CaseAction, Case).join(Case, CaseAction.case_id == Case.id)
        .where(*_open_task_conditions(actor))
        .order_by(CaseAction.due_on, CaseAction.id).offset(offset).limit(limit)).unique()
    return [(action, case) for action, case in rows]


def count_open_tasks(session: Session, actor: Actor) -> int:
    """How many tasks :func:`open_tasks` would list without a limit."""
    return session.scalar(select(func.count()).select_from(CaseAction)
                          .join(Case, CaseAction.case_id == Case.id)
                          .where(*_open_task_conditions(actor))) or 0


def beat(session: Session, *, user_id: int) -> list[Neighbourhood]:
    return list(session.scalars(
        select(Neighbourhood).join(UserNeighbourhood,
                                   UserNeighbourhood.neighbourhood_id == Neighbourhood.id)
        .where(UserNeighbourhood.user_id == user_id).order_by(Neighbourhood.name)))


def beat_lsoas(session: Session, *, neighbourhood_ids: list[int]) -> list[str]:
    return list(session.scalars(select(Lsoa.code).where(
        Lsoa.neighbourhood_id.in_(neighbourhood_ids))))


def latest_month(session: Session) -> date | None:
    """The latest month any incident happened in (the data's latest month)."""
    return session.scalar(select(func.max(Incident.occurred_month)))


@dataclass
class BeatPerson:
    """One person (or a record no engine has linked yet) who called or was a victim on the
    beat in the window."""

    key: str
    record_ids: list[int] = field(default_factory=list)
    name: str = ""
    incidents: set[str] = field(default_factory=set)
    latest: date | None = None
    markers: set[str] = field(default_factory=set)
    last_contact: datetime | None = None


def beat_people(session: Session, actor: Actor, *, lsoa_codes: list[str],
                since: date) -> list[BeatPerson]:
    """Everyone who called or was a victim on these LSOAs since ``since``, as far as ``actor``
    may see, grouped by resolved person, with their markers and last contact."""
    if not lsoa_codes:
        return []
    rows = session.execute(
        select(PersonRecord.id, PersonRecord.person_id, PersonRecord.given_name,
               PersonRecord.family_name, Incident.reference, Incident.occurred_month)
        .join(IncidentPerson, IncidentPerson.person_record_id == PersonRecord.id)
        .join(Incident, Incident.id == IncidentPerson.incident_id)
        .where(Incident.lsoa_code.in_(lsoa_codes), Incident.occurred_month >= since,
               IncidentPerson.role.in_(COMPLAINANT_ROLES), incident_scope(actor),
               record_scope(actor))).all()
    people: dict[str, BeatPerson] = {}
    for row in rows:
        key = f"p{row.person_id}" if row.person_id is not None else f"r{row.id}"
        person = people.setdefault(key, BeatPerson(key=key))
        if row.id not in person.record_ids:
            person.record_ids.append(row.id)
        person.name = person.name or " ".join(
            p for p in (row.given_name, row.family_name) if p) or "(no name)"
        person.incidents.add(row.reference)
        if person.latest is None or row.occurred_month > person.latest:
            person.latest = row.occurred_month
    ids = [i for p in people.values() for i in p.record_ids]
    owner = {i: p for p in people.values() for i in p.record_ids}
    for record_id, kind in session.execute(select(
            VulnerabilityMarker.person_record_id, VulnerabilityMarker.kind)
            .where(VulnerabilityMarker.person_record_id.in_(ids))):
        owner[record_id].markers.add(kind)
    for contacted, last in session.execute(
            select(CaseContact.person_record_id, func.max(CaseContact.contacted_at))
            .where(CaseContact.person_record_id.in_(ids),
                   CaseContact.agency_id == actor.agency_id)
            .group_by(CaseContact.person_record_id)):
        assert contacted is not None  # filtered on it above
        person = owner[contacted]
        if person.last_contact is None or last > person.last_contact:
            person.last_contact = last
    return list(people.values())


def case_contacts(session: Session, *, case_id: int) -> list[CaseContact]:
    return list(session.scalars(select(CaseContact).where(CaseContact.case_id == case_id)
                                .order_by(CaseContact.contacted_at.desc(),
                                          CaseContact.id.desc())).unique())


def my_contacts(session: Session, actor: Actor, *, limit: int = 20) -> list[CaseContact]:
    return list(session.scalars(select(CaseContact).where(
        CaseContact.by_user_id == actor.user_id).order_by(CaseContact.contacted_at.desc(),
                                                          CaseContact.id.desc())
        .limit(limit)).unique())
