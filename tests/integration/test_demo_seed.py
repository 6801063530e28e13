"""``seed_demo`` on a real database: with the open data, without it, twice, and refused."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from vigil.bootstrap import Container
from vigil.domain.access import Actor
from vigil.services.demo import (
    DEMO_PASSWORD,
    DemoAlreadySeeded,
    demo_logins,
    is_seeded,
    seed_demo,
)
from vigil.services.users import authenticate
from vigil.store.models import (
    AuditEntry,
    Base,
    DemoTruth,
    Incident,
    IncidentPerson,
    PersonRecord,
    PersonRecordPhone,
    SiteFact,
)

PEOPLE = 150


def _seed(container: Container, open_data_dir: Path, seed: int = 2026) -> None:
    seed_demo(container.uow(Actor.system("test")), seed=seed, people=PEOPLE,
              open_data_dir=open_data_dir, force_name=container.settings.force_name)


def _count(container: Container, column: object) -> int:
    with container.session_factory() as session:
        return session.scalar(select(func.count(column))) or 0  # type: ignore[arg-type]


def _assert_a_working_demo(container: Container, kind: str) -> None:
    with container.session_factory() as session:
        assert is_seeded(session)
        incidents = session.scalars(select(Incident)).all()
        assert len(incidents) > PEOPLE
        assert len({i.reference for i in incidents}) == len(incidents)
        assert all(i.time_precision == "exact" and i.occurred_at for i in incidents)
        assert all(i.location_text.startswith("On or near") for i in incidents)
        # The demo looks live: its latest calls are within the year before this month.
        today = date.today()
        latest = max(i.occurred_month for i in incidents)
        months_ago = (today.year * 12 + today.month) - (latest.year * 12 + latest.month)
        assert 0 <= months_ago <= 12
        records = session.scalar(select(func.count(PersonRecord.id)))
        truths = session.scalar(select(func.count(DemoTruth.person_record_id)))
        assert records == truths
        assert session.scalar(select(func.count(PersonRecord.id))
                              .where(PersonRecord.person_id.is_not(None))) == 0
        callers = session.scalar(select(func.count()).select_from(IncidentPerson)
                                 .where(IncidentPerson.role == "caller"))
        assert callers == len(incidents)
        notes = session.scalars(select(DemoTruth.note)).all()
        assert any(n.startswith("twin of") for n in notes)
        assert any(n.startswith("father of") for n in notes)
        assert any(n.startswith("son of") for n in notes)
        police_only = session.scalars(
            select(PersonRecord).where(PersonRecord.police_only.is_(True))).all()
        assert police_only and all(r.source.code == "crime-records" for r in police_only)
        fact = session.get(SiteFact, "demo")
        assert fact is not None and fact.value["kind"] == kind
        assert fact.value["seed"] == 2026 and fact.value["incidents"] == len(incidents)
        assert session.scalar(select(func.count(AuditEntry.id))
                              .where(AuditEntry.action == "seed")) == 1
    for username, _, _ in demo_logins():
        user = authenticate(container.uow(Actor.system("test")), username=username,
                            password=DEMO_PASSWORD)
        assert user is not None, username


def test_seeding_without_open_data_builds_a_synthetic_force(
        container: Container, tmp_path: Path) -> None:
    _seed(container, tmp_path)
    _assert_a_working_demo(container, "synthetic")
    with container.session_factory() as session:
        codes = session.scalars(select(Incident.lsoa_code)).all()
        assert all(code and code.startswith("X01") for code in codes)
        if session.get_bind().dialect.name == "postgresql":
            # Ready for fast look-ups at once: the big tables vacuumed and analysed.
            settled = dict(session.execute(text(
                "SELECT relname, last_vacuum IS NOT NULL AND last_analyze IS NOT NULL "
                "FROM pg_stat_user_tables WHERE relname IN "
                "('identify_blocking_keys', 'person_records', 'incidents')")).all())
            assert settled == {"identify_blocking_keys": True, "person_records": True,
                               "incidents": True}


@pytest.mark.open_data
def test_seeding_with_open_data_places_calls_on_real_asb_points(
        container: Container, open_data_dir: Path) -> None:
    _seed(container, open_data_dir)
    _assert_a_working_demo(container, "real")
    with container.session_factory() as session:
        codes = session.scalars(select(Incident.lsoa_code)).all()
    assert sum(1 for code in codes if code and code.startswith("E01")) > 0.9 * len(codes)


def test_a_household_holds_twins_who_share_a_birthday_but_not_a_given_name(
        container: Container, tmp_path: Path) -> None:
    _seed(container, tmp_path)
    with container.session_factory() as session:
        rows = session.execute(
            select(DemoTruth.true_person_key, DemoTruth.household_key, DemoTruth.note,
                   PersonRecord.given_name, PersonRecord.family_name,
                   PersonRecord.date_of_birth)
            .join(PersonRecord, PersonRecord.id == DemoTruth.person_record_id)
            .where(DemoTruth.note.like("twin of%"))).all()
    people: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        people[row.household_key].add(row.true_person_key)
    assert any(len(keys) == 2 for keys in people.values())


def _snapshot(container: Container) -> list[tuple[object, ...]]:
    with container.session_factory() as session:
        records = session.execute(
            select(PersonRecord.source_key, PersonRecord.given_name, PersonRecord.family_name,
                   PersonRecord.date_of_birth, PersonRecord.address_text,
                   PersonRecord.postcode, PersonRecord.uprn, DemoTruth.true_person_key,
                   DemoTruth.household_key)
            .join(DemoTruth, DemoTruth.person_record_id == PersonRecord.id)
            .order_by(PersonRecord.source_key)).all()
        phones = session.execute(
            select(PersonRecord.source_key, PersonRecordPhone.number)
            .join(PersonRecord).order_by(PersonRecord.source_key, PersonRecordPhone.number)
        ).all()
        incidents = session.execute(
            select(Incident.reference, Incident.occurred_at, Incident.detailed_type,
                   Incident.description, Incident.latitude, Incident.longitude)
            .order_by(Incident.reference)).all()
    return [tuple(r) for r in (*records, *phones, *incidents)]


def _empty(container: Container) -> None:
    with container.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


def test_the_same_seed_gives_the_same_records(container: Container, tmp_path: Path) -> None:
    _seed(container, tmp_path)
    first = _snapshot(container)
    _empty(container)
    _seed(container, tmp_path)
    assert _snapshot(container) == first
    _empty(container)
    _seed(container, tmp_path, seed=99)
    assert _snapshot(container) != first


def test_seeding_a_seeded_database_is_refused_and_writes_nothing(
        container: Container, tmp_path: Path) -> None:
    _seed(container, tmp_path)
    counts = [_count(container, c) for c in (Incident.id, PersonRecord.id, AuditEntry.id)]
    with pytest.raises(DemoAlreadySeeded):
        _seed(container, tmp_path, seed=5)
    assert [_count(container, c) for c in (Incident.id, PersonRecord.id, AuditEntry.id)] == counts
