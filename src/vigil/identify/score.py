"""The on-line scorer: a pair of feature rows -> each comparison's level and weight, the match
weight and the match probability, through the model compiled to one Python function
(:mod:`vigil.identify.compiled`). No database."""

from __future__ import annotations

import math

from vigil.identify.compiled import FieldAgreement, compiled, probability_of
from vigil.identify.features import Features
from vigil.identify.model import Comparison, Model, tf_adjustment


class Score:
    """How a pair came out: the match weight, the match probability and, for the reasons, each
    comparison's level and weight. The levels are turned into :class:`FieldAgreement` rows only
    when read (most candidates of a lookup are never shown)."""

    __slots__ = ("match_weight", "match_probability", "vetoed", "_fields", "_model", "_levels",
                 "_which")

    def __init__(self, match_weight: float, match_probability: float,
                 fields: tuple[FieldAgreement, ...] | None = None, *,
                 model: Model | None = None, levels: tuple[int, ...] = (),
                 which: tuple[int, ...] | None = None, vetoed: bool | None = None) -> None:
        self.match_weight = match_weight
        self.match_probability = match_probability
        self._fields = fields
        self._model = model
        self._levels = levels
        self._which = which  # the comparisons ``levels`` are for (None: every one, in order)
        # A guard level fired: the two are different people, whatever else agrees.
        self.vetoed = (vetoed if vetoed is not None
                       else any(f.guard for f in fields or ()))

    @property
    def fields(self) -> tuple[FieldAgreement, ...]:
        if self._fields is None:
            assert self._model is not None
            table = compiled(self._model).agreements
            which = self._which if self._which is not None else range(len(table))
            self._fields = tuple(table[n][index]
                                 for n, index in zip(which, self._levels, strict=True))
        return self._fields

    def reasons(self) -> list[str]:
        """Each field that spoke, in words: ``given_name: nickname or short form (+6.1)``
        (a level's own weight, before any term-frequency adjustment)."""
        return [f"{f.comparison.replace('_', ' ')}: {f.level} ({f.weight:+.1f})"
                for f in self.fields if f.level != "missing"]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Score):
            return NotImplemented
        return (self.match_weight, self.match_probability, self.fields) == (
            other.match_weight, other.match_probability, other.fields)

    __hash__ = None  # type: ignore[assignment]  # equal scores are compared, never keyed

    def __repr__(self) -> str:
        return (f"Score(match_weight={self.match_weight!r}, "
                f"match_probability={self.match_probability!r}, vetoed={self.vetoed!r})")


def _agreement(comparison: Comparison, index: int) -> FieldAgreement:
    level = comparison.levels[index]
    return FieldAgreement(comparison=comparison.name, level=level.label, level_index=index,
                          weight=level.weight, guard=level.is_guard)


def score_pair(model: Model, left: Features, right: Features) -> Score:
    """Score two records: the same match weight Splink gives for the same pair and model."""
    levels, weight, vetoed_ = compiled(model).score(left, right)
    return Score(weight, probability_of(weight), model=model, levels=levels, vetoed=vetoed_)


def score_pair_slowly(model: Model, left: Features, right: Features) -> Score:
    """:func:`score_pair` through the model's objects, condition by condition: the reference
    the compiled scorer is tested against."""
    fields = []
    total = model.prior_weight
    for comparison in model.comparisons:
        index, level = comparison.level_for(left, right)
        total += level.weight
        table = model.term_frequencies.get(level.tf_column or "")
        if level.tf_adjusted and level.tf_column and table is not None:
            total += tf_adjustment(table, math.log2(comparison.exact_u(level.tf_column)),
                                   left[level.tf_column], right[level.tf_column])
        fields.append(_agreement(comparison, index))
    if math.isnan(total):
        total = -math.inf
    return Score(total, probability_of(total), tuple(fields))


def explain(model: Model, left: Features, right: Features) -> list[FieldAgreement]:
    """Each comparison's level and weight for the pair (the reason for a match)."""
    return list(score_pair(model, left, right).fields)


def vetoed(model: Model, left: Features, right: Features) -> bool:
    """Whether a guard level fires for the pair (only the guarded comparisons are run)."""
    return compiled(model).vetoed(left, right)
