"""Demo cases: long-term problems shared between the force, the two councils and the housing
provider, with actions (some overdue), interventions, notes (some police-only), reviews, and
sharing that was once withdrawn, and one ASB Case Review (:mod:`vigil.demo.case_review`).

Written straight into the demo seed's transaction (the seed is one unit of work), built on the
demo's own incidents, victims and users, and dated relative to today so that "overdue" means
something whenever the demo is seeded.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vigil.demo.case_review import add_demo_case_review
from vigil.domain.cases import LAWFUL_BASES, CaseStatus, InterventionKind, case_reference
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
    UserNeighbourhood,
)
from vigil.store.models import Agency, Incident, IncidentPerson, Lsoa, User
from vigil.store.types import utcnow


@dataclass(frozen=True)
class DemoCase:
    """One demo case: who owns it, who it is shared with, how far it has got."""

    title: str
    owner: str  # username
    shared_with: tuple[str, ...]
    withdrawn: tuple[str, ...]
    status: CaseStatus
    interventions: tuple[InterventionKind, ...]
    police_note: str | None
    note: str
    overdue_for: str | None  # agency code given an overdue action
DEMO_CASES: tuple[DemoCase, ...] = (
    DemoCase("Noise and intimidation at {place}", "officer", ("city-council", "housing"), (),
             CaseStatus.ACTION_PLAN,
             (InterventionKind.WARNING_LETTER, InterventionKind.ACCEPTABLE_BEHAVIOUR_CONTRACT),
             "Intelligence: the perpetrator is believed to be supplying drugs from the address; "
             "do not disclose to partners.",
             "Victim visited; diary sheets left and the noise app explained.", "city-council"),
    DemoCase("Street drinking and rowdy groups near {place}", "city.asb", ("force",), (),
             CaseStatus.REVIEW,
             (InterventionKind.PUBLIC_SPACES_PROTECTION_ORDER,
              InterventionKind.DISPERSAL_DIRECTION),
             None, "Licensing team asked to review the off-licence's hours.", "force"),
    DemoCase("Vehicle nuisance and fly-tipping at {place}", "district.asb", ("force",),
             ("housing",), CaseStatus.OPEN, (InterventionKind.COMMUNITY_PROTECTION_WARNING,),
             None, "Two vehicles identified from residents' photographs.", None),
    DemoCase("Nuisance neighbours at {place}", "housing.asb", ("force", "city-council"), (),
             CaseStatus.CLOSED, (InterventionKind.MEDIATION, InterventionKind.SUPPORT_REFERRAL),
             None, "Tenancy warning issued; both households agreed to mediation.", None),
)


def add_demo_cases(session: Session, *, seed: int) -> int:
    """Add :data:`DEMO_CASES` built on the demo's incidents and users; returns how many."""
    rng = random.Random(f"{seed}-cases")
    users = {u.username: u for u in session.scalars(select(User)).unique()}
    agencies = {a.code: a for a in session.scalars(select(Agency))}
    victims = session.execute(
        select(Incident, IncidentPerson.person_record_id)
        .join(IncidentPerson, IncidentPerson.incident_id == Incident.id)
        .where(IncidentPerson.role == "victim", Incident.police_only.is_(False))
        .order_by(Incident.id).limit(400)).unique().all()
    if not victims or any(spec.owner not in users for spec in DEMO_CASES):
        return 0
    picks = rng.sample(victims, k=min(len(victims), len(DEMO_CASES)))
    now = utcnow()
    for number, (spec, (incident, victim_id)) in enumerate(zip(DEMO_CASES, picks, strict=False),
                                                           start=1):
        case, victim = _add_case(session, spec=spec, number=number, incident=incident,
                                 victim_id=victim_id, owner=users[spec.owner], users=users,
                                 agencies=agencies, now=now,
                                 opened=now - timedelta(days=90 - number * 10))
        if number == 1:
            add_demo_case_review(session, case=case, victim=victim, incident=incident,
                                 owner=users[spec.owner], now=now)
            _give_a_beat(session, officer=users[spec.owner], incident=incident)
    session.flush()
    return min(len(picks), len(DEMO_CASES))


def _add_case(session: Session, *, spec: DemoCase, number: int, incident: Incident,
              victim_id: int, owner: User, users: dict[str, User], agencies: dict[str, Agency],
              now: datetime, opened: datetime) -> tuple[Case, CaseParty]:
    place = incident.location_text.removeprefix("On or near ") or "the estate"
    closed = spec.status is CaseStatus.CLOSED
    case = Case(reference=case_reference(now.year, number), title=spec.title.format(place=place),
                summary=f"Repeated reports since {opened:%B %Y}; the victim is worn down.",
                owning_agency_id=owner.agency_id, owner_user_id=owner.id,
                status=spec.status.value, outcome="resolved" if closed else None,
                opened_at=opened, opened_by_user_id=owner.id,
                closed_at=now - timedelta(days=2) if closed else None, updated_at=now)
    session.add(case)
    session.flush()
    path = {CaseStatus.OPEN: [CaseStatus.OPEN],
            CaseStatus.ACTION_PLAN: [CaseStatus.OPEN, CaseStatus.ACTION_PLAN],
            CaseStatus.REVIEW: [CaseStatus.OPEN, CaseStatus.ACTION_PLAN, CaseStatus.REVIEW],
            CaseStatus.CLOSED: [CaseStatus.OPEN, CaseStatus.ACTION_PLAN, CaseStatus.REVIEW,
                                CaseStatus.CLOSED]}[spec.status]
    previous: str | None = None
    for step, status in enumerate(path):
        session.add(CaseStatusChange(
            case_id=case.id, from_status=previous, to_status=status.value,
            outcome="resolved" if status is CaseStatus.CLOSED else None,
            reason="Case opened" if step == 0 else "", at=opened + timedelta(days=step * 14),
            by_user_id=owner.id, by_name=owner.full_name))
        previous = status.value
    session.add(CaseIncident(case_id=case.id, incident_id=incident.id, linked_at=opened,
                             linked_by_user_id=owner.id))
    session.add(CaseLocation(case_id=case.id, address_id=incident.address_id,
                             lsoa_code=incident.lsoa_code, description=place))
    victim = CaseParty(case_id=case.id, role="victim", person_record_id=victim_id, added_at=opened)
    group = CaseParty(case_id=case.id, role="perpetrator", group_name=f"Group at {place}",
                      note="Four to six young adults, evenings", added_at=opened)
    session.add_all([victim, group])
    session.flush()
    for code in spec.shared_with + spec.withdrawn:
        withdrawn = code in spec.withdrawn
        session.add(CaseShare(
            case_id=case.id, agency_id=agencies[code].id, lawful_basis=LAWFUL_BASES[0],
            shared_at=opened + timedelta(days=1), shared_by_user_id=owner.id,
            shared_by_name=owner.full_name,
            withdrawn_at=opened + timedelta(days=30) if withdrawn else None,
            withdrawn_by_name=owner.full_name if withdrawn else None,
            withdrawal_reason="The tenant moved out of the housing provider's stock"
            if withdrawn else ""))
    today = now.date()
    _actions(session, case=case, spec=spec, owner=owner, agencies=agencies, today=today)
    for n, kind in enumerate(spec.interventions):
        session.add(CaseIntervention(
            case_id=case.id, kind=kind.value, started_on=(opened + timedelta(days=20 + n * 15))
            .date(), party_ids=[group.id], agency_id=owner.agency_id, created_by_user_id=owner.id,
            outcome="Complied so far" if n == 0 else ""))
    police = users.get("officer")
    if spec.police_note and police is not None:
        session.add(CaseNote(case_id=case.id, text=spec.police_note, police_only=True,
                             author_user_id=police.id, author_name=police.full_name,
                             agency_id=police.agency_id, created_at=opened + timedelta(days=3)))
    session.add(CaseNote(case_id=case.id, text=spec.note, police_only=False,
                         author_user_id=owner.id, author_name=owner.full_name,
                         agency_id=owner.agency_id, created_at=opened + timedelta(days=5)))
    held = (opened + timedelta(days=40)).date()
    session.add(CaseReview(
        case_id=case.id, held_on=held, attendees=f"{owner.full_name} and partners",
        agency_codes=sorted({agencies_code(agencies, owner.agency_id), *spec.shared_with}),
        decisions="Agreed the action plan; each agency to report back at the next review.",
        next_review_on=None if closed else held + timedelta(days=42),
        created_by_user_id=owner.id))
    return case, victim


def _give_a_beat(session: Session, *, officer: User, incident: Incident) -> None:
    """The demo officer's beat: the neighbourhood of their case, and the busiest others."""
    home = session.scalar(select(Lsoa.neighbourhood_id).where(Lsoa.code == incident.lsoa_code))
    busiest = session.scalars(
        select(Lsoa.neighbourhood_id).join(Incident, Incident.lsoa_code == Lsoa.code)
        .where(Lsoa.neighbourhood_id.is_not(None)).group_by(Lsoa.neighbourhood_id)
        .order_by(func.count().desc(), Lsoa.neighbourhood_id).limit(2)).all()
    for neighbourhood_id in dict.fromkeys([home, *busiest]):
        if neighbourhood_id is not None:
            session.add(UserNeighbourhood(user_id=officer.id, neighbourhood_id=neighbourhood_id))


def agencies_code(agencies: dict[str, Agency], agency_id: int) -> str:
    return next(code for code, a in agencies.items() if a.id == agency_id)


def _actions(session: Session, *, case: Case, spec: DemoCase, owner: User,
             agencies: dict[str, Agency], today: date) -> None:
    session.add(CaseAction(case_id=case.id, description="Visit the victim and agree a plan",
                           assigned_agency_id=owner.agency_id, assigned_user_id=owner.id,
                           due_on=today - timedelta(days=40), done_at=utcnow(),
                           done_by_user_id=owner.id, created_by_user_id=owner.id))
    if spec.overdue_for:
        session.add(CaseAction(case_id=case.id, description="Send the warning letter",
                               assigned_agency_id=agencies[spec.overdue_for].id,
                               due_on=today - timedelta(days=3), created_by_user_id=owner.id))
    if spec.status is not CaseStatus.CLOSED:
        session.add(CaseAction(case_id=case.id, description="Check on the victim after a week",
                               assigned_agency_id=owner.agency_id,
                               due_on=today + timedelta(days=7), created_by_user_id=owner.id))
