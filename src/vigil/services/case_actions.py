"""Changes inside a case: actions, interventions, notes, reviews, links, people and sharing.

Every function re-reads the case through the actor's scope inside its own transaction (locking
the row), so a case that stopped being shared a moment ago answers "not found"; writes the audit
record (with before and after where something changes); and commits. Input problems are all
reported at once in :class:`InvalidCaseInput`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from vigil.domain.access import NotFound, Permission, PermissionDenied
from vigil.domain.cases import (
    InterventionKind,
    InvalidCaseInput,
    PartyRole,
    parse_date,
    validate_lawful_basis,
    validate_text,
)
from vigil.services.cases import actor_name, require
from vigil.store import case_repository as cases_repo
from vigil.store.case_tables import (
    Case,
    CaseAction,
    CaseIncident,
    CaseIntervention,
    CaseNote,
    CaseParty,
    CaseReview,
    CaseShare,
)
from vigil.store.models import User
from vigil.store.types import utcnow
from vigil.store.uow import UnitOfWork


def _case_to_change(uow: UnitOfWork, reference: str, *, owner_only: bool = False) -> Case:
    """The case, re-checked against the actor's scope and locked for this transaction."""
    require(uow, Permission.MANAGE_CASES)
    case = cases_repo.find_case(uow.session, uow.actor, reference=reference, for_update=True)
    if case is None:
        raise NotFound(f"no case {reference}")
    if owner_only and not uow.actor.is_system and case.owning_agency_id != uow.actor.agency_id:
        raise PermissionDenied("only the agency that owns the case can do this")
    return case


def _touch(case: Case) -> None:
    case.updated_at = utcnow()


@dataclass(frozen=True)
class NewAction:
    description: str
    due_on: str | date
    agency_code: str
    officer_username: str = ""


def add_action(uow: UnitOfWork, *, reference: str, new: NewAction) -> int:
    """Add a task to the case's action plan, assigned to an agency and perhaps an officer."""
    problems: dict[str, str] = {}
    description = validate_text(new.description, field="description", what="action",
                                problems=problems)
    due_on = parse_date(new.due_on, field="due_on", problems=problems)
    with uow:
        case = _case_to_change(uow, reference)
        agency = cases_repo.agency_by_code(uow.session, new.agency_code.strip())
        officer: User | None = None
        if agency is None:
            problems["agency"] = "choose the agency that will do it"
        elif new.officer_username.strip():
            officer = next((u for u in cases_repo.agency_users(uow.session, agency_id=agency.id)
                            if u.username == new.officer_username.strip()), None)
            if officer is None:
                problems["officer"] = f"no officer {new.officer_username!r} in {agency.name}"
        if problems:
            raise InvalidCaseInput(problems)
        assert agency is not None and due_on is not None
        action = CaseAction(case_id=case.id, description=description,
                            assigned_agency_id=agency.id,
                            assigned_user_id=officer.id if officer else None, due_on=due_on,
                            created_by_user_id=uow.actor.user_id)
        uow.session.add(action)
        _touch(case)
        uow.session.flush()
        uow.audit.record(action="create", object_type="case_action", object_id=action.id,
                         detail={"case": case.reference,
                                 "after": {"description": description, "agency": agency.code,
                                           "officer": officer.username if officer else None,
                                           "due_on": due_on.isoformat()}})
        uow.commit()
        return action.id


def complete_action(uow: UnitOfWork, *, reference: str, action_id: int) -> None:
    """Mark an action done (dated and attributed)."""
    with uow:
        case = _case_to_change(uow, reference)
        action = uow.session.get(CaseAction, action_id)
        if action is None or action.case_id != case.id:
            raise NotFound(f"no action {action_id} on {reference}")
        if action.done_at is not None:
            raise InvalidCaseInput({"action": "this action is already done"})
        action.done_at = utcnow()
        action.done_by_user_id = uow.actor.user_id
        _touch(case)
        uow.audit.record(action="change", object_type="case_action", object_id=action.id,
                         detail={"case": case.reference, "before": {"done": False},
                                 "after": {"done": True}})
        uow.commit()


@dataclass(frozen=True)
class NewIntervention:
    kind: str
    started_on: str | date
    ends_on: str | date = ""
    party_ids: tuple[int, ...] = ()
    outcome: str = ""


def add_intervention(uow: UnitOfWork, *, reference: str, new: NewIntervention) -> int:
    """Record an intervention (warning letter, ABC, CPW/CPN, PSPO, injunction, CBO, closure,
    dispersal, mediation, support referral) with its dates, people and outcome."""
    problems: dict[str, str] = {}
    if new.kind not in {k.value for k in InterventionKind}:
        problems["kind"] = "choose the kind of intervention"
    started = parse_date(new.started_on, field="started_on", problems=problems)
    ends = parse_date(new.ends_on, field="ends_on", problems=problems, required=False)
    if started and ends and ends < started:
        problems["ends_on"] = "must be on or after the start date"
    outcome = validate_text(new.outcome, field="outcome", what="outcome", problems=problems,
                            required=False)
    with uow:
        case = _case_to_change(uow, reference)
        parties = {p.id for p in cases_repo.case_parties(uow.session, uow.actor,
                                                         case_id=case.id)}
        if set(new.party_ids) - parties:
            problems["party_ids"] = "choose people who are on this case"
        if problems:
            raise InvalidCaseInput(problems)
        assert started is not None and uow.actor.agency_id is not None
        intervention = CaseIntervention(
            case_id=case.id, kind=new.kind, started_on=started, ends_on=ends,
            party_ids=sorted(set(new.party_ids)), outcome=outcome,
            agency_id=uow.actor.agency_id, created_by_user_id=uow.actor.user_id)
        uow.session.add(intervention)
        _touch(case)
        uow.session.flush()
        uow.audit.record(action="create", object_type="case_intervention",
                         object_id=intervention.id,
                         detail={"case": case.reference,
                                 "after": {"kind": new.kind, "started_on": started.isoformat(),
                                           "parties": intervention.party_ids}})
        uow.commit()
        return intervention.id


def add_note(uow: UnitOfWork, *, reference: str, text: str, police_only: bool = False) -> int:
    """Add a note; only police users may mark one police-only (partners then never see it)."""
    problems: dict[str, str] = {}
    text = validate_text(text, field="text", what="note", problems=problems)
    if police_only and not uow.actor.is_police:
        problems["police_only"] = "only police users can mark a note police-only"
    with uow:
        case = _case_to_change(uow, reference)
        if problems:
            raise InvalidCaseInput(problems)
        note = CaseNote(case_id=case.id, text=text, police_only=police_only,
                        author_user_id=uow.actor.user_id, author_name=actor_name(uow),
                        agency_id=uow.actor.agency_id)
        uow.session.add(note)
        _touch(case)
        uow.session.flush()
        uow.audit.record(action="create", object_type="case_note", object_id=note.id,
                         detail={"case": case.reference, "police_only": police_only})
        uow.commit()
        return note.id


@dataclass(frozen=True)
class NewReview:
    held_on: str | date
    attendees: str
    agency_codes: tuple[str, ...]
    decisions: str
    next_review_on: str | date = ""


def add_review(uow: UnitOfWork, *, reference: str, new: NewReview) -> int:
    """Record a case review or meeting: date, attendees, agencies, decisions, next review."""
    problems: dict[str, str] = {}
    held = parse_date(new.held_on, field="held_on", problems=problems)
    following = parse_date(new.next_review_on, field="next_review_on", problems=problems,
                           required=False)
    if held and following and following <= held:
        problems["next_review_on"] = "must be after the meeting"
    attendees = validate_text(new.attendees, field="attendees", what="attendees",
                              problems=problems)
    decisions = validate_text(new.decisions, field="decisions", what="decisions",
                              problems=problems)
    with uow:
        case = _case_to_change(uow, reference)
        known = {a.code for a in cases_repo.agencies(uow.session)}
        codes = sorted(set(new.agency_codes))
        if not codes:
            problems["agency_codes"] = "tick the agencies that took part"
        elif set(codes) - known:
            problems["agency_codes"] = f"unknown agency {', '.join(sorted(set(codes) - known))}"
        if problems:
            raise InvalidCaseInput(problems)
        assert held is not None
        review = CaseReview(case_id=case.id, held_on=held, attendees=attendees,
                            agency_codes=codes, decisions=decisions, next_review_on=following,
                            created_by_user_id=uow.actor.user_id)
        uow.session.add(review)
        _touch(case)
        uow.session.flush()
        uow.audit.record(action="create", object_type="case_review", object_id=review.id,
                         detail={"case": case.reference,
                                 "after": {"held_on": held.isoformat(), "agencies": codes}})
        uow.commit()
        return review.id


def link_incident(uow: UnitOfWork, *, reference: str, incident_reference: str) -> None:
    """Link an incident the user may see to the case."""
    with uow:
        case = _case_to_change(uow, reference)
        incident = cases_repo.visible_incident(uow.session, uow.actor,
                                               reference=incident_reference.strip())
        if incident is None:
            raise InvalidCaseInput({"incident": f"no incident {incident_reference!r} that "
                                                "you can see"})
        if incident.id in {i.id for i in cases_repo.case_incidents(uow.session, uow.actor,
                                                                   case_id=case.id)}:
            raise InvalidCaseInput({"incident": "that incident is already on this case"})
        uow.session.add(CaseIncident(case_id=case.id, incident_id=incident.id,
                                     linked_by_user_id=uow.actor.user_id))
        _touch(case)
        uow.audit.record(action="change", object_type="case", object_id=case.reference,
                         detail={"after": {"incident_linked": incident.reference}})
        uow.commit()


def add_party(uow: UnitOfWork, *, reference: str, role: str, person_record_id: int | None = None,
              group_name: str = "", note: str = "") -> int:
    """Add a victim, perpetrator or witness: a person record the user may see, or a named
    group (e.g. a gang known by a name)."""
    problems: dict[str, str] = {}
    if role not in {r.value for r in PartyRole}:
        problems["role"] = "choose victim, perpetrator or witness"
    group_name = group_name.strip()
    if (person_record_id is None) == (not group_name):
        problems["person"] = "choose a person, or name a group (one of the two)"
    with uow:
        case = _case_to_change(uow, reference)
        if person_record_id is not None and cases_repo.visible_record(
                uow.session, uow.actor, record_id=person_record_id) is None:
            problems["person"] = "no such person record that you can see"
        if problems:
            raise InvalidCaseInput(problems)
        party = CaseParty(case_id=case.id, role=role, person_record_id=person_record_id,
                          group_name=group_name or None, note=note.strip()[:2000])
        uow.session.add(party)
        _touch(case)
        uow.session.flush()
        uow.audit.record(action="create", object_type="case_party", object_id=party.id,
                         detail={"case": case.reference,
                                 "after": {"role": role, "person_record": person_record_id,
                                           "group": group_name or None}})
        uow.commit()
        return party.id


def share_case(uow: UnitOfWork, *, reference: str, agency_code: str, lawful_basis: str) -> None:
    """Share the case with another agency, recording the lawful basis (owning agency only)."""
    problems: dict[str, str] = {}
    basis = validate_lawful_basis(lawful_basis, problems)
    with uow:
        case = _case_to_change(uow, reference, owner_only=True)
        agency = cases_repo.agency_by_code(uow.session, agency_code.strip())
        if agency is None:
            problems["agency"] = "choose the agency to share with"
        elif agency.id == case.owning_agency_id:
            problems["agency"] = "the case already belongs to that agency"
        elif cases_repo.live_share(uow.session, case_id=case.id, agency_id=agency.id):
            problems["agency"] = f"the case is already shared with {agency.name}"
        if problems:
            raise InvalidCaseInput(problems)
        assert agency is not None
        uow.session.add(CaseShare(case_id=case.id, agency_id=agency.id, lawful_basis=basis,
                                  shared_by_user_id=uow.actor.user_id,
                                  shared_by_name=actor_name(uow)))
        _touch(case)
        uow.audit.record(action="share", object_type="case", object_id=case.reference,
                         reason=basis, detail={"after": {"shared_with": agency.code,
                                                         "lawful_basis": basis}})
        uow.commit()


def withdraw_share(uow: UnitOfWork, *, reference: str, agency_code: str, reason: str) -> None:
    """Stop sharing the case with an agency. The share stays in the history, marked withdrawn;
    from this moment that agency's users get "not found"."""
    problems: dict[str, str] = {}
    reason = validate_text(reason, field="reason", what="reason for withdrawing",
                           problems=problems)
    with uow:
        case = _case_to_change(uow, reference, owner_only=True)
        agency = cases_repo.agency_by_code(uow.session, agency_code.strip())
        share = (cases_repo.live_share(uow.session, case_id=case.id, agency_id=agency.id)
                 if agency else None)
        if share is None:
            problems["agency"] = "the case is not shared with that agency"
        if problems:
            raise InvalidCaseInput(problems)
        assert share is not None and agency is not None
        share.withdrawn_at = utcnow()
        share.withdrawn_by_name = actor_name(uow)
        share.withdrawal_reason = reason
        _touch(case)
        uow.audit.record(action="withdraw_share", object_type="case", object_id=case.reference,
                         reason=reason, detail={"before": {"shared_with": agency.code},
                                                "after": {"shared_with": None}})
        uow.commit()
