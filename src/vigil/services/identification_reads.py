"""The reads behind one identification, shaped for the hot path: the ASB history of every
matched record, their vulnerability markers and the history of the caller's address come back
from ONE statement, as plain rows (no ORM objects), restricted to what the user may see; what
is shown of the matched records comes from a second, sent with it (one round trip on
PostgreSQL). Both run on the driver's cursor (:class:`~vigil.store.together.Together`): the
history statement is built with SQLAlchemy once per shape and kept as its SQL text, and a list
of ids is one parameter whatever its length (an array on PostgreSQL, JSON text read by
``json_each`` on SQLite), so each shape is one statement text the server prepares once.

Rows carry ``part``: ``p`` an incident of a matched record (``record_id``, ``role``), ``a`` an
incident at the caller's address (``role`` is ``caller`` when someone called about it), ``m``
a vulnerability marker (``category`` holds its kind, ``location_text`` its note, ``occurred_at``
when it was recorded), ``l`` one row whose ``occurred_month`` is the latest month with any
incident (where the look-back windows end when the data stops earlier), ``h`` each source
(``source_name``) with the agency that keeps it (``location_text``; none for open data), for
saying where a flag comes from. Rows are :class:`HistoryRow`. Times and dates come as the
driver gives them: read them with :func:`instant` and :func:`month`. The counting is done by
the caller in Python: a person's history is a few rows, and an incident linked to two of one
person's records must count once.
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
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite
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
from vigil.store.together import Together, id_list

PEOPLE, ADDRESS, MARKER, LATEST, HOLDER = "p", "a", "m", "l", "h"


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
            Incident.occurred_at.label("occurred_at"),
            Incident.occurred_month.label("occurred_month"),
            Incident.category, Incident.detailed_type,
            Incident.location_text, Source.name.label("source_name"),
            RiskAssessment.level.label("risk_level"))


def _ids_in(column: Any, name: str, *, arrays: bool) -> ColumnElement[bool]:
    """``column IN (ids)``, the ids one parameter (:func:`~vigil.store.together.id_list`): on
    PostgreSQL ``= ANY(array)``, on SQLite ``IN (SELECT value FROM json_each(...))``."""
    if arrays:
        return column == any_(bindparam(name, type_=ARRAY(Integer)))
    listed = func.json_each(bindparam(name, type_=String)).table_valued("value")
    return column.in_(select(listed.c.value))


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
                                            IncidentPerson.role == literal_column("'caller'")))
            .where(_ids_in(Incident.address_id, "addresses", arrays=arrays),
                   incident_scope(actor)))


def _marker_part(*, arrays: bool) -> Any:
    # Markers hang off records the user may already see (the candidates were restricted).
    return (select(literal_column(f"'{MARKER}'").label("part"),
                   VulnerabilityMarker.person_record_id.label("record_id"), null(),
                   null(), null(), VulnerabilityMarker.recorded_at.label("recorded_at"),
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
                  func.max(Incident.occurred_month).label("occurred_month"),
                  null().label("category"), null().label("detailed_type"),
                  null().label("location_text"), null().label("source_name"),
                  null().label("risk_level"))


def _holder_part() -> Any:
    # A handful of rows (one per source): cheaper in this statement than in a statement of
    # its own when a flag is raised.
    return (select(literal_column(f"'{HOLDER}'").label("part"), null(), null(), null(),
                   null(), null(), null(), null(), null(), Agency.name, Source.name, null())
            .select_from(Source).outerjoin(Agency, Source.agency_id == Agency.id))


class HistoryRow(NamedTuple):
    """A row of the history statement (see the module's docstring for each part's columns)."""

    part: str
    record_id: int | None
    role: str | None
    incident_id: int | None
    reference: str | None
    occurred_at: Any
    occurred_month: Any
    category: str | None
    detailed_type: str | None
    location_text: str | None
    source_name: str | None
    risk_level: str | None


class ShownRecord(NamedTuple):
    """What a look-up shows of a matched person record, as its source spelled it."""

    id: int
    source_code: str
    source_name: str
    given_name: str | None
    family_name: str | None
    date_of_birth: str | None
    address_text: str | None
    postcode: str | None


_NAMED = {"postgresql": postgresql.psycopg.dialect(paramstyle="named"),
          "sqlite": sqlite.dialect(paramstyle="named")}
_statements: dict[tuple[bool, bool, bool, str], str] = {}


def _statement(actor: Actor, *, people: bool, address: bool, backend: str) -> str:
    """The union for this shape (and kind of user, and backend) as SQL text with ``:name``
    parameters, built once."""
    shape = (actor.is_police, people, address, backend)
    sql = _statements.get(shape)
    if sql is None:
        arrays = backend == "postgresql"
        parts: list[Select[Any]] = []
        if people:
            parts += [_people_part(actor, arrays=arrays), _marker_part(arrays=arrays)]
        if address:
            parts.append(_address_part(actor, arrays=arrays))
        statement = union_all(*parts, _latest_part(), _holder_part())
        sql = str(statement.compile(dialect=_NAMED[backend]))
        if backend == "sqlite":
            sql = _risk_level_from_index(sql, joins=people + address)
        _statements[shape] = sql
    return sql


# An incident's risk level from the index alone (migration 0012). SQLite, with no statistics,
# takes the unique index on the incident instead and then reads the assessment's row for the
# level, a random page for each incident; SQLAlchemy writes no SQLite index hints, so the hint
# goes into the statement's text.
_RISK_JOIN = "LEFT OUTER JOIN risk_assessments ON"
_RISK_JOIN_INDEXED = ("LEFT OUTER JOIN risk_assessments "
                      "INDEXED BY ix_risk_assessments_incident_level ON")


def _risk_level_from_index(sql: str, *, joins: int) -> str:
    if sql.count(_RISK_JOIN) != joins:
        raise AssertionError("the history statement's joins to risk_assessments changed")
    return sql.replace(_RISK_JOIN, _RISK_JOIN_INDEXED)


_SHOWN_SQL = ("SELECT r.id, s.code, s.name, r.given_name, r.family_name, r.date_of_birth, "
              "r.address_text, r.postcode FROM person_records r "
              "JOIN sources s ON s.id = r.source_id WHERE r.id {}")
SHOWN_SQL = {"postgresql": _SHOWN_SQL.format("= ANY(:ids)"),
             "sqlite": _SHOWN_SQL.format("IN (SELECT value FROM json_each(:ids))")}


def history_rows(session: Session, actor: Actor, *, record_ids: Sequence[int],
                 address_ids: Sequence[int]
                 ) -> tuple[list[HistoryRow], dict[int, ShownRecord]]:
    """Every incident of ``record_ids`` and at ``address_ids`` the actor may see, the
    markers of ``record_ids``, the latest month with data and the sources' holders; and what
    is shown of each of ``record_ids`` (records the actor may see: the caller checked). In one
    round trip."""
    backend = session.get_bind().dialect.name
    params: dict[str, Any] = {}
    if record_ids:
        params["records"] = params["marked"] = id_list(record_ids, backend=backend)
    if address_ids:
        params["addresses"] = id_list(address_ids, backend=backend)
    together = Together(session)
    history = together.add(_statement(actor, people=bool(record_ids),
                                      address=bool(address_ids), backend=backend), params)
    shown = (together.add(SHOWN_SQL[backend], {"ids": id_list(record_ids, backend=backend)})
             if record_ids else None)
    together.run()
    return ([HistoryRow._make(row) for row in history.rows],
            {row[0]: ShownRecord._make(row) for row in shown.rows} if shown else {})


# The stored addresses the caller gave: those with their UPRN or, when none has it, the
# addresses of their postcode with the caller's dwelling key, and any of the postcode written
# without a key (by SQL outside the app), which :func:`caller_addresses` reads. The key and the
# keyless are two branches, each a range of the index on (postcode, dwelling key): with
# ``key = :key OR key IS NULL`` in one, the server read every address of the postcode from
# the table. Plain SQL, to go in one round trip with the candidate statement
# (vigil.store.together).
_BY_POSTCODE = ("SELECT 0, id, flat, house, street, town, postcode, dwelling_key FROM addresses "
                "WHERE postcode = :postcode AND dwelling_key {} "
                "AND NOT EXISTS (SELECT 1 FROM addresses WHERE uprn = :uprn)")
CALLER_ADDRESS_SQL = (
    "SELECT 1, id, flat, house, street, town, postcode, dwelling_key FROM addresses "
    "WHERE uprn = :uprn UNION ALL "
    + _BY_POSTCODE.format("= :key") + " UNION ALL " + _BY_POSTCODE.format("IS NULL"))


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
