"""The on-line scorer: a pair of feature rows -> each comparison's level and weight, the match
weight and the match probability. Pure Python; no database."""

from __future__ import annotations

import math
from dataclasses import dataclass

from vigil.identify.features import Features
from vigil.identify.model import Model


@dataclass(frozen=True)
class FieldAgreement:
    """How one comparison came out for a pair: the level and its weight."""

    comparison: str
    level: str
    level_index: int
    weight: float
    guard: bool = False


@dataclass(frozen=True)
class Score:
    match_weight: float
    match_probability: float
    fields: tuple[FieldAgreement, ...]

    @property
    def vetoed(self) -> bool:
        """A guard level fired: the two are different people, whatever else agrees."""
        return any(f.guard for f in self.fields)

    def reasons(self) -> list[str]:
        """Each field that spoke, in words: ``given_name: nickname or short form (+6.1)``."""
        return [f"{f.comparison.replace('_', ' ')}: {f.level} ({f.weight:+.1f})"
                for f in self.fields if f.level != "missing"]


def probability_of(match_weight: float) -> float:
    """2^w / (1 + 2^w), safe at the extremes."""
    if match_weight >= 0:
        return 1.0 / (1.0 + 2.0 ** -match_weight)
    odds = 2.0 ** match_weight
    return odds / (1.0 + odds)


def score_pair(model: Model, left: Features, right: Features) -> Score:
    """Score two records: the same match weight Splink gives for the same pair and model."""
    fields = []
    total = model.prior_weight
    for comparison in model.comparisons:
        index, level = comparison.level_for(left, right)
        weight = level.weight
        total += weight
        fields.append(FieldAgreement(comparison=comparison.name, level=level.label,
                                     level_index=index, weight=weight,
                                     guard=level.is_guard))
    if math.isnan(total):
        total = -math.inf
    return Score(match_weight=total, match_probability=probability_of(total),
                 fields=tuple(fields))


def explain(model: Model, left: Features, right: Features) -> list[FieldAgreement]:
    """Each comparison's level and weight for the pair (the reason for a match)."""
    return list(score_pair(model, left, right).fields)


def guard_columns(model: Model) -> tuple[str, ...]:
    """The feature columns that the comparisons with a guard level read."""
    columns: set[str] = set()
    for comparison in model.comparisons:
        if any(level.is_guard for level in comparison.levels):
            for level in comparison.levels:
                columns |= level.condition.columns()
    return tuple(sorted(columns))


def vetoed(model: Model, left: Features, right: Features) -> bool:
    """Whether a guard level fires for the pair (only the guarded comparisons are run)."""
    for comparison in model.comparisons:
        if any(level.is_guard for level in comparison.levels):
            if comparison.level_for(left, right)[1].is_guard:
                return True
    return False
