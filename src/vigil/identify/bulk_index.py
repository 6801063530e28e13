"""The blocking index for many new records at once, from their details in memory.

:func:`vigil.identify.index.index_person_records` re-reads each record and its phones, deletes
any old keys and writes new ones: right for records saved one at a time, but at the demo seed's
millions of records the re-reading dominates, and so does normalising (``features_of`` parses
phone numbers, addresses and names: a few hundred microseconds a record). So
:func:`index_new_records` normalises in worker processes while this one writes, and writes
exactly the rows ``index_person_records`` would (the same :func:`features_of`,
:func:`blocking_keys` and version, records in the order given, each record's keys in sorted
order) through :class:`~vigil.store.bulk.BulkWriter`, for records that have no index rows yet.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from vigil.identify.blocking import blocking_keys
from vigil.identify.features import Features, PersonDetails, features_of
from vigil.identify.index import FEATURES_VERSION
from vigil.store.bulk import BulkWriter
from vigil.store.identify_tables import BlockingKey, RecordFeatures

BATCH = 5000
# Below this many records, starting worker processes costs more than it saves.
PARALLEL_FROM = 50_000

Normalised = list[tuple[int, Features, list[str]]]


def index_new_records(writer: BulkWriter, records: Iterable[tuple[int, PersonDetails]], *,
                      count: int | None = None, workers: int | None = None,
                      progress: Callable[[int], None] | None = None) -> int:
    """Write the keys and features of ``records`` ((id, details), none indexed before).

    ``count`` (how many there are, if known) decides whether worker processes are worth
    starting; ``workers`` overrides how many (1: none). Returns how many were indexed.
    """
    if workers is None:
        workers = (os.cpu_count() or 1) if count is None or count >= PARALLEL_FROM else 1
    batches = _batches(records, BATCH)
    done = 0
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        # Forked workers share this process's memory (the whole demo plan) page by page; frozen,
        # the garbage collector never writes to those pages, so they stay shared.
        gc.freeze()
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for normalised in pool.imap(_normalise, batches):
                    done += _write(writer, normalised)
                    if progress:
                        progress(done)
        finally:
            gc.unfreeze()
        return done
    for batch in batches:
        done += _write(writer, _normalise(batch))
        if progress:
            progress(done)
    return done


def _batches(records: Iterable[tuple[int, PersonDetails]], size: int
             ) -> Iterator[list[tuple[int, PersonDetails]]]:
    iterator = iter(records)
    while batch := list(islice(iterator, size)):
        yield batch


def _normalise(batch: list[tuple[int, PersonDetails]]) -> Normalised:
    normalised = []
    for record_id, details in batch:
        features = features_of(details)
        normalised.append((record_id, features, blocking_keys(features)))
    return normalised


def _write(writer: BulkWriter, normalised: Normalised) -> int:
    writer.insert(BlockingKey.__table__, ("person_record_id", "key"),  # type: ignore[arg-type]
                  ((record_id, key) for record_id, _, keys in normalised for key in keys))
    writer.insert(RecordFeatures.__table__,  # type: ignore[arg-type]
                  ("person_record_id", "features", "version"),
                  ((record_id, features, FEATURES_VERSION)
                   for record_id, features, _ in normalised))
    return len(normalised)
