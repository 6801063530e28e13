"""On-line lookup: one person's details against every stored record, through the blocking
index. Reads only; the caller's transaction decides what is visible (a record written earlier in
it, or committed before it began, is found).

This is the hot path of every call, so the candidate search is ONE statement on PostgreSQL (one
round trip): the blocking keys' index range scans (each cut at its stop limit), the records a
handler confirmed for these details, each candidate's stored features and the handler's answer
about it. On SQLite, which runs in this process, the scans are a statement of their own and the
keys over their limit are dropped in Python before the rest is read. Nothing is loaded as an
ORM object; what is shown of a record is read later, for the records kept.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy.orm import Session

from vigil.identify.blocking import STOP_KEY_RECORDS, blocking_keys, stop_limit
from vigil.identify.compiled import compiled
from vigil.identify.features import Features, features_of
from vigil.identify.index import FEATURES_VERSION, load_details
from vigil.identify.model import Model
from vigil.identify.score import Score, probability_of
from vigil.store.together import Together, id_list, text_array


@dataclass(frozen=True)
class Candidate:
    """A stored record compared with the details looked up, and how it scored.

    ``feedback``: a handler's answer about this record for these details (``same`` or
    ``different``), when the search was asked for them.
    ``bounded``: the pair was vetoed by a guard and could not reach the probability the search
    was asked to keep whatever else agreed, so it was not scored in full: ``score`` holds the
    guarded comparisons only and ``match_weight`` is the most the pair could weigh.
    """

    record_id: int
    features: Features  # shared by candidates whose stored features are the same: read only
    score: Score
    feedback: str | None = None
    bounded: bool = False


# The candidate statement's columns, in order. Features come as JSON text (on either
# backend): many candidates of one lookup are records of one person typed the same way, so
# each distinct text is decoded and scored once. What is shown of a record is read later, for
# the few records kept (identification_reads): reading it here for every candidate cost a
# second random page read each.
_ID, _FEATURES, _VERSION, _VERDICT = range(4)


def _scans(key_count: int) -> str:
    """SQLite: each key's index range scan, of at most stop + 1 rows (``n``: which key). A key
    with more rows than its stop limit is too common to say anything and is dropped as a whole
    (by :func:`_blocked_sqlite`); one known to be (identify_common_keys) is not read at all:
    its limit, worked out once before the scan, is 0. That is a third of a look-up's keys at a
    million people, and more than half the index rows it used to read. (A NOT EXISTS beside
    ``key = ...`` was checked row by row on SQLite, and the scan went on past the limit.)"""
    return " UNION ALL ".join(
        f"SELECT {n} AS n, person_record_id FROM "
        f"(SELECT person_record_id FROM identify_blocking_keys WHERE key = :k{n} "
        f"LIMIT (CASE WHEN EXISTS (SELECT 1 FROM identify_common_keys WHERE key = :k{n} "
        f"AND records > :s{n}) THEN 0 ELSE :l{n} END)) AS b{n}" for n in range(key_count))


# PostgreSQL: the same scans, for keys and limits given as two arrays (array literals: text
# parameters, see :func:`~vigil.store.together.id_list`), in one statement text
# whatever the number of keys, so the server prepares and plans it once. (A statement per
# number of keys was planned afresh whenever that number was rare: planning a union of thirty
# scans took longer than running it.)
_PG_BLOCKED = (
    "WITH hits AS (SELECT k.n, k.stop, b.person_record_id "
    "FROM unnest(CAST(:keys AS text[]), CAST(:stops AS integer[])) WITH ORDINALITY "
    "AS k(key, stop, n) CROSS JOIN LATERAL (SELECT person_record_id FROM identify_blocking_keys "
    "WHERE key = k.key LIMIT (CASE WHEN EXISTS (SELECT 1 FROM identify_common_keys c "
    "WHERE c.key = k.key AND c.records > k.stop) THEN 0 ELSE k.stop + 1 END)) AS b), "
    "blocked AS (SELECT person_record_id, stop, count(*) OVER (PARTITION BY n) AS shared "
    "FROM hits) ")


def _candidate_sql(backend: str, with_keys: bool, with_extra: bool, with_subject: bool) -> str:
    """The candidate statement: every value a bound parameter (``:name``), lists of values one
    parameter each (arrays on PostgreSQL, JSON text on SQLite), so each shape is one text. On
    SQLite the blocked records come found already (:func:`_blocked_sqlite`), as ``:blocked``."""
    postgresql = backend == "postgresql"
    wanted: list[str] = []
    ctes = ""
    if with_keys and postgresql:
        ctes = _PG_BLOCKED
        wanted.append("SELECT DISTINCT person_record_id FROM blocked WHERE shared <= stop")
    elif with_keys:
        wanted.append("SELECT value AS person_record_id FROM json_each(:blocked)")
    if with_subject:
        wanted.append("SELECT person_record_id FROM identify_match_feedback "
                      "WHERE subject = :subject AND verdict = 'same'")
    if with_extra:
        wanted.append("SELECT id AS person_record_id FROM person_records WHERE id "
                      + ("= ANY(CAST(:extra AS integer[]))" if postgresql
                         else "IN (SELECT value FROM json_each(:extra))"))
    verdict = ("fb.verdict" if with_subject else "NULL")
    feedback_join = (" LEFT JOIN identify_match_feedback fb ON fb.subject = :subject "
                     "AND fb.person_record_id = w.person_record_id" if with_subject else "")
    return (f"{ctes}SELECT w.person_record_id, CAST(f.features AS TEXT) AS features, "
            f"f.version, {verdict} AS verdict "
            f"FROM ({' UNION '.join(wanted)}) AS w "
            "LEFT JOIN identify_record_features f ON f.person_record_id = w.person_record_id"
            f"{feedback_join}")


_statements: dict[tuple[str, bool, bool, bool], str] = {}
_scan_statements: dict[int, str] = {}


def _statement(backend: str, with_keys: bool, with_extra: bool, with_subject: bool) -> str:
    shape = (backend, with_keys, with_extra, with_subject)
    sql = _statements.get(shape)
    if sql is None:
        sql = _statements[shape] = _candidate_sql(*shape)
    return sql


def _blocked_sqlite(session: Session, keys: list[str], stops: list[int]) -> Any:
    """On SQLite, the blocked records as a JSON list: the keys' scans in one statement, and the
    keys over their limit dropped here (no round trip to save, and counting the rows here cost
    less than the window, sort and DISTINCT the one-statement form asks of SQLite)."""
    sql = _scan_statements.get(len(keys))
    if sql is None:
        sql = _scan_statements[len(keys)] = _scans(len(keys))
    params: dict[str, Any] = {}
    for n, (key, stop) in enumerate(zip(keys, stops, strict=True)):
        params[f"k{n}"], params[f"s{n}"], params[f"l{n}"] = key, stop, stop + 1
    scans = Together(session)
    hits = scans.add(sql, params)
    scans.run()
    counts = [0] * len(keys)
    for n, _ in hits.rows:
        counts[n] += 1
    blocked = {record_id for n, record_id in hits.rows if counts[n] <= stops[n]}
    return id_list(sorted(blocked), backend="sqlite")


def candidate_rows(session: Session, features: Features, *, subject: str | None = None,
                   extra_ids: Collection[int] = (),
                   stop_key_records: int = STOP_KEY_RECORDS,
                   together: Together | None = None) -> list[tuple[Any, ...]]:
    """Rows of the candidate statement (tuples: id, features, their version, verdict):
    records sharing a blocking key with ``features`` (keys shared by more than
    ``stop_key_records`` records, fewer for weak kinds of key, are skipped), the records
    confirmed for ``subject``, and ``extra_ids``.

    The statement runs with the others ``together`` holds, in one round trip on PostgreSQL
    (by default on its own, planning the rest of the transaction's statements once; see
    :class:`~vigil.store.together.Together`). It goes straight to the driver, on the
    session's own connection (so its transaction's writes are seen): SQLAlchemy's statement
    and result handling cost a third as much again as the statement, and every value here is
    a plain integer or text."""
    together = together or Together(session, plan_once=True)
    keys = blocking_keys(features)
    extra = sorted(set(extra_ids))
    if not keys and not extra and subject is None:
        together.run()
        return []
    backend = session.get_bind().dialect.name
    stops = [stop_limit(key, stop_key_records) for key in keys]
    params: dict[str, Any] = {}
    if keys and backend == "postgresql":
        params["keys"], params["stops"] = text_array(keys), id_list(stops, backend=backend)
    elif keys:
        params["blocked"] = _blocked_sqlite(session, keys, stops)
    if extra:
        params["extra"] = id_list(extra, backend=backend)
    if subject is not None:
        params["subject"] = subject
    pending = together.add(_statement(backend, bool(keys), bool(extra), subject is not None),
                           params)
    together.run()
    return pending.rows


def find_candidates(session: Session, features: Features, *, model: Model,
                    visible: Callable[[list[int]], set[int]] | None = None,
                    extra_ids: Collection[int] = (),
                    subject: str | None = None,
                    keep_above: float | None = None,
                    together: Together | None = None) -> list[Candidate]:
    """Score every blocked record (and ``extra_ids``, and the records a handler confirmed for
    ``subject``) against ``features``, best first.

    ``visible``, when given, keeps only the record ids it returns (what the user may see).
    ``keep_above``, when given, is the lowest match probability the caller will keep: a pair
    that a guard vetoes and that could not reach it however the other comparisons came out is
    not scored in full (``Candidate.bounded``). Half of a lookup's candidates are such pairs
    (household members, namesakes born years apart): their other comparisons are not tested
    (:attr:`~vigil.identify.compiled.CompiledModel.score_or_bound`). A record a handler
    confirmed is always scored in full. ``together``: other
    statements to send with the candidate statement (see :func:`candidate_rows`).
    """
    rows = candidate_rows(session, features, subject=subject, extra_ids=extra_ids,
                          together=together)
    if visible is not None and rows:
        allowed = visible(sorted(row[_ID] for row in rows))
        rows = [row for row in rows if row[_ID] in allowed]
    stale = [row[_ID] for row in rows
             if row[_FEATURES] is None or row[_VERSION] != FEATURES_VERSION]
    fresh = _normalised_now(session, stale)
    scorer = compiled(model)
    decoded: dict[str, Features] = {}
    # Many candidates are records of one person typed the same way: their stored features
    # are decoded into one object, and scored once (in full, or bounded when allowed).
    scored: dict[tuple[int, bool], tuple[Score, bool]] = {}

    def score_of(stored: Features, full: bool) -> tuple[Score, bool]:
        found = scored.get((id(stored), full))
        if found is None:
            if full or keep_above is None:
                levels, weight, vetoed = scorer.score(features, stored)
                found = (Score(weight, probability_of(weight), model=model, levels=levels,
                               vetoed=vetoed), False)
            else:
                levels, weight, vetoed, whole = scorer.score_or_bound(features, stored,
                                                                      keep_above)
                found = (Score(weight, probability_of(weight), model=model, levels=levels,
                               which=None if whole else scorer.guarded, vetoed=vetoed),
                         not whole)
            scored[id(stored), full] = found
        return found

    candidates = []
    for row in rows:
        record_id, text, verdict = row[_ID], row[_FEATURES], row[_VERDICT]
        stored = fresh.get(record_id)
        if stored is None:
            if text is None:
                continue  # not indexed, and no longer stored
            stored = decoded.get(text)
            if stored is None:
                stored = decoded[text] = orjson.loads(text)  # a third of json.loads' time
        score, bounded = score_of(stored, verdict == "same")
        candidates.append(Candidate(record_id=record_id, features=stored, score=score,
                                    bounded=bounded, feedback=verdict))
    candidates.sort(key=lambda c: (-c.score.match_weight, c.record_id))
    return candidates


def _normalised_now(session: Session, ids: Sequence[int]) -> dict[int, Features]:
    """Features of records never indexed, or indexed by an older version of the engine."""
    if not ids:
        return {}
    return {record_id: features_of(details)
            for record_id, details in load_details(session, ids).items()}
