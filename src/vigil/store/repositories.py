"""Queries restricted to what the acting user may see. Every function takes the :class:`Actor`.

The rule today (DESIGN.md, "Non-negotiables"):

- police users (and the system) see every incident and every person record;
- partner users (council, housing) see incidents that are not police-only and do not come from a
  police-only source, and never a person record that is police-only or from a police-only source.

Case-level sharing (a partner seeing only what is shared with its agency through a case) arrives
with cases; until then a partner sees every incident that is not police-only. An object outside
the actor's scope is simply not returned, so callers answer "not found" exactly as for a missing
one. Nothing here commits: the service that opened the unit of work owns the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, true
from sqlalchemy.orm import Session, joinedload

from vigil.domain.access import Actor
from vigil.store.models import (
    CrimeRecord,
    ImportedFile,
    Incident,
    IncidentPerson,
    Lsoa,
    Neighbourhood,
    PersonRecord,
    SiteFact,
    Source,
    User,
)


@dataclass(frozen=True)
class IncidentCriteria:
    """Search and filters for an incident list; ``None`` means "any"."""

    text: str | None = None
    source_code: str | None = None
    category: str | None = None
    month_from: date | None = None
    month_to: date | None = None
    neighbourhood_code: str | None = None


def incident_scope(actor: Actor) -> ColumnElement[bool]:
    if actor.is_police:
        return true()
    police_only_source = select(Source.id).where(Source.police_only.is_(True))
    return and_(Incident.police_only.is_(False), Incident.source_id.not_in(police_only_source))


def record_scope(actor: Actor) -> ColumnElement[bool]:
    if actor.is_police:
        return true()
    police_only_source = select(Source.id).where(Source.police_only.is_(True))
    return and_(PersonRecord.police_only.is_(False),
                PersonRecord.source_id.not_in(police_only_source))


def _matching(criteria: IncidentCriteria) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if criteria.text:
        text = criteria.text
        conditions.append(or_(
            Incident.reference.icontains(text, autoescape=True),
            Incident.location_text.icontains(text, autoescape=True),
            Incident.description.icontains(text, autoescape=True),
        ))
    if criteria.source_code:
        conditions.append(Incident.source_id.in_(
            select(Source.id).where(Source.code == criteria.source_code)))
    if criteria.category == "not_recorded":
        conditions.append(Incident.category.is_(None))
    elif criteria.category:
        conditions.append(Incident.category == criteria.category)
    if criteria.month_from:
        conditions.append(Incident.occurred_month >= criteria.month_from)
    if criteria.month_to:
        conditions.append(Incident.occurred_month <= criteria.month_to)
    if criteria.neighbourhood_code:
        conditions.append(Incident.lsoa_code.in_(
            select(Lsoa.code).join(Neighbourhood, Lsoa.neighbourhood_id == Neighbourhood.id)
            .where(Neighbourhood.code == criteria.neighbourhood_code)))
    return conditions


def visible_incidents(actor: Actor,
                      criteria: IncidentCriteria | None = None) -> Select[Incident]:
    """``SELECT`` of the incidents ``actor`` may see that match ``criteria``, newest first."""
    conditions = [incident_scope(actor), *_matching(criteria or IncidentCriteria())]
    return (
        select(Incident).where(*conditions)
        .order_by(Incident.occurred_month.desc(), Incident.occurred_at.desc().nulls_last(),
                  Incident.id.desc())
    )


def count_incidents(session: Session, actor: Actor, criteria: IncidentCriteria) -> int:
    """How many incidents ``actor`` may see match ``criteria``."""
    conditions = [incident_scope(actor), *_matching(criteria)]
    return session.scalar(select(func.count()).select_from(Incident).where(*conditions)) or 0


def incident_page(session: Session, actor: Actor, *, criteria: IncidentCriteria, offset: int,
                  limit: int) -> list[Incident]:
    """One page of the visible incidents, with their source and LSOA (and its neighbourhood)."""
    query = (
        visible_incidents(actor, criteria)
        .options(joinedload(Incident.lsoa).joinedload(Lsoa.neighbourhood))
        .offset(offset).limit(limit)
    )
    return list(session.scalars(query).unique())


def find_incident(session: Session, actor: Actor, *, reference: str) -> Incident | None:
    """The incident with this reference if ``actor`` may see it; ``None`` if missing or not."""
    query = (
        select(Incident).where(Incident.reference == reference, incident_scope(actor))
        .options(joinedload(Incident.lsoa).joinedload(Lsoa.neighbourhood),
                 joinedload(Incident.address))
    )
    return session.scalars(query).unique().one_or_none()


def incident_people(session: Session, actor: Actor, *, incident_id: int) -> list[IncidentPerson]:
    """The people in an incident whose records ``actor`` may see (police-only ones never reach
    a partner), with each record's source and vulnerability markers."""
    query = (
        select(IncidentPerson)
        .join(PersonRecord, IncidentPerson.person_record_id == PersonRecord.id)
        .where(IncidentPerson.incident_id == incident_id, record_scope(actor))
        .options(joinedload(IncidentPerson.record).selectinload(PersonRecord.markers))
        .order_by(IncidentPerson.role, PersonRecord.family_name, PersonRecord.id)
    )
    return list(session.scalars(query).unique())


def latest_incident_month(session: Session, actor: Actor) -> date | None:
    """The most recent month any visible incident happened in."""
    return session.scalar(select(func.max(Incident.occurred_month)).where(incident_scope(actor)))


def incidents_by_category(session: Session, actor: Actor, *, month_from: date,
                          month_to: date) -> dict[str | None, int]:
    """Visible incidents per category (``None``: not recorded) between two months inclusive."""
    rows = session.execute(
        select(Incident.category, func.count()).where(
            incident_scope(actor), Incident.occurred_month.between(month_from, month_to))
        .group_by(Incident.category)
    )
    return dict(rows.all())


def incidents_by_neighbourhood(session: Session, actor: Actor, *, month_from: date,
                               month_to: date) -> dict[int, int]:
    """Visible incidents per neighbourhood id between two months inclusive."""
    rows = session.execute(
        select(Lsoa.neighbourhood_id, func.count(Incident.id))
        .join(Lsoa, Incident.lsoa_code == Lsoa.code)
        .where(incident_scope(actor), Incident.occurred_month.between(month_from, month_to),
               Lsoa.neighbourhood_id.is_not(None))
        .group_by(Lsoa.neighbourhood_id)
    )
    return {neighbourhood_id: count for neighbourhood_id, count in rows if neighbourhood_id}


@dataclass(frozen=True)
class NeighbourhoodFigures:
    """A neighbourhood with its LSOA count and population (sum of its LSOAs' populations)."""

    id: int
    code: str
    name: str
    local_authority_name: str
    lsoa_count: int
    population: int


def neighbourhoods(session: Session) -> list[NeighbourhoodFigures]:
    """Every neighbourhood with LSOA count and population, by local authority then name.

    Geography is public (ONS open data), so it is not restricted by actor.
    """
    rows = session.execute(
        select(Neighbourhood.id, Neighbourhood.code, Neighbourhood.name,
               Neighbourhood.local_authority_name, func.count(Lsoa.code),
               func.coalesce(func.sum(Lsoa.population), 0))
        .outerjoin(Lsoa, Lsoa.neighbourhood_id == Neighbourhood.id)
        .group_by(Neighbourhood.id, Neighbourhood.code, Neighbourhood.name,
                  Neighbourhood.local_authority_name)
        .order_by(Neighbourhood.local_authority_name, Neighbourhood.name)
    )
    return [NeighbourhoodFigures(id=i, code=c, name=n, local_authority_name=la,
                                 lsoa_count=int(count), population=int(pop or 0))
            for i, c, n, la, count, pop in rows]


def sources(session: Session, actor: Actor) -> list[Source]:
    """The sources ``actor`` may know about (partners are not shown police-only sources)."""
    query = select(Source).order_by(Source.name)
    if not actor.is_police:
        query = query.where(Source.police_only.is_(False))
    return list(session.scalars(query))


def incidents_per_source(session: Session, actor: Actor) -> dict[int, int]:
    """How many visible incidents each source holds, by source id."""
    rows = session.execute(
        select(Incident.source_id, func.count()).where(incident_scope(actor))
        .group_by(Incident.source_id)
    )
    return dict(rows.all())


def crime_records_per_source(session: Session, actor: Actor) -> dict[int, int]:
    """How many crime records each source holds that ``actor`` may see, by source id."""
    query = select(CrimeRecord.source_id, func.count()).group_by(CrimeRecord.source_id)
    if not actor.is_police:
        query = query.where(CrimeRecord.source_id.not_in(
            select(Source.id).where(Source.police_only.is_(True))))
    return dict(session.execute(query).all())


def person_records_per_source(session: Session, actor: Actor) -> dict[int, int]:
    """How many person records each source holds that ``actor`` may see, by source id."""
    rows = session.execute(
        select(PersonRecord.source_id, func.count()).where(record_scope(actor))
        .group_by(PersonRecord.source_id)
    )
    return dict(rows.all())


def imported_files(session: Session) -> list[tuple[ImportedFile, str]]:
    """Every imported file with its source's name, newest import first."""
    rows = session.execute(
        select(ImportedFile, Source.name).join(Source, ImportedFile.source_id == Source.id)
        .order_by(ImportedFile.imported_at.desc(), ImportedFile.file_name)
    )
    return list(rows.all())


def site_fact(session: Session, key: str) -> dict[str, object] | None:
    """The value of one fact about this install, or ``None``."""
    fact = session.get(SiteFact, key)
    return dict(fact.value) if fact is not None else None


def active_user(session: Session, *, user_id: int) -> User | None:
    """The signed-in user, with their agency, if the account still exists and is active."""
    user = session.scalar(
        select(User).where(User.id == user_id, User.is_active.is_(True))
        .options(joinedload(User.agency))
    )
    return user

