"""Wiring: builds the engine, the session factory and units of work from settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from vigil.config import Settings, get_settings
from vigil.domain.access import Actor
from vigil.store.checkpoint import WalCheckpointer
from vigil.store.db import make_engine, make_session_factory
from vigil.store.uow import UnitOfWork


@dataclass
class Container:
    """Everything built once per process: pass it around instead of using globals."""

    settings: Settings = field(default_factory=get_settings)
    _checkpointer: WalCheckpointer | None = field(default=None, init=False, repr=False)

    @cached_property
    def engine(self) -> Engine:
        engine = make_engine(self.settings.database_url)
        checkpointer = WalCheckpointer.for_engine(engine)
        if checkpointer is not None:  # SQLite: the log is copied back off the request path
            checkpointer.start()
            self._checkpointer = checkpointer
        return engine

    @cached_property
    def session_factory(self) -> sessionmaker[Session]:
        return make_session_factory(self.engine)

    def uow(self, actor: Actor) -> UnitOfWork:
        """A new unit of work acting as ``actor``."""
        return UnitOfWork(self.session_factory, actor)

    def dispose(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None
        if "engine" in self.__dict__:
            self.engine.dispose()
