"""Where a call's incident happened: an address or postcode matched to a known address, or a
point chosen on the map; either way resolved to an LSOA and its neighbourhood.

A point is placed in the LSOA whose population-weighted centroid is nearest. A point further
than :data:`FORCE_AREA_MARGIN_KM` from every centroid of the force's LSOAs (``force_name``, as
the ONS lookup names it) is outside the force area and is refused, naming the field, so a
mistyped or swapped coordinate never files an incident in the wrong place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from vigil.domain.access import Permission, PermissionDenied
from vigil.identify.normalise import parse_address
from vigil.identify.normalise.places import dwelling_key, parse_postcode
from vigil.store.models import Address, Lsoa, Neighbourhood
from vigil.store.uow import UnitOfWork

FORCE_AREA_MARGIN_KM = 5.0
KM_PER_DEGREE_LAT = 111.2
_SEARCH_DEGREES = FORCE_AREA_MARGIN_KM / KM_PER_DEGREE_LAT * 2


@dataclass(frozen=True)
class Place:
    """A resolved place. Every part may be unknown."""

    latitude: float | None = None
    longitude: float | None = None
    address: Address | None = None
    lsoa_code: str | None = None
    lsoa_name: str | None = None
    neighbourhood: str | None = None
    from_point: bool = False

    @property
    def resolved(self) -> bool:
        return self.lsoa_code is not None


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Straight-line distance between two (latitude, longitude) points, good over a county."""
    dlat = (a[0] - b[0]) * KM_PER_DEGREE_LAT
    dlon = (a[1] - b[1]) * KM_PER_DEGREE_LAT * math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot(dlat, dlon)


def parse_point(latitude: str, longitude: str) -> tuple[tuple[float, float] | None,
                                                        dict[str, str]]:
    """The typed latitude and longitude (decimal degrees) as a point, or the problems by field.
    Both blank is no point and no problem."""
    texts = {"place_latitude": latitude.strip(), "place_longitude": longitude.strip()}
    if not any(texts.values()):
        return None, {}
    problems: dict[str, str] = {}
    values: dict[str, float] = {}
    limits = {"place_latitude": 90.0, "place_longitude": 180.0}
    for name, text in texts.items():
        if not text:
            problems[name] = "give both the latitude and the longitude, or neither"
            continue
        try:
            value = float(text)
        except ValueError:
            problems[name] = f"{text!r} is not a number in decimal degrees (such as 52.6369)"
            continue
        if not math.isfinite(value) or abs(value) > limits[name]:
            problems[name] = f"must be between -{limits[name]:g} and {limits[name]:g}"
            continue
        values[name] = value
    if problems:
        return None, problems
    return (values["place_latitude"], values["place_longitude"]), {}


def _force_area(session: Session, force_name: str | None) -> list[ColumnElement[bool]]:
    """The condition for the force's own LSOAs. Open data brings in a few LSOAs of other
    forces (incidents filed just over the border); they are not the force area. When no LSOA
    is marked with ``force_name`` (a synthetic demo, a test), every LSOA is."""
    if force_name and session.scalar(
            select(Lsoa.code).where(Lsoa.police_force == force_name).limit(1)) is not None:
        return [Lsoa.police_force == force_name]
    return []


def _nearest(session: Session, point: tuple[float, float], force_name: str | None
             ) -> tuple[Lsoa, float] | None:
    lat, lon = point
    span_lon = _SEARCH_DEGREES / max(math.cos(math.radians(lat)), 0.1)
    near = session.scalars(select(Lsoa).where(
        Lsoa.latitude.between(lat - _SEARCH_DEGREES, lat + _SEARCH_DEGREES),
        Lsoa.longitude.between(lon - span_lon, lon + span_lon),
        *_force_area(session, force_name))).all()
    ranked = sorted(((distance_km(point, (lsoa.latitude, lsoa.longitude)), lsoa.code, lsoa)
                     for lsoa in near if lsoa.latitude is not None
                     and lsoa.longitude is not None), key=lambda row: row[:2])
    if not ranked or ranked[0][0] > FORCE_AREA_MARGIN_KM:
        return None
    return ranked[0][2], ranked[0][0]


def check_point(session: Session, point: tuple[float, float], *,
                force_name: str | None = None) -> dict[str, str]:
    """The problem with a well-formed point: outside the force area (by field); else none."""
    if _nearest(session, point, force_name) is not None:
        return {}
    if session.scalar(select(Lsoa.code).where(Lsoa.latitude.is_not(None)).limit(1)) is None:
        return {"place_latitude": "no areas with map positions are loaded, so a point cannot "
                                  "be placed: give the address or postcode instead"}
    swapped = (point[1], point[0])
    hint = (" (the latitude and longitude look swapped)"
            if abs(swapped[0]) <= 90 and _nearest(session, swapped, force_name) is not None
            else "")
    return {"place_latitude": f"{point[0]:.5f}, {point[1]:.5f} is outside the force area: "
                              f"it is more than {FORCE_AREA_MARGIN_KM:g} km from every area "
                              f"the force covers{hint}"}


def _lsoa_place(session: Session, lsoa: Lsoa | None, **fields: Any) -> Place:
    if lsoa is None:
        return Place(**fields)
    neighbourhood = (session.get(Neighbourhood, lsoa.neighbourhood_id)
                     if lsoa.neighbourhood_id is not None else None)
    return Place(lsoa_code=lsoa.code, lsoa_name=lsoa.name,
                 neighbourhood=neighbourhood.name if neighbourhood else None, **fields)


def resolve_place(session: Session, *, text: str, postcode: str,
                  point: tuple[float, float] | None = None,
                  force_name: str | None = None) -> Place:
    """The place of an incident. A point (checked with :func:`check_point`) gives the
    position and the nearest LSOA; the address and postcode give the known address with the
    same house, street and postcode, or, when every known address in the postcode lies in one
    LSOA, that LSOA."""
    address, lsoa_code = _known_address(session, text, postcode)
    if point is not None:
        nearest = _nearest(session, point, force_name)
        return _lsoa_place(session, nearest[0] if nearest else None, latitude=point[0],
                           longitude=point[1], address=address, from_point=True)
    lsoa = session.get(Lsoa, lsoa_code) if lsoa_code else None
    return _lsoa_place(session, lsoa, address=address,
                       latitude=address.latitude if address else None,
                       longitude=address.longitude if address else None)


def _known_address(session: Session, text: str, postcode: str
                   ) -> tuple[Address | None, str | None]:
    unit = parse_postcode(postcode)
    if unit is None:
        return None, None
    known = list(session.scalars(select(Address).where(Address.postcode == unit.unit)))
    typed = parse_address(text, postcode=unit.unit)
    if typed is not None and typed.key:
        for address in known:
            # The key stored with the address (read afresh for one written without it).
            key = address.dwelling_key or dwelling_key(
                flat=address.flat, house=address.house, street=address.street,
                town=address.town, postcode=address.postcode)
            if key == typed.key:
                return address, address.lsoa_code
    lsoas = {a.lsoa_code for a in known}
    return None, (lsoas.pop() if len(lsoas) == 1 else None)


def area_map(session: Session, *, force_name: str | None = None) -> dict[str, Any]:
    """The force area for the call screen's map, as GeoJSON: each LSOA's centroid (code,
    name, neighbourhood) and one label point per neighbourhood (the mean of its centroids).
    Public geography only: no incidents, no people."""
    rows = session.execute(
        select(Lsoa.code, Lsoa.name, Lsoa.latitude, Lsoa.longitude, Neighbourhood.name)
        .outerjoin(Neighbourhood, Lsoa.neighbourhood_id == Neighbourhood.id)
        .where(Lsoa.latitude.is_not(None), Lsoa.longitude.is_not(None),
               *_force_area(session, force_name))
        .order_by(Lsoa.code)).all()
    features: list[dict[str, Any]] = []
    sums: dict[str, list[float]] = {}
    for code, name, lat, lon, neighbourhood in rows:
        if lat is None or lon is None:  # filtered above; keeps the types honest
            continue
        features.append({"type": "Feature", "geometry": {
            "type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
            "properties": {"kind": "lsoa", "code": code, "name": name,
                           "neighbourhood": neighbourhood or ""}})
        if neighbourhood:
            total = sums.setdefault(neighbourhood, [0.0, 0.0, 0.0])
            total[0] += lat
            total[1] += lon
            total[2] += 1
    for name, (lat, lon, n) in sorted(sums.items()):
        features.append({"type": "Feature", "geometry": {
            "type": "Point", "coordinates": [round(lon / n, 5), round(lat / n, 5)]},
            "properties": {"kind": "neighbourhood", "name": name}})
    return {"type": "FeatureCollection", "features": features}


def find_place(uow: UnitOfWork, *, text: str, postcode: str, latitude: str, longitude: str,
               force_name: str | None = None) -> tuple[Place | None, dict[str, str]]:
    """What the call screen shows as the handler gives the place: the resolved place, or the
    problems by field. Reads public geography and addresses only (nothing to audit)."""
    if not uow.actor.can(Permission.RECORD_CALLS):
        raise PermissionDenied("recording calls needs the record_calls permission")
    point, problems = parse_point(latitude, longitude)
    if problems:
        return None, problems
    if point is None and parse_postcode(postcode) is None:
        return None, {}
    with uow:
        if point is not None:
            problems = check_point(uow.session, point, force_name=force_name)
            if problems:
                return None, problems
        return resolve_place(uow.session, text=text, postcode=postcode, point=point,
                             force_name=force_name), {}


def force_area_map(uow: UnitOfWork, *, force_name: str | None = None) -> dict[str, Any]:
    """:func:`area_map` for a user who records calls."""
    if not uow.actor.can(Permission.RECORD_CALLS):
        raise PermissionDenied("recording calls needs the record_calls permission")
    with uow:
        return area_map(uow.session, force_name=force_name)
