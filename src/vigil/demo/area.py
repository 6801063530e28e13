"""Places for the demo: zones (LSOAs) with streets, and ASB points, real or synthetic.

Without the open data the demo builds a fictional county, "Northbridgeshire", in the East
Midlands: three local authorities, thirty MSOA-like neighbourhoods and about 150 LSOA-like zones
with codes that no real area has (``X01000001``), and ASB points concentrated in a few town
centres with a long tail elsewhere, as real ASB is.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

KM_PER_DEGREE_LAT = 111.2


@dataclass(frozen=True)
class Street:
    """A street in a zone and the point where open data places its incidents."""

    name: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Zone:
    """An LSOA as the demo needs it: a point, a population, a town and its streets."""

    code: str
    name: str
    latitude: float
    longitude: float
    population: int
    town: str
    postcode_district: str
    streets: tuple[Street, ...]


@dataclass(frozen=True, slots=True)
class AsbPoint:
    """Where and in which month an ASB incident happened (a data.police.uk row, or made up)."""

    month: date
    latitude: float
    longitude: float
    location: str
    lsoa_code: str


@dataclass(frozen=True)
class SyntheticLsoa:
    """A row for the ``lsoas`` table of the fictional county, with its neighbourhood (MSOA)."""

    code: str
    name: str
    msoa_code: str
    msoa_name: str
    local_authority_code: str
    local_authority_name: str
    population: int
    households: int
    latitude: float
    longitude: float


@dataclass(frozen=True)
class SyntheticArea:
    lsoas: tuple[SyntheticLsoa, ...]
    zones: tuple[Zone, ...]
    points: tuple[AsbPoint, ...]
    months: tuple[date, ...]


@dataclass(frozen=True)
class _Authority:
    code: str
    name: str
    centre: tuple[float, float]
    msoas: int
    postcode_districts: tuple[int, ...]
    villages: tuple[str, ...]


_AUTHORITIES = (
    _Authority("X06000001", "Northbridge", (52.300, -0.950), 14, (1, 2, 3, 4, 5, 6), ()),
    _Authority("X07000001", "Ashby Vale", (52.425, -1.140), 9, (10, 11, 12),
               ("Hollowby", "Thornwick", "Fenby Magna", "Coldmere", "Brackenby", "Millbeck")),
    _Authority("X07000002", "Kelmarsh Wolds", (52.180, -0.720), 7, (20, 21, 22),
               ("Oakhanger Parva", "Wistow Cross", "Saxby Moor", "Eastmere")),
)
SYNTHETIC_MONTHS: tuple[date, ...] = tuple(
    date(2022 + i // 12, i % 12 + 1, 1) for i in range(36)
)
# ASB rises in summer and around Bonfire Night.
_MONTH_WEIGHTS = (0.85, 0.8, 0.9, 1.0, 1.1, 1.15, 1.25, 1.2, 1.05, 1.1, 1.05, 0.85)

_STREET_STEMS = (
    "Church", "Station", "Mill", "Victoria", "Albert", "Park", "Queens", "Kings", "Chapel",
    "Manor", "Orchard", "Meadow", "Willow", "Beech", "Oak", "Ash", "Elm", "Cedar", "Hawthorn",
    "Holly", "Rowan", "Linden", "Chestnut", "Bramble", "Foxglove", "Heather", "Thistle",
    "Galahad", "Lancelot", "Tennyson", "Byron", "Shelley", "Wordsworth", "Keats", "Milton",
    "Nelson", "Wellington", "Gladstone", "Disraeli", "Peel", "Balmoral", "Windsor", "Sandringham",
    "Stafford", "Warwick", "Rutland", "Sherwood", "Charnwood", "Bradgate", "Belvoir", "Swithland",
    "Gorse", "Spinney", "Brook", "Ferndale", "Fairfield", "Greenacre", "Highfield", "Westfield",
    "Northfield", "Southfields", "Eastway", "Coppice", "Kestrel", "Heron", "Swallow", "Lark",
    "Wren", "Falcon", "Grebe", "Sparrow", "Avon", "Soar", "Trent", "Welland", "Nene", "Sence",
)
_STREET_SUFFIXES = (
    "Road", "Road", "Street", "Street", "Close", "Close", "Avenue", "Lane", "Drive", "Way",
    "Crescent", "Gardens", "Court", "Grove", "Walk", "Rise", "Place", "Terrace", "View", "Mews",
)
_CENTRE_STREETS = ("High Street", "Market Place", "Church Street", "Station Road", "King Street",
                   "Bridge Street", "Silver Street", "Castle Street")
_LANDMARKS = ("Supermarket", "Parking Area", "Shopping Area", "Park/Open Space", "Petrol Station",
              "Sports/Recreation Area", "Further/Higher Educational Building", "Nightclub",
              "Conference/Exhibition Centre", "Theatre/Concert Hall", "Pedestrian Subway")
_RESIDENTIAL = re.compile(
    r"\b(Road|Street|Close|Avenue|Lane|Drive|Way|Crescent|Gardens|Court|Grove|Walk|Rise|Place|"
    r"Terrace|View|Mews|Square|Hill|Green|Row|Vale|Park|Croft|Fields|Meadow|Chase|End)$"
)
ON_OR_NEAR = "On or near "


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Straight-line distance between two (latitude, longitude) points, good over a county."""
    dlat = (a[0] - b[0]) * KM_PER_DEGREE_LAT
    dlon = (a[1] - b[1]) * KM_PER_DEGREE_LAT * math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot(dlat, dlon)


def offset(point: tuple[float, float], *, north_km: float, east_km: float) -> tuple[float, float]:
    lat = point[0] + north_km / KM_PER_DEGREE_LAT
    lon = point[1] + east_km / (KM_PER_DEGREE_LAT * math.cos(math.radians(point[0])))
    return round(lat, 6), round(lon, 6)


def street_names(rng: random.Random, count: int, *, town_centre: bool = False) -> list[str]:
    """``count`` different believable English street names."""
    names: list[str] = list(_CENTRE_STREETS[: min(count, 4)]) if town_centre else []
    while len(names) < count:
        name = f"{rng.choice(_STREET_STEMS)} {rng.choice(_STREET_SUFFIXES)}"
        if name not in names:
            names.append(name)
    return names


def residential_streets(locations: Iterable[str]) -> list[str]:
    """Street names from data.police.uk locations (``On or near Galahad Close``), most used
    first; landmarks such as ``Supermarket`` are left out."""
    counts: Counter[str] = Counter()
    for location in locations:
        name = location.removeprefix(ON_OR_NEAR.strip()).strip()
        if _RESIDENTIAL.search(name):
            counts[name] += 1
    return [name for name, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def streets_around(rng: random.Random, *, centre: tuple[float, float], names: Sequence[str],
                   radius_km: float) -> tuple[Street, ...]:
    """Place each named street at a point within ``radius_km`` of ``centre``."""
    streets = []
    for name in names:
        lat, lon = offset(centre, north_km=rng.gauss(0, radius_km / 2),
                          east_km=rng.gauss(0, radius_km / 2))
        streets.append(Street(name, lat, lon))
    return tuple(streets)


def build_synthetic_area(rng: random.Random, *, points: int) -> SyntheticArea:
    """The fictional county: its LSOAs, zones with streets, and ``points`` ASB points."""
    lsoas: list[SyntheticLsoa] = []
    zones: list[Zone] = []
    hotness: list[float] = []
    msoa_number = lsoa_number = 0
    for authority in _AUTHORITIES:
        is_city = not authority.villages
        for i in range(authority.msoas):
            msoa_number += 1
            msoa_code = f"X02{msoa_number:06d}"
            msoa_name = f"{authority.name} {i + 1:03d}"
            near_town = is_city or i < 3
            if near_town:
                radius = (0.3 + 4.2 * math.sqrt(i / authority.msoas)) if is_city else 0.8 + i
                town = authority.name.split(" ")[0]
            else:
                radius = rng.uniform(5, 12)
                town = authority.villages[(i - 3) % len(authority.villages)]
            angle = i * 2.39996 + rng.uniform(-0.3, 0.3)
            msoa_centre = offset(authority.centre, north_km=radius * math.cos(angle),
                                 east_km=radius * math.sin(angle))
            for j in range(rng.randint(4, 6)):
                lsoa_number += 1
                spread = 0.7 if near_town else 1.8
                centre = (authority.centre if is_city and i == 0 and j == 0
                          else offset(msoa_centre, north_km=rng.uniform(-spread, spread),
                                      east_km=rng.uniform(-spread, spread)))
                population = int(min(3000, max(1000, rng.gauss(1600, 300))))
                code = f"X01{lsoa_number:06d}"
                name = f"{msoa_name}{chr(ord('A') + j)}"
                lsoas.append(SyntheticLsoa(
                    code=code, name=name, msoa_code=msoa_code, msoa_name=msoa_name,
                    local_authority_code=authority.code, local_authority_name=authority.name,
                    population=population, households=int(population / rng.uniform(2.2, 2.6)),
                    latitude=centre[0], longitude=centre[1]))
                from_centre = distance_km(centre, authority.centre)
                is_centre = from_centre < (0.35 if is_city else 1.2)
                names = street_names(rng, rng.randint(7, 14), town_centre=is_centre)
                zones.append(Zone(
                    code=code, name=name, latitude=centre[0], longitude=centre[1],
                    population=population, town=town,
                    postcode_district=f"NB{rng.choice(authority.postcode_districts)}",
                    streets=streets_around(rng, centre=centre, names=names, radius_km=0.5)))
                base = rng.lognormvariate(0, 0.8) * population / 1500
                base *= 1.6 if is_city else 1.0 if near_town else 0.45
                hotness.append(base + (40.0 if is_centre and is_city else 0)
                               + (15.0 if is_centre and not is_city else 0)
                               + (6.0 if is_city and from_centre < 1.2 else 0))
    return SyntheticArea(lsoas=tuple(lsoas), zones=tuple(zones),
                         points=tuple(_synthetic_points(rng, zones, hotness, points)),
                         months=SYNTHETIC_MONTHS)


def _synthetic_points(rng: random.Random, zones: Sequence[Zone], hotness: Sequence[float],
                      count: int) -> list[AsbPoint]:
    month_weights = [_MONTH_WEIGHTS[m.month - 1] for m in SYNTHETIC_MONTHS]
    points = []
    zone_picks = rng.choices(range(len(zones)), weights=hotness, k=count)
    for zone_index in zone_picks:
        zone = zones[zone_index]
        month = rng.choices(SYNTHETIC_MONTHS, weights=month_weights)[0]
        # Streets near the top of the list get most of the incidents: repeat locations.
        weights = [1 / (k + 1) for k in range(len(zone.streets))]
        street = rng.choices(zone.streets, weights=weights)[0]
        if rng.random() < 0.15:
            location = ON_OR_NEAR + rng.choice(_LANDMARKS)
        else:
            location = ON_OR_NEAR + street.name
        points.append(AsbPoint(month=month, latitude=street.latitude, longitude=street.longitude,
                               location=location, lsoa_code=zone.code))
    return points
