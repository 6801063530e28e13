"""Case queries restricted by the acting user. :func:`case_scope` is the one rule:

- an agency sees the cases it owns and the cases currently shared with it (a withdrawn share
  no longer counts);
- inside a visible case, a partner never sees police-only notes, police-only incidents or
  police-only person records (nor records from police-only sources);
- the system actor (CLI, seeding) sees everything.

Nothing outside the scope is returned, so the service answers "not found" exactly as for a
missing case. Nothing here commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, or_, select, true
from sqlalchemy.orm import Session

from vigil.domain.access import Actor
from vigil.domain.cases import CaseStatus
from vigil.store.case_tables import (
    Case,
    CaseAction,
    CaseIncident,
    CaseIntervention,
    CaseLocation,
    CaseNote,
    CaseParty,
    CaseReview,
    CaseShare,
    CaseStatusChange,
)
from vigil.store.models import Agency, Incident, PersonRecord, User
from vigil.store.repositories import incident_scope, record_scope


def case_scope(actor: Actor) -> ColumnElement[bool]:
    """The condition on ``Case`` rows that ``actor`` may see."""
    if actor.is_system:
        return true()
    if actor.agency_id is None:
        return false()
    shared_with_us = exists().where(
        CaseShare.case_id == Case.id, CaseShare.agency_id == actor.agency_id,
        CaseShare.withdrawn_at.is_(None))
    return or_(Case.owning_agency_id == actor.agency_id, shared_with_us)


@dataclass(frozen=True)
class CaseCriteria:
    """Which cases a list shows. ``scope``: ``mine`` (I own them), ``agency`` (my agency owns
    them), ``shared`` (another agency shares them with mine) or ``all`` I may see."""

    scope: str = "all"
    text: str | None = None
    status: str | None = None  # a CaseStatus value, or "live" for anything not closed


def _matching(actor: Actor, criteria: CaseCriteria) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [case_scope(actor)]
    if criteria.scope == "mine":
        conditions.append(Case.owner_user_id == actor.user_id)
    elif criteria.scope == "agency":
        conditions.append(Case.owning_agency_id == actor.agency_id)
    elif criteria.scope == "shared":
        conditions.append(Case.owning_agency_id != actor.agency_id)
    if criteria.status == "live":
        conditions.append(Case.status != CaseStatus.CLOSED.value)
    elif criteria.status:
        conditions.append(Case.status == criteria.status)
    if criteria.text:
        text = criteria.text
        conditions.append(or_(Case.reference.icontains(text, autoescape=True),
                              Case.title.icontains(text, autoescape=True),
                              Case.summary.icontains(text, autoescape=True)))
    return conditions


def count_cases(session: Session, actor: Actor, criteria: CaseCriteria) -> int:
    return session.scalar(
        select(func.count()).select_from(Case).where(*_matching(actor, criteria))) or 0


def case_page(session: Session, actor: Actor, *, criteria: CaseCriteria, offset: int,
              limit: int) -> list[Case]:
    """One page of the visible cases matching ``criteria``, most recently changed first."""
    query = (select(Case).where(*_matching(actor, criteria))
             .order_by(Case.updated_at.desc(), Case.id.desc()).offset(offset).limit(limit))
    return list(session.scalars(query).unique())


def find_case(session: Session, actor: Actor, *, reference: str,
              for_update: bool = False) -> Case | None:
    """The case if ``actor`` may see it; ``None`` if missing or not. ``for_update`` locks the
    row so that a write is re-checked against the scope inside its own transaction."""
    query: Select[Case] = select(Case).where(Case.reference == reference,
                                                    case_scope(actor))
    if for_update:
        query = query.with_for_update(of=Case)
    return session.scalars(query).unique().one_or_none()


def status_history(session: Session, *, case_id: int) -> list[CaseStatusChange]:
    return list(session.scalars(select(CaseStatusChange).where(
        CaseStatusChange.case_id == case_id).order_by(CaseStatusChange.at, CaseStatusChange.id)))


def case_incidents(session: Session, actor: Actor, *, case_id: int) -> list[Incident]:
    """The incidents linked to a case that ``actor`` may see (police-only ones stay police)."""
    return list(session.scalars(
        select(Incident).join(CaseIncident, CaseIncident.incident_id == Incident.id)
        .where(CaseIncident.case_id == case_id, incident_scope(actor))
        .order_by(Incident.occurred_month.desc(), Incident.id.desc())).unique())


def case_parties(session: Session, actor: Actor, *, case_id: int) -> list[CaseParty]:
    """Victims, perpetrators and witnesses; a partner never sees a police-only person record."""
    visible_record = or_(CaseParty.person_record_id.is_(None), CaseParty.person_record_id.in_(
        select(PersonRecord.id).where(record_scope(actor))))
    return list(session.scalars(
        select(CaseParty).where(CaseParty.case_id == case_id, visible_record)
        .order_by(CaseParty.role, CaseParty.id)).unique())


def case_locations(session: Session, *, case_id: int) -> list[CaseLocation]:
    return list(session.scalars(select(CaseLocation).where(CaseLocation.case_id == case_id)
                                .order_by(CaseLocation.id)).unique())


def case_actions(session: Session, *, case_id: int) -> list[CaseAction]:
    return list(session.scalars(select(CaseAction).where(CaseAction.case_id == case_id)
                                .order_by(CaseAction.done_at.is_not(None), CaseAction.due_on,
                                          CaseAction.id)).unique())


def case_interventions(session: Session, *, case_id: int) -> list[CaseIntervention]:
    return list(session.scalars(
        select(CaseIntervention).where(CaseIntervention.case_id == case_id)
        .order_by(CaseIntervention.started_on.desc(), CaseIntervention.id.desc())).unique())


def case_notes(session: Session, actor: Actor, *, case_id: int) -> list[CaseNote]:
    """The notes ``actor`` may read: police-only notes reach police users only."""
    query = select(CaseNote).where(CaseNote.case_id == case_id)
    if not actor.is_police:
        query = query.where(CaseNote.police_only.is_(False))
    return list(session.scalars(query.order_by(CaseNote.created_at.desc(),
                                               CaseNote.id.desc())).unique())


def case_reviews(session: Session, *, case_id: int) -> list[CaseReview]:
    return list(session.scalars(select(CaseReview).where(CaseReview.case_id == case_id)
                                .order_by(CaseReview.held_on.desc(), CaseReview.id.desc())))


def case_shares(session: Session, *, case_id: int) -> list[CaseShare]:
    """Every share of a case, live and withdrawn, oldest first (the sharing history)."""
    return list(session.scalars(select(CaseShare).where(CaseShare.case_id == case_id)
                                .order_by(CaseShare.shared_at, CaseShare.id)).unique())


def live_share(session: Session, *, case_id: int, agency_id: int) -> CaseShare | None:
    return session.scalar(select(CaseShare).where(
        CaseShare.case_id == case_id, CaseShare.agency_id == agency_id,
        CaseShare.withdrawn_at.is_(None)))


def next_case_number(session: Session, *, year: int) -> int:
    """The next free number in ``CASE-<year>-NNNN`` (callers hold the transaction)."""
    prefix = f"CASE-{year:04d}-"
    last = session.scalar(select(func.max(Case.reference)).where(
        Case.reference.startswith(prefix)))
    return int(last.removeprefix(prefix)) + 1 if last else 1


def similar_open_cases(session: Session, actor: Actor, *, person_ids: set[int],
                       person_record_ids: set[int], address_ids: set[int],
                       lsoa_codes: set[str], limit: int = 10) -> list[tuple[Case, list[str]]]:
    """Live cases ``actor`` may see that share a person, an address or an LSOA with a new
    case, each with the reasons it looks like the same problem."""
    reasons: dict[int, list[str]] = {}

    def note(case_ids: Select[int], reason: str) -> None:
        for case_id in session.scalars(case_ids):
            if reason not in reasons.setdefault(case_id, []):
                reasons[case_id].append(reason)

    if person_record_ids or person_ids:
        same_person = or_(CaseParty.person_record_id.in_(person_record_ids),
                          PersonRecord.person_id.in_(person_ids))
        note(select(CaseParty.case_id).join(PersonRecord,
                                            CaseParty.person_record_id == PersonRecord.id)
             .where(same_person, record_scope(actor)), "same person")
    if address_ids:
        note(select(CaseLocation.case_id).where(CaseLocation.address_id.in_(address_ids)),
             "same address")
        note(select(CaseIncident.case_id).join(Incident, CaseIncident.incident_id == Incident.id)
             .where(Incident.address_id.in_(address_ids)), "same address")
    if lsoa_codes:
        note(select(CaseLocation.case_id).where(CaseLocation.lsoa_code.in_(lsoa_codes)),
             "same small area (LSOA)")
        note(select(CaseIncident.case_id).join(Incident, CaseIncident.incident_id == Incident.id)
             .where(Incident.lsoa_code.in_(lsoa_codes)), "same small area (LSOA)")
    if not reasons:
        return []
    cases = session.scalars(
        select(Case).where(Case.id.in_(reasons), case_scope(actor),
                           Case.status != CaseStatus.CLOSED.value)
        .order_by(Case.updated_at.desc()).limit(limit)).unique()
    return [(case, reasons[case.id]) for case in cases]


def overdue_actions(session: Session, actor: Actor, *, today: date,
                    limit: int = 20) -> list[tuple[CaseAction, Case]]:
    """Actions not done and past due on cases ``actor`` may see, assigned to the actor or
    (when no officer is named) to the actor's agency; oldest due first."""
    mine = or_(CaseAction.assigned_user_id == actor.user_id,
               and_(CaseAction.assigned_user_id.is_(None),
                    CaseAction.assigned_agency_id == actor.agency_id))
    rows = session.execute(
        select(CaseAction, Case).join(Case, CaseAction.case_id == Case.id)
        .where(case_scope(actor), mine, CaseAction.done_at.is_(None), CaseAction.due_on < today,
               Case.status != CaseStatus.CLOSED.value)
        .order_by(CaseAction.due_on, CaseAction.id).limit(limit)).unique()
    return [(action, case) for action, case in rows]


def agencies(session: Session) -> list[Agency]:
    return list(session.scalars(select(Agency).order_by(Agency.name)))


def agency_by_code(session: Session, code: str) -> Agency | None:
    return session.scalar(select(Agency).where(Agency.code == code))


def agency_users(session: Session, *, agency_id: int) -> list[User]:
    return list(session.scalars(select(User).where(User.agency_id == agency_id,
                                                   User.is_active.is_(True))
                                .order_by(User.full_name)).unique())


def visible_incident(session: Session, actor: Actor, *, reference: str) -> Incident | None:
    return session.scalars(select(Incident).where(Incident.reference == reference,
                                                  incident_scope(actor))).unique().one_or_none()


def visible_record(session: Session, actor: Actor, *, record_id: int) -> PersonRecord | None:
    return session.scalars(select(PersonRecord).where(PersonRecord.id == record_id,
                                                      record_scope(actor))).unique().one_or_none()
