"""The unit of work: one transaction, owned by the service that opens it."""

from __future__ import annotations

from types import TracebackType

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

    def rollback(self) -> None:
        self.session.rollback()
