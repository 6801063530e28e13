"""Read use cases behind the pages and the JSON API: incident lists and details, the home-page
figures, neighbourhoods and what data this install holds.

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
from vigil.store import repositories as repo
from vigil.store.models import Incident, IncidentPerson
from vigil.store.repositories import IncidentCriteria
from vigil.store.uow import UnitOfWork

NOT_RECORDED = "not_recorded"
WINDOW_MONTHS = 12


class InvalidQuery(ValueError):
    """The search or filters are wrong; ``problems`` maps each field to what is wrong."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {text}" for name, text in problems.items()))
        self.problems = problems


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
    start = _parse_month(month_from, "month_from", problems)
    end = _parse_month(month_to, "month_to", problems)
    if start and end and start > end:
        problems["month_to"] = "must be the same as or after the month from"
    category = (category or "").strip() or None
    if category and category not in {c.value for c in Category} | {NOT_RECORDED}:
        problems["category"] = f"{category!r} is not a category"
    page_number = 1
    if page not in (None, ""):
        try:
            page_number = int(page)
        except ValueError:
            page_number = 0
        if page_number < 1:
            problems["page"] = "must be a whole number from 1"
    if problems:
        raise InvalidQuery(problems)
    criteria = IncidentCriteria(
        text=(text or "").strip()[:200] or None, source_code=(source or "").strip() or None,
        category=category, month_from=start, month_to=end,
        neighbourhood_code=(neighbourhood or "").strip() or None,
    )
    return IncidentQuery(criteria=criteria, page=page_number)


def _parse_month(value: str | None, name: str, problems: dict[str, str]) -> date | None:
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


@dataclass(frozen=True)
class IncidentPage:
    """One page of a list, with how many there are in all."""

    items: list[IncidentSummary]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


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


def _require(uow: UnitOfWork, permission: Permission) -> None:
    if not uow.actor.can(permission):
        raise PermissionDenied(f"this needs the {permission.value} permission")


def category_label(category: str | None) -> str:
    """The words for a category value; open data records none."""
    return Category(category).label if category else "Not recorded"


def _summary(incident: Incident) -> IncidentSummary:
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
    _require(uow, Permission.VIEW_INCIDENTS)
    with uow:
        total = repo.count_incidents(uow.session, uow.actor, query.criteria)
        rows = repo.incident_page(uow.session, uow.actor, criteria=query.criteria,
                                  offset=(query.page - 1) * page_size, limit=page_size)
        return IncidentPage(items=[_summary(i) for i in rows], total=total, page=query.page,
                            page_size=page_size)


def view_incident(uow: UnitOfWork, *, reference: str) -> IncidentDetail:
    """One incident; raises ``NotFound`` if missing or outside the user's scope.

    The people are included only for users who may see people, and showing them writes an
    audit record ("view", incident) in the same transaction.
    """
    _require(uow, Permission.VIEW_INCIDENTS)
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
            summary=_summary(incident), description=incident.description,
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
    _require(uow, Permission.VIEW_INCIDENTS)
    with uow:
        sources = [Choice(s.code, s.name) for s in repo.sources(uow.session, uow.actor)]
        areas = [Choice(n.code, n.name, n.local_authority_name)
                 for n in repo.neighbourhoods(uow.session)]
    categories = [Choice(c.value, c.label) for c in Category]
    categories.append(Choice(NOT_RECORDED, "Not recorded"))
    return IncidentFilterChoices(sources=sources, categories=categories, neighbourhoods=areas)




# --- Overviews: the home page, neighbourhoods, what data this install holds ------------------


@dataclass(frozen=True)
class DataKind:
    """Which kind of data this install holds, in words a user can take in at a glance."""

    kind: str  # "real" | "synthetic" | "imported" | "recorded" | "empty"
    headline: str


@dataclass(frozen=True)
class Period:
    """Whole months, first and last inclusive."""

    first: date
    last: date

    @property
    def label(self) -> str:
        return f"{self.first:%b %Y} to {self.last:%b %Y}"


@dataclass(frozen=True)
class AreaFigures:
    """A neighbourhood's size and its ASB in a period, with the rate per 1,000 residents."""

    code: str
    name: str
    local_authority_name: str
    lsoa_count: int
    population: int
    incidents: int

    @property
    def rate_per_1000(self) -> float | None:
        return round(self.incidents * 1000 / self.population, 1) if self.population else None


@dataclass(frozen=True)
class AreaGroup:
    """The neighbourhoods of one local authority, with its totals."""

    local_authority_name: str
    areas: list[AreaFigures]

    @property
    def lsoa_count(self) -> int:
        return sum(a.lsoa_count for a in self.areas)

    @property
    def population(self) -> int:
        return sum(a.population for a in self.areas)

    @property
    def incidents(self) -> int:
        return sum(a.incidents for a in self.areas)

    @property
    def rate_per_1000(self) -> float | None:
        return round(self.incidents * 1000 / self.population, 1) if self.population else None


@dataclass(frozen=True)
class HomeFigures:
    """The figures on the home page: the last twelve months of data the user may see."""

    data: DataKind
    period: Period | None
    total_in_period: int
    by_category: list[tuple[str, int]]
    busiest: list[AreaFigures]
    recent: list[IncidentSummary]


@dataclass(frozen=True)
class NeighbourhoodOverview:
    period: Period | None
    groups: list[AreaGroup]


@dataclass(frozen=True)
class SourceFigures:
    name: str
    kind: str
    description: str
    incidents: int
    police_only: bool


@dataclass(frozen=True)
class FileFigures:
    file_name: str
    source_name: str
    data_rows: int
    incidents_added: int
    crimes_added: int
    imported_at: datetime
    imported_by: str


@dataclass(frozen=True)
class DataOverview:
    data: DataKind
    sources: list[SourceFigures]
    files: list[FileFigures]


def _data_kind(uow: UnitOfWork, *, force_name: str) -> DataKind:
    demo = repo.site_fact(uow.session, "demo") or {}
    files = repo.imported_files(uow.session)
    sizes = ""
    if isinstance(demo.get("people"), int) and isinstance(demo.get("incidents"), int):
        sizes = f" {demo['people']:,} synthetic people, {demo['incidents']:,} demo calls."
    if demo.get("kind") == "real":
        return DataKind("real", f"Demo data: synthetic callers on the real {force_name} ASB "
                                f"locations (data.police.uk, OGL).{sizes}")
    if demo.get("kind") == "synthetic":
        return DataKind("synthetic", "Demo data: a synthetic force area (no open data "
                                     f"found).{sizes}")
    if files:
        incidents = sum(f.incidents_added for f, _ in files)
        return DataKind("imported", f"Open data: {len(files)} data.police.uk files imported "
                                    f"({incidents:,} ASB incidents); no demo people.")
    recorded = sum(repo.incidents_per_source(uow.session, uow.actor).values())
    if recorded:
        return DataKind("recorded", f"{recorded:,} incidents recorded in Vigil; no demo or "
                                    "open data.")
    return DataKind("empty", "No data yet: an administrator can build the demo (vigil demo) "
                             "or import data.police.uk files (vigil import police-uk).")


def _last_twelve_months(uow: UnitOfWork) -> Period | None:
    latest = repo.latest_incident_month(uow.session, uow.actor)
    if latest is None:
        return None
    months = latest.year * 12 + latest.month - 1 - (WINDOW_MONTHS - 1)
    return Period(first=date(months // 12, months % 12 + 1, 1), last=latest)


def _areas(uow: UnitOfWork, period: Period | None) -> list[AreaFigures]:
    counts = (repo.incidents_by_neighbourhood(uow.session, uow.actor, month_from=period.first,
                                              month_to=period.last) if period else {})
    return [AreaFigures(code=n.code, name=n.name, local_authority_name=n.local_authority_name,
                        lsoa_count=n.lsoa_count, population=n.population,
                        incidents=counts.get(n.id, 0))
            for n in repo.neighbourhoods(uow.session)]


def home_figures(uow: UnitOfWork, *, force_name: str, busiest: int = 5,
                 recent: int = 5) -> HomeFigures:
    """ASB in the last twelve months of data by category, the busiest neighbourhoods and the
    latest incidents, all limited to what the user may see."""
    _require(uow, Permission.VIEW_INCIDENTS)
    with uow:
        period = _last_twelve_months(uow)
        by_category: list[tuple[str, int]] = []
        if period:
            counts = repo.incidents_by_category(uow.session, uow.actor, month_from=period.first,
                                                month_to=period.last)
            by_category = sorted(((category_label(c), n) for c, n in counts.items()),
                                 key=lambda item: -item[1])
        areas = sorted((a for a in _areas(uow, period) if a.incidents),
                       key=lambda a: -a.incidents)[:busiest]
        latest = repo.incident_page(uow.session, uow.actor, criteria=IncidentCriteria(),
                                    offset=0, limit=recent)
        return HomeFigures(
            data=_data_kind(uow, force_name=force_name), period=period,
            total_in_period=sum(n for _, n in by_category), by_category=by_category,
            busiest=areas, recent=[_summary(i) for i in latest],
        )


def neighbourhood_overview(uow: UnitOfWork) -> NeighbourhoodOverview:
    """Neighbourhoods by local authority (the busiest authority first, then by name) with
    LSOAs, population and ASB in the last twelve months of data and the rate per 1,000."""
    _require(uow, Permission.VIEW_INCIDENTS)
    with uow:
        period = _last_twelve_months(uow)
        groups: dict[str, list[AreaFigures]] = {}
        for area in _areas(uow, period):
            groups.setdefault(area.local_authority_name or "Unknown", []).append(area)
        # Busiest authority first: areas just over the force boundary (where open-data points
        # fall) have few incidents and sink to the end.
        ordered = sorted((AreaGroup(name, areas) for name, areas in groups.items()),
                         key=lambda g: (-g.incidents, g.local_authority_name))
        return NeighbourhoodOverview(period=period, groups=ordered)


def data_overview(uow: UnitOfWork, *, force_name: str) -> DataOverview:
    """The sources this user may know about, with their incidents, and every imported file."""
    _require(uow, Permission.VIEW_INCIDENTS)
    with uow:
        per_source = repo.incidents_per_source(uow.session, uow.actor)
        return DataOverview(
            data=_data_kind(uow, force_name=force_name),
            sources=[SourceFigures(name=s.name, kind=s.kind, description=s.description,
                                   incidents=per_source.get(s.id, 0), police_only=s.police_only)
                     for s in repo.sources(uow.session, uow.actor)],
            files=[FileFigures(file_name=f.file_name, source_name=source_name,
                               data_rows=f.data_rows, incidents_added=f.incidents_added,
                               crimes_added=f.crimes_added, imported_at=f.imported_at,
                               imported_by=f.imported_by)
                   for f, source_name in repo.imported_files(uow.session)],
        )
