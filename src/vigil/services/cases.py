"""Case use cases: open, list, view, suggest similar cases, change status.

Each function takes a unit of work (carrying the acting user), checks the permission, reads
through :mod:`vigil.store.case_repository` (restricted by actor), writes the audit record in the
same transaction and returns plain read models (:mod:`vigil.services.case_views`). Changes to
what is inside a case (actions, notes, sharing, ...) are in :mod:`vigil.services.case_actions`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from vigil.domain.access import NotFound, Permission, PermissionDenied
from vigil.domain.cases import (
    CaseStatus,
    InvalidCaseInput,
    case_reference,
    check_transition,
    validate_case_title,
    validate_text,
)
from vigil.services.case_views import (
    CaseDetail,
    CaseListPage,
    OverdueAction,
    SimilarCase,
    case_detail,
    case_summary,
    overdue,
)
from vigil.services.paging import parse_page_number
from vigil.store import case_repository as cases_repo
from vigil.store.case_repository import CaseCriteria
from vigil.store.case_tables import Case, CaseIncident, CaseLocation, CaseStatusChange
from vigil.store.models import Incident, IncidentPerson, PersonRecord, User
from vigil.store.types import utcnow
from vigil.store.uow import UnitOfWork

SCOPES = ("all", "mine", "agency", "shared")


def require(uow: UnitOfWork, permission: Permission) -> None:
    if not uow.actor.can(permission):
        raise PermissionDenied(f"this needs the {permission.value} permission")


def actor_name(uow: UnitOfWork) -> str:
    """Who did it, as the case history shows it (the full name where there is one)."""
    if uow.actor.user_id is None:
        return uow.actor.username
    return uow.session.scalar(select(User.full_name).where(User.id == uow.actor.user_id)) \
        or uow.actor.username


def parse_case_criteria(*, scope: str = "", text: str = "", status: str = "",
                        page: str | int = 1) -> tuple[CaseCriteria, int]:
    """The case list's filters; every problem is reported at once."""
    problems: dict[str, str] = {}
    scope = scope or "all"
    if scope not in SCOPES:
        problems["scope"] = f"{scope!r} is not one of {', '.join(SCOPES)}"
    if status and status != "live" and status not in {s.value for s in CaseStatus}:
        problems["status"] = f"{status!r} is not a case status"
    page_number = parse_page_number(page, problems)
    if problems:
        raise InvalidCaseInput(problems)
    return CaseCriteria(scope=scope, text=text.strip()[:200] or None,
                        status=status or None), page_number


def list_cases(uow: UnitOfWork, *, criteria: CaseCriteria, page: int,
               page_size: int) -> CaseListPage:
    """The cases the user may see that match, most recently changed first; a search is
    audited (it may be a name)."""
    require(uow, Permission.VIEW_CASES)
    with uow:
        total = cases_repo.count_cases(uow.session, uow.actor, criteria)
        rows = cases_repo.case_page(uow.session, uow.actor, criteria=criteria,
                                    offset=(page - 1) * page_size, limit=page_size)
        items = [case_summary(uow.session, uow.actor, case) for case in rows]
        if criteria.text:
            uow.audit.record(action="search", object_type="case",
                             detail={"text": criteria.text, "scope": criteria.scope,
                                     "results": total})
            uow.commit()
        return CaseListPage(items=items, total=total, page=page, page_size=page_size)


def view_case(uow: UnitOfWork, *, reference: str) -> CaseDetail:
    """A whole case as this user may see it (``NotFound`` if missing or out of scope); the view
    is audited in the same transaction."""
    require(uow, Permission.VIEW_CASES)
    with uow:
        case = cases_repo.find_case(uow.session, uow.actor, reference=reference)
        if case is None:
            raise NotFound(f"no case {reference}")
        detail = case_detail(uow.session, uow.actor, case)
        uow.audit.record(action="view", object_type="case", object_id=case.reference,
                         detail={"police_only_shown": uow.actor.is_police,
                                 "person_records": [p.record_id for p in detail.parties
                                                    if p.record_id is not None],
                                 "risk_assessments_shown": {
                                     str(v.record_id): v.assessments
                                     for v in detail.victim_risks}})
        uow.commit()
        return detail


@dataclass(frozen=True)
class NewCase:
    """What the officer typed to open a case."""

    title: str
    summary: str = ""
    incident_references: tuple[str, ...] = ()
    lsoa_code: str = ""
    location_description: str = ""


def open_case(uow: UnitOfWork, *, new: NewCase) -> str:
    """Open a case owned by the user's agency and the user, linking the incidents given.

    Every problem (title, each unknown incident) is reported at once and nothing is written.
    Returns the new case's reference.
    """
    require(uow, Permission.MANAGE_CASES)
    if uow.actor.agency_id is None:
        raise PermissionDenied("cases belong to an agency; act as a user of one")
    problems: dict[str, str] = {}
    title = validate_case_title(new.title, problems)
    summary = validate_text(new.summary, field="summary", what="summary", problems=problems,
                            required=False)
    with uow:
        session = uow.session
        incidents: list[Incident] = []
        unknown = []
        for ref in dict.fromkeys(r.strip() for r in new.incident_references if r.strip()):
            incident = cases_repo.visible_incident(session, uow.actor, reference=ref)
            if incident is None:
                unknown.append(ref)
            else:
                incidents.append(incident)
        if unknown:
            problems["incidents"] = f"no incident {', '.join(unknown)} that you can see"
        if problems:
            raise InvalidCaseInput(problems)
        now = utcnow()
        number = cases_repo.next_case_number(session, year=now.year)
        case = Case(reference=case_reference(now.year, number), title=title, summary=summary,
                    owning_agency_id=uow.actor.agency_id, owner_user_id=uow.actor.user_id,
                    status=CaseStatus.OPEN.value, opened_at=now,
                    opened_by_user_id=uow.actor.user_id, updated_at=now)
        session.add(case)
        session.flush()
        session.add(CaseStatusChange(case_id=case.id, from_status=None, to_status=case.status,
                                     at=now, by_user_id=uow.actor.user_id,
                                     by_name=actor_name(uow), reason="Case opened"))
        for incident in incidents:
            session.add(CaseIncident(case_id=case.id, incident_id=incident.id, linked_at=now,
                                     linked_by_user_id=uow.actor.user_id))
        if new.lsoa_code.strip() or new.location_description.strip():
            session.add(CaseLocation(case_id=case.id, lsoa_code=new.lsoa_code.strip() or None,
                                     description=new.location_description.strip()[:300]))
        uow.audit.record(action="create", object_type="case", object_id=case.reference,
                         detail={"after": {"title": title, "status": case.status,
                                           "incidents": [i.reference for i in incidents]}})
        uow.commit()
        return case.reference


def suggest_similar_cases(uow: UnitOfWork, *, incident_references: list[str],
                          exclude: str | None = None) -> list[SimilarCase]:
    """Open cases the user may see that look like the same problem as these incidents: the
    same person, address or LSOA. Shown before opening a case so the officer can link instead."""
    require(uow, Permission.VIEW_CASES)
    with uow:
        session = uow.session
        incidents = [i for ref in incident_references if ref.strip()
                     if (i := cases_repo.visible_incident(session, uow.actor,
                                                          reference=ref.strip()))]
        if not incidents:
            return []
        ids = [i.id for i in incidents]
        records = session.execute(
            select(PersonRecord.id, PersonRecord.person_id)
            .join(IncidentPerson, IncidentPerson.person_record_id == PersonRecord.id)
            .where(IncidentPerson.incident_id.in_(ids))).all()
        found = cases_repo.similar_open_cases(
            session, uow.actor, person_record_ids={r.id for r in records},
            person_ids={r.person_id for r in records if r.person_id is not None},
            address_ids={i.address_id for i in incidents if i.address_id is not None},
            lsoa_codes={i.lsoa_code for i in incidents if i.lsoa_code})
        return [SimilarCase(summary=case_summary(session, uow.actor, case), reasons=reasons)
                for case, reasons in found if case.reference != exclude]


def change_status(uow: UnitOfWork, *, reference: str, status: str, outcome: str = "",
                  reason: str = "") -> None:
    """Move a case through its life (owning agency only); the change is dated, attributed and
    audited with before and after."""
    require(uow, Permission.MANAGE_CASES)
    with uow:
        case = cases_repo.find_case(uow.session, uow.actor, reference=reference,
                                    for_update=True)
        if case is None:
            raise NotFound(f"no case {reference}")
        if not uow.actor.is_system and case.owning_agency_id != uow.actor.agency_id:
            raise PermissionDenied("only the agency that owns a case changes its status")
        problems = check_transition(CaseStatus(case.status), status, outcome=outcome,
                                    reason=reason)
        if len(reason) > 2000:
            problems["reason"] = "keep the reason to 2,000 characters"
        if problems:
            raise InvalidCaseInput(problems)
        before = {"status": case.status, "outcome": case.outcome}
        now = utcnow()
        case.status = status
        case.outcome = outcome if status == CaseStatus.CLOSED.value else None
        case.closed_at = now if status == CaseStatus.CLOSED.value else None
        case.updated_at = now
        uow.session.add(CaseStatusChange(
            case_id=case.id, from_status=before["status"], to_status=status,
            outcome=case.outcome, reason=reason.strip(), at=now,
            by_user_id=uow.actor.user_id, by_name=actor_name(uow)))
        uow.audit.record(action="change", object_type="case", object_id=case.reference,
                         reason=reason.strip(),
                         detail={"before": before,
                                 "after": {"status": case.status, "outcome": case.outcome}})
        uow.commit()


def my_overdue_actions(uow: UnitOfWork, *, limit: int = 20) -> list[OverdueAction]:
    """The overdue actions for the user (or their agency) on cases they may see."""
    if not uow.actor.can(Permission.VIEW_CASES):
        return []
    with uow:
        today = utcnow().date()
        return [overdue(action, case, today=today) for action, case in
                cases_repo.overdue_actions(uow.session, uow.actor, today=today, limit=limit)]


def agency_choices(uow: UnitOfWork) -> list[tuple[str, str]]:
    """(code, name) of every agency, for the forms that assign or share to one."""
    require(uow, Permission.VIEW_CASES)
    with uow:
        return [(a.code, a.name) for a in cases_repo.agencies(uow.session)]
