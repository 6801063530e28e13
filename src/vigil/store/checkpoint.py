"""SQLite's write-ahead log copied back into the database file by a background thread.

In WAL mode the connection whose commit takes the log past ``wal_autocheckpoint`` pages (1,000
by default) copies the log into the database file and syncs it before its commit returns: one
look-up in a few hundred paid a millisecond or more for every look-up's audit entries before it.
A :class:`WalCheckpointer` does that work every fraction of a second on a connection of its
own, off the request path, and the connections' own threshold is raised to a backstop for when
it falls behind (or is not running, as in a short command-line run, where SQLite checkpoints
when the last connection closes).
"""

from __future__ import annotations

import logging
import sqlite3
import threading

from sqlalchemy import Engine

log = logging.getLogger(__name__)

# Pages of log a connection lets build up before checkpointing by itself (about 40 MiB).
BACKSTOP_PAGES = 10_000


class WalCheckpointer:
    """Runs ``PRAGMA wal_checkpoint(PASSIVE)`` every ``interval`` seconds for one SQLite file.

    A passive checkpoint never waits for readers or writers: it copies what it can. Start it
    with :meth:`start` and stop it with :meth:`stop` (it is a daemon thread either way).
    """

    def __init__(self, path: str, *, interval: float = 0.5) -> None:
        self.path = path
        self.interval = interval
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self.checkpoints = 0

    @classmethod
    def for_engine(cls, engine: Engine, *, interval: float = 0.5) -> WalCheckpointer | None:
        """A checkpointer for ``engine``'s database file, or ``None`` when it has none (not
        SQLite, or an in-memory database)."""
        url = engine.url
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            return None
        return cls(url.database, interval=interval)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="vigil-wal-checkpoint",
                                            daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def checkpoint(self, connection: sqlite3.Connection) -> None:
        busy, _log_pages, _copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if not busy:
            self.checkpoints += 1

    def _run(self) -> None:
        try:
            connection = sqlite3.connect(self.path, timeout=1, check_same_thread=False)
        except sqlite3.Error:
            log.warning("cannot open %s for checkpoints; SQLite will checkpoint by itself",
                        self.path, exc_info=True)
            return
        try:
            while not self._stopped.wait(self.interval):
                try:
                    self.checkpoint(connection)
                except sqlite3.Error:  # locked for a moment, or the file went away: try later
                    log.debug("checkpoint of %s skipped", self.path, exc_info=True)
        finally:
            connection.close()
