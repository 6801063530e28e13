"""Tables of the identification engine: blocking keys, each record's normalised features, and
handlers' answers about pairs. Keys and features are written in the same transaction as the
person record they describe (``vigil.identify.index``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from vigil.store.models import Base
from vigil.store.types import UTCDateTime, utcnow


class BlockingKey(Base):
    """One blocking key of a person record: records sharing a key are compared on lookup."""

    __tablename__ = "identify_blocking_keys"
    __table_args__ = (
        Index("ix_identify_blocking_keys_key_record", "key", "person_record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_record_id: Mapped[int] = mapped_column(
        ForeignKey("person_records.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(160))


class CommonKey(Base):
    """A blocking key shared by more records than its stop limit
    (:func:`vigil.identify.blocking.stop_limit`), so a look-up skips it without reading its
    records. ``records``: how many share it, counted up to one past its limit; a look-up skips
    the key when that is over the limit it uses. Kept up to date with the keys, in the same
    transaction, by :mod:`vigil.identify.index`. A common key missing from here (after two
    writers added records to it at once, say) is read and dropped at look-up, as every common
    key was before this table existed: the same records are found either way."""

    __tablename__ = "identify_common_keys"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    records: Mapped[int] = mapped_column(Integer)


class RecordFeatures(Base):
    """A person record's normalised, derived fields, so a lookup scores without re-reading."""

    __tablename__ = "identify_record_features"

    person_record_id: Mapped[int] = mapped_column(
        ForeignKey("person_records.id", ondelete="CASCADE"), primary_key=True)
    features: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)


class MatchFeedback(Base):
    """A handler's answer about a possible match: ``same`` person or ``different`` people.

    ``subject`` is who was being identified: ``record:<id>`` for a stored person record, or
    ``details:<digest>`` for a caller's details not yet saved (the digest of their normalised
    details). The latest answer for a pair stands.
    """

    __tablename__ = "identify_match_feedback"
    __table_args__ = (UniqueConstraint("subject", "person_record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(80), index=True)
    person_record_id: Mapped[int] = mapped_column(
        ForeignKey("person_records.id", ondelete="CASCADE"), index=True)
    verdict: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
