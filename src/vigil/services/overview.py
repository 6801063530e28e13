"""Overviews behind the home page, the neighbourhoods page and the "about the data" page.

Like every read service, each function takes a unit of work (which carries the acting user),
checks the permission and reads through the restricted repositories.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from vigil.domain.access import Permission
from vigil.services.incidents import IncidentSummary, category_label, require, summarise
from vigil.store import repositories as repo
from vigil.store.repositories import IncidentCriteria
from vigil.store.uow import UnitOfWork

WINDOW_MONTHS = 12


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
    crime_records: int
    person_records: int
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
    years = demo.get("years_moved_forward")
    if isinstance(years, int) and years > 0:
        sizes += (f" The calls follow the real months moved forward {years} "
                  f"year{'s' if years != 1 else ''}, so the latest are recent.")
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
    require(uow, Permission.VIEW_INCIDENTS)
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
            busiest=areas, recent=[summarise(i) for i in latest],
        )


def neighbourhood_overview(uow: UnitOfWork) -> NeighbourhoodOverview:
    """Neighbourhoods by local authority (the busiest authority first, then by name) with
    LSOAs, population and ASB in the last twelve months of data and the rate per 1,000."""
    require(uow, Permission.VIEW_INCIDENTS)
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
    """The sources this user may know about, with what each holds, and every imported file."""
    require(uow, Permission.VIEW_INCIDENTS)
    with uow:
        incidents = repo.incidents_per_source(uow.session, uow.actor)
        crimes = repo.crime_records_per_source(uow.session, uow.actor)
        records = repo.person_records_per_source(uow.session, uow.actor)
        return DataOverview(
            data=_data_kind(uow, force_name=force_name),
            sources=[SourceFigures(name=s.name, kind=s.kind, description=s.description,
                                   incidents=incidents.get(s.id, 0),
                                   crime_records=crimes.get(s.id, 0),
                                   person_records=records.get(s.id, 0),
                                   police_only=s.police_only)
                     for s in repo.sources(uow.session, uow.actor)],
            files=[FileFigures(file_name=f.file_name, source_name=source_name,
                               data_rows=f.data_rows, incidents_added=f.incidents_added,
                               crimes_added=f.crimes_added, imported_at=f.imported_at,
                               imported_by=f.imported_by)
                   for f, source_name in repo.imported_files(uow.session)],
        )
