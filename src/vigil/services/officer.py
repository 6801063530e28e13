"""The neighbourhood officer's use cases, made for a phone: my tasks, my cases, the repeat and
vulnerable victims on my beat, and recording a visit or victim contact.

What makes a repeat or vulnerable victim is configuration shared with the identification engine
(:class:`vigil.identify.rules.IdentificationRules`: ``repeat_victim_reports``,
``look_back_days``, ``vulnerable_marker_kinds``), so the beat page and the call screen agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from vigil.domain.access import NotFound, Permission
from vigil.domain.cases import InvalidCaseInput, is_overdue
from vigil.domain.officer import (
    is_repeat,
    is_vulnerable,
    validate_contact,
    window_start,
)
from vigil.domain.people import VulnerabilityKind
from vigil.identify.rules import IdentificationRules
from vigil.services.case_views import ContactView, contact_view
from vigil.services.cases import actor_name, require
from vigil.services.paging import Page
from vigil.store import case_repository as cases_repo
from vigil.store import officer_queries as queries
from vigil.store.case_tables import CaseContact
from vigil.store.types import utcnow
from vigil.store.uow import UnitOfWork


@dataclass(frozen=True)
class Task:
    action_id: int
    case_reference: str
    case_title: str
    description: str
    due_on: date
    overdue: bool
    mine: bool  # named to me (not just to my agency)


def my_tasks(uow: UnitOfWork, *, limit: int = 100) -> list[Task]:
    """Open actions for me or my agency on live cases I may see, overdue first."""
    return my_tasks_page(uow, page=1, page_size=limit).items


def my_tasks_page(uow: UnitOfWork, *, page: int, page_size: int) -> Page[Task]:
    """One page of :func:`my_tasks`, with how many there are in all (for the JSON API)."""
    require(uow, Permission.VIEW_CASES)
    with uow:
        today = utcnow().date()
        total = queries.count_open_tasks(uow.session, uow.actor)
        items = [Task(action_id=a.id, case_reference=c.reference, case_title=c.title,
                      description=a.description, due_on=a.due_on,
                      overdue=is_overdue(a.due_on, done=False, today=today),
                      mine=a.assigned_user_id == uow.actor.user_id)
                 for a, c in queries.open_tasks(uow.session, uow.actor, limit=page_size,
                                                offset=(page - 1) * page_size)]
        return Page(items=items, total=total, page=page, page_size=page_size)


@dataclass(frozen=True)
class BeatVictim:
    record_id: int
    name: str
    reports: int
    latest_month: date | None
    repeat: bool
    vulnerable: bool
    markers: list[str]
    last_contact: datetime | None


@dataclass(frozen=True)
class Beat:
    neighbourhoods: list[str]
    window_from: date | None
    window_to: date | None
    repeat_threshold: int
    victims: list[BeatVictim]  # the page asked for (all of them by default)
    total: int = 0  # how many victims there are in all


def my_beat(uow: UnitOfWork, *, rules: IdentificationRules | None = None, page: int = 1,
            page_size: int | None = None) -> Beat:
    """The repeat and vulnerable victims on my beat in the look-back window ending with the
    latest month of data: the vulnerable first, then by how often they reported; one page of
    them when ``page_size`` is given. Audited as a view of the records shown."""
    require(uow, Permission.VIEW_PEOPLE)
    rules = rules or IdentificationRules()
    with uow:
        session = uow.session
        areas = queries.beat(session, user_id=uow.actor.user_id or 0)
        latest = queries.latest_month(session)
        if not areas or latest is None:
            return Beat(neighbourhoods=[a.name for a in areas], window_from=None,
                        window_to=latest, repeat_threshold=rules.repeat_victim_reports,
                        victims=[])
        since = window_start(latest, look_back_days=rules.look_back_days)
        lsoas = queries.beat_lsoas(session, neighbourhood_ids=[a.id for a in areas])
        found = []
        for person in queries.beat_people(session, uow.actor, lsoa_codes=lsoas, since=since):
            repeat = is_repeat(len(person.incidents), threshold=rules.repeat_victim_reports)
            vulnerable = is_vulnerable(person.markers, kinds=rules.vulnerable_marker_kinds)
            if repeat or vulnerable:
                found.append(BeatVictim(
                    record_id=person.record_ids[0], name=person.name,
                    reports=len(person.incidents), latest_month=person.latest, repeat=repeat,
                    vulnerable=vulnerable, markers=sorted(_marker_label(m)
                                                          for m in person.markers),
                    last_contact=person.last_contact))
        found.sort(key=lambda v: (not v.vulnerable, -v.reports, v.name))
        total = len(found)
        if page_size is not None:
            found = found[(page - 1) * page_size:page * page_size]
        uow.audit.record(action="view", object_type="beat", object_id=uow.actor.username,
                         detail={"person_records": [v.record_id for v in found],
                                 "total": total})
        uow.commit()
        return Beat(neighbourhoods=[a.name for a in areas], window_from=since,
                    window_to=latest, repeat_threshold=rules.repeat_victim_reports,
                    victims=found, total=total)


def _marker_label(kind: str) -> str:
    try:
        return VulnerabilityKind(kind).label
    except ValueError:
        return kind.replace("_", " ")


@dataclass(frozen=True)
class NewContact:
    kind: str
    contacted_at: str | datetime
    summary: str
    case_reference: str = ""
    person_record_id: int | None = None
    incident_reference: str = ""


def record_contact(uow: UnitOfWork, *, new: NewContact) -> int:
    """Record a visit or other contact with a victim, on a case (which must be in my scope)
    and/or against a person record or incident I may see. Every problem is reported at once."""
    require(uow, Permission.MANAGE_CASES)
    targets = sum(bool(t) for t in (new.case_reference.strip(), new.person_record_id,
                                    new.incident_reference.strip()))
    when, summary, problems = validate_contact(kind=new.kind, contacted_at=new.contacted_at,
                                               summary=new.summary, targets=targets,
                                               now=utcnow())
    with uow:
        session = uow.session
        case = incident = record = None
        if new.case_reference.strip():
            case = cases_repo.find_case(session, uow.actor, reference=new.case_reference.strip(),
                                        for_update=True)
            if case is None:
                raise NotFound(f"no case {new.case_reference}")
        if new.person_record_id is not None:
            record = cases_repo.visible_record(session, uow.actor,
                                               record_id=new.person_record_id)
            if record is None:
                problems["person_record_id"] = "no such person record that you can see"
        if new.incident_reference.strip():
            incident = cases_repo.visible_incident(session, uow.actor,
                                                   reference=new.incident_reference.strip())
            if incident is None:
                problems["incident"] = f"no incident {new.incident_reference!r} that you can see"
        if problems:
            raise InvalidCaseInput(problems)
        assert when is not None
        contact = CaseContact(case_id=case.id if case else None,
                              person_record_id=record.id if record else None,
                              incident_id=incident.id if incident else None, kind=new.kind,
                              contacted_at=when, summary=summary, by_user_id=uow.actor.user_id,
                              by_name=actor_name(uow), agency_id=uow.actor.agency_id)
        session.add(contact)
        if case is not None:
            case.updated_at = utcnow()
        session.flush()
        uow.audit.record(action="create", object_type="contact", object_id=contact.id,
                         detail={"case": case.reference if case else None,
                                 "incident": incident.reference if incident else None,
                                 "person_records": [record.id] if record else [],
                                 "after": {"kind": new.kind, "at": when.isoformat()}})
        uow.commit()
        return contact.id


def my_recent_contacts(uow: UnitOfWork) -> list[ContactView]:
    require(uow, Permission.VIEW_CASES)
    with uow:
        return [contact_view(c) for c in queries.my_contacts(uow.session, uow.actor)]
