"""SQLite's write-ahead log is copied back into the database file by a background thread, so
no look-up's commit pays for it. (These tests make their own SQLite files, whatever database
the suite runs on.)"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from sqlalchemy import text

from vigil.bootstrap import Container
from vigil.config import Settings
from vigil.store.checkpoint import BACKSTOP_PAGES, WalCheckpointer
from vigil.store.db import make_engine


def test_the_checkpointer_copies_the_log_back_without_any_commit_doing_it(
        tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    with engine.begin() as connection:
        assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == BACKSTOP_PAGES
        connection.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    for _ in range(50):
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO notes (body) VALUES (:b)"), {"b": "x" * 3000})
    database = tmp_path / "wal.db"
    # The rows are still only in the log: no commit took it past its backstop.
    assert database.stat().st_size < 50 * 3000
    checkpointer = WalCheckpointer.for_engine(engine, interval=0.05)
    assert checkpointer is not None
    checkpointer.start()
    try:
        deadline = time.monotonic() + 5
        while checkpointer.checkpoints == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        checkpointer.stop()
    assert checkpointer.checkpoints > 0
    # The rows are now in the database file itself, copied there by the thread alone.
    assert database.stat().st_size >= 50 * 3000
    with sqlite3.connect(database) as raw:
        assert raw.execute("SELECT count(*) FROM notes").fetchone() == (50,)
    engine.dispose()


def test_no_checkpointer_for_a_database_without_a_file() -> None:
    assert WalCheckpointer.for_engine(make_engine("sqlite://")) is None
    assert WalCheckpointer.for_engine(
        make_engine("postgresql+psycopg://postgres@127.0.0.1:5432/test")) is None


def test_the_container_runs_one_for_its_sqlite_file_and_stops_it(tmp_path: Path) -> None:
    container = Container(settings=Settings(database_url=f"sqlite:///{tmp_path / 'c.db'}",
                                            environment="test"))
    before = set(threading.enumerate())
    container.engine  # noqa: B018 - building the engine starts the thread
    started = [t for t in set(threading.enumerate()) - before
               if t.name == "vigil-wal-checkpoint"]
    assert len(started) == 1
    container.dispose()
    assert not started[0].is_alive()
