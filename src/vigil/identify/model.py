"""The Fellegi–Sunter model: comparisons, their levels, m and u per level, and the prior.

A model is saved as JSON (:meth:`Model.save`, :meth:`Model.load`) and turns into a Splink
settings dictionary (:meth:`Model.to_splink_settings`) with the very same SQL conditions, so
Splink trains it and Vigil's scorer applies it with the same match weights.

A level may name a *term-frequency column* (``tf_column``), as Splink's levels do: agreeing on a
rare value then weighs more than agreeing on a common one. The adjustment needs the frequency of
each value in the data being linked (:meth:`Model.with_term_frequencies`), which is not part of
the saved model; without those tables a level weighs what it always does (the on-line lookup
scores so).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from vigil.identify.conditions import (
    Condition,
    EitherMissing,
    Exact,
    Otherwise,
    condition_from_json,
)
from vigil.identify.features import FEATURE_COLUMNS, Features

MODEL_FORMAT = "vigil-fellegi-sunter/1"
DEFAULT_MODEL_RESOURCE = "default_model.json"
# What Splink uses for a level it never saw in training.
LEVEL_NOT_OBSERVED = 1e-6
# A level whose m is fixed at or below this is a guard: it says "different people".
GUARD_M_AT_MOST = 1e-9


class ModelError(ValueError):
    """The model file is not a model this version can read; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Level:
    """One agreement level of a comparison, e.g. "given names are nicknames of each other"."""

    label: str
    condition: Condition
    m: float | None = None
    u: float | None = None
    fix_m: bool = False
    fix_u: bool = False
    # Weigh agreement by how rare the value of this feature column is (Splink's term-frequency
    # adjustment); the comparison must have an exact level on the same column.
    tf_column: str | None = None

    @property
    def is_null(self) -> bool:
        return isinstance(self.condition, EitherMissing)

    @property
    def tf_adjusted(self) -> bool:
        """Whether the level names a term-frequency column Splink would use (never on the
        null or the "otherwise" level)."""
        return bool(self.tf_column) and not self.is_null and \
            not isinstance(self.condition, Otherwise)

    @property
    def is_guard(self) -> bool:
        """A fixed, near-zero m: when this level fires, the two are different people."""
        return self.fix_m and self.m is not None and self.m <= GUARD_M_AT_MOST

    @property
    def weight(self) -> float:
        """log2(m / u); 0 for the null level (it says nothing either way)."""
        if self.is_null:
            return 0.0
        m = LEVEL_NOT_OBSERVED if self.m is None else self.m
        u = LEVEL_NOT_OBSERVED if self.u is None else self.u
        if u == 0:
            return math.inf
        if m == 0:
            return -math.inf
        return math.log2(m / u)


@dataclass(frozen=True)
class Comparison:
    """One field (or group of fields) compared, with its levels from the most alike down."""

    name: str
    description: str
    levels: tuple[Level, ...]

    def level_for(self, left: dict[str, Any], right: dict[str, Any]) -> tuple[int, Level]:
        """The first level whose condition holds, and its index from the top."""
        for index, level in enumerate(self.levels):
            if level.condition.holds(left, right):
                return index, level
        raise AssertionError(f"comparison {self.name} has no ELSE level")

    def exact_u(self, column: str) -> float:
        """u of this comparison's exact level on ``column``: the u a term-frequency
        adjustment on ``column`` replaces with the value's own frequency."""
        for level in self.levels:
            if level.condition == Exact(column):
                return LEVEL_NOT_OBSERVED if level.u is None else level.u
        raise KeyError(f"comparison {self.name} has no exact level on {column}")


# Each term-frequency column's table: value -> its share of the records that have one.
TermFrequencies = dict[str, dict[Any, float]]


def tf_adjustment(table: dict[Any, float], log2_exact_u: float, left: Any, right: Any
                  ) -> float:
    """What a term-frequency level adds to its weight for values ``left`` and ``right``:
    ``log2(u_exact) - log2(tf)``, ``tf`` the greater frequency of the two values (Splink's
    formula, at adjustment weight 1); 0 when neither value is in ``table``."""
    a, b = table.get(left), table.get(right)
    if a is None and b is None:
        return 0.0
    return log2_exact_u - math.log2(max(a or 0.0, b or 0.0))


@dataclass(frozen=True)
class Model:
    """A trained (or hand-set) Fellegi–Sunter model."""

    comparisons: tuple[Comparison, ...]
    probability_two_random_records_match: float
    blocking_rules: tuple[str, ...] = ()
    trained: dict[str, Any] = field(default_factory=dict)
    # Frequencies of the values of each ``tf_column`` in the data being linked (not saved).
    term_frequencies: TermFrequencies = field(default_factory=dict)

    @property
    def prior_weight(self) -> float:
        p = self.probability_two_random_records_match
        return math.log2(p / (1 - p))

    def comparison(self, name: str) -> Comparison:
        for comparison in self.comparisons:
            if comparison.name == name:
                return comparison
        raise KeyError(name)

    @property
    def tf_columns(self) -> tuple[str, ...]:
        """The feature columns the model's term-frequency levels read, in model order."""
        found = dict.fromkeys(lv.tf_column for c in self.comparisons for lv in c.levels
                              if lv.tf_adjusted)
        return tuple(c for c in found if c)

    def with_term_frequencies(self, rows: Sequence[Features]) -> Model:
        """This model with the term-frequency tables of ``rows`` (the records being linked):
        each value's count over the count of rows with a value, as Splink works it out."""
        tables: TermFrequencies = {}
        for column in self.tf_columns:
            counts = Counter(row[column] for row in rows if row[column] is not None)
            total = sum(counts.values())
            tables[column] = {value: n / total for value, n in counts.items()}
        return replace(self, term_frequencies=tables)

    # ----- JSON ---------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "format": MODEL_FORMAT,
            "probability_two_random_records_match": self.probability_two_random_records_match,
            "blocking_rules": list(self.blocking_rules),
            "trained": self.trained,
            "comparisons": [
                {"name": c.name, "description": c.description, "levels": [
                    {"label": lv.label, "condition": lv.condition.to_json(), "m": lv.m,
                     "u": lv.u, "fix_m": lv.fix_m, "fix_u": lv.fix_u,
                     **({"tf_column": lv.tf_column} if lv.tf_column else {})}
                    for lv in c.levels]}
                for c in self.comparisons],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Model:
        problems: list[str] = []
        if data.get("format") != MODEL_FORMAT:
            problems.append(f"format is {data.get('format')!r}, not {MODEL_FORMAT!r}")
        prior = data.get("probability_two_random_records_match")
        if not isinstance(prior, int | float) or not 0 < prior < 1:
            problems.append("probability_two_random_records_match must be between 0 and 1")
        comparisons: list[Comparison] = []
        for n, raw in enumerate(data.get("comparisons") or []):
            levels: list[Level] = []
            for k, lv in enumerate(raw.get("levels") or []):
                try:
                    condition = condition_from_json(lv["condition"])
                except (KeyError, ValueError, TypeError) as error:
                    problems.append(f"comparison {n + 1} level {k + 1}: {error}")
                    continue
                tf_column = lv.get("tf_column")
                if tf_column is not None and (
                        not isinstance(tf_column, str)
                        or FEATURE_COLUMNS.get(tf_column) not in ("VARCHAR", "INTEGER")
                        or isinstance(condition, EitherMissing | Otherwise)):
                    problems.append(f"comparison {n + 1} level {k + 1}: tf_column "
                                    f"{tf_column!r} must be a feature column of single "
                                    "values, on a level that is neither 'missing' nor "
                                    "'otherwise'")
                    tf_column = None
                levels.append(Level(label=lv.get("label", ""), condition=condition,
                                    m=lv.get("m"), u=lv.get("u"),
                                    fix_m=bool(lv.get("fix_m")), fix_u=bool(lv.get("fix_u")),
                                    tf_column=tf_column))
            if not levels or not isinstance(levels[-1].condition, Otherwise):
                problems.append(f"comparison {raw.get('name', n + 1)} must end with an "
                                "'otherwise' level")
            for column in {lv.tf_column for lv in levels if lv.tf_column}:
                if not any(lv.condition == Exact(column) for lv in levels):
                    problems.append(f"comparison {raw.get('name', n + 1)} has a term-frequency "
                                    f"level on {column} but no exact level on it")
            comparisons.append(Comparison(name=raw.get("name", f"comparison_{n + 1}"),
                                          description=raw.get("description", ""),
                                          levels=tuple(levels)))
        if not comparisons:
            problems.append("the model has no comparisons")
        if problems:
            raise ModelError(problems)
        assert isinstance(prior, int | float)
        return cls(comparisons=tuple(comparisons),
                   probability_two_random_records_match=float(prior),
                   blocking_rules=tuple(data.get("blocking_rules") or ()),
                   trained=dict(data.get("trained") or {}))

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Model:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise ModelError([f"{path} is not JSON: {error}"]) from error
        return cls.from_json(data)

    # ----- Splink -------------------------------------------------------------------------
    def to_splink_settings(self, *, link_type: str = "dedupe_only") -> dict[str, Any]:
        """The Splink settings dictionary for this model: same levels, same SQL, same m/u."""
        comparisons = []
        for c in self.comparisons:
            levels = []
            for lv in c.levels:
                level: dict[str, Any] = {"sql_condition": lv.condition.sql(),
                                         "label_for_charts": lv.label}
                if lv.is_null:
                    level["is_null_level"] = True
                else:
                    if lv.m is not None:
                        level["m_probability"] = lv.m
                    if lv.u is not None:
                        level["u_probability"] = lv.u
                    level["fix_m_probability"] = lv.fix_m
                    level["fix_u_probability"] = lv.fix_u
                    if lv.tf_adjusted:
                        level["tf_adjustment_column"] = lv.tf_column
                        level["tf_adjustment_weight"] = 1.0
                levels.append(level)
            comparisons.append({"output_column_name": c.name,
                                "comparison_description": c.description,
                                "comparison_levels": levels})
        return {
            "link_type": link_type,
            "unique_id_column_name": "unique_id",
            "probability_two_random_records_match": self.probability_two_random_records_match,
            "comparisons": comparisons,
            "blocking_rules_to_generate_predictions": [
                {"blocking_rule": rule} for rule in self.blocking_rules],
            "retain_matching_columns": True,
            "retain_intermediate_calculation_columns": True,
        }

    def with_splink_parameters(self, settings: dict[str, Any], **trained: Any) -> Model:
        """This model with the m, u and prior that Splink trained (``settings`` as Splink
        saves a model), level by level in the same order."""
        prior = settings["probability_two_random_records_match"]
        by_name = {c["output_column_name"]: c for c in settings["comparisons"]}
        comparisons = []
        for c in self.comparisons:
            trained_levels = by_name[c.name]["comparison_levels"]
            if len(trained_levels) != len(c.levels):
                raise ModelError([f"Splink's {c.name} has {len(trained_levels)} levels, "
                                  f"the model {len(c.levels)}"])
            levels = tuple(
                lv if lv.is_null else replace(lv, m=_probability(t.get("m_probability")),
                                              u=_probability(t.get("u_probability")))
                for lv, t in zip(c.levels, trained_levels, strict=True))
            comparisons.append(replace(c, levels=levels))
        return replace(self, comparisons=tuple(comparisons),
                       probability_two_random_records_match=float(prior), trained=trained)


def _probability(value: Any) -> float | None:
    if isinstance(value, int | float):
        return float(value)
    return None  # Splink's "level not observed": weighed as LEVEL_NOT_OBSERVED, as Splink does


def default_model() -> Model:
    """The trained model shipped with Vigil."""
    resource = resources.files("vigil.identify").joinpath(DEFAULT_MODEL_RESOURCE)
    return Model.from_json(json.loads(resource.read_text(encoding="utf-8")))


def load_model(path: Path | None = None) -> Model:
    """The model at ``path``, or the shipped default when ``path`` is ``None``."""
    return default_model() if path is None else Model.load(path)
