"""The conditions that define comparison levels, each written once and read three ways: as the
SQL Splink runs (DuckDB dialect, on ``<column>_l`` and ``<column>_r``), as Python that tests two
feature rows (:meth:`Condition.holds`, the reference), and as a Python expression that
:mod:`vigil.identify.compiled` writes into one function per model, the scorer of every lookup
(:meth:`Condition.python`; a test checks it agrees with ``holds`` on many pairs).

SQL's ``NULL`` makes a condition unknown, and ``CASE WHEN`` treats unknown as false; here a
missing value makes a condition false. Conditions combine only with AND and OR, under which
unknown and false behave alike (unknown OR true is true, unknown AND anything is never true), so
the two readings always agree. There is no NOT, under which unknown and false would part.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

import jellyfish

from vigil.identify.features import FEATURE_COLUMNS, Features


class Condition(ABC):
    """One test on a pair of records."""

    kind: str

    @abstractmethod
    def sql(self) -> str:
        """The condition in Splink's DuckDB SQL."""

    @abstractmethod
    def holds(self, left: Features, right: Features) -> bool:
        """Whether it holds for these two feature rows."""

    @abstractmethod
    def python(self, code: PairCode) -> str:
        """The condition as one Python expression on the pair's local variables (see
        :class:`PairCode`), true exactly when :meth:`holds` is."""

    @abstractmethod
    def to_json(self) -> dict[str, Any]: ...

    def columns(self) -> set[str]:
        return {v for k, v in self.to_json().items() if k in ("column", "left", "right")}


class PairCode:
    """What a condition's Python expression may use: each column of either side as a local
    variable (``l_given``, ``r_given``) and string similarities worked out at most once per pair
    however many levels ask for them (a local that starts as ``None``)."""

    FUNCTIONS = {"_jw": jellyfish.jaro_winkler_similarity,
                 "_lev": jellyfish.levenshtein_distance,
                 "_dl": jellyfish.damerau_levenshtein_distance}

    def __init__(self) -> None:
        self.columns: set[str] = set()
        self.memos: dict[tuple[str, str, str], str] = {}

    def left(self, column: str) -> str:
        self.columns.add(_check(column))
        return f"l_{column}"

    def right(self, column: str) -> str:
        self.columns.add(_check(column))
        return f"r_{column}"

    def both(self, column: str) -> tuple[str, str]:
        return self.left(column), self.right(column)

    def similarity(self, function: str, a: str, b: str) -> str:
        """``function(a, b)`` on two variables, computed once per pair."""
        assert function in self.FUNCTIONS
        name = self.memos.setdefault((function, a, b), f"_s{len(self.memos)}")
        return f"({name} if {name} is not None else ({name} := {function}({a}, {b})))"


def _present(*names: str) -> str:
    return " and ".join(f"{n} is not None" for n in names)


def _check(column: str) -> str:
    if column not in FEATURE_COLUMNS:
        raise ValueError(f"{column!r} is not a feature column")
    return column


@dataclass(frozen=True)
class Exact(Condition):
    column: str
    kind = "exact"

    def sql(self) -> str:
        return f'"{self.column}_l" = "{self.column}_r"'

    def holds(self, left: Features, right: Features) -> bool:
        a, b = left[self.column], right[self.column]
        return a is not None and b is not None and a == b

    def python(self, code: PairCode) -> str:
        a, b = code.both(self.column)
        return f"({_present(a, b)} and {a} == {b})"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "column": self.column}


@dataclass(frozen=True)
class Differs(Condition):
    """Both sides have the column and the values differ. Not a negation: a missing value makes
    it false, in SQL (``NULL <> x`` is unknown) and here alike."""

    column: str
    kind = "differs"

    def sql(self) -> str:
        return f'"{self.column}_l" <> "{self.column}_r"'

    def holds(self, left: Features, right: Features) -> bool:
        a, b = left[self.column], right[self.column]
        return a is not None and b is not None and a != b

    def python(self, code: PairCode) -> str:
        a, b = code.both(self.column)
        return f"({_present(a, b)} and {a} != {b})"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "column": self.column}


@dataclass(frozen=True)
class Crossed(Condition):
    """One column on either side equals another on the other (``dob`` with ``dob_swapped``)."""

    left: str
    right: str
    kind = "crossed"

    def sql(self) -> str:
        return (f'("{self.left}_l" = "{self.right}_r" OR "{self.right}_l" = "{self.left}_r")')

    def holds(self, left: Features, right: Features) -> bool:
        pairs = ((left[self.left], right[self.right]), (left[self.right], right[self.left]))
        return any(a is not None and b is not None and a == b for a, b in pairs)

    def python(self, code: PairCode) -> str:
        a, b = code.left(self.left), code.right(self.right)
        c, d = code.left(self.right), code.right(self.left)
        return f"(({_present(a, b)} and {a} == {b}) or ({_present(c, d)} and {c} == {d}))"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "left": self.left, "right": self.right}


@dataclass(frozen=True)
class JaroWinklerAtLeast(Condition):
    column: str
    threshold: float
    kind = "jaro_winkler"

    def sql(self) -> str:
        return (f'jaro_winkler_similarity("{self.column}_l", "{self.column}_r") '
                f">= {self.threshold!r}")

    def holds(self, left: Features, right: Features) -> bool:
        a, b = left[self.column], right[self.column]
        if a is None or b is None:
            return False
        return jellyfish.jaro_winkler_similarity(a, b) >= self.threshold

    def python(self, code: PairCode) -> str:
        a, b = code.both(self.column)
        return (f"({_present(a, b)} and "
                f"{code.similarity('_jw', a, b)} >= {self.threshold!r})")

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "column": self.column, "threshold": self.threshold}


@dataclass(frozen=True)
class CrossedJaroWinklerAtLeast(Condition):
    """Two columns transposed, each with at most a typing slip: ``left`` on one side is like
    ``right`` on the other, and the other way round (``Smith, Jon`` and ``John Smyth``)."""

    left: str
    right: str
    threshold: float
    kind = "crossed_jaro_winkler"

    def sql(self) -> str:
        def similar(a: str, b: str) -> str:
            return f'jaro_winkler_similarity("{a}", "{b}") >= {self.threshold!r}'
        return (f"({similar(self.left + '_l', self.right + '_r')} AND "
                f"{similar(self.right + '_l', self.left + '_r')})")

    def holds(self, left: Features, right: Features) -> bool:
        pairs = ((left[self.left], right[self.right]), (left[self.right], right[self.left]))
        return all(a is not None and b is not None
                   and jellyfish.jaro_winkler_similarity(a, b) >= self.threshold
                   for a, b in pairs)

    def python(self, code: PairCode) -> str:
        a, b = code.left(self.left), code.right(self.right)
        c, d = code.left(self.right), code.right(self.left)
        return (f"({_present(a, b, c, d)} and {code.similarity('_jw', a, b)} >= "
                f"{self.threshold!r} and {code.similarity('_jw', c, d)} >= {self.threshold!r})")

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "left": self.left, "right": self.right,
                "threshold": self.threshold}


@dataclass(frozen=True)
class DamerauLevenshteinAtMost(Condition):
    """Two strings at most ``edits`` typing slips apart, a swap of two neighbouring characters
    counting as one (``1965-04-02`` and ``1956-04-02``). Kept to ``edits`` of 1, where DuckDB's
    and jellyfish's variants of the distance cannot differ."""

    column: str
    edits: int = 1
    kind = "damerau_levenshtein"

    def __post_init__(self) -> None:
        if self.edits != 1:
            raise ValueError("damerau_levenshtein supports at most 1 edit")

    def sql(self) -> str:
        return f'damerau_levenshtein("{self.column}_l", "{self.column}_r") <= {self.edits}'

    def holds(self, left: Features, right: Features) -> bool:
        a, b = left[self.column], right[self.column]
        return a is not None and b is not None and \
            jellyfish.damerau_levenshtein_distance(a, b) <= self.edits

    def python(self, code: PairCode) -> str:
        a, b = code.both(self.column)
        return (f"({_present(a, b)} and abs(len({a}) - len({b})) <= {self.edits} and "
                f"{code.similarity('_dl', a, b)} <= {self.edits})")

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "column": self.column, "edits": self.edits}


@dataclass(frozen=True)
class LevenshteinAtMost(Condition):
    """Two strings at most ``edits`` single-character edits apart."""

    column: str
    edits: int
    kind = "levenshtein"

    def sql(self) -> str:
        return f'levenshtein("{self.column}_l", "{self.column}_r") <= {self.edits}'

    def holds(self, left: Features, right: Features) -> bool:
        a, b = left[self.column], right[self.column]
        return a is not None and b is not None and \
            jellyfish.levenshtein_distance(a, b) <= self.edits

    def python(self, code: PairCode) -> str:
        a, b = code.both(self.column)
        return (f"({_present(a, b)} and abs(len({a}) - len({b})) <= {self.edits} and "
                f"{code.similarity('_lev', a, b)} <= {self.edits})")

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "column": self.column, "edits": self.edits}


@dataclass(frozen=True)
class Overlaps(Condition):
    """Two lists share a value (phone numbers, a name's forms, a family name's parts)."""

    column: str
    kind = "overlaps"

    def sql(self) -> str:
        return f'list_has_any("{self.column}_l", "{self.column}_r")'

    def holds(self, left: Features, right: Features) -> bool:
        a, b = left[self.column], right[self.column]
        return bool(a) and bool(b) and not set(a).isdisjoint(b)

    def python(self, code: PairCode) -> str:
        a, b = code.both(self.column)
        return f"(bool({a}) and bool({b}) and not set({a}).isdisjoint({b}))"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "column": self.column}


@dataclass(frozen=True)
class WithinOf(Condition):
    """Two numbers at most ``at_most`` apart (years of birth)."""

    column: str
    at_most: int
    kind = "within"

    def sql(self) -> str:
        return f'abs("{self.column}_l" - "{self.column}_r") <= {self.at_most}'

    def holds(self, left: Features, right: Features) -> bool:
        a, b = left[self.column], right[self.column]
        return a is not None and b is not None and abs(a - b) <= self.at_most

    def python(self, code: PairCode) -> str:
        a, b = code.both(self.column)
        return f"({_present(a, b)} and abs({a} - {b}) <= {self.at_most})"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "column": self.column, "at_most": self.at_most}


@dataclass(frozen=True)
class EitherMissing(Condition):
    """The null level: one side has none of ``columns``."""

    missing: tuple[str, ...]
    kind = "either_missing"

    def sql(self) -> str:
        def side(s: str) -> str:
            return "(" + " AND ".join(f'"{c}_{s}" IS NULL' for c in self.missing) + ")"
        return f"{side('l')} OR {side('r')}"

    def holds(self, left: Features, right: Features) -> bool:
        return any(all(row[c] is None for c in self.missing) for row in (left, right))

    def python(self, code: PairCode) -> str:
        sides = [" and ".join(f"{side(c)} is None" for c in self.missing)
                 for side in (code.left, code.right)]
        return f"(({sides[0]}) or ({sides[1]}))"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "missing": list(self.missing)}

    def columns(self) -> set[str]:
        return set(self.missing)


@dataclass(frozen=True)
class AllOf(Condition):
    parts: tuple[Condition, ...]
    kind = "all_of"

    def sql(self) -> str:
        return " AND ".join(f"({p.sql()})" for p in self.parts)

    def holds(self, left: Features, right: Features) -> bool:
        return all(p.holds(left, right) for p in self.parts)

    def python(self, code: PairCode) -> str:
        return "(" + " and ".join(p.python(code) for p in self.parts) + ")"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "parts": [p.to_json() for p in self.parts]}

    def columns(self) -> set[str]:
        return set().union(*(p.columns() for p in self.parts))


@dataclass(frozen=True)
class AnyOf(Condition):
    """At least one of ``parts`` holds (e.g. the two records share a household: a family
    name, an address or a phone)."""

    parts: tuple[Condition, ...]
    kind = "any_of"

    def sql(self) -> str:
        return "(" + " OR ".join(f"({p.sql()})" for p in self.parts) + ")"

    def holds(self, left: Features, right: Features) -> bool:
        return any(p.holds(left, right) for p in self.parts)

    def python(self, code: PairCode) -> str:
        return "(" + " or ".join(p.python(code) for p in self.parts) + ")"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "parts": [p.to_json() for p in self.parts]}

    def columns(self) -> set[str]:
        return set().union(*(p.columns() for p in self.parts))


@dataclass(frozen=True)
class Otherwise(Condition):
    """The last level of every comparison: anything the levels above did not catch."""

    kind = "otherwise"

    def sql(self) -> str:
        return "ELSE"

    def holds(self, left: Features, right: Features) -> bool:
        return True

    def python(self, code: PairCode) -> str:
        return "True"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind}


def condition_from_json(data: dict[str, Any]) -> Condition:
    """Read a condition back from :meth:`Condition.to_json`."""
    kind = data.get("kind")
    if kind == "exact":
        return Exact(_check(data["column"]))
    if kind == "differs":
        return Differs(_check(data["column"]))
    if kind == "crossed":
        return Crossed(_check(data["left"]), _check(data["right"]))
    if kind == "jaro_winkler":
        return JaroWinklerAtLeast(_check(data["column"]), float(data["threshold"]))
    if kind == "crossed_jaro_winkler":
        return CrossedJaroWinklerAtLeast(_check(data["left"]), _check(data["right"]),
                                         float(data["threshold"]))
    if kind == "damerau_levenshtein":
        return DamerauLevenshteinAtMost(_check(data["column"]), int(data["edits"]))
    if kind == "levenshtein":
        return LevenshteinAtMost(_check(data["column"]), int(data["edits"]))
    if kind == "overlaps":
        return Overlaps(_check(data["column"]))
    if kind == "within":
        return WithinOf(_check(data["column"]), int(data["at_most"]))
    if kind == "either_missing":
        return EitherMissing(tuple(_check(c) for c in data["missing"]))
    if kind == "all_of":
        return AllOf(tuple(condition_from_json(p) for p in data["parts"]))
    if kind == "any_of":
        return AnyOf(tuple(condition_from_json(p) for p in data["parts"]))
    if kind == "otherwise":
        return Otherwise()
    raise ValueError(f"unknown condition kind {kind!r}")
