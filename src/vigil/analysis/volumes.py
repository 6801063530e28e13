"""Volumes and rates per 1,000 residents by LSOA, neighbourhood, local authority and force,
against a comparison rate."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from vigil.analysis.frame import Area, IncidentFrame

LEVELS = ("lsoa", "neighbourhood", "local_authority", "force")


@dataclass(frozen=True)
class VolumeRow:
    """One area's incidents in the period and its rate per 1,000 residents per year."""

    level: str
    code: str
    name: str
    population: int
    incidents: int
    months: int
    comparison_rate: float | None

    @property
    def rate_per_1000(self) -> float | None:
        """Incidents per 1,000 residents per year (annualised over the period)."""
        if not self.population or not self.months:
            return None
        return self.incidents * 1000 / self.population * 12 / self.months

    @property
    def ratio_to_comparison(self) -> float | None:
        rate = self.rate_per_1000
        if rate is None or not self.comparison_rate:
            return None
        return rate / self.comparison_rate


def _key(area: Area, level: str) -> tuple[str, str]:
    if level == "lsoa":
        return area.code, area.name
    if level == "neighbourhood":
        return area.neighbourhood, area.neighbourhood_name
    if level == "local_authority":
        return area.local_authority, area.local_authority_name
    return "force", "Whole area"


def volumes(frame: IncidentFrame, *, lsoas: Iterable[str], level: str,
            comparison_rate: float | None) -> list[VolumeRow]:
    """Incidents in the period per area of ``level`` over the LSOAs of the study area (areas
    with no incident are listed with 0), busiest first. Incidents with no LSOA count only at
    force level. ``comparison_rate`` is per 1,000 residents per year."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}")
    months = frame.period_last - frame.period_first + 1
    in_period = frame.in_period
    counts: Counter[str] = Counter()
    population: Counter[str] = Counter()
    names: dict[str, str] = {}
    for code in lsoas:
        area = frame.areas.get(code)
        if area is None:
            continue
        key, name = _key(area, level)
        population[key] += area.population
        names[key] = name
        counts[key] += 0
    for code in frame.lsoa[in_period]:
        area = frame.areas.get(code)
        if level == "force":
            counts["force"] += 1
        elif area is not None:
            key, name = _key(area, level)
            counts[key] += 1
            names.setdefault(key, name)
    rows = [VolumeRow(level=level, code=key, name=names.get(key, key) or key,
                      population=population[key], incidents=count, months=months,
                      comparison_rate=comparison_rate)
            for key, count in counts.items()]
    rows.sort(key=lambda row: (-(row.rate_per_1000 or 0), -row.incidents, row.name))
    return rows

