"""Read models of cases: plain dataclasses built inside the transaction, so no database object
outlives it and nothing the actor may not see can be reached from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from vigil.domain.access import Actor, Permission
from vigil.domain.cases import (
    TRANSITIONS,
    CaseOutcome,
    CaseStatus,
    InterventionKind,
    PartyRole,
    is_overdue,
)
from vigil.domain.documents import ALLOWED_TYPES
from vigil.domain.officer import CONTACT_KINDS
from vigil.services.incidents import IncidentSummary, summarise
from vigil.services.paging import Page
from vigil.services.trigger import VictimTrigger, victim_triggers
from vigil.services.victim_risk import VictimRisk, victim_risks
from vigil.store import case_repository as cases_repo
from vigil.store import documents as documents_repo
from vigil.store import officer_queries
from vigil.store.case_tables import Case, CaseAction, CaseContact, CaseDocument
from vigil.store.types import utcnow


@dataclass(frozen=True)
class CaseSummary:
    """One row of a case list."""

    reference: str
    title: str
    status: str
    status_label: str
    owning_agency_code: str
    owning_agency_name: str
    owner_name: str | None
    opened_at: datetime
    updated_at: datetime
    shared_with: list[str]
    ours: bool  # the actor's agency owns it


CaseListPage = Page[CaseSummary]


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    from_status: str | None
    to_status: str
    to_label: str
    outcome_label: str | None
    reason: str
    by_name: str


@dataclass(frozen=True)
class PartyView:
    id: int
    role: str
    role_label: str
    name: str
    record_id: int | None
    is_group: bool
    date_of_birth: str | None
    note: str


@dataclass(frozen=True)
class LocationView:
    description: str
    address: str | None
    lsoa_code: str | None
    lsoa_name: str | None


@dataclass(frozen=True)
class ActionView:
    id: int
    description: str
    agency_name: str
    officer_name: str | None
    due_on: date
    done_at: datetime | None
    overdue: bool


@dataclass(frozen=True)
class InterventionView:
    id: int
    kind: str
    kind_label: str
    started_on: date
    ends_on: date | None
    people: list[str]
    outcome: str
    agency_name: str


@dataclass(frozen=True)
class NoteView:
    id: int
    text: str
    police_only: bool
    author_name: str
    agency_name: str | None
    created_at: datetime


@dataclass(frozen=True)
class ReviewView:
    id: int
    held_on: date
    attendees: str
    agency_names: list[str]
    decisions: str
    next_review_on: date | None


@dataclass(frozen=True)
class ShareView:
    id: int
    agency_code: str
    agency_name: str
    lawful_basis: str
    shared_at: datetime
    shared_by_name: str
    withdrawn_at: datetime | None
    withdrawn_by_name: str | None
    withdrawal_reason: str


@dataclass(frozen=True)
class ContactView:
    """A visit or other contact with a victim."""

    id: int
    kind_label: str
    contacted_at: datetime
    summary: str
    by_name: str
    agency_name: str | None


def contact_view(contact: CaseContact) -> ContactView:
    return ContactView(id=contact.id, kind_label=CONTACT_KINDS.get(contact.kind, contact.kind),
                       contacted_at=contact.contacted_at, summary=contact.summary,
                       by_name=contact.by_name,
                       agency_name=contact.agency.name if contact.agency else None)


@dataclass(frozen=True)
class DocumentView:
    token: str
    file_name: str
    kind: str
    size: int
    description: str
    police_only: bool
    uploaded_at: datetime
    uploaded_by_name: str


def document_view(document: CaseDocument) -> DocumentView:
    return DocumentView(token=document.token, file_name=document.file_name,
                        kind=ALLOWED_TYPES.get(document.media_type, document.media_type),
                        size=document.size, description=document.description,
                        police_only=document.police_only, uploaded_at=document.uploaded_at,
                        uploaded_by_name=document.uploaded_by_name)


@dataclass(frozen=True)
class CaseDetail:
    """A case as one user may see it."""

    summary: CaseSummary
    description: str
    outcome_label: str | None
    closed_at: datetime | None
    history: list[HistoryEntry]
    incidents: list[IncidentSummary]
    parties: list[PartyView]
    locations: list[LocationView]
    actions: list[ActionView]
    interventions: list[InterventionView]
    notes: list[NoteView]
    reviews: list[ReviewView]
    shares: list[ShareView]
    next_statuses: list[tuple[str, str]]
    may_manage: bool  # the actor may add to it
    may_administer: bool  # the actor's agency owns it: status and sharing
    may_see_police_only: bool
    triggers: list[VictimTrigger] = field(default_factory=list)  # ASB Case Review threshold
    contacts: list[ContactView] = field(default_factory=list)  # visits and victim contact
    documents: list[DocumentView] = field(default_factory=list)  # police-only to police
    victim_risks: list[VictimRisk] = field(default_factory=list)  # latest assessment, trend

    @property
    def reached_triggers(self) -> list[VictimTrigger]:
        return [t for t in self.triggers if t.reached]

    @property
    def live_shares(self) -> list[ShareView]:
        return [s for s in self.shares if s.withdrawn_at is None]


@dataclass(frozen=True)
class SimilarCase:
    summary: CaseSummary
    reasons: list[str]


@dataclass(frozen=True)
class OverdueAction:
    case_reference: str
    case_title: str
    description: str
    due_on: date
    days_overdue: int
    officer_name: str | None


def case_summary(session: Session, actor: Actor, case: Case) -> CaseSummary:
    shares = cases_repo.case_shares(session, case_id=case.id)
    return CaseSummary(
        reference=case.reference, title=case.title, status=case.status,
        status_label=CaseStatus(case.status).label, owning_agency_code=case.owning_agency.code,
        owning_agency_name=case.owning_agency.name,
        owner_name=case.owner.full_name if case.owner else None, opened_at=case.opened_at,
        updated_at=case.updated_at,
        shared_with=[s.agency.name for s in shares if s.withdrawn_at is None],
        ours=case.owning_agency_id == actor.agency_id,
    )


def _label(enum: type[CaseOutcome] | type[InterventionKind], value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return enum(value).label
    except ValueError:
        return value


def case_detail(session: Session, actor: Actor, case: Case) -> CaseDetail:
    """Everything on ``case`` that ``actor`` may see."""
    today = date.today()
    parties = cases_repo.case_parties(session, actor, case_id=case.id)
    party_views = [PartyView(
        id=p.id, role=p.role, role_label=PartyRole(p.role).label,
        name=p.record.display_name if p.record else (p.group_name or "(unnamed group)"),
        record_id=p.person_record_id, is_group=p.record is None,
        date_of_birth=p.record.date_of_birth if p.record else None, note=p.note)
        for p in parties]
    names = {p.id: p.name for p in party_views}
    agency_names = {a.code: a.name for a in cases_repo.agencies(session)}
    owns = actor.is_system or case.owning_agency_id == actor.agency_id
    current = CaseStatus(case.status)
    return CaseDetail(
        summary=case_summary(session, actor, case), description=case.summary,
        outcome_label=_label(CaseOutcome, case.outcome), closed_at=case.closed_at,
        history=[HistoryEntry(at=h.at, from_status=h.from_status, to_status=h.to_status,
                              to_label=CaseStatus(h.to_status).label,
                              outcome_label=_label(CaseOutcome, h.outcome), reason=h.reason,
                              by_name=h.by_name)
                 for h in cases_repo.status_history(session, case_id=case.id)],
        incidents=[summarise(i) for i in
                   cases_repo.case_incidents(session, actor, case_id=case.id)],
        parties=party_views,
        locations=[LocationView(description=loc.description,
                                address=loc.address.one_line if loc.address else None,
                                lsoa_code=loc.lsoa_code,
                                lsoa_name=loc.lsoa.name if loc.lsoa else None)
                   for loc in cases_repo.case_locations(session, case_id=case.id)],
        actions=[ActionView(id=a.id, description=a.description,
                            agency_name=a.assigned_agency.name,
                            officer_name=a.assigned_user.full_name if a.assigned_user else None,
                            due_on=a.due_on, done_at=a.done_at,
                            overdue=is_overdue(a.due_on, done=a.done_at is not None,
                                               today=today))
                 for a in cases_repo.case_actions(session, case_id=case.id)],
        interventions=[InterventionView(
            id=i.id, kind=i.kind, kind_label=_label(InterventionKind, i.kind) or i.kind,
            started_on=i.started_on, ends_on=i.ends_on,
            people=[names[pid] for pid in i.party_ids if pid in names], outcome=i.outcome,
            agency_name=i.agency.name)
            for i in cases_repo.case_interventions(session, case_id=case.id)],
        notes=[NoteView(id=n.id, text=n.text, police_only=n.police_only,
                        author_name=n.author_name,
                        agency_name=n.agency.name if n.agency else None,
                        created_at=n.created_at)
               for n in cases_repo.case_notes(session, actor, case_id=case.id)],
        reviews=[ReviewView(id=r.id, held_on=r.held_on, attendees=r.attendees,
                            agency_names=[agency_names.get(c, c) for c in r.agency_codes],
                            decisions=r.decisions, next_review_on=r.next_review_on)
                 for r in cases_repo.case_reviews(session, case_id=case.id)],
        shares=[ShareView(id=s.id, agency_code=s.agency.code, agency_name=s.agency.name,
                          lawful_basis=s.lawful_basis, shared_at=s.shared_at,
                          shared_by_name=s.shared_by_name, withdrawn_at=s.withdrawn_at,
                          withdrawn_by_name=s.withdrawn_by_name,
                          withdrawal_reason=s.withdrawal_reason)
                for s in cases_repo.case_shares(session, case_id=case.id)],
        next_statuses=[(s.value, s.label) for s in CaseStatus if s in TRANSITIONS[current]],
        may_manage=actor.can(Permission.MANAGE_CASES),
        may_administer=owns and actor.can(Permission.MANAGE_CASES),
        may_see_police_only=actor.is_police,
        triggers=victim_triggers(session, actor, case, as_of=utcnow()),
        contacts=[contact_view(c) for c in officer_queries.case_contacts(session,
                                                                        case_id=case.id)],
        documents=[document_view(d) for d in documents_repo.case_documents(
            session, case_id=case.id, police=actor.is_police)],
        victim_risks=victim_risks(session, actor, case),
    )


def overdue(action: CaseAction, case: Case, *, today: date) -> OverdueAction:
    return OverdueAction(
        case_reference=case.reference, case_title=case.title, description=action.description,
        due_on=action.due_on, days_overdue=(today - action.due_on).days,
        officer_name=action.assigned_user.full_name if action.assigned_user else None)
