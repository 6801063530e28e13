"""The two slow loops of ``vigil link``, spread over worker processes for big files.

Normalising a record (``features_of``: phone numbers, addresses, names) takes a few hundred
microseconds and scoring a candidate pair (``score_pair``, the compiled model) about five; at a
million records, with millions of pairs, that is minutes on one core. Both are pure functions
of their input, so here they run in forked worker processes, in order: the features and the
scores are exactly those the one-process loops give (``tests/integration/test_demo_bulk_write.py``
is for the demo seed; ``tests/unit/test_batch_fast.py`` compares these). Files smaller than
:data:`PARALLEL_FROM` records, and systems without ``fork``, use the plain loops.
"""

from __future__ import annotations

import gc
import math
import multiprocessing
import os
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any, overload

from vigil.identify.features import Features, PersonDetails, features_of
from vigil.identify.model import Model
from vigil.identify.score import score_pair

# Below this many records, starting workers costs more than it saves.
PARALLEL_FROM = 50_000
RECORDS_PER_TASK = 2_000
PAIRS_PER_TASK = 20_000

Progress = Callable[[str, int, int], None]
Pairs = Callable[[list[Features]], Iterable[tuple[int, int]]]

# What forked workers read: set before the pool starts, inherited, never sent.
_shared: dict[str, Any] = {}


class ScoredPairs(Sequence[tuple[int, int, float]]):
    """Candidate pairs of records (by position) with their match weights, kept in two typed
    arrays: 16 bytes a pair, where a list of Python tuples took about 200, and a file of a
    million records has tens of millions of pairs. Reads as a sequence of ``(a, b, weight)``."""

    def __init__(self, size: int, codes: array[int], weights: array[float]) -> None:
        self.size, self.codes, self.weights = size, codes, weights

    def __len__(self) -> int:
        return len(self.codes)

    @overload
    def __getitem__(self, index: int) -> tuple[int, int, float]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[int, int, float]]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        a, b = divmod(self.codes[index], self.size)
        return a, b, self.weights[index]

    def __iter__(self) -> Iterator[tuple[int, int, float]]:
        size = self.size
        for code, weight in zip(self.codes, self.weights, strict=True):
            a, b = divmod(code, size)
            yield a, b, weight

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ScoredPairs):
            return NotImplemented
        return (self.size, self.codes, self.weights) == (other.size, other.codes, other.weights)

    __hash__ = None  # type: ignore[assignment]


def _parallel(items: int) -> int:
    """How many worker processes to use for ``items`` records (1: none)."""
    workers = os.cpu_count() or 1
    if (items < PARALLEL_FROM or workers < 2
            or "fork" not in multiprocessing.get_all_start_methods()):
        return 1
    return workers


def normalise(details: Sequence[PersonDetails], *, progress: Progress) -> list[Features]:
    """Each record's features (:func:`features_of`), in order."""
    features: list[Features] = []
    workers = _parallel(len(details))
    if workers == 1:
        for n, d in enumerate(details, start=1):
            features.append(features_of(d))
            if n % 1000 == 0 or n == len(details):
                progress("Normalising", n, len(details))
        return features
    with _pool(workers) as pool:
        for batch in pool.imap(_normalise, _chunks(details, RECORDS_PER_TASK)):
            features.extend(batch)
            progress("Normalising", len(features), len(details))
    return features


def score_candidates(features: list[Features], *, model: Model, pairs: Pairs,
                     progress: Progress) -> ScoredPairs:
    """Each candidate pair (from ``pairs``) with its match weight (``-inf`` when a guard level
    vetoed it), in order."""
    size = len(features)
    codes = array("q", (a * size + b for a, b in pairs(features)))
    weights = array("d")
    workers = _parallel(len(features))
    if workers == 1:
        for n, code in enumerate(codes, start=1):
            a, b = divmod(code, size)
            weights.append(_weight(model, features[a], features[b]))
            if n % 5000 == 0 or n == len(codes):
                progress("Scoring pairs", n, len(codes))
        return ScoredPairs(size, codes, weights)
    with _pool(workers, model=model, features=features) as pool:
        chunks = (codes[start:start + PAIRS_PER_TASK]
                  for start in range(0, len(codes), PAIRS_PER_TASK))
        for chunk in pool.imap(_score, chunks):
            weights.extend(chunk)
            progress("Scoring pairs", len(weights), len(codes))
    return ScoredPairs(size, codes, weights)


def _weight(model: Model, left: Features, right: Features) -> float:
    score = score_pair(model, left, right)
    return -math.inf if score.vetoed else score.match_weight


@contextmanager
def _pool(workers: int, **shared: Any) -> Iterator[Any]:
    """A forked pool whose workers see ``shared``. The garbage collector is frozen first so
    that it never writes to (and so copies) the pages the workers share with this process."""
    _shared.clear()
    _shared.update(shared)
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield pool
    finally:
        gc.unfreeze()
        _shared.clear()


def _normalise(batch: list[PersonDetails]) -> list[Features]:
    return [features_of(d) for d in batch]


def _score(codes: array[int]) -> array[float]:
    model, features = _shared["model"], _shared["features"]
    size = len(features)
    weights = array("d")
    for code in codes:
        a, b = divmod(code, size)
        weights.append(_weight(model, features[a], features[b]))
    return weights


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
