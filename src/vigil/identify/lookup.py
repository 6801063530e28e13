"""On-line lookup: one person's details against every stored record, through the blocking
index. Reads only; the caller's transaction decides what is visible (a record written earlier in
it, or committed before it began, is found)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from vigil.identify.blocking import STOP_KEY_RECORDS, blocking_keys, stop_limit
from vigil.identify.features import Features
from vigil.identify.index import stored_features
from vigil.identify.model import Model
from vigil.identify.score import Score, score_pair
from vigil.store.identify_tables import BlockingKey


@dataclass(frozen=True)
class Candidate:
    """A stored record compared with the details looked up, and how it scored."""

    record_id: int
    features: Features
    score: Score


def candidate_ids(session: Session, features: Features, *,
                  stop_key_records: int = STOP_KEY_RECORDS) -> list[int]:
    """Records sharing a blocking key with ``features``; keys shared by more than
    ``stop_key_records`` records (fewer for weak kinds of key) are skipped."""
    keys = blocking_keys(features)
    if not keys:
        return []
    # One statement, one indexed range scan per key, each cut at its stop limit. Written as
    # text because building it with the expression language costs more than running it; the
    # keys are bound parameters, never formatted into the SQL.
    parts: list[str] = []
    params: dict[str, str | int] = {}
    for n, key in enumerate(keys):
        parts.append(f"SELECT * FROM (SELECT key, person_record_id FROM "
                     f"{BlockingKey.__tablename__} WHERE key = :k{n} LIMIT :l{n}) AS b{n}")
        params[f"k{n}"] = key
        params[f"l{n}"] = stop_limit(key, stop_key_records) + 1
    rows = session.execute(text(" UNION ALL ".join(parts)), params).all()
    sizes = Counter(key for key, _ in rows)
    return sorted({record_id for key, record_id in rows
                   if sizes[key] <= stop_limit(key, stop_key_records)})


def find_candidates(session: Session, features: Features, *, model: Model,
                    visible: Callable[[list[int]], set[int]] | None = None,
                    extra_ids: Collection[int] = ()) -> list[Candidate]:
    """Score every blocked record (and ``extra_ids``) against ``features``, best first.

    ``visible``, when given, keeps only the record ids it returns (what the user may see).
    """
    ids = set(candidate_ids(session, features)) | set(extra_ids)
    if visible is not None and ids:
        ids = visible(sorted(ids))
    found = stored_features(session, sorted(ids))
    candidates = [Candidate(record_id=record_id, features=f,
                            score=score_pair(model, features, f))
                  for record_id, f in found.items()]
    candidates.sort(key=lambda c: (-c.score.match_weight, c.record_id))
    return candidates
