"""The append-only audit log. Each entry carries the hash of the one before it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from vigil.domain.access import Actor
from vigil.store.models import AuditEntry
from vigil.store.types import utcnow

GENESIS_HASH = "0" * 64
# The PostgreSQL advisory lock that makes writers of the chain take turns (any fixed number).
CHAIN_LOCK = 7_245_101


# Built once: every identification writes an entry, and building these cost a tenth of a
# millisecond a time.
_LAST_HASH = (select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)
              .with_for_update())
_INSERT = insert(AuditEntry)


def entry_digest(*, prev_hash: str, at: datetime, username: str, action: str,
                 object_type: str, object_id: str | None, reason: str,
                 detail: dict[str, Any]) -> str:
    """The hash that chains an entry to the one before; any later edit changes it."""
    payload = json.dumps(
        [prev_hash, at.isoformat(), username, action, object_type, object_id, reason, detail],
        sort_keys=True, default=str, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


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
               reason: str = "", detail: dict[str, Any] | None = None) -> RecordedEntry:
        """Add who did what to which object, and why, to the current transaction."""
        # Changes pending in the session are written first, as a flush always did here.
        self._session.flush()
        # Statements go straight to the connection: every identification writes one entry, and
        # the ORM's unit of work around a single insert cost more than the insert.
        connection = self._session.connection()
        if connection.dialect.name == "postgresql":
            # Writers take turns until they commit, and the last hash is read after the turn
            # comes (a new snapshot): a row lock on the last entry alone let two concurrent
            # writers both chain to it (and to nothing when the log was empty).
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
        last = connection.execute(_LAST_HASH).scalar_one_or_none()
        prev_hash = last or GENESIS_HASH
        at = utcnow()
        object_key = None if object_id is None else str(object_id)
        detail = detail or {}
        entry_hash = entry_digest(
            prev_hash=prev_hash, at=at, username=self._actor.username, action=action,
            object_type=object_type, object_id=object_key, reason=reason, detail=detail)
        written = connection.execute(_INSERT, {
            "at": at, "user_id": self._actor.user_id, "username": self._actor.username,
            "agency_id": self._actor.agency_id, "ip_address": self._actor.ip_address,
            "action": action, "object_type": object_type, "object_id": object_key,
            "reason": reason, "detail": detail, "prev_hash": prev_hash,
            "entry_hash": entry_hash})
        key = written.inserted_primary_key
        assert key is not None
        return RecordedEntry(id=key[0], at=at, prev_hash=prev_hash,
                             entry_hash=entry_hash)
