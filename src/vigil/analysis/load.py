"""Reading incidents, people and LSOAs from the store into an :class:`IncidentFrame`.

Every incident and person-record read goes through the store's restriction by actor, so a
partner's analysis never counts police-only incidents or records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

import numpy as np
from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.orm import Session

from vigil.analysis.frame import Area, IncidentFrame, PeopleLinks
from vigil.analysis.trends import month_date, month_number
from vigil.domain.access import Actor
from vigil.domain.incidents import PersonRole
from vigil.store import repositories as repo
from vigil.store.call_tables import RiskAssessment
from vigil.store.models import (
    Incident,
    IncidentPerson,
    Lsoa,
    Neighbourhood,
    PersonRecord,
    VulnerabilityMarker,
)
from vigil.store.repositories import IncidentCriteria

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def load_areas(session: Session) -> dict[str, Area]:
    """Every LSOA with its neighbourhood and local authority (public geography)."""
    rows = session.execute(
        select(Lsoa.code, Lsoa.name, Lsoa.population, Lsoa.latitude, Lsoa.longitude,
               Neighbourhood.code, Neighbourhood.name, Lsoa.local_authority_code,
               Lsoa.local_authority_name, Neighbourhood.local_authority_code,
               Neighbourhood.local_authority_name, Lsoa.police_force)
        .outerjoin(Neighbourhood, Lsoa.neighbourhood_id == Neighbourhood.id)
    )
    return {
        code: Area(code=code, name=name, population=int(pop or 0), latitude=lat, longitude=lon,
                   neighbourhood=n_code or "", neighbourhood_name=n_name or "",
                   local_authority=la or n_la or "", local_authority_name=la_name or n_la_name
                   or "", police_force=force or "")
        for code, name, pop, lat, lon, n_code, n_name, la, la_name, n_la, n_la_name, force
        in rows
    }


def _incident_select(actor: Actor, *, month_from: date, month_to: date,
                     lsoa_codes: Sequence[str] | None, category: str | None) -> Select[Incident]:
    criteria = IncidentCriteria(month_from=month_from, month_to=month_to, category=category)
    query = repo.visible_incidents(actor, criteria).order_by(None)
    if lsoa_codes is not None:
        query = query.where(Incident.lsoa_code.in_(list(lsoa_codes)))
    return query


def count_incidents(session: Session, actor: Actor, *, month_from: date, month_to: date,
                    lsoa_codes: Sequence[str] | None, category: str | None) -> int:
    """How many incidents ``actor`` may see in the months and LSOAs (``None``: anywhere)."""
    query = _incident_select(actor, month_from=month_from, month_to=month_to,
                             lsoa_codes=lsoa_codes, category=category)
    return session.scalar(query.with_only_columns(func.count(Incident.id))) or 0


def load_frame(session: Session, actor: Actor, *, period_first: date, period_last: date,
               lsoa_codes: Sequence[str] | None, category: str | None,
               areas: dict[str, Area] | None = None) -> IncidentFrame:
    """The incidents ``actor`` may see from twelve months before ``period_first`` to
    ``period_last``, in the LSOAs given (``None``: anywhere), of ``category`` (``None``: any;
    ``"not_recorded"``: none recorded), with their victims and suspects."""
    window_first = month_date(month_number(period_first) - 12)
    base = _incident_select(actor, month_from=window_first, month_to=period_last,
                            lsoa_codes=lsoa_codes, category=category)
    rows = session.execute(base.with_only_columns(
        Incident.id, Incident.occurred_at, Incident.occurred_month, Incident.latitude,
        Incident.longitude, Incident.address_id, Incident.lsoa_code, Incident.category,
        Incident.location_text, Incident.reference).order_by(Incident.id)).all()
    areas = areas if areas is not None else load_areas(session)
    n = len(rows)
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
    day = np.array([(r[1] - EPOCH).total_seconds() / 86400 if r[1] is not None else np.nan
                    for r in rows], dtype=np.float64)
    month = np.fromiter((month_number(r[2]) for r in rows), dtype=np.int64, count=n)
    lat = np.array([np.nan if r[3] is None else r[3] for r in rows], dtype=np.float64)
    lon = np.array([np.nan if r[4] is None else r[4] for r in rows], dtype=np.float64)
    lsoa = np.array([r[6] or "" for r in rows], dtype=object)
    no_area = Area("", "", 0, None, None, "", "", "", "")
    neighbourhood = np.array([areas.get(code, no_area).neighbourhood for code in lsoa],
                             dtype=object)
    place = np.array([f"address:{r[5]}" if r[5] is not None else f"point:{r[3]},{r[4]}"
                      for r in rows], dtype=object)
    index = {incident_id: k for k, incident_id in enumerate(ids.tolist())}
    first_visible = session.scalar(
        repo.visible_incidents(actor).with_only_columns(func.min(Incident.occurred_month))
        .order_by(None))
    return IncidentFrame(
        period_first=month_number(period_first), period_last=month_number(period_last),
        id=ids, reference=np.array([r[9] for r in rows], dtype=object), month=month, day=day,
        longitude=lon, latitude=lat, lsoa=lsoa,
        neighbourhood=neighbourhood, category=np.array([r[7] for r in rows], dtype=object),
        place=place, place_label=np.array([r[8] or "" for r in rows], dtype=object),
        areas=areas,
        people=_load_people(session, actor, base, index),
        earliest_month=month_number(first_visible) if first_visible else None,
        risk_level=_load_risk_levels(session, base, index),
    )


def _load_risk_levels(session: Session, incidents: Select[Incident],
                      index: dict[int, int]) -> np.ndarray:
    """The risk level of each incident's call (``""`` when it has no assessment). The
    incidents are already the ones the actor may see; a level without its answers is what a
    partner may be shown of an assessment (see ``services/victim_risk``)."""
    levels = np.full(len(index), "", dtype=object)
    incident_ids = incidents.with_only_columns(Incident.id).scalar_subquery()
    for incident_id, level in session.execute(
            select(RiskAssessment.incident_id, RiskAssessment.level)
            .where(RiskAssessment.incident_id.in_(incident_ids))):
        if incident_id in index:
            levels[index[incident_id]] = level
    return levels


def _load_people(session: Session, actor: Actor, incidents: Select[Incident],
                 index: dict[int, int]) -> PeopleLinks:
    incident_ids = incidents.with_only_columns(Incident.id).scalar_subquery()
    marked = exists().where(VulnerabilityMarker.person_record_id == PersonRecord.id)
    query = (
        select(IncidentPerson.incident_id, IncidentPerson.role, PersonRecord.id,
               PersonRecord.person_id, marked)
        .join(PersonRecord, IncidentPerson.person_record_id == PersonRecord.id)
        .where(and_(IncidentPerson.incident_id.in_(incident_ids),
                    IncidentPerson.role.in_([PersonRole.VICTIM.value,
                                             PersonRole.SUSPECT.value]),
                    repo.record_scope(actor)))
    )
    rows = [r for r in session.execute(query) if r[0] in index]
    keys = [f"person:{r[3]}" if r[3] is not None else f"record:{r[2]}" for r in rows]
    vulnerable_keys = {key for key, r in zip(keys, rows, strict=True) if r[4]}
    return PeopleLinks(
        incident=np.fromiter((index[r[0]] for r in rows), dtype=np.int64, count=len(rows)),
        person=np.array(keys, dtype=object),
        role=np.array([r[1] for r in rows], dtype=object),
        vulnerable=np.array([key in vulnerable_keys for key in keys], dtype=bool),
        resolved=np.array([r[3] is not None for r in rows], dtype=bool),
    )
