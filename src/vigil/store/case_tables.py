"""The tables of multi-agency cases. Every change here needs an Alembic migration.

A case belongs to one agency; it reaches other agencies only through ``case_shares`` rows that
have not been withdrawn. Withdrawing keeps the row (who, when, why), so sharing has a history.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vigil.store.models import Address, Agency, Base, Incident, Lsoa, PersonRecord, User
from vigil.store.types import UTCDateTime, utcnow


class Case(Base):
    """A long-term ASB problem managed by one agency, possibly shared with others."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    owning_agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    outcome: Mapped[str | None] = mapped_column(String(30))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owning_agency: Mapped[Agency] = relationship(lazy="joined")
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_user_id], lazy="joined")


class CaseStatusChange(Base):
    """One move of a case from one status to another: dated and attributed."""

    __tablename__ = "case_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str | None] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    by_name: Mapped[str] = mapped_column(String(200))


class CaseIncident(Base):
    """An incident linked to a case."""

    __tablename__ = "case_incidents"
    __table_args__ = (UniqueConstraint("case_id", "incident_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    linked_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    incident: Mapped[Incident] = relationship(lazy="joined")


class CaseParty(Base):
    """A victim, perpetrator or witness on a case: a person record or a named group."""

    __tablename__ = "case_parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    person_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("person_records.id"), index=True)
    group_name: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    record: Mapped[PersonRecord | None] = relationship(lazy="joined")


class CaseLocation(Base):
    """A place the case is about: an address, an LSOA, or both."""

    __tablename__ = "case_locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    address_id: Mapped[int | None] = mapped_column(ForeignKey("addresses.id"), index=True)
    lsoa_code: Mapped[str | None] = mapped_column(ForeignKey("lsoas.code"), index=True)
    description: Mapped[str] = mapped_column(String(300), default="")

    address: Mapped[Address | None] = relationship(lazy="joined")
    lsoa: Mapped[Lsoa | None] = relationship(lazy="joined")


class CaseAction(Base):
    """A task on a case's action plan, assigned to an agency (and perhaps one officer)."""

    __tablename__ = "case_actions"
    __table_args__ = (Index("ix_case_actions_open_due", "done_at", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    assigned_agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    assigned_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    assigned_agency: Mapped[Agency] = relationship(lazy="joined")
    assigned_user: Mapped[User | None] = relationship(foreign_keys=[assigned_user_id],
                                                      lazy="joined")


class CaseIntervention(Base):
    """A warning letter, contract, notice, order, mediation or referral on a case."""

    __tablename__ = "case_interventions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    started_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    party_ids: Mapped[list[int]] = mapped_column(JSON, default=list,
                                                 doc="the case parties it applies to")
    outcome: Mapped[str] = mapped_column(Text, default="")
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    agency: Mapped[Agency] = relationship(lazy="joined")


class CaseNote(Base):
    """A note on a case. ``police_only`` notes never reach a partner agency."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    police_only: Mapped[bool] = mapped_column(Boolean, default=False)
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_name: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agency: Mapped[Agency | None] = relationship(lazy="joined")


class CaseReview(Base):
    """A case review or multi-agency meeting: who came, what was decided, when next."""

    __tablename__ = "case_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    attendees: Mapped[str] = mapped_column(Text)
    agency_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    decisions: Mapped[str] = mapped_column(Text)
    next_review_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CaseShare(Base):
    """A case shared with another agency, with the lawful basis. Withdrawing keeps the row."""

    __tablename__ = "case_shares"
    __table_args__ = (Index("ix_case_shares_agency_live", "agency_id", "withdrawn_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    lawful_basis: Mapped[str] = mapped_column(Text)
    shared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    shared_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    shared_by_name: Mapped[str] = mapped_column(String(200))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_name: Mapped[str | None] = mapped_column(String(200))
    withdrawal_reason: Mapped[str] = mapped_column(Text, default="")

    agency: Mapped[Agency] = relationship(lazy="joined")


class CaseReviewThreshold(Base):
    """A local authority's ASB Case Review threshold; the default applies where none is set."""

    __tablename__ = "case_review_thresholds"

    local_authority_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    local_authority_name: Mapped[str] = mapped_column(String(200), default="")
    complaints: Mapped[int] = mapped_column(Integer)
    window_months: Mapped[int] = mapped_column(Integer)
    report_within_months: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(80), default="")


class CaseTriggerReview(Base):
    """An ASB Case Review (Community Trigger): the application, the review meeting and the
    outcome, about one victim on a case. ``complaints`` keeps the incident references that
    qualified when it was applied for."""

    __tablename__ = "case_trigger_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("case_parties.id", ondelete="CASCADE"))
    applied_on: Mapped[date] = mapped_column(Date)
    applicant_name: Mapped[str] = mapped_column(String(200))
    applicant_kind: Mapped[str] = mapped_column(String(20))
    threshold_met: Mapped[bool] = mapped_column(Boolean)
    threshold_text: Mapped[str] = mapped_column(String(300))
    complaints: Mapped[list[str]] = mapped_column(JSON, default=list)
    meeting_on: Mapped[date | None] = mapped_column(Date)
    meeting_attendees: Mapped[str] = mapped_column(Text, default="")
    meeting_agency_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision: Mapped[str | None] = mapped_column(String(30))
    recommendations: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    party: Mapped[CaseParty] = relationship(lazy="joined")


class UserNeighbourhood(Base):
    """A neighbourhood on an officer's beat."""

    __tablename__ = "user_neighbourhoods"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="CASCADE"), primary_key=True, index=True)


class CaseContact(Base):
    """A visit to, or other contact with, a victim: on a case, or against a person record or
    an incident. Seen by the recording agency, and on the case by those who see the case."""

    __tablename__ = "case_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                                index=True)
    person_record_id: Mapped[int | None] = mapped_column(ForeignKey("person_records.id"),
                                                         index=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    contacted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    summary: Mapped[str] = mapped_column(Text)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    by_name: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agency: Mapped[Agency | None] = relationship(lazy="joined")


class CaseDocument(Base):
    """A file uploaded to a case. Stored under a random name; fetched only through an
    access-checked route by its unguessable ``token``."""

    __tablename__ = "case_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(String(300), default="")
    police_only: Mapped[bool] = mapped_column(Boolean, default=False)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_by_name: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
