"""Tables for recorded calls: risk questionnaire versions, risk assessments and the response
tasks each level requires."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from vigil.store.models import Base
from vigil.store.types import UTCDateTime, utcnow


class RiskQuestionnaireVersion(Base):
    """One published version of the risk questionnaire, kept as data; never changed."""

    __tablename__ = "risk_questionnaires"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by: Mapped[str] = mapped_column(String(80), default="system")


class RiskAssessment(Base):
    """The answers a caller gave, their score and level, the raise, and THRIVE."""

    __tablename__ = "risk_assessments"
    # An incident's risk level from the index alone: a look-up's history reads it for every
    # incident of the matched records (see migration 0012).
    __table_args__ = (Index("ix_risk_assessments_incident_level", "incident_id", "level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), unique=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("risk_questionnaires.id"))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    score: Mapped[int] = mapped_column(Integer)
    score_level: Mapped[str] = mapped_column(String(10))
    level: Mapped[str] = mapped_column(String(10), index=True)
    raised_by: Mapped[str] = mapped_column(Text, default="")
    thrive: Mapped[dict[str, Any]] = mapped_column(JSON)
    assessed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    assessed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CallTask(Base):
    """The response a call's risk level requires, with its due time."""

    __tablename__ = "call_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    assigned_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
