"""Supervisor alerts for high-risk calls, and the identification flags each call was given.

``note_recorded_call`` is called by ``record_call`` inside its transaction, so a high-risk
call and its alert are saved together or not at all. The supervisors of the recording agency
see the open alerts on every page until one of them acknowledges each (once: who and when are
kept, and audited).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from vigil.domain.access import Actor, NotFound, Permission, PermissionDenied
from vigil.domain.risk import RESPONSES, RiskLevel
from vigil.store.models import Incident, User
from vigil.store.repositories import incident_scope
from vigil.store.supervision_tables import CallFlags, SupervisorAlert
from vigil.store.types import utcnow
from vigil.store.uow import UnitOfWork


def note_recorded_call(session: Session, *, incident: Incident, level: RiskLevel,
                       flags: Iterable[str], now: datetime) -> None:
    """Keep the call's identification flags and, when its level requires it, alert the
    recording agency's supervisors. Never commits: the caller's transaction does."""
    names = set(flags)
    session.add(CallFlags(incident_id=incident.id, repeat_caller="repeat_caller" in names,
                          repeat_victim="repeat_victim" in names,
                          repeat_location="repeat_location" in names,
                          vulnerable="vulnerable" in names))
    if RESPONSES[level].alert_supervisor and incident.agency_id is not None:
        session.add(SupervisorAlert(incident_id=incident.id, agency_id=incident.agency_id,
                                    level=level.value, created_at=now))


def require_supervisor(actor: Actor) -> None:
    if not actor.can(Permission.SUPERVISE_CALLS) or actor.agency_id is None:
        raise PermissionDenied("the supervisor's view needs the supervise_calls permission")


def _mine(actor: Actor) -> ColumnElement[bool]:
    return (SupervisorAlert.agency_id == actor.agency_id) & incident_scope(actor)


def open_alert_count(session: Session, actor: Actor) -> int:
    """How many alerts wait for ``actor``'s agency's supervisors (0 for anyone else)."""
    if actor.is_system or not actor.can(Permission.SUPERVISE_CALLS):
        return 0
    return session.scalar(
        select(func.count(SupervisorAlert.id))
        .join(Incident, Incident.id == SupervisorAlert.incident_id)
        .where(_mine(actor), SupervisorAlert.acknowledged_at.is_(None))) or 0


@dataclass(frozen=True)
class AlertView:
    id: int
    reference: str
    level: str
    raised_at: datetime
    place: str
    acknowledged_at: datetime | None
    acknowledged_by: str | None


def open_alerts(uow: UnitOfWork, *, limit: int = 50) -> list[AlertView]:
    """The alerts not yet acknowledged for my agency, newest first."""
    require_supervisor(uow.actor)
    with uow:
        rows = uow.session.execute(
            select(SupervisorAlert, Incident.reference, Incident.location_text)
            .join(Incident, Incident.id == SupervisorAlert.incident_id)
            .where(_mine(uow.actor), SupervisorAlert.acknowledged_at.is_(None))
            .order_by(SupervisorAlert.created_at.desc(), SupervisorAlert.id.desc())
            .limit(limit)).all()
        return [AlertView(a.id, ref, a.level, a.created_at, place or "", None, None)
                for a, ref, place in rows]


def acknowledge_alert(uow: UnitOfWork, *, alert_id: int, now: datetime | None = None
                      ) -> AlertView:
    """Acknowledge one of my agency's alerts. Acknowledging it again changes nothing (the
    first supervisor and time stay); another agency's alert is ``NotFound``."""
    require_supervisor(uow.actor)
    with uow:
        session = uow.session
        row = session.execute(
            select(SupervisorAlert, Incident.reference, Incident.location_text)
            .join(Incident, Incident.id == SupervisorAlert.incident_id)
            .where(SupervisorAlert.id == alert_id, _mine(uow.actor))
            .with_for_update(of=SupervisorAlert)).one_or_none()
        if row is None:
            raise NotFound(f"alert {alert_id}")
        alert, reference, place = row
        if alert.acknowledged_at is None:
            alert.acknowledged_at = now or utcnow()
            alert.acknowledged_by_user_id = uow.actor.user_id
            uow.audit.record(action="acknowledge_alert", object_type="incident",
                             object_id=reference, reason="High-risk call alert",
                             detail={"alert": alert.id, "level": alert.level})
        by = session.scalar(select(User.full_name).where(
            User.id == alert.acknowledged_by_user_id))
        view = AlertView(alert.id, reference, alert.level, alert.created_at, place or "",
                         alert.acknowledged_at, by)
        uow.commit()
    return view
