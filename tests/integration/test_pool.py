"""PostgreSQL connections: one that sat idle in the pool is tested before use, and a dead one
is replaced without the user seeing an error."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.conftest import backend
from vigil.store import db
from vigil.store.db import make_engine

pytestmark = pytest.mark.skipif(backend() != "postgresql",
                                reason="pooled server connections: PostgreSQL only")


def test_a_connection_killed_while_idle_is_replaced(database_url: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(database_url, pool_size=1, max_overflow=0)
    with engine.connect() as connection:
        first = connection.execute(text("SELECT pg_backend_pid()")).scalar()
    with make_engine(database_url).connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        other.commit()
    monkeypatch.setattr(db, "IDLE_BEFORE_PING", 0.0)
    with engine.connect() as connection:
        second = connection.execute(text("SELECT pg_backend_pid()")).scalar()
    assert second != first
    engine.dispose()

