"""Incidents as NumPy arrays: what every analysis works on, whatever the source.

Vigil's own incidents have an exact time; data.police.uk ones only a month (``day`` is NaN).
Coordinates are kept as WGS84 and as British National Grid metres.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from vigil.analysis.geo import FloatArray, to_bng

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
StrArray = NDArray[np.object_]


@dataclass(frozen=True)
class Area:
    """An LSOA with what the analyses need: population, centroid and neighbourhood."""

    code: str
    name: str
    population: int
    latitude: float | None
    longitude: float | None
    neighbourhood: str
    neighbourhood_name: str
    local_authority: str
    local_authority_name: str
    police_force: str = ""


@dataclass(frozen=True)
class PeopleLinks:
    """One row per (incident, person, role) for victims and suspects.

    ``person`` is ``"person:<id>"`` when the identification engine has resolved the record to
    a person, else ``"record:<id>"`` (so an unresolved person seen twice counts as two)."""

    incident: IntArray
    """Row index into the incident arrays."""
    person: StrArray
    role: StrArray
    vulnerable: BoolArray
    resolved: BoolArray


@dataclass(frozen=True)
class IncidentFrame:
    """Incidents of a study window: the period, plus the twelve months before it (for the
    comparison with last year); ``in_period`` marks the period itself."""

    period_first: int
    period_last: int
    id: IntArray
    reference: StrArray
    month: IntArray
    """Month number, ``year·12 + month - 1``."""
    day: FloatArray
    """Days since 1970-01-01 (fractional), NaN when only the month is known."""
    longitude: FloatArray
    latitude: FloatArray
    lsoa: StrArray
    neighbourhood: StrArray
    category: StrArray
    place: StrArray
    """``address:<id>`` when the incident has an address, else ``point:<lat>,<lon>``."""
    place_label: StrArray
    areas: dict[str, Area]
    people: PeopleLinks
    x: FloatArray = field(init=False)
    y: FloatArray = field(init=False)
    earliest_month: int | None = None
    """Earliest month of any incident the user may see (for "is last year covered")."""
    risk_level: StrArray | None = None
    """The level of the call's risk assessment (``standard``/``medium``/``high``), ``""`` for
    an incident with none — data.police.uk incidents never have one; ``None``: not loaded."""

    def __post_init__(self) -> None:
        x, y = to_bng(self.longitude, self.latitude)
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)

    def __len__(self) -> int:
        return len(self.id)

    @property
    def in_period(self) -> BoolArray:
        return np.asarray((self.month >= self.period_first) & (self.month <= self.period_last),
                          dtype=bool)

    @property
    def located(self) -> BoolArray:
        return np.asarray(np.isfinite(self.x) & np.isfinite(self.y), dtype=bool)

    @property
    def high_risk(self) -> BoolArray:
        """Incidents whose call was assessed as high risk."""
        if self.risk_level is None:
            return np.zeros(len(self.id), dtype=bool)
        return np.asarray(self.risk_level == "high", dtype=bool)

    @property
    def assessed(self) -> BoolArray:
        """Incidents whose call has a risk assessment at any level."""
        if self.risk_level is None:
            return np.zeros(len(self.id), dtype=bool)
        return np.asarray(self.risk_level != "", dtype=bool)

    @property
    def exact(self) -> BoolArray:
        return np.asarray(np.isfinite(self.day), dtype=bool)
