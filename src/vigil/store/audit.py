"""The append-only audit log. Each entry carries the hash of the one before it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from vigil.domain.access import Actor
from vigil.store.models import AuditEntry
from vigil.store.types import utcnow

GENESIS_HASH = "0" * 64
# The PostgreSQL advisory lock that makes writers of the chain take turns (any fixed number).
CHAIN_LOCK = 7_245_101


# Every identification writes an entry: on SQLite these two run on the driver's cursor.
_SQLITE_LAST_HASH = "SELECT entry_hash FROM audit_log ORDER BY id DESC LIMIT 1"
_SQLITE_INSERT = (
    "INSERT INTO audit_log (at, user_id, username, agency_id, ip_address, action, object_type, "
    "object_id, reason, detail, prev_hash, entry_hash) VALUES (:at, :user_id, :username, "
    ":agency_id, :ip_address, :action, :object_type, :object_id, :reason, :detail, "
    ":prev_hash, :entry_hash)")
_BINDS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {}


def _sqlite_binds(dialect: Dialect) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """How the ``at`` and ``detail`` columns' types turn a value into what is stored."""
    found = _BINDS.get(dialect.name)
    if found is None:
        columns = AuditEntry.__table__.c
        at, detail = (columns.at.type.bind_processor(dialect),
                      columns.detail.type.bind_processor(dialect))
        assert at is not None and detail is not None
        found = _BINDS[dialect.name] = (at, detail)
    return found
# The same entry on PostgreSQL in one statement: the previous hash read and the new one
# computed by the database from the text ``entry_digest`` hashes.
_PG_INSERT = """
INSERT INTO audit_log (at, user_id, username, agency_id, ip_address, action, object_type,
                       object_id, reason, detail, prev_hash, entry_hash)
SELECT %(at)s, %(user_id)s, %(username)s, %(agency_id)s, %(ip_address)s, %(action)s,
       %(object_type)s, %(object_id)s, %(reason)s, %(detail)s::json, last.hash,
       encode(sha256(convert_to('["' || last.hash || '",' || %(tail)s, 'UTF8')), 'hex')
FROM (SELECT coalesce((SELECT entry_hash FROM audit_log ORDER BY id DESC LIMIT 1),
                      %(genesis)s) AS hash) AS last
RETURNING id, prev_hash, entry_hash
"""


def _payload_tail(*, at: datetime, username: str, action: str, object_type: str,
                  object_id: str | None, reason: str, detail: dict[str, Any]) -> str:
    """What the hashed text holds after the previous hash: ``"at","username",...]``."""
    return json.dumps([at.isoformat(), username, action, object_type, object_id, reason, detail],
                      sort_keys=True, default=str, separators=(",", ":"))[1:]


def entry_digest(*, prev_hash: str, at: datetime, username: str, action: str,
                 object_type: str, object_id: str | None, reason: str,
                 detail: dict[str, Any]) -> str:
    """The hash that chains an entry to the one before; any later edit changes it.

    The hashed text is the JSON array ``[prev_hash, at, username, action, object_type,
    object_id, reason, detail]`` (sorted keys, no spaces, ASCII): on PostgreSQL the database
    puts ``["<prev_hash>",`` in front of the same tail and hashes it itself."""
    tail = _payload_tail(at=at, username=username, action=action, object_type=object_type,
                         object_id=object_id, reason=reason, detail=detail)
    return hashlib.sha256(f'["{prev_hash}",{tail}'.encode()).hexdigest()


@dataclass(frozen=True)
class RecordedEntry:
    """An entry just written: its id and where it sits in the chain."""

    id: int
    at: datetime
    prev_hash: str
    entry_hash: str


class AuditLog:
    """Writes audit entries inside the caller's transaction (never commits by itself)."""

    def __init__(self, session: Session, actor: Actor) -> None:
        self._session = session
        self._actor = actor

    def record(self, *, action: str, object_type: str, object_id: object = None,
               reason: str = "", detail: dict[str, Any] | None = None,
               wait_for_disk: bool = True, commit: bool = False) -> RecordedEntry:
        """Add who did what to which object, and why, to the current transaction.

        ``commit`` (only for :meth:`~vigil.store.uow.UnitOfWork.commit_read`, which then lets
        the session know): on PostgreSQL, commit the transaction in the entry's round trip. On
        SQLite there is no round trip to save: the session's own commit does it.

        ``wait_for_disk=False``, for a transaction that writes nothing but this entry (a
        look-up): on PostgreSQL its commit returns before the server's log reaches the disk,
        as every commit on SQLite in WAL mode with ``synchronous=NORMAL`` does. Waiting for the
        disk was a third of a look-up's time there. A crash of the database server within a
        fraction of a second of the commit can lose the entry; it cannot break the chain, as
        the log is replayed in order, and the next entry that waits flushes this one first.
        """
        # Changes pending in the session are written first, as a flush always did here.
        self._session.flush()
        # Statements go straight to the connection: every identification writes one entry, and
        # the ORM's unit of work around a single insert cost more than the insert.
        connection = self._session.connection()
        at = utcnow()
        object_key = None if object_id is None else str(object_id)
        detail = detail or {}
        if connection.dialect.name == "postgresql":
            return self._record_on_postgresql(connection, at=at, action=action,
                                              object_type=object_type, object_key=object_key,
                                              reason=reason, detail=detail,
                                              wait_for_disk=wait_for_disk, commit=commit)
        # On the driver's cursor, the values converted by the columns' own types (so they are
        # stored exactly as through the ORM): SQLAlchemy's handling of the two statements cost
        # more than running them.
        at_value, detail_value = _sqlite_binds(connection.dialect)
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            last = cursor.execute(_SQLITE_LAST_HASH).fetchone()
            prev_hash = last[0] if last else GENESIS_HASH
            entry_hash = entry_digest(
                prev_hash=prev_hash, at=at, username=self._actor.username, action=action,
                object_type=object_type, object_id=object_key, reason=reason, detail=detail)
            cursor.execute(_SQLITE_INSERT, {
                "at": at_value(at), "user_id": self._actor.user_id,
                "username": self._actor.username, "agency_id": self._actor.agency_id,
                "ip_address": self._actor.ip_address, "action": action,
                "object_type": object_type, "object_id": object_key, "reason": reason,
                "detail": detail_value(detail), "prev_hash": prev_hash,
                "entry_hash": entry_hash})
            key = cursor.lastrowid
        finally:
            cursor.close()
        assert key is not None
        return RecordedEntry(id=key, at=at, prev_hash=prev_hash, entry_hash=entry_hash)

    def _record_on_postgresql(self, connection: Connection, *, at: datetime, action: str,
                              object_type: str, object_key: str | None, reason: str,
                              detail: dict[str, Any], wait_for_disk: bool,
                              commit: bool) -> RecordedEntry:
        """Writers take turns until they commit (an advisory lock), and the last hash is read
        after the turn comes, by a later statement with a new snapshot: a row lock on the last
        entry alone let two concurrent writers both chain to it. The lock and the insert,
        which reads the last hash and hashes the entry in the database, go in one pipeline,
        with the commit when asked: one round trip to the server instead of three (four with
        ``commit``)."""
        tail = _payload_tail(at=at, username=self._actor.username, action=action,
                             object_type=object_type, object_id=object_key, reason=reason,
                             detail=detail)
        raw = connection.connection.driver_connection
        assert raw is not None
        with raw.pipeline():
            if wait_for_disk:
                raw.execute("SELECT pg_advisory_xact_lock(%s)", (CHAIN_LOCK,))
            else:  # as SET LOCAL, in the lock's statement
                raw.execute("SELECT set_config('synchronous_commit', 'off', true), "
                            "pg_advisory_xact_lock(%s)", (CHAIN_LOCK,))
            row = raw.execute(_PG_INSERT, {
                "at": at, "user_id": self._actor.user_id, "username": self._actor.username,
                "agency_id": self._actor.agency_id, "ip_address": self._actor.ip_address,
                "action": action, "object_type": object_type, "object_id": object_key,
                "reason": reason, "detail": json.dumps(detail, default=str),
                "genesis": GENESIS_HASH, "tail": tail})
            if commit:
                # Queued behind the insert as a statement, so the pipeline's own sync on
                # leaving it is the only one: ``raw.commit()`` syncs by itself, and leaving
                # the pipeline then cost a second round trip with nothing in it. Should the
                # insert fail, the server skips the rest up to the sync and the error is
                # raised on leaving; the transaction is rolled back as any failed one.
                raw.execute("COMMIT")
        row = row.fetchone()
        assert row is not None
        return RecordedEntry(id=row[0], at=at, prev_hash=row[1], entry_hash=row[2])
