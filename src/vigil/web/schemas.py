"""What the JSON API returns and accepts. Public schemas list their fields one by one, so a
password hash or a police-only flag can never slip out by being added to a table."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

from pydantic import BaseModel, Field

from vigil.domain.access import Permission
from vigil.services.incidents import IncidentDetail, IncidentPage, IncidentSummary
from vigil.services.overview import AreaFigures, NeighbourhoodOverview
from vigil.web.identity import SignedInUser


class HealthPublic(BaseModel):
    status: str = Field(examples=["ok"])
    database: str = Field(examples=["reachable"])


class LoginRequest(BaseModel):
    username: str = Field(max_length=80)
    password: str = Field(max_length=1000)


class MePublic(BaseModel):
    username: str
    full_name: str
    role: str
    role_label: str
    agency_name: str
    agency_kind: str
    permissions: list[str]

    @classmethod
    def of(cls, user: SignedInUser) -> MePublic:
        actor = user.actor
        return cls(
            username=actor.username, full_name=user.full_name,
            role=actor.role.value if actor.role else "", role_label=user.role_label,
            agency_name=user.agency_name,
            agency_kind=actor.agency_kind.value if actor.agency_kind else "",
            permissions=[p.value for p in Permission if actor.can(p)],
        )


class SessionPublic(BaseModel):
    """The signed-in user, and the token to send as ``X-CSRF-Token`` on later changes."""

    user: MePublic
    csrf_token: str


class IncidentSummaryPublic(BaseModel):
    reference: str
    month: str = Field(description="YYYY-MM; open data gives only the month")
    occurred_at: datetime | None
    category: str | None = Field(description="personal, nuisance, environmental or null")
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

    @classmethod
    def of(cls, summary: IncidentSummary) -> IncidentSummaryPublic:
        return cls.model_validate(summary, from_attributes=True)


class IncidentListPublic(BaseModel):
    items: list[IncidentSummaryPublic]
    total: int
    page: int
    page_size: int
    pages: int

    @classmethod
    def of(cls, page: IncidentPage) -> IncidentListPublic:
        return cls(items=[IncidentSummaryPublic.of(i) for i in page.items], total=page.total,
                   page=page.page, page_size=page.page_size, pages=page.pages)


class PersonInIncidentPublic(BaseModel):
    name: str
    role: str
    source_name: str
    date_of_birth: str | None
    address_text: str | None
    postcode: str | None
    vulnerabilities: list[str]


class IncidentDetailPublic(IncidentSummaryPublic):
    description: str
    time_precision: str
    address: str | None
    latitude: float | None
    longitude: float | None
    lsoa_name: str | None
    local_authority_name: str | None
    people: list[PersonInIncidentPublic] | None = Field(
        description="null when your role may not see people")

    @classmethod
    def of_detail(cls, detail: IncidentDetail) -> IncidentDetailPublic:
        people = (None if detail.people is None else
                  [PersonInIncidentPublic.model_validate(p, from_attributes=True)
                   for p in detail.people])
        fields = asdict(detail.summary) | {
            "description": detail.description, "time_precision": detail.time_precision,
            "address": detail.address, "latitude": detail.latitude,
            "longitude": detail.longitude, "lsoa_name": detail.lsoa_name,
            "local_authority_name": detail.local_authority_name, "people": people,
        }
        return cls.model_validate(fields)


class NeighbourhoodPublic(BaseModel):
    code: str
    name: str
    local_authority_name: str
    lsoa_count: int
    population: int
    incidents: int = Field(description="ASB incidents in the period")
    rate_per_1000: float | None = Field(description="incidents per 1,000 residents")

    @classmethod
    def of(cls, area: AreaFigures) -> NeighbourhoodPublic:
        return cls(code=area.code, name=area.name, local_authority_name=area.local_authority_name,
                   lsoa_count=area.lsoa_count, population=area.population,
                   incidents=area.incidents, rate_per_1000=area.rate_per_1000)


class NeighbourhoodListPublic(BaseModel):
    period_first: date | None = Field(description="first month counted")
    period_last: date | None = Field(description="last month counted")
    items: list[NeighbourhoodPublic]

    @classmethod
    def of(cls, overview: NeighbourhoodOverview) -> NeighbourhoodListPublic:
        period = overview.period
        return cls(period_first=period.first if period else None,
                   period_last=period.last if period else None,
                   items=[NeighbourhoodPublic.of(a) for g in overview.groups for a in g.areas])
