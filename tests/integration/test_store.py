"""The store itself: connection settings, timestamps, migrations, the audit chain."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from tests.conftest import backend
from vigil.bootstrap import Container
from vigil.domain.access import Actor
from vigil.store import migrate
from vigil.store.audit import GENESIS_HASH, entry_digest
from vigil.store.models import Agency, AuditEntry, User


def test_sqlite_runs_in_wal_mode_with_foreign_keys_on(container: Container) -> None:
    if backend() != "sqlite":
        pytest.skip("SQLite only")
    with container.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_models_and_migrations_agree(container: Container) -> None:
    migrate.check(container.engine)  # raises if a model change has no migration


def test_timestamps_come_back_as_the_same_instant_in_utc(container: Container) -> None:
    local = datetime(2024, 3, 31, 1, 30, tzinfo=timezone(timedelta(hours=1)))
    with container.session_factory() as session:
        agency = Agency(code="a", name="A", kind="police")
        session.add(agency)
        session.flush()
        session.add(User(username="u", full_name="U", password_hash="x", agency_id=agency.id,
                         role="analyst", created_at=local))
        session.commit()
    with container.session_factory() as session:
        stored = session.scalars(select(User.created_at)).one()
    assert stored == local and stored.tzinfo is not None
    assert stored.astimezone(UTC).hour == 0


def test_a_foreign_key_to_nothing_is_refused(container: Container) -> None:
    with container.session_factory() as session:
        session.add(User(username="u", full_name="U", password_hash="x", agency_id=999,
                         role="analyst"))
        with pytest.raises(IntegrityError):
            session.commit()


def test_audit_entries_chain_each_to_the_one_before(container: Container) -> None:
    with container.uow(Actor.system("tester")) as uow:
        first = uow.audit.record(action="view", object_type="incident", object_id=1)
        second = uow.audit.record(action="view", object_type="incident", object_id=2,
                                  reason="caller asked", detail={"before": None})
        uow.commit()
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.entry_hash
    with container.session_factory() as session:
        stored = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    for entry in stored:
        assert entry.entry_hash == entry_digest(
            prev_hash=entry.prev_hash, at=entry.at, username=entry.username,
            action=entry.action, object_type=entry.object_type, object_id=entry.object_id,
            reason=entry.reason, detail=entry.detail,
        )


def test_leaving_a_unit_of_work_without_commit_writes_nothing(container: Container) -> None:
    with container.uow(Actor.system()) as uow:
        uow.session.add(Agency(code="x", name="X", kind="council"))
        uow.audit.record(action="create", object_type="agency", object_id="x")
    with container.session_factory() as session:
        assert session.scalars(select(Agency)).all() == []
        assert session.scalars(select(AuditEntry)).all() == []
