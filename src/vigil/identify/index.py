"""Writing the blocking index: each person record's keys and features, in the caller's
transaction (never committing), so a record saved is found by the very next lookup.

Call :func:`index_person_record` (or :func:`index_person_records` for many) after adding or
changing a person record or its phones, before the commit that saves them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from vigil.identify.blocking import (
    STOP_KEY_RECORDS,
    STOP_KEY_RECORDS_BY_KIND,
    blocking_keys,
    stop_limit,
)
from vigil.identify.features import Features, PersonDetails, features_of
from vigil.identify.normalise.places import dwelling_key
from vigil.store.identify_tables import BlockingKey, CommonKey, RecordFeatures
from vigil.store.models import Address, PersonRecord, PersonRecordPhone

CHUNK = 2000
# Keys counted in one statement when the common keys are brought up to date.
COUNT_CHUNK = 500
# Bump when features_of or blocking_keys change: records indexed by an older version are
# normalised afresh at lookup, and `vigil identify reindex` rewrites their keys.
FEATURES_VERSION = 3


def details_of(record: Any, phones: Sequence[str]) -> PersonDetails:
    """A stored person record (ORM object or row) as the engine's input."""
    return PersonDetails(given_name=record.given_name, family_name=record.family_name,
                         date_of_birth=record.date_of_birth, phones=tuple(phones),
                         email=record.email, address=record.address_text,
                         postcode=record.postcode, uprn=record.uprn)


def _chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def load_details(session: Session, ids: Sequence[int]) -> dict[int, PersonDetails]:
    """The stored records ``ids`` with their phones, as engine input."""
    found: dict[int, PersonDetails] = {}
    for chunk in _chunks(list(ids)):
        phones: dict[int, list[str]] = defaultdict(list)
        for record_id, number in session.execute(
                select(PersonRecordPhone.person_record_id, PersonRecordPhone.number)
                .where(PersonRecordPhone.person_record_id.in_(chunk))):
            phones[record_id].append(number)
        for row in session.execute(
                select(PersonRecord.id, PersonRecord.given_name, PersonRecord.family_name,
                       PersonRecord.date_of_birth, PersonRecord.email,
                       PersonRecord.address_text, PersonRecord.postcode, PersonRecord.uprn)
                .where(PersonRecord.id.in_(chunk))):
            found[row.id] = details_of(row, phones[row.id])
    return found


def index_person_records(session: Session, ids: Iterable[int], *,
                         progress: Callable[[int], None] | None = None,
                         common_keys: bool = True) -> int:
    """(Re)write the blocking keys and features of the person records ``ids``, as they stand
    in this transaction (pending changes are flushed first), and which of their keys, old and
    new, are common (unless ``common_keys`` is false: the caller rewrites them all after).
    Returns how many were indexed."""
    session.flush()
    wanted = sorted(set(ids))
    done = 0
    for chunk in _chunks(wanted):
        details = load_details(session, chunk)
        # The keys the records had: whether they are still common is counted below.
        touched = set(session.scalars(
            delete(BlockingKey.__table__)  # type: ignore[arg-type]
            .where(BlockingKey.person_record_id.in_(chunk)).returning(BlockingKey.key)))
        session.execute(delete(RecordFeatures)
                        .where(RecordFeatures.person_record_id.in_(chunk)))
        features = {record_id: features_of(d) for record_id, d in details.items()}
        keys = {record_id: blocking_keys(f) for record_id, f in features.items()}
        key_rows = [{"person_record_id": record_id, "key": key}
                    for record_id, record_keys in keys.items() for key in record_keys]
        if key_rows:
            session.execute(insert(BlockingKey), key_rows)
        if common_keys:
            update_common_keys(session, touched.union(*keys.values()))
        if features:
            session.execute(insert(RecordFeatures), [
                {"person_record_id": record_id, "features": f, "version": FEATURES_VERSION}
                for record_id, f in features.items()])
        done += len(chunk)
        if progress:
            progress(done)
    return done


def _shared_by(session: Session, keys: Sequence[str]) -> dict[str, int]:
    """How many records share each of ``keys``, counted up to one past its stop limit (a
    key shared by thousands costs no more to check than one shared by its limit)."""
    counts: dict[str, int] = {}
    for start in range(0, len(keys), COUNT_CHUNK):
        chunk = keys[start:start + COUNT_CHUNK]
        params: dict[str, Any] = {}
        for n, key in enumerate(chunk):
            params[f"k{n}"], params[f"l{n}"] = key, stop_limit(key) + 1
        statement = " UNION ALL ".join(
            f"SELECT {n} AS n, count(*) FROM (SELECT 1 AS one FROM identify_blocking_keys "
            f"WHERE key = :k{n} LIMIT :l{n}) AS c{n}" for n in range(len(chunk)))
        for n, records in session.execute(text(statement), params):
            counts[chunk[n]] = records
    return counts


def update_common_keys(session: Session, keys: Iterable[str]) -> None:
    """Bring :class:`~vigil.store.identify_tables.CommonKey` up to date for ``keys``, whose
    records have just changed, in the caller's transaction."""
    wanted = sorted(set(keys))
    if not wanted:
        return
    counts = _shared_by(session, wanted)
    common = [{"key": key, "records": records} for key, records in counts.items()
              if records > stop_limit(key)]
    rare = [key for key, records in counts.items() if records <= stop_limit(key)]
    for start in range(0, len(rare), CHUNK):
        session.execute(delete(CommonKey).where(CommonKey.key.in_(rare[start:start + CHUNK])))
    if common:
        # Another writer may list the same key at the same moment: the later one updates it.
        upsert = (postgresql.insert(CommonKey) if session.get_bind().dialect.name == "postgresql"
                  else sqlite.insert(CommonKey))
        session.execute(upsert.on_conflict_do_update(
            index_elements=[CommonKey.key], set_={"records": upsert.excluded.records}), common)


def refresh_common_keys(session: Session | Connection) -> int:
    """Rewrite :class:`~vigil.store.identify_tables.CommonKey` from the whole blocking index
    (after a bulk write, in ``vigil identify reindex`` and in the migration that made the
    table). Returns how many keys are common."""
    session.execute(delete(CommonKey))
    lowest = min(STOP_KEY_RECORDS, *STOP_KEY_RECORDS_BY_KIND.values())
    common = []
    for key, records in session.execute(
            select(BlockingKey.key, func.count()).group_by(BlockingKey.key)
            .having(func.count() > lowest)):
        limit = stop_limit(key)
        if records > limit:
            common.append({"key": key, "records": min(records, limit + 1)})
    for start in range(0, len(common), CHUNK):
        session.execute(insert(CommonKey), common[start:start + CHUNK])
    return len(common)


def index_person_record(session: Session, record: PersonRecord) -> None:
    """(Re)index one record in the caller's transaction (flushing it first for its id)."""
    session.flush()
    index_person_records(session, [record.id])


def rekey_addresses(session: Session) -> int:
    """Rewrite every address's dwelling key (after the address normaliser changed, or for
    addresses written by SQL outside the app). Returns how many changed."""
    changed = []
    for row in session.execute(select(Address.id, Address.flat, Address.house, Address.street,
                                      Address.town, Address.postcode, Address.dwelling_key)):
        key = dwelling_key(flat=row.flat, house=row.house, street=row.street, town=row.town,
                           postcode=row.postcode)
        if key != row.dwelling_key:
            changed.append({"address_id": row.id, "key": key})
    for start in range(0, len(changed), CHUNK):
        session.execute(update(Address.__table__)  # type: ignore[arg-type]
                        .where(Address.id == bindparam("address_id"))
                        .values(dwelling_key=bindparam("key")), changed[start:start + CHUNK])
    return len(changed)


def reindex_all(session: Session, *, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the whole index from the person records, and the addresses' dwelling keys
    (``vigil identify reindex``)."""
    rekey_addresses(session)
    ids = list(session.scalars(select(PersonRecord.id).order_by(PersonRecord.id)))
    session.execute(delete(BlockingKey))
    session.execute(delete(RecordFeatures))
    session.execute(delete(CommonKey))
    total = len(ids)
    done = index_person_records(
        session, ids, progress=(lambda done: progress(done, total)) if progress else None,
        common_keys=False)
    refresh_common_keys(session)
    return done


def stored_features(session: Session, ids: Sequence[int]) -> dict[int, Features]:
    """The indexed features of ``ids`` (records never indexed, or indexed by an older
    version of the engine, are normalised now)."""
    found: dict[int, Features] = {}
    for chunk in _chunks(list(ids)):
        for record_id, features, version in session.execute(
                select(RecordFeatures.person_record_id, RecordFeatures.features,
                       RecordFeatures.version)
                .where(RecordFeatures.person_record_id.in_(chunk))):
            if version == FEATURES_VERSION:
                found[record_id] = features
    missing = [i for i in ids if i not in found]
    if missing:
        for record_id, details in load_details(session, missing).items():
            found[record_id] = features_of(details)
    return found
