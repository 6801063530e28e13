"""ONS geography: LSOA centroids, 2011 census population, and the LSOA to police force lookup.

Every LSOA gets a point and a population; neighbourhoods default to one per MSOA, grouped by
local authority.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from vigil.store.models import Lsoa, Neighbourhood

CENTROIDS_FILE = Path(
    "police-uk/Lower_Layer_Super_Output_Areas_December_2011_Population_Weighted_Centroids.csv"
)
CENSUS_FILE = Path("ons/census_2011_population_hh.csv")
FORCE_LOOKUP_FILE = Path("ons/PoliceforceLSOA.csv")

OGL_ONS_ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v3.0. "
    "Contains OS data © Crown copyright and database right."
)


@dataclass(frozen=True)
class LsoaFacts:
    code: str
    name: str
    msoa_code: str | None = None
    msoa_name: str | None = None
    local_authority_code: str | None = None
    local_authority_name: str | None = None
    police_force: str | None = None
    population: int | None = None
    households: int | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass
class GeographySummary:
    lsoas_added: int = 0
    neighbourhoods_added: int = 0
    lsoas_without_geography: list[str] = field(default_factory=list)


def geography_available(open_data_dir: Path) -> bool:
    return all((open_data_dir / f).is_file() for f in (CENTROIDS_FILE, CENSUS_FILE,
                                                        FORCE_LOOKUP_FILE))


def read_lsoa_facts(open_data_dir: Path) -> dict[str, LsoaFacts]:
    """Every LSOA in England and Wales with its centroid, population and police force."""
    points: dict[str, tuple[float, float]] = {}
    with (open_data_dir / CENTROIDS_FILE).open(encoding="utf-8-sig", newline="") as handle:
        for point in csv.DictReader(handle):
            points[point["lsoa11cd"]] = (float(point["Y"]), float(point["X"]))
    forces: dict[str, str] = {}
    with (open_data_dir / FORCE_LOOKUP_FILE).open(encoding="utf-8-sig", newline="") as handle:
        for lookup in csv.DictReader(handle):
            forces[lookup["LSOA Code"]] = lookup["Police_force"].strip()
    facts: dict[str, LsoaFacts] = {}
    with (open_data_dir / CENSUS_FILE).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)  # the header repeats "Persons", so columns are taken by position
        for row in reader:
            code = row[6]
            latitude, longitude = points.get(code, (None, None))
            facts[code] = LsoaFacts(
                code=code, name=row[7], msoa_code=row[4], msoa_name=row[5],
                # Unitary authorities are "Leicester UA" in the census; people say "Leicester".
                local_authority_code=row[2], local_authority_name=row[3].removesuffix(" UA"),
                police_force=forces.get(code) or None, population=_count(row[9]),
                households=_count(row[14]), latitude=latitude, longitude=longitude,
            )
    return facts


def _count(text: str) -> int | None:
    text = text.replace(",", "").strip()
    return int(text) if text.isdigit() else None


def load_geography(session: Session, *, open_data_dir: Path, force_name: str,
                   extra_lsoa_codes: Iterable[str] = (),
                   facts: Mapping[str, LsoaFacts] | None = None) -> GeographySummary:
    """Add the force's LSOAs (and any others named) with their neighbourhoods, if missing.

    Idempotent; never commits. Codes the ONS files do not know are returned in
    ``lsoas_without_geography`` for the caller to add bare. Pass ``facts`` (from
    :func:`read_lsoa_facts`) when calling many times, to read the ONS files once.
    """
    summary = GeographySummary()
    wanted = set(extra_lsoa_codes)
    if facts is None:
        if not geography_available(open_data_dir):
            summary.lsoas_without_geography = sorted(wanted)
            return summary
        facts = read_lsoa_facts(open_data_dir)
    wanted |= {code for code, f in facts.items() if f.police_force == force_name}
    existing = set(session.scalars(select(Lsoa.code).where(Lsoa.code.in_(wanted))))
    missing = sorted(wanted - existing)
    summary.lsoas_without_geography = [code for code in missing if code not in facts]
    to_add = [facts[code] for code in missing if code in facts]
    neighbourhood_ids = _ensure_neighbourhoods(session, to_add, summary)
    if to_add:
        session.execute(insert(Lsoa), [
            {"code": f.code, "name": f.name, "msoa_code": f.msoa_code, "msoa_name": f.msoa_name,
             "local_authority_code": f.local_authority_code,
             "local_authority_name": f.local_authority_name, "police_force": f.police_force,
             "population": f.population, "households": f.households, "latitude": f.latitude,
             "longitude": f.longitude,
             "neighbourhood_id": neighbourhood_ids.get(f.msoa_code or "")}
            for f in to_add
        ])
    summary.lsoas_added = len(to_add)
    return summary


def _ensure_neighbourhoods(session: Session, lsoas: list[LsoaFacts],
                           summary: GeographySummary) -> dict[str, int]:
    """One neighbourhood per MSOA (its code and name), created when first needed."""
    msoas = {f.msoa_code: f for f in lsoas if f.msoa_code}
    ids = dict(session.execute(
        select(Neighbourhood.code, Neighbourhood.id).where(Neighbourhood.code.in_(msoas))
    ).all())
    for code, f in sorted(msoas.items()):
        if code in ids:
            continue
        neighbourhood = Neighbourhood(
            code=code, name=f.msoa_name or code,
            local_authority_code=f.local_authority_code or "",
            local_authority_name=f.local_authority_name or "",
        )
        session.add(neighbourhood)
        session.flush()
        ids[code] = neighbourhood.id
        summary.neighbourhoods_added += 1
    return ids
