"""Zones and ASB points from the real data.police.uk files and the ONS LSOAs loaded from them."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from vigil.demo.area import (
    ON_OR_NEAR,
    AsbPoint,
    Street,
    Zone,
    residential_streets,
    street_names,
    streets_around,
)
from vigil.sources.police_uk import StreetRow

# The main town of each Leicestershire and Rutland authority, and its postcode districts.
_TOWNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Leicester": ("Leicester", ("LE1", "LE2", "LE3", "LE4", "LE5")),
    "Blaby": ("Blaby", ("LE8", "LE9", "LE19")),
    "Charnwood": ("Loughborough", ("LE11", "LE12")),
    "Harborough": ("Market Harborough", ("LE16", "LE17", "LE8")),
    "Hinckley and Bosworth": ("Hinckley", ("LE10", "CV13", "LE9")),
    "Melton": ("Melton Mowbray", ("LE13", "LE14")),
    "North West Leicestershire": ("Coalville", ("LE65", "LE67", "DE74")),
    "Oadby and Wigston": ("Wigston", ("LE18", "LE2")),
    "Rutland": ("Oakham", ("LE15",)),
}
CITY_TOWN = "Leicester"


@dataclass(frozen=True)
class LsoaPlace:
    """What the demo needs of an LSOA row."""

    code: str
    name: str
    latitude: float
    longitude: float
    population: int | None
    local_authority_name: str | None


def asb_points(rows: Iterable[StreetRow]) -> list[AsbPoint]:
    """Every ASB row with a point and an LSOA, as an :class:`AsbPoint` (duplicates kept: identical
    rows are separate incidents)."""
    return [
        AsbPoint(month=row.month, latitude=row.latitude, longitude=row.longitude,
                 location=row.location, lsoa_code=row.lsoa_code)
        for row in rows
        if row.is_asb and row.latitude is not None and row.longitude is not None
        and row.lsoa_code
    ]


def zones_from_places(rng: random.Random, places: Sequence[LsoaPlace],
                      points: Sequence[AsbPoint]) -> list[Zone]:
    """A zone per LSOA, with the streets its ASB rows name (placed where those rows are)."""
    by_lsoa: dict[str, list[AsbPoint]] = defaultdict(list)
    for point in points:
        by_lsoa[point.lsoa_code].append(point)
    zones = []
    for place in sorted(places, key=lambda p: p.code):
        here = by_lsoa.get(place.code, [])
        names = residential_streets(p.location for p in here)[:15]
        streets: list[Street] = []
        for name in names:
            located = [p for p in here if p.location == ON_OR_NEAR + name]
            streets.append(Street(name, located[0].latitude, located[0].longitude))
        if len(streets) < 4:
            extra = [n for n in street_names(rng, 8) if n not in names][: 6 - len(streets)]
            streets.extend(streets_around(rng, centre=(place.latitude, place.longitude),
                                          names=extra, radius_km=0.4))
        # The census names unitary authorities "Leicester UA"; nobody writes that on a letter.
        authority = (place.local_authority_name or place.name.rsplit(" ", 1)[0]).removesuffix(
            " UA")
        town, districts = _TOWNS.get(authority, (authority, ("LE7",)))
        zones.append(Zone(code=place.code, name=place.name, latitude=place.latitude,
                          longitude=place.longitude, population=place.population or 1500,
                          town=town, postcode_district=rng.choice(districts),
                          streets=tuple(streets)))
    return zones
