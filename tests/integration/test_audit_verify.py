"""``vigil audit verify``: an untouched log passes; a row altered behind the app's back is
caught, naming the first broken entry."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from vigil.bootstrap import Container
from vigil.cli import app
from vigil.domain.access import Actor
from vigil.services.audit_trail import verify_chain
from vigil.store.models import AuditEntry


def write_entries(container: Container, count: int) -> list[int]:
    with container.uow(Actor.system("test")) as uow:
        ids = [uow.audit.record(action="view", object_type="case", object_id=f"CASE-{n}",
                                detail={"n": n}).id for n in range(count)]
        uow.commit()
    return ids


@pytest.fixture
def cli(container: Container, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("VIGIL_DATABASE_URL", container.settings.database_url)
    return CliRunner()


def test_an_untouched_audit_log_verifies(container: Container, cli: CliRunner) -> None:
    write_entries(container, 5)
    result = cli.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "intact: 5 entries" in result.output


def test_an_empty_audit_log_verifies(container: Container) -> None:
    with container.session_factory() as session:
        assert verify_chain(session).intact


def test_a_row_altered_with_raw_sql_is_caught_and_named(container: Container,
                                                       cli: CliRunner) -> None:
    ids = write_entries(container, 5)
    with container.engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET object_id = 'CASE-99' WHERE id = :id"),
                           {"id": ids[2]})
    result = cli.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert f"entry {ids[2]} is broken" in result.output
    assert "changed after it was written" in " ".join(result.output.split())


def test_a_deleted_row_breaks_the_chain_at_the_entry_after_it(container: Container) -> None:
    ids = write_entries(container, 4)
    with container.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": ids[1]})
    with container.session_factory() as session:
        check = verify_chain(session)
    assert check.broken_id == ids[2]
    assert "deleted" in check.problem


def test_a_rehashed_forgery_is_caught_by_the_next_entry(container: Container) -> None:
    """Someone who edits an entry and recomputes its own hash still breaks the link after it."""
    from vigil.store.audit import entry_digest

    ids = write_entries(container, 3)
    with container.session_factory() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.id == ids[0]))
        assert entry is not None
        entry.reason = "forged"
        entry.entry_hash = entry_digest(
            prev_hash=entry.prev_hash, at=entry.at, username=entry.username,
            action=entry.action, object_type=entry.object_type, object_id=entry.object_id,
            reason=entry.reason, detail=entry.detail)
        session.commit()
    with container.session_factory() as session:
        assert verify_chain(session).broken_id == ids[1]


def test_entries_that_do_not_wait_for_the_disk_chain_with_the_others(
        container: Container) -> None:
    """A look-up's entry commits without waiting for the disk (on PostgreSQL); it sits in the
    chain like any other, and only its own transaction stops waiting."""
    for wait in (True, False, True, False):
        with container.uow(Actor.system("test")) as uow:
            uow.audit.record(action="identify", object_type="caller", object_id="x",
                             wait_for_disk=wait)
            if uow.session.get_bind().dialect.name == "postgresql":
                setting = uow.session.execute(text("SHOW synchronous_commit")).scalar()
                assert setting == ("on" if wait else "off")
            uow.commit()
    with container.session_factory() as session:
        check = verify_chain(session)
        assert check.intact and check.entries == 4
        if session.get_bind().dialect.name == "postgresql":
            assert session.execute(text("SHOW synchronous_commit")).scalar() == "on"


def test_a_read_commits_with_its_audit_entry_and_the_chain_holds(container: Container) -> None:
    """A look-up's entry and its commit go together (one round trip on PostgreSQL): once
    ``commit_read`` returns, another session sees the entry, and leaving the unit of work
    rolls nothing back."""
    write_entries(container, 1)
    with container.uow(Actor.system("test")) as uow:
        uow.commit_read(action="identify", object_type="caller", object_id="details:ab",
                        reason="caller on the line", detail={"candidates": 3})
        with container.session_factory() as other:
            seen = other.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
            assert seen == ["view", "identify"]
    write_entries(container, 1)
    with container.session_factory() as session:
        check = verify_chain(session)
        assert check.intact and check.entries == 3
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "identify")).one()
        assert (entry.reason, entry.detail) == ("caller on the line", {"candidates": 3})


def test_a_reads_entry_and_commit_wait_for_one_answer_from_postgresql(
        container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every look-up ends with its audit entry: the lock, the insert and the commit wait for
    the server once. Committing inside the pipeline waited, and leaving the pipeline then
    waited again for nothing: a round trip more on every look-up."""
    if container.engine.dialect.name != "postgresql":
        pytest.skip("round trips to a server are PostgreSQL's")
    from psycopg._pipeline_base import BasePipeline

    syncs: list[int] = []
    enqueue_sync = BasePipeline._enqueue_sync

    def counted(self: BasePipeline) -> None:
        syncs.append(1)
        enqueue_sync(self)

    monkeypatch.setattr(BasePipeline, "_enqueue_sync", counted)
    with container.uow(Actor.system("test")) as uow:
        uow.session.execute(text("SELECT 1"))  # the look-up's reads have begun the transaction
        syncs.clear()
        uow.commit_read(action="identify", object_type="caller", object_id="details:cd",
                        reason="caller on the line")
        assert len(syncs) == 1
        with container.session_factory() as other:
            assert other.scalars(select(AuditEntry.object_id)).all() == ["details:cd"]
