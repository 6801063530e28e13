"""The unit of work: one transaction, owned by the service that opens it."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from vigil.domain.access import Actor
from vigil.store.audit import AuditLog


class UnitOfWork:
    """Open with ``with uow:``; nothing is written until the service calls :meth:`commit`.

    Leaving the block without a commit rolls everything back, so a failure half way through a
    service writes nothing.
    """

    session: Session
    audit: AuditLog

    def __init__(self, session_factory: sessionmaker[Session], actor: Actor) -> None:
        self._session_factory = session_factory
        self.actor = actor

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        self.audit = AuditLog(self.session, self.actor)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def commit_read(self, *, action: str, object_type: str, object_id: object = None,
                    reason: str = "", detail: dict[str, Any] | None = None) -> None:
        """Write the audit entry of a read and commit: for a transaction whose only write is
        that entry (a look-up). On PostgreSQL the entry and the commit go to the server in one
        round trip, and the commit does not wait for the disk (see
        :meth:`~vigil.store.audit.AuditLog.record`)."""
        self.audit.record(action=action, object_type=object_type, object_id=object_id,
                          reason=reason, detail=detail, wait_for_disk=False, commit=True)
        self.session.commit()  # on PostgreSQL, committed already: the session learns of it

    def rollback(self) -> None:
        self.session.rollback()
