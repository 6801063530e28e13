"""Blocking keys too common to block on are known as they are written
(``identify_common_keys``), so a look-up skips them without reading their records, and finds
exactly what it found when it read them and dropped them."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from vigil.bootstrap import Container
from vigil.identify.blocking import blocking_keys, stop_limit
from vigil.identify.features import PersonDetails, features_of
from vigil.identify.index import index_person_records, refresh_common_keys
from vigil.identify.lookup import candidate_rows
from vigil.services.reference import ensure_reference_data
from vigil.store.identify_tables import CommonKey
from vigil.store.models import PersonRecord, PersonRecordPhone

NAME_ONLY = PersonDetails(given_name="Sam", family_name="Fielding")
NAME_KEYS = blocking_keys(features_of(NAME_ONLY))  # "n:" keys: 40 records may share one


def _add_namesakes(session: Session, count: int, *, first: int = 0) -> list[PersonRecord]:
    """``count`` records of Sam Fielding with nothing else in common, each indexed as it is
    written (as a call saves its people)."""
    source = ensure_reference_data(session)["vigil"]
    records = []
    for n in range(first, first + count):
        record = PersonRecord(source_id=source.id, source_key=f"CALL-{n}", given_name="Sam",
                              family_name="Fielding")
        record.phones.append(PersonRecordPhone(number=f"+4477009{n:05d}"))
        session.add(record)
        session.flush()
        index_person_records(session, [record.id])
        records.append(record)
    return records


def _common(session: Session) -> dict[str, int]:
    return {key: records for key, records in session.execute(
        select(CommonKey.key, CommonKey.records))}


def _candidates(session: Session, details: PersonDetails) -> list[int]:
    return sorted(row[0] for row in candidate_rows(session, features_of(details)))


def test_a_key_becomes_common_with_the_record_that_takes_it_past_its_limit(
        container: Container) -> None:
    limit = stop_limit(NAME_KEYS[0])
    assert limit == 40 and all(key.startswith("n:") for key in NAME_KEYS)
    with container.session_factory() as session:
        records = _add_namesakes(session, limit)
        assert _common(session) == {}
        # At its limit the name still blocks: every namesake is a candidate.
        assert len(_candidates(session, NAME_ONLY)) == limit
        records += _add_namesakes(session, 1, first=limit)
        assert _common(session) == {key: limit + 1 for key in NAME_KEYS}
        # Past it, the name alone finds nobody; a phone still finds its one record.
        assert _candidates(session, NAME_ONLY) == []
        assert _candidates(session, PersonDetails(
            given_name="Sam", family_name="Fielding", phones=("07700 900007",))) == [
                records[7].id]


def test_a_lookup_finds_the_same_records_whether_or_not_common_keys_are_known(
        container: Container) -> None:
    callers = [NAME_ONLY,
               PersonDetails(given_name="Samuel", family_name="Fielding",
                             phones=("07700 900012",)),
               PersonDetails(given_name="Sam", family_name="Fieldings", phones=("07700 900044",)),
               PersonDetails(phones=("07700 900003",))]
    with container.session_factory() as session:
        _add_namesakes(session, 45)
        assert _common(session)
        known = [_candidates(session, caller) for caller in callers]
        session.execute(delete(CommonKey))
        assert [_candidates(session, caller) for caller in callers] == known
        assert [len(found) for found in known] == [0, 1, 1, 1]


def test_a_lookup_does_not_read_a_key_listed_as_common(container: Container) -> None:
    with container.session_factory() as session:
        records = _add_namesakes(session, 3)
        assert len(_candidates(session, NAME_ONLY)) == 3
        # Listed (here falsely) as shared by more records than its limit: not read at all.
        session.add_all(CommonKey(key=key, records=stop_limit(key) + 1) for key in NAME_KEYS)
        session.flush()
        assert _candidates(session, NAME_ONLY) == []
        assert _candidates(session, PersonDetails(phones=("07700 900001",))) == [records[1].id]
        # A record asked for by id is a candidate whatever its keys.
        assert sorted(row[0] for row in candidate_rows(
            session, features_of(NAME_ONLY), extra_ids=[records[2].id, records[0].id])) == [
                records[0].id, records[2].id]


def test_a_key_back_under_its_limit_blocks_again_and_a_full_refresh_agrees(
        container: Container) -> None:
    with container.session_factory() as session:
        records = _add_namesakes(session, 44)
        assert set(_common(session)) == set(NAME_KEYS)
        for record in records[:6]:  # their name was mistyped: now 38 share it
            record.family_name = "Fielder"
        index_person_records(session, [r.id for r in records[:6]])
        assert _common(session) == {}
        assert len(_candidates(session, NAME_ONLY)) == 38
        kept = _common(session)
        assert refresh_common_keys(session) == 0
        assert _common(session) == kept
        for record in records[:6]:
            record.family_name = "Fielding"
        index_person_records(session, [r.id for r in records[:6]])
        incremental = _common(session)
        assert refresh_common_keys(session) == len(NAME_KEYS)
        assert _common(session) == incremental == {key: 41 for key in NAME_KEYS}


def test_two_writers_taking_one_key_past_its_limit_at_once_both_save(
        container: Container) -> None:
    """Two calls saved at the same moment, each adding a namesake over the limit, both list
    the key: the later waits for the earlier, then updates the listing instead of failing."""
    if container.engine.dialect.name != "postgresql":
        pytest.skip("SQLite lets one writer at a time into the database")
    with container.session_factory() as session:
        _add_namesakes(session, 40)
        session.commit()
    first = container.session_factory()
    _add_namesakes(first, 1, first=40)
    assert set(_common(first)) == set(NAME_KEYS)
    failures: list[BaseException] = []

    def second_writer() -> None:
        try:
            with container.session_factory() as second:
                _add_namesakes(second, 1, first=41)
                second.commit()
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            failures.append(error)

    writer = threading.Thread(target=second_writer)
    writer.start()
    writer.join(timeout=1.0)
    assert writer.is_alive()  # waiting for the first writer's listing of the key
    first.commit()
    first.close()
    writer.join(timeout=30)
    assert not writer.is_alive() and failures == []
    with container.session_factory() as session:
        assert _common(session) == {key: 41 for key in NAME_KEYS}
        assert _candidates(session, NAME_ONLY) == []
