"""Tables for the details of a recorded call beyond the first slice: the counter that hands out
call references, and what the handler knew of a person who has no name (a suspect known by a
nickname or a description)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from vigil.store.models import Base


class ReferenceCounter(Base):
    """The last number handed out for one reference prefix (``VGL-2026-``).

    Incremented with ``UPDATE ... RETURNING`` inside the transaction that writes the incident:
    the row lock makes a second handler saving at the same moment wait for the first one's
    commit and take the next number, so two calls never get the same reference.
    """

    __tablename__ = "reference_counters"

    prefix: Mapped[str] = mapped_column(String(20), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class IncidentPersonDetail(Base):
    """What the handler was told about a person in an incident beyond their record: a
    nickname or a description (a suspect may be known only by these)."""

    __tablename__ = "incident_person_details"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_person_id: Mapped[int] = mapped_column(
        ForeignKey("incident_people.id", ondelete="CASCADE"), unique=True)
    nickname: Mapped[str] = mapped_column(String(100), default="")
    description: Mapped[str] = mapped_column(Text, default="")
