"""A victim's risk over time: the latest risk assessment of the calls they were the victim on,
and whether their risk is rising, steady or falling. Plain Python, no I/O.

The trend compares the latest assessment's level with the one before it (levels, not scores,
so that police and partner users — who are never shown scores — see the same trend):

- *rising*: the latest level is above the one before (standard → medium, medium → high, ...);
- *falling*: below it;
- *steady*: the same level;
- *first*: only one assessment is known, so there is nothing to compare with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from vigil.domain.risk import RiskLevel

HISTORY_SHOWN = 12  # the latest assessments drawn in the sparkline and listed with dates


class RiskTrend(StrEnum):
    RISING = "rising"
    STEADY = "steady"
    FALLING = "falling"
    FIRST = "first"

    @property
    def label(self) -> str:
        return {"rising": "Rising", "steady": "Steady", "falling": "Falling",
                "first": "First assessment"}[self.value]


@dataclass(frozen=True)
class AssessedLevel:
    """One risk assessment of the victim: its level and when it was made."""

    level: RiskLevel
    assessed_at: datetime


def risk_trend(assessments: Sequence[AssessedLevel]) -> RiskTrend:
    """The trend of a victim's assessments (any order): the latest against the one before."""
    ordered = sorted(assessments, key=lambda a: a.assessed_at)
    if len(ordered) < 2:
        return RiskTrend.FIRST
    change = ordered[-1].level.rank - ordered[-2].level.rank
    if change > 0:
        return RiskTrend.RISING
    if change < 0:
        return RiskTrend.FALLING
    return RiskTrend.STEADY


def sparkline(levels: Sequence[RiskLevel], *, width: int = 96, height: int = 24,
              pad: int = 4) -> list[tuple[float, float]]:
    """Where each level sits in a small ``width`` x ``height`` chart: oldest on the left,
    high at the top (a single assessment sits in the middle)."""
    if not levels:
        return []
    top = max(r.rank for r in RiskLevel)

    def y(level: RiskLevel) -> float:
        return round(pad + (height - 2 * pad) * (top - level.rank) / top, 1)

    if len(levels) == 1:
        return [(width / 2, y(levels[0]))]
    step = (width - 2 * pad) / (len(levels) - 1)
    return [(round(pad + i * step, 1), y(level)) for i, level in enumerate(levels)]
