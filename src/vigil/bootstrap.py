"""Wiring: builds the engine, the session factory and units of work from settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from vigil.config import Settings, get_settings
from vigil.domain.access import Actor
from vigil.store.db import make_engine, make_session_factory
from vigil.store.uow import UnitOfWork


@dataclass
class Container:
    """Everything built once per process: pass it around instead of using globals."""

    settings: Settings = field(default_factory=get_settings)

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.database_url)

    @cached_property
    def session_factory(self) -> sessionmaker[Session]:
        return make_session_factory(self.engine)

    def uow(self, actor: Actor) -> UnitOfWork:
        """A new unit of work acting as ``actor``."""
        return UnitOfWork(self.session_factory, actor)

    def dispose(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()
