"""The tables. Every change here needs an Alembic migration (``make migration``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from vigil.identify.normalise.places import address_line, dwelling_key
from vigil.store.types import UTCDateTime, utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Agency(Base):
    """The force or a partner (council, housing provider)."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))


class User(Base):
    """Someone who signs in. One role within one agency."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    agency: Mapped[Agency] = relationship(lazy="joined")


class Source(Base):
    """A system Vigil checks on every call: its own log, crime records, a partner list."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    police_only: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(Text, default="")

    agency: Mapped[Agency | None] = relationship(lazy="joined")


class Neighbourhood(Base):
    """The area a neighbourhood team covers: a set of LSOAs (by default one MSOA)."""

    __tablename__ = "neighbourhoods"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    local_authority_code: Mapped[str] = mapped_column(String(20), index=True)
    local_authority_name: Mapped[str] = mapped_column(String(200))

    lsoas: Mapped[list[Lsoa]] = relationship(back_populates="neighbourhood")


class Lsoa(Base):
    """A 2011 Lower Layer Super Output Area: population-weighted centroid and population."""

    __tablename__ = "lsoas"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    msoa_code: Mapped[str | None] = mapped_column(String(12))
    msoa_name: Mapped[str | None] = mapped_column(String(200))
    local_authority_code: Mapped[str | None] = mapped_column(String(12))
    local_authority_name: Mapped[str | None] = mapped_column(String(200))
    police_force: Mapped[str | None] = mapped_column(String(80))
    population: Mapped[int | None] = mapped_column(Integer)
    households: Mapped[int | None] = mapped_column(Integer)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhoods.id"), index=True
    )

    neighbourhood: Mapped[Neighbourhood | None] = relationship(back_populates="lsoas")


class Address(Base):
    """A UK address, resolved to a point and an LSOA where known."""

    __tablename__ = "addresses"
    # A caller's address is one range of this index: its postcode and dwelling key.
    __table_args__ = (Index("ix_addresses_postcode_dwelling_key", "postcode", "dwelling_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    flat: Mapped[str | None] = mapped_column(String(40))
    house: Mapped[str | None] = mapped_column(String(100))
    street: Mapped[str] = mapped_column(String(200))
    town: Mapped[str] = mapped_column(String(100))
    postcode: Mapped[str | None] = mapped_column(String(10))
    uprn: Mapped[str | None] = mapped_column(String(12), unique=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    lsoa_code: Mapped[str | None] = mapped_column(ForeignKey("lsoas.code"), index=True)
    # ``flat|house|street`` as the identification engine reads the address (kept up to date on
    # every ORM write; ``vigil identify reindex`` rewrites it): a caller's address is found
    # among the postcode's by this alone, with no parsing at look-up.
    dwelling_key: Mapped[str | None] = mapped_column(String(360))

    def set_dwelling_key(self) -> None:
        self.dwelling_key = dwelling_key(flat=self.flat, house=self.house, street=self.street,
                                         town=self.town, postcode=self.postcode)

    @property
    def one_line(self) -> str:
        return address_line(flat=self.flat, house=self.house, street=self.street,
                            town=self.town, postcode=self.postcode)


@event.listens_for(Address, "before_insert")
@event.listens_for(Address, "before_update")
def _address_written(_mapper: Any, _connection: Any, address: Address) -> None:
    address.set_dwelling_key()


class Person(Base):
    """A resolved real individual; the identification engine links person records to one."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    records: Mapped[list[PersonRecord]] = relationship(back_populates="person")


class PersonRecord(Base):
    """One source's record of a person, as that source spelled it."""

    __tablename__ = "person_records"
    __table_args__ = (UniqueConstraint("source_id", "source_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    source_key: Mapped[str] = mapped_column(String(120))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    given_name: Mapped[str | None] = mapped_column(String(100))
    family_name: Mapped[str | None] = mapped_column(String(100), index=True)
    date_of_birth: Mapped[str | None] = mapped_column(
        String(10), doc="YYYY-MM-DD, or YYYY-MM / YYYY when only partly known"
    )
    email: Mapped[str | None] = mapped_column(String(200))
    address_text: Mapped[str | None] = mapped_column(String(300))
    postcode: Mapped[str | None] = mapped_column(String(12), index=True)
    uprn: Mapped[str | None] = mapped_column(String(12))
    address_id: Mapped[int | None] = mapped_column(ForeignKey("addresses.id"), index=True)
    police_only: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    source: Mapped[Source] = relationship(lazy="joined")
    person: Mapped[Person | None] = relationship(back_populates="records")
    phones: Mapped[list[PersonRecordPhone]] = relationship(
        back_populates="record", cascade="all, delete-orphan"
    )
    markers: Mapped[list[VulnerabilityMarker]] = relationship(
        back_populates="record", cascade="all, delete-orphan"
    )

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.family_name) if p) or "(no name)"


class PersonRecordPhone(Base):
    __tablename__ = "person_record_phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_record_id: Mapped[int] = mapped_column(
        ForeignKey("person_records.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str] = mapped_column(String(30), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="mobile")

    record: Mapped[PersonRecord] = relationship(back_populates="phones")


class VulnerabilityMarker(Base):
    """A vulnerability flag on a person record, with the source that recorded it."""

    __tablename__ = "vulnerability_markers"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_record_id: Mapped[int] = mapped_column(
        ForeignKey("person_records.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    record: Mapped[PersonRecord] = relationship(back_populates="markers")


class Incident(Base):
    """One ASB occurrence reported to an agency. Open data gives only its month and a point."""

    __tablename__ = "incidents"
    __table_args__ = (
        UniqueConstraint("source_id", "source_key"),
        Index("ix_incidents_month_lsoa", "occurred_month", "lsoa_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    source_key: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    occurred_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    occurred_month: Mapped[date] = mapped_column(Date, doc="first day of the month it happened")
    time_precision: Mapped[str] = mapped_column(String(10))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    location_text: Mapped[str] = mapped_column(String(300), default="")
    address_id: Mapped[int | None] = mapped_column(ForeignKey("addresses.id"), index=True)
    lsoa_code: Mapped[str | None] = mapped_column(ForeignKey("lsoas.code"))
    category: Mapped[str | None] = mapped_column(String(20))
    detailed_type: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20))
    police_only: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    source: Mapped[Source] = relationship(lazy="joined")
    lsoa: Mapped[Lsoa | None] = relationship()
    address: Mapped[Address | None] = relationship()
    people: Mapped[list[IncidentPerson]] = relationship(
        back_populates="incident", cascade="all, delete-orphan"
    )


class IncidentPerson(Base):
    """A person record's part in an incident: caller, victim, witness or suspect."""

    __tablename__ = "incident_people"
    __table_args__ = (
        UniqueConstraint("incident_id", "person_record_id", "role"),
        # A record's incidents with its part in each, from the index alone: a look-up's
        # history reads them for every matched record (see migration 0012).
        Index("ix_incident_people_record_incident_role", "person_record_id", "incident_id",
              "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    person_record_id: Mapped[int] = mapped_column(ForeignKey("person_records.id"))
    role: Mapped[str] = mapped_column(String(20))

    incident: Mapped[Incident] = relationship(back_populates="people")
    record: Mapped[PersonRecord] = relationship(lazy="joined")


class CrimeRecord(Base):
    """A crime from a connected crime-records source (data.police.uk gives month and point)."""

    __tablename__ = "crime_records"
    __table_args__ = (
        UniqueConstraint("source_id", "source_key"),
        Index("ix_crime_records_month_lsoa", "month", "lsoa_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    source_key: Mapped[str] = mapped_column(String(200))
    crime_id: Mapped[str | None] = mapped_column(String(80))
    month: Mapped[date] = mapped_column(Date)
    crime_type: Mapped[str] = mapped_column(String(80))
    last_outcome: Mapped[str | None] = mapped_column(String(200))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    location_text: Mapped[str] = mapped_column(String(300), default="")
    lsoa_code: Mapped[str | None] = mapped_column(ForeignKey("lsoas.code"))
    context: Mapped[str | None] = mapped_column(Text)


class ImportedFile(Base):
    """A file an importer has read, with what it added."""

    __tablename__ = "imported_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    file_name: Mapped[str] = mapped_column(String(300), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    data_rows: Mapped[int] = mapped_column(Integer)
    incidents_added: Mapped[int] = mapped_column(Integer)
    crimes_added: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(80))


class DemoTruth(Base):
    """Which demo person records belong to one real (synthetic) person.

    Kept apart so that tests can score the identification engine; the engine never reads it.
    """

    __tablename__ = "demo_truth"

    person_record_id: Mapped[int] = mapped_column(
        ForeignKey("person_records.id", ondelete="CASCADE"), primary_key=True
    )
    true_person_key: Mapped[str] = mapped_column(String(40), index=True)
    household_key: Mapped[str] = mapped_column(String(40), index=True)
    note: Mapped[str] = mapped_column(String(200), default="")


class AuditEntry(Base):
    """One append-only audit record. ``entry_hash`` chains each entry to the one before."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    username: Mapped[str] = mapped_column(String(80))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    ip_address: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(80), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)


class SiteFact(Base):
    """Facts about this install that pages show, e.g. which kind of demo data it holds."""

    __tablename__ = "site_facts"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
