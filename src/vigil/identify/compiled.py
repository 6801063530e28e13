"""A model turned into one Python function: the scorer of every lookup and of ``vigil link``.

Testing a pair through the model's objects (:meth:`Comparison.level_for`, each condition's
``holds``) costs a method call, a dictionary read and an attribute read per condition: 60 to 90
microseconds a pair, more than half of a lookup. Here each comparison becomes an ``if``/``elif``
chain over local variables, written once per model from the conditions' own
:meth:`~vigil.identify.conditions.Condition.python` expressions, with every string similarity
computed at most once per pair and the weights added in the same function. The result is the
same level for every comparison (a test compares them on many pairs, and the scorer-equals-Splink
test runs through this function). A model with term-frequency tables
(:meth:`~vigil.identify.model.Model.with_term_frequencies`) also adds, for each of its levels
with a ``tf_column``, the adjustment for the pair's values; a model without them compiles to
exactly the function it always did.

The generated source is kept on the object (``source``) for reading and debugging. Only names
checked against the feature columns, numbers read as numbers and ``repr`` of strings are
written into it (weights and tables are passed as values), so a model file cannot put code in.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from vigil.identify.conditions import PairCode
from vigil.identify.features import Features
from vigil.identify.model import Comparison, Level, Model, TermFrequencies, tf_adjustment


@dataclass(frozen=True)
class FieldAgreement:
    """How one comparison came out for a pair: the level and its weight."""

    comparison: str
    level: str
    level_index: int
    weight: float
    guard: bool = False


# (levels, match weight, vetoed) for a pair; levels index each comparison's levels from the top.
PairResult = tuple[tuple[int, ...], float, bool]
# ... and whether it was scored in full (false: bounded; see ``CompiledModel.score_or_bound``).
BoundOrResult = tuple[tuple[int, ...], float, bool, bool]


def probability_of(match_weight: float) -> float:
    """2^w / (1 + 2^w), safe at the extremes."""
    if match_weight >= 0:
        return 1.0 / (1.0 + 2.0 ** -match_weight)
    odds = 2.0 ** match_weight
    return odds / (1.0 + odds)


@dataclass(frozen=True)
class CompiledModel:
    model: Model
    source: str
    # Every comparison: each level's index, the match weight and whether a guard fired.
    score: Callable[[Features, Features], PairResult]
    # Only the comparisons with a guard level (``guarded``, in model order): the same result for
    # them, weight counting their levels alone.
    guards: Callable[[Features, Features], PairResult]
    # ``score``, unless a guard vetoes the pair and even the most it could then weigh is a
    # match probability below the third argument: then only the guarded comparisons' levels,
    # that most, and ``scored`` false (see ``_function``'s ``bound_first``). One pass: the
    # guarded comparisons are not tested twice for the pairs scored in full.
    score_or_bound: Callable[[Features, Features, float], BoundOrResult]
    guarded: tuple[int, ...]
    # The feature columns those comparisons read: records alike in these are vetoed alike.
    guard_columns: tuple[str, ...]
    # The prior plus the most every comparison without a guard can weigh.
    most_without_guards: float
    # What each level of each comparison says, for the reasons: ``agreements[n][level]``.
    agreements: tuple[tuple[FieldAgreement, ...], ...]

    def vetoed(self, left: Features, right: Features) -> bool:
        return self.guards(left, right)[2]


def _tf_levels(comparison: Comparison, tables: TermFrequencies
               ) -> Iterator[tuple[int, Level, dict[Any, float], float]]:
    """Each level of ``comparison`` adjusted by term frequency (one with a ``tf_column``
    whose table is known): its index, the level, the table and log2 of the exact level's u."""
    for k, level in enumerate(comparison.levels):
        if level.tf_adjusted and level.tf_column in tables:
            yield (k, level, tables[level.tf_column],
                   math.log2(comparison.exact_u(level.tf_column)))


def _function(name: str, comparisons: Sequence[Comparison], prior: float,
              tables: TermFrequencies, *, bound_first: Sequence[int] | None = None
              ) -> tuple[str, dict[str, Any]]:
    """Source of ``name(L, R) -> (levels, weight, vetoed)`` for ``comparisons``, and the
    constants it reads.

    With ``bound_first`` (the guarded comparisons' indexes, perhaps none), the function is
    ``name(L, R, K) -> (levels, weight, vetoed, scored)``: those comparisons are tested first,
    and when one of them vetoes the pair and the most it could then weigh (``_MOST``, the
    others' best, plus theirs) is a probability below ``K``, it returns at once with their
    levels alone, that most as the weight and ``scored`` false."""
    code = PairCode()
    chains: dict[int, list[str]] = {}
    adjustments: dict[int, list[str]] = {}
    constants: dict[str, Any] = {"_PRIOR": prior}
    for n, comparison in enumerate(comparisons):
        chain = chains[n] = []
        for k, level in enumerate(comparison.levels):
            test = level.condition.python(code)
            keyword = "if" if k == 0 else "elif"
            chain.append(f"    {keyword} {test}:\n        i{n} = {k}")
        chain.append(f"    else:\n        raise _NoLevel({comparison.name!r})")
        constants[f"_W{n}"] = tuple(level.weight for level in comparison.levels)
        constants[f"_G{n}"] = tuple(level.is_guard for level in comparison.levels)
        adjustments[n] = []
        for k, level, table, log2_u in _tf_levels(comparison, tables):
            assert level.tf_column is not None
            a, b = code.both(level.tf_column)
            constants[f"_T{n}_{k}"], constants[f"_U{n}_{k}"] = table, log2_u
            adjustments[n].append(f"    if i{n} == {k}:\n"
                                  f"        w += _tf(_T{n}_{k}, _U{n}_{k}, {a}, {b})")
    reads = [f"    l_{c} = L[{c!r}]\n    r_{c} = R[{c!r}]" for c in sorted(code.columns)]
    memos = ([f"    {' = '.join(sorted(code.memos.values()))} = None"] if code.memos else [])
    everything = range(len(comparisons))
    indexes = [f"i{n}" for n in everything]
    weight = " + ".join(["_PRIOR"] + [f"_W{n}[i{n}]" for n in everything])
    guarded = [f"_G{n}[i{n}]" for n, c in enumerate(comparisons)
               if any(level.is_guard for level in c.levels)]
    vetoed = " or ".join(guarded) or "False"
    early: list[str] = []
    if bound_first:
        first = list(bound_first)
        # The bound is summed exactly as the guards function sums their weight (from 0.0),
        # then the others' best added, so it is the same number to the last bit.
        early = [*(line for n in first for line in chains[n]),
                 f"    if {' or '.join(f'_G{n}[i{n}]' for n in first)}:",
                 f"        w = 0.0 + {' + '.join(f'_W{n}[i{n}]' for n in first)}",
                 *("\n".join("    " + part for part in line.split("\n"))
                   for n in first for line in adjustments[n]),
                 "        if w != w:",
                 "            w = _NEG_INF",
                 "        m = _MOST + w",
                 "        if m == m and _P(m) < K:",
                 f"            return ({''.join(f'i{n}, ' for n in first)}), m, True, False"]
    body = [line for n in everything if n not in (bound_first or ()) for line in chains[n]]
    tail = [f"    w = {weight}", *(line for n in everything for line in adjustments[n]),
            "    if w != w:  # NaN: an infinite weight met its opposite",
            "        w = _NEG_INF",
            f"    return ({''.join(i + ', ' for i in indexes)}), w, {vetoed}"
            + (", True" if bound_first is not None else "")]
    signature = f"def {name}(L, R, K):" if bound_first is not None else f"def {name}(L, R):"
    source = "\n".join([signature, *reads, *memos, *early, *body, *tail]) + "\n"
    return source, constants


class _NoLevel(AssertionError):
    def __init__(self, comparison: str) -> None:
        super().__init__(f"comparison {comparison} has no ELSE level")


def compile_model(model: Model) -> CompiledModel:
    """Write and compile the scoring functions for ``model``."""
    guarded = tuple(n for n, c in enumerate(model.comparisons)
                    if any(level.is_guard for level in c.levels))
    tables = model.term_frequencies
    full, full_constants = _function("score", model.comparisons, model.prior_weight, tables)
    only, only_constants = _function("guards", [model.comparisons[n] for n in guarded], 0.0,
                                     tables)
    most = model.prior_weight + sum(_most(c, tables)
                                    for n, c in enumerate(model.comparisons) if n not in guarded)
    bounding, bounding_constants = _function("score_or_bound", model.comparisons,
                                             model.prior_weight, tables, bound_first=guarded)
    namespace: dict[str, Any] = {"_NoLevel": _NoLevel, "_NEG_INF": -math.inf,
                                 "_tf": tf_adjustment, "_MOST": most, "_P": probability_of,
                                 **PairCode.FUNCTIONS}
    functions = {}
    for name, source, constants in (("score", full, full_constants),
                                    ("guards", only, only_constants),
                                    ("score_or_bound", bounding, bounding_constants)):
        scope = {**namespace, **constants}
        exec(compile(source, f"<vigil model: {name}>", "exec"), scope)  # noqa: S102
        functions[name] = scope[name]
    agreements = tuple(
        tuple(FieldAgreement(comparison=c.name, level=level.label, level_index=k,
                             weight=level.weight, guard=level.is_guard)
              for k, level in enumerate(c.levels))
        for c in model.comparisons)
    columns = sorted({column for n in guarded for level in model.comparisons[n].levels
                      for column in level.condition.columns()})
    return CompiledModel(model=model, source=full + "\n" + only + "\n" + bounding,
                         score=functions["score"], guards=functions["guards"],
                         score_or_bound=functions["score_or_bound"], guarded=guarded,
                         guard_columns=tuple(columns), most_without_guards=most,
                         agreements=agreements)


def _most(comparison: Comparison, tables: TermFrequencies) -> float:
    """The most ``comparison`` can weigh: its best level, or a term-frequency level on the
    rarest value of its table."""
    most = max(level.weight for level in comparison.levels)
    for _, level, table, log2_u in _tf_levels(comparison, tables):
        if table:
            most = max(most, level.weight + log2_u - math.log2(min(table.values())))
    return most


_COMPILED: dict[int, CompiledModel] = {}


def compiled(model: Model) -> CompiledModel:
    """The compiled form of ``model``, made once per model object."""
    found = _COMPILED.get(id(model))
    if found is None or found.model is not model:
        if len(_COMPILED) > 8:
            _COMPILED.clear()
        found = _COMPILED[id(model)] = compile_model(model)
    return found
