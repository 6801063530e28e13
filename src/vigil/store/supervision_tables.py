"""Tables for the supervisor's view of calls: the alert a high-risk call raises for the
recording agency's supervisors, and the flags the identification engine gave each call (which
the inspectorate's "repeat or vulnerable caller identified" measure counts)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from vigil.store.models import Base
from vigil.store.types import UTCDateTime, utcnow


class SupervisorAlert(Base):
    """A high-risk call, shown to the supervisors of ``agency_id`` until one acknowledges it.
    Written in the same transaction as the call."""

    __tablename__ = "supervisor_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    level: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CallFlags(Base):
    """What the identification engine found about a call's caller (and victim) when it was
    recorded: repeat caller, repeat victim, repeat location, vulnerable."""

    __tablename__ = "call_flags"

    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True)
    repeat_caller: Mapped[bool] = mapped_column(Boolean, default=False)
    repeat_victim: Mapped[bool] = mapped_column(Boolean, default=False)
    repeat_location: Mapped[bool] = mapped_column(Boolean, default=False)
    vulnerable: Mapped[bool] = mapped_column(Boolean, default=False)
