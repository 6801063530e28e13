"""Engines and sessions. SQLite gets WAL mode and foreign keys on every connection."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from vigil.store.checkpoint import BACKSTOP_PAGES


def make_engine(database_url: str, **kwargs: Any) -> Engine:
    """Build an engine for ``database_url``; create the SQLite file's folder if needed."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.get_backend_name() == "postgresql" and url.get_driver_name() in ("", "psycopg2"):
        url = url.set(drivername="postgresql+psycopg")
    engine = create_engine(url, **kwargs)
    if not kwargs.get("pool_pre_ping"):
        event.listen(engine, "checkin", _note_idle)
        event.listen(engine, "checkout", _ping_if_idle)
    return engine


# A pooled connection idle for longer than this is tested before use. Testing every one
# (SQLAlchemy's ``pool_pre_ping``) cost a round trip to the server on every look-up; a
# connection used a moment ago is as good as the test would find it.
IDLE_BEFORE_PING = 10.0


def _note_idle(_dbapi_connection: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """Test a connection that sat in the pool a while; a dead one is replaced (the pool
    retries the checkout with a new connection)."""
    since = record.info.get("idle_since")
    if since is None or time.monotonic() - since < IDLE_BEFORE_PING:
        return
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        dbapi_connection.rollback()  # end the transaction the test began
    except Exception as error:  # whatever the driver raises for a lost connection
        raise DisconnectionError("connection lost while idle in the pool") from error


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Checkpoints are the background thread's work (vigil.store.checkpoint); this is the backstop.
    cursor.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_PAGES}")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)
