"""The agencies and sources every install has: the force, its partners, and the systems checked."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigil.domain.access import AgencyKind
from vigil.store.models import Agency, Source


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    kind: AgencyKind


@dataclass(frozen=True)
class SourceSpec:
    code: str
    name: str
    kind: str
    agency_code: str | None
    police_only: bool
    description: str


FORCE_CODE = "force"

DEMO_AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec(FORCE_CODE, "Leicestershire Police (demo)", AgencyKind.POLICE),
    AgencySpec("city-council", "City Council (demo)", AgencyKind.COUNCIL),
    AgencySpec("district-council", "District Council (demo)", AgencyKind.COUNCIL),
    AgencySpec("housing", "Homes Together Housing Association (demo)", AgencyKind.HOUSING),
)

VIGIL_LOG = "vigil"
POLICE_UK = "police-uk"
POLICE_UK_CRIMES = "police-uk-crimes"
CRIME_RECORDS = "crime-records"
COUNCIL_CASES = "council-cases"
HOUSING_CASES = "housing-cases"

SOURCES: tuple[SourceSpec, ...] = (
    SourceSpec(VIGIL_LOG, "Vigil incident log", "incident_log", FORCE_CODE, False,
               "ASB calls recorded in Vigil by the control room and partners."),
    SourceSpec(POLICE_UK, "data.police.uk ASB (open data)", "open_data", None, False,
               "Street-level ASB incidents published monthly on data.police.uk: month and "
               "an anonymised point only. Contains public sector information licensed under "
               "the Open Government Licence v3.0."),
    SourceSpec(POLICE_UK_CRIMES, "data.police.uk crimes (open data)", "open_data", None, False,
               "Street-level crimes published monthly on data.police.uk."),
    SourceSpec(CRIME_RECORDS, "Force crime records system", "crime_records", FORCE_CODE, True,
               "The force's crime records: victims and suspects of crimes. Police only."),
    SourceSpec(COUNCIL_CASES, "City Council ASB case list", "partner_cases", "city-council",
               False, "The council ASB team's case list, imported nightly."),
    SourceSpec(HOUSING_CASES, "Housing provider tenancy-enforcement list", "partner_cases",
               "housing", False, "Tenants and complainants known to the housing provider."),
)


def ensure_reference_data(session: Session) -> dict[str, Source]:
    """Create the agencies and sources that are missing; return the sources by code.

    Idempotent, and never commits: the calling service owns the transaction.
    """
    agencies = {a.code: a for a in session.scalars(select(Agency))}
    for spec in DEMO_AGENCIES:
        if spec.code not in agencies:
            agency = Agency(code=spec.code, name=spec.name, kind=spec.kind.value)
            session.add(agency)
            agencies[spec.code] = agency
    session.flush()
    sources = {s.code: s for s in session.scalars(select(Source))}
    for source_spec in SOURCES:
        if source_spec.code not in sources:
            source = Source(
                code=source_spec.code, name=source_spec.name, kind=source_spec.kind,
                agency_id=agencies[source_spec.agency_code].id if source_spec.agency_code
                else None,
                police_only=source_spec.police_only, description=source_spec.description,
            )
            session.add(source)
            sources[source_spec.code] = source
    session.flush()
    return sources
