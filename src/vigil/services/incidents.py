"""Read use cases behind the incident pages and the JSON API: lists, search and details.

Each function takes a unit of work (which carries the acting user), checks the permission,
reads through the restricted repositories and returns plain read models, so no database object
outlives its transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from vigil.domain.access import NotFound, Permission, PermissionDenied
from vigil.domain.incidents import Category, DetailedType, PersonRole, month_label
from vigil.domain.people import VulnerabilityKind
from vigil.domain.problems import FieldProblems
from vigil.services.paging import Page, parse_page_number
from vigil.store import repositories as repo
from vigil.store.models import Incident, IncidentPerson
from vigil.store.repositories import IncidentCriteria
from vigil.store.uow import UnitOfWork

NOT_RECORDED = "not_recorded"


class InvalidQuery(FieldProblems):
    """The search or filters are wrong; ``problems`` maps each field to what is wrong."""


@dataclass(frozen=True)
class IncidentQuery:
    """A parsed, valid incident search: criteria plus the page wanted (from 1)."""

    criteria: IncidentCriteria
    page: int = 1


def parse_incident_query(*, text: str | None = None, source: str | None = None,
                         category: str | None = None, month_from: str | None = None,
                         month_to: str | None = None, neighbourhood: str | None = None,
                         page: str | int | None = None) -> IncidentQuery:
    """Parse the search form's values; every problem is reported at once in ``InvalidQuery``."""
    problems: dict[str, str] = {}
    start = parse_month(month_from, "month_from", problems)
    end = parse_month(month_to, "month_to", problems)
    if start and end and start > end:
        problems["month_to"] = "must be the same as or after the month from"
    category = (category or "").strip() or None
    if category and category not in {c.value for c in Category} | {NOT_RECORDED}:
        problems["category"] = f"{category!r} is not a category"
    page_number = parse_page_number(page, problems)
    if problems:
        raise InvalidQuery(problems)
    criteria = IncidentCriteria(
        text=(text or "").strip()[:200] or None, source_code=(source or "").strip() or None,
        category=category, month_from=start, month_to=end,
        neighbourhood_code=(neighbourhood or "").strip() or None,
    )
    return IncidentQuery(criteria=criteria, page=page_number)


def parse_month(value: str | None, name: str, problems: dict[str, str]) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        parsed = datetime.strptime(value, "%Y-%m")
    except ValueError:
        problems[name] = f"{value!r} is not a month (YYYY-MM, e.g. 2022-10)"
        return None
    return parsed.date().replace(day=1)


@dataclass(frozen=True)
class IncidentSummary:
    """One row of an incident list."""

    reference: str
    month: str
    occurred_at: datetime | None
    category: str | None
    category_label: str
    detailed_type: str
    detailed_type_label: str
    location_text: str
    lsoa_code: str | None
    neighbourhood_code: str | None
    neighbourhood_name: str | None
    source_code: str
    source_name: str
    status: str
    police_only: bool


IncidentPage = Page[IncidentSummary]


@dataclass(frozen=True)
class PersonInIncident:
    """A person record's part in an incident, as shown to someone allowed to see people."""

    record_id: int
    name: str
    role: str
    role_label: str
    source_name: str
    date_of_birth: str | None
    address_text: str | None
    postcode: str | None
    vulnerabilities: list[str]
    police_only: bool


@dataclass(frozen=True)
class IncidentDetail:
    """An incident with its place and, when the user may see people, who was involved."""

    summary: IncidentSummary
    description: str
    time_precision: str
    address: str | None
    latitude: float | None
    longitude: float | None
    lsoa_name: str | None
    local_authority_name: str | None
    people: list[PersonInIncident] | None  # None: this user may not see people


def require(uow: UnitOfWork, permission: Permission) -> None:
    if not uow.actor.can(permission):
        raise PermissionDenied(f"this needs the {permission.value} permission")


def category_label(category: str | None) -> str:
    """The words for a category value; open data records none."""
    return Category(category).label if category else "Not recorded"


def summarise(incident: Incident) -> IncidentSummary:
    lsoa = incident.lsoa
    neighbourhood = lsoa.neighbourhood if lsoa else None
    return IncidentSummary(
        reference=incident.reference,
        month=month_label(incident.occurred_month.year, incident.occurred_month.month),
        occurred_at=incident.occurred_at, category=incident.category,
        category_label=category_label(incident.category),
        detailed_type=incident.detailed_type,
        detailed_type_label=DetailedType(incident.detailed_type).label,
        location_text=incident.location_text, lsoa_code=incident.lsoa_code,
        neighbourhood_code=neighbourhood.code if neighbourhood else None,
        neighbourhood_name=neighbourhood.name if neighbourhood else None,
        source_code=incident.source.code, source_name=incident.source.name,
        status=incident.status, police_only=incident.police_only,
    )


def _person(link: IncidentPerson) -> PersonInIncident:
    record = link.record
    return PersonInIncident(
        record_id=record.id, name=record.display_name, role=link.role,
        role_label=PersonRole(link.role).value.capitalize(), source_name=record.source.name,
        date_of_birth=record.date_of_birth, address_text=record.address_text,
        postcode=record.postcode,
        vulnerabilities=[_marker_label(m.kind) for m in record.markers],
        police_only=record.police_only or record.source.police_only,
    )


def _marker_label(kind: str) -> str:
    try:
        return VulnerabilityKind(kind).label
    except ValueError:
        return kind.replace("_", " ").capitalize()


def list_incidents(uow: UnitOfWork, *, query: IncidentQuery, page_size: int) -> IncidentPage:
    """The incidents the user may see matching ``query``, newest first, one page of them."""
    require(uow, Permission.VIEW_INCIDENTS)
    with uow:
        total = repo.count_incidents(uow.session, uow.actor, query.criteria)
        rows = repo.incident_page(uow.session, uow.actor, criteria=query.criteria,
                                  offset=(query.page - 1) * page_size, limit=page_size)
        return IncidentPage(items=[summarise(i) for i in rows], total=total, page=query.page,
                            page_size=page_size)


def view_incident(uow: UnitOfWork, *, reference: str) -> IncidentDetail:
    """One incident; raises ``NotFound`` if missing or outside the user's scope.

    The people are included only for users who may see people, and showing them writes an
    audit record ("view", incident) in the same transaction.
    """
    require(uow, Permission.VIEW_INCIDENTS)
    with uow:
        incident = repo.find_incident(uow.session, uow.actor, reference=reference)
        if incident is None:
            raise NotFound(f"no incident {reference}")
        people: list[PersonInIncident] | None = None
        if uow.actor.can(Permission.VIEW_PEOPLE):
            people = [_person(link) for link in
                      repo.incident_people(uow.session, uow.actor, incident_id=incident.id)]
            if people:
                uow.audit.record(action="view", object_type="incident",
                                 object_id=incident.reference,
                                 detail={"person_records": [p.record_id for p in people]})
        lsoa = incident.lsoa
        detail = IncidentDetail(
            summary=summarise(incident), description=incident.description,
            time_precision=incident.time_precision,
            address=incident.address.one_line if incident.address else None,
            latitude=incident.latitude, longitude=incident.longitude,
            lsoa_name=lsoa.name if lsoa else None,
            local_authority_name=lsoa.local_authority_name if lsoa else None,
            people=people,
        )
        uow.commit()
        return detail


@dataclass(frozen=True)
class Choice:
    """A value and the words shown for it in a form."""

    value: str
    label: str
    group: str = ""


@dataclass(frozen=True)
class IncidentFilterChoices:
    sources: list[Choice]
    categories: list[Choice]
    neighbourhoods: list[Choice]


def incident_filter_choices(uow: UnitOfWork) -> IncidentFilterChoices:
    """The values each filter of the incident search offers to this user."""
    require(uow, Permission.VIEW_INCIDENTS)
    with uow:
        sources = [Choice(s.code, s.name) for s in repo.sources(uow.session, uow.actor)]
        areas = [Choice(n.code, n.name, n.local_authority_name)
                 for n in repo.neighbourhoods(uow.session)]
    categories = [Choice(c.value, c.label) for c in Category]
    categories.append(Choice(NOT_RECORDED, "Not recorded"))
    return IncidentFilterChoices(sources=sources, categories=categories, neighbourhoods=areas)
