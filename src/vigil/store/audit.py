"""The append-only audit log. Each entry carries the hash of the one before it."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigil.domain.access import Actor
from vigil.store.models import AuditEntry
from vigil.store.types import utcnow

GENESIS_HASH = "0" * 64


def entry_digest(*, prev_hash: str, at: datetime, username: str, action: str,
                 object_type: str, object_id: str | None, reason: str,
                 detail: dict[str, Any]) -> str:
    """The hash that chains an entry to the one before; any later edit changes it."""
    payload = json.dumps(
        [prev_hash, at.isoformat(), username, action, object_type, object_id, reason, detail],
        sort_keys=True, default=str, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


class AuditLog:
    """Writes audit entries inside the caller's transaction (never commits by itself)."""

    def __init__(self, session: Session, actor: Actor) -> None:
        self._session = session
        self._actor = actor

    def record(self, *, action: str, object_type: str, object_id: object = None,
               reason: str = "", detail: dict[str, Any] | None = None) -> AuditEntry:
        """Add who did what to which object, and why, to the current transaction."""
        # Taking the last hash under a row lock keeps the chain linear on PostgreSQL.
        last = self._session.execute(
            select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)
            .with_for_update()
        ).scalar_one_or_none()
        prev_hash = last or GENESIS_HASH
        at = utcnow()
        object_key = None if object_id is None else str(object_id)
        detail = detail or {}
        entry = AuditEntry(
            at=at, user_id=self._actor.user_id, username=self._actor.username,
            agency_id=self._actor.agency_id, ip_address=self._actor.ip_address, action=action,
            object_type=object_type, object_id=object_key, reason=reason, detail=detail,
            prev_hash=prev_hash,
            entry_hash=entry_digest(
                prev_hash=prev_hash, at=at, username=self._actor.username, action=action,
                object_type=object_type, object_id=object_key, reason=reason, detail=detail,
            ),
        )
        self._session.add(entry)
        self._session.flush()
        return entry
