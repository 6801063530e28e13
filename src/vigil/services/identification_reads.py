"""The reads behind one identification, shaped for the hot path: the ASB history of every
matched record, their vulnerability markers and the history of the caller's address come back
from ONE statement, as plain rows (no ORM objects), restricted to what the user may see.

Rows carry ``part``: ``p`` an incident of a matched record (``record_id``, ``role``), ``a`` an
incident at the caller's address (``role`` is ``caller`` when someone called about it), ``m``
a vulnerability marker (``category`` holds its kind, ``location_text`` its note, ``occurred_at``
when it was recorded), ``l`` one row whose ``occurred_month`` is the latest month with any
incident (where the look-back windows end when the data stops earlier), ``h`` each source
(``source_name``) with the agency that keeps it (``location_text``; none for open data), for
saying where a flag comes from. Times and dates come as the driver gives them: read them with
:func:`instant` and :func:`month`. The counting is done by the caller in Python: a person's
history is a few rows, and an incident linked to two of one person's records must count once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    ARRAY,
    Integer,
    String,
    and_,
    any_,
    bindparam,
    func,
    literal_column,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement, Select

from vigil.domain.access import Actor
from vigil.identify.normalise.places import address_line, dwelling_key
from vigil.store.call_tables import RiskAssessment
from vigil.store.models import (
    Agency,
    Incident,
    IncidentPerson,
    PersonRecord,
    Source,
    VulnerabilityMarker,
)
from vigil.store.repositories import incident_scope

PEOPLE, ADDRESS, MARKER, LATEST, HOLDER = "p", "a", "m", "l", "h"


def _as_stored(column: Any, name: str) -> Any:
    """``column`` as the driver returns it (SQLite: ISO text; psycopg: a datetime or date),
    without SQLAlchemy's per-row conversion: read with :func:`instant` and :func:`month`. A
    look-up's history has up to a hundred rows, and converting their times row by row took
    longer than the statement."""
    return type_coerce(column, String).label(name)


def instant(value: Any) -> datetime | None:
    """A stored timestamp of these rows, in UTC without a zone."""
    if value is None:
        return None
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at


def month(value: Any) -> date | None:
    """A stored date of these rows."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _incident_columns() -> tuple[Any, ...]:
    return (Incident.id.label("incident_id"), Incident.reference,
            _as_stored(Incident.occurred_at, "occurred_at"),
            _as_stored(Incident.occurred_month, "occurred_month"),
            Incident.category, Incident.detailed_type,
            Incident.location_text, Source.name.label("source_name"),
            RiskAssessment.level.label("risk_level"))


def _ids_in(column: Any, name: str, *, arrays: bool) -> ColumnElement[bool]:
    """``column IN (ids)``. On PostgreSQL as ``= ANY(array)``: one statement text whatever the
    number of ids, so the server prepares it once (psycopg prepares a statement run often)."""
    if arrays:
        return column == any_(bindparam(name, type_=ARRAY(Integer)))
    return column.in_(bindparam(name, expanding=True))


def _people_part(actor: Actor, *, arrays: bool) -> Select[Any]:
    return (select(literal_column(f"'{PEOPLE}'").label("part"), IncidentPerson.person_record_id
                   .label("record_id"), IncidentPerson.role, *_incident_columns())
            .join(Incident, IncidentPerson.incident_id == Incident.id)
            .join(Source, Incident.source_id == Source.id)
            .outerjoin(RiskAssessment, RiskAssessment.incident_id == Incident.id)
            .where(_ids_in(IncidentPerson.person_record_id, "records", arrays=arrays),
                   incident_scope(actor)))


def _address_part(actor: Actor, *, arrays: bool) -> Select[Any]:
    return (select(literal_column(f"'{ADDRESS}'").label("part"), null().label("record_id"),
                   IncidentPerson.role, *_incident_columns())
            .select_from(Incident)
            .join(Source, Incident.source_id == Source.id)
            .outerjoin(RiskAssessment, RiskAssessment.incident_id == Incident.id)
            .outerjoin(IncidentPerson, and_(IncidentPerson.incident_id == Incident.id,
                                            IncidentPerson.role == "caller"))
            .where(_ids_in(Incident.address_id, "addresses", arrays=arrays),
                   incident_scope(actor)))


def _marker_part(*, arrays: bool) -> Any:
    # Markers hang off records the user may already see (the candidates were restricted).
    return (select(literal_column(f"'{MARKER}'").label("part"),
                   VulnerabilityMarker.person_record_id.label("record_id"), null(),
                   null(), null(), _as_stored(VulnerabilityMarker.recorded_at, "recorded_at"),
                   null(),
                   VulnerabilityMarker.kind, null(), VulnerabilityMarker.note, Source.name,
                   null())
            .join(PersonRecord, VulnerabilityMarker.person_record_id == PersonRecord.id)
            .join(Source, PersonRecord.source_id == Source.id)
            .where(_ids_in(VulnerabilityMarker.person_record_id, "marked", arrays=arrays)))


def _latest_part() -> Any:
    # Labelled like the other parts: it is the first part when nothing else is asked for.
    return select(literal_column(f"'{LATEST}'").label("part"), null().label("record_id"),
                  null().label("role"), null().label("incident_id"),
                  null().label("reference"), null().label("occurred_at"),
                  _as_stored(func.max(Incident.occurred_month), "occurred_month"),
                  null().label("category"), null().label("detailed_type"),
                  null().label("location_text"), null().label("source_name"),
                  null().label("risk_level"))


def _holder_part() -> Any:
    # A handful of rows (one per source): cheaper in this statement than in a statement of
    # its own when a flag is raised.
    return (select(literal_column(f"'{HOLDER}'").label("part"), null(), null(), null(),
                   null(), null(), null(), null(), null(), Agency.name, Source.name, null())
            .select_from(Source).outerjoin(Agency, Source.agency_id == Agency.id))


_statements: dict[tuple[bool, bool, bool, bool], Any] = {}


def _statement(actor: Actor, *, people: bool, address: bool, arrays: bool) -> Any:
    """The union for this shape, built once per shape (and kind of user, and backend) and
    reused, so SQLAlchemy's compiled cache answers every later call."""
    shape = (actor.is_police, people, address, arrays)
    statement = _statements.get(shape)
    if statement is None:
        parts: list[Select[Any]] = []
        if people:
            parts += [_people_part(actor, arrays=arrays), _marker_part(arrays=arrays)]
        if address:
            parts.append(_address_part(actor, arrays=arrays))
        statement = union_all(*parts, _latest_part(), _holder_part())
        _statements[shape] = statement
    return statement


def history_rows(session: Session, actor: Actor, *, record_ids: Sequence[int],
                 address_ids: Sequence[int]) -> list[Any]:
    """Every incident of ``record_ids`` and at ``address_ids`` the actor may see, the
    markers of ``record_ids``, the latest month with data and the sources' holders, in one
    round trip."""
    params: dict[str, Any] = {}
    if record_ids:
        params["records"] = params["marked"] = list(record_ids)
    if address_ids:
        params["addresses"] = list(address_ids)
    connection = session.connection()
    arrays = connection.dialect.name == "postgresql"
    return list(connection.execute(
        _statement(actor, people=bool(record_ids), address=bool(address_ids), arrays=arrays),
        params))


# The stored addresses the caller gave: those with their UPRN or, when none has it, the
# addresses of their postcode with the caller's dwelling key, and any of the postcode written
# without a key (by SQL outside the app), which :func:`caller_addresses` reads. Plain SQL, to
# go in one round trip with the candidate statement (vigil.store.together).
CALLER_ADDRESS_SQL = (
    "SELECT 1, id, flat, house, street, town, postcode, dwelling_key FROM addresses "
    "WHERE uprn = :uprn "
    "UNION ALL "
    "SELECT 0, id, flat, house, street, town, postcode, dwelling_key FROM addresses "
    "WHERE postcode = :postcode AND (dwelling_key = :key OR dwelling_key IS NULL) "
    "AND NOT EXISTS (SELECT 1 FROM addresses WHERE uprn = :uprn)")


class StoredAddress(NamedTuple):
    """A stored address: a row of :data:`CALLER_ADDRESS_SQL` (``by_uprn`` 1 when it was found
    by the caller's UPRN)."""

    by_uprn: int
    id: int
    flat: str | None
    house: str | None
    street: str | None
    town: str | None
    postcode: str | None
    dwelling_key: str | None


def caller_address_params(*, uprn: str | None, postcode: str | None,
                          addr_key: str | None) -> dict[str, Any] | None:
    """The parameters of :data:`CALLER_ADDRESS_SQL`, or ``None`` when the caller gave too
    little to name an address (no UPRN, and no postcode with a house and street)."""
    if not uprn and not (postcode and addr_key):
        return None
    return {"uprn": uprn, "postcode": postcode if addr_key else None, "key": addr_key}


def one_line(row: Any) -> str:
    """An address row on one line, as ``Address.one_line`` writes it."""
    return address_line(flat=row.flat, house=row.house, street=row.street, town=row.town,
                        postcode=row.postcode)


def caller_addresses(rows: Sequence[tuple[Any, ...]], addr_key: str | None
                     ) -> list[StoredAddress]:
    """The addresses the caller gave, from the rows of :data:`CALLER_ADDRESS_SQL`: those
    found by UPRN or by dwelling key, and those of the postcode without a key that read as the
    caller's address."""
    found = []
    for row in rows:
        address = StoredAddress(*row)
        if address.by_uprn or (address.dwelling_key is not None
                               and address.dwelling_key == addr_key):
            found.append(address)
        elif address.dwelling_key is None and addr_key is not None and dwelling_key(
                flat=address.flat, house=address.house, street=address.street,
                town=address.town, postcode=address.postcode) == addr_key:
            found.append(address)
    return found
