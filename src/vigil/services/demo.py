"""Seed a believable force for the demo, and for tests that score the identification engine.

Every synthetic person's records are written with the truth beside them (``demo_truth``); the
engine never reads it.
"""

from __future__ import annotations

import gc
import random
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, exists, func, insert, select
from sqlalchemy.orm import Session

from vigil.demo.area import AsbPoint, Zone, build_synthetic_area
from vigil.demo.assessments import add_demo_assessments
from vigil.demo.cases import add_demo_cases
from vigil.demo.plan import DemoPlan, plan_demo
from vigil.demo.real_area import CITY_TOWN, LsoaPlace, asb_points, zones_from_places
from vigil.demo.records import PlannedRecord
from vigil.domain.access import Permission, PermissionDenied, Role
from vigil.domain.incidents import TimePrecision
from vigil.identify.bulk_index import index_new_records
from vigil.identify.features import PersonDetails
from vigil.identify.index import refresh_common_keys
from vigil.identify.normalise.places import dwelling_key
from vigil.services.reference import FORCE_CODE, VIGIL_LOG, ensure_reference_data
from vigil.services.users import hash_password
from vigil.store.bulk import BulkWriter, bulk_load, settle
from vigil.store.identify_tables import BlockingKey, RecordFeatures
from vigil.store.models import (
    Address,
    Agency,
    DemoTruth,
    Incident,
    IncidentPerson,
    Lsoa,
    Neighbourhood,
    PersonRecord,
    PersonRecordPhone,
    SiteFact,
    Source,
    User,
    VulnerabilityMarker,
)
from vigil.store.types import utcnow
from vigil.store.uow import UnitOfWork

DEMO_PASSWORD = "vigil-demo-password"
SITE_FACT_KEY = "demo"
SYNTHETIC_FORCE = "Northbridgeshire (synthetic demo area)"

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    agency_code: str
    role: Role


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("handler", "Sam Okafor", FORCE_CODE, Role.CALL_HANDLER),
    DemoUser("officer", "PC Rachel Dunmore", FORCE_CODE, Role.NEIGHBOURHOOD_OFFICER),
    DemoUser("analyst", "Priya Chauhan", FORCE_CODE, Role.ANALYST),
    DemoUser("supervisor", "Inspector Gareth Pryce", FORCE_CODE, Role.SUPERVISOR),
    DemoUser("admin", "Helen Marsh", FORCE_CODE, Role.ADMINISTRATOR),
    DemoUser("city.asb", "Daniel Whitmore", "city-council", Role.PARTNER_ASB_OFFICER),
    DemoUser("city.supervisor", "Ayesha Mirza", "city-council", Role.SUPERVISOR),
    DemoUser("city.admin", "Colin Ashby", "city-council", Role.ADMINISTRATOR),
    DemoUser("district.asb", "Joanne Tilley", "district-council", Role.PARTNER_ASB_OFFICER),
    DemoUser("housing.asb", "Marcus Bell", "housing", Role.PARTNER_ASB_OFFICER),
)


@dataclass(frozen=True)
class DemoSummary:
    """What seeding wrote."""

    kind: str
    seed: int
    people: int
    households: int
    addresses: int
    incidents: int
    person_records: int
    partner_records: int
    users: int
    lsoas: int
    neighbourhoods: int


class DemoAlreadySeeded(Exception):
    """The database already holds Vigil log incidents; seeding would mix demo and real data."""


def is_seeded(session: Session) -> bool:
    """Whether any incident is in Vigil's own incident log."""
    return bool(session.scalar(select(exists().where(
        Incident.source_id == Source.id, Source.code == VIGIL_LOG))))


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role label, agency name) for every demo user; all share :data:`DEMO_PASSWORD`."""
    from vigil.services.reference import DEMO_AGENCIES

    agencies = {a.code: a.name for a in DEMO_AGENCIES}
    return [(u.username, u.role.label, agencies[u.agency_code]) for u in DEMO_USERS]


def open_data_present(open_data_dir: Path) -> bool:
    """Whether the real data.police.uk street files are in ``open_data_dir``."""
    return any((open_data_dir / "police-uk").glob("*-street.csv"))


def seed_demo(uow: UnitOfWork, *, seed: int = 2026, people: int = 1500, open_data_dir: Path,
              force_name: str, progress: Progress | None = None,
              today: date | None = None) -> DemoSummary:
    """Write the demo force in one transaction: users, geography, calls, people, truth.

    Uses the real open data in ``open_data_dir`` when present, or else a synthetic county. The
    calls keep the real places and month-by-month pattern but are moved forward by whole years
    (see :func:`years_to_bring_forward`) so that the latest fall in the last complete month
    before ``today``: a demo must look live to a call handler whose look-back windows end now.
    Refuses (:class:`DemoAlreadySeeded`) if the Vigil log already holds incidents; then nothing
    is written. The same ``seed`` on the same ``today`` always gives the same data. On
    PostgreSQL the big tables are vacuumed and analysed after the commit (``settle``).
    """
    if not uow.actor.can(Permission.MANAGE_USERS):
        raise PermissionDenied("only an administrator can seed the demo")
    report = progress or (lambda stage, done, total: None)
    with uow:
        session = uow.session
        if is_seeded(session):
            raise DemoAlreadySeeded(
                "the database already holds incidents in the Vigil log; the demo is seeded "
                "only into an empty database")
        sources = ensure_reference_data(session)
        users = _add_users(session)
        if open_data_present(open_data_dir):
            kind = "real"
            zones, points, months = _real_places(session, seed=seed, open_data_dir=open_data_dir,
                                                 force_name=force_name, progress=report)
            city_town = CITY_TOWN
        else:
            kind = "synthetic"
            zones, points, months = _synthetic_places(session, seed=seed, people=people)
            city_town = "Northbridge"
        years = years_to_bring_forward(last_month=max(months), today=today or utcnow().date())
        points = [replace(p, month=_years_later(p.month, years)) for p in points]
        months = [_years_later(m, years) for m in months]
        with _collector_paused():
            plan = plan_demo(seed=seed, people=people, zones=zones, points=points,
                             months=months, kind=kind, city_town=city_town, progress=report)
            source_ids = {code: source.id for code, source in sources.items()}
            _write(session, plan, source_ids=source_ids, progress=report)
            report("Finding common blocking keys", 0, 1)
            refresh_common_keys(session)
            report("Finding common blocking keys", 1, 1)
        planned = {"people": len(plan.population.people),
                   "households": len(plan.population.households),
                   "addresses": len(plan.population.addresses),
                   "person_records": len(plan.records),
                   "partner_records": sum(1 for r in plan.records if r.source != VIGIL_LOG)}
        del plan, points  # at a million people, gigabytes that what follows can use
        report("Cases and assessments", 0, 1)
        add_demo_cases(session, seed=seed)
        add_demo_assessments(session, seed=seed, today=today or utcnow().date())
        report("Cases and assessments", 1, 1)
        summary = DemoSummary(
            kind=kind, seed=seed, **planned,
            incidents=_count(session, Incident.id),  # the calls and the cases' later complaints
            users=users, lsoas=_count(session, Lsoa.code),
            neighbourhoods=_count(session, Neighbourhood.id))
        facts: dict[str, Any] = {"kind": kind, "seed": seed, "people": summary.people,
                                 "incidents": summary.incidents,
                                 "years_moved_forward": years,
                                 "first_month": min(months).isoformat(),
                                 "last_month": max(months).isoformat(),
                                 "seeded_at": utcnow().isoformat(timespec="seconds")}
        session.execute(delete(SiteFact).where(SiteFact.key == SITE_FACT_KEY))
        session.add(SiteFact(key=SITE_FACT_KEY, value=facts))
        uow.audit.record(action="seed", object_type="demo", detail=asdict(summary))
        uow.commit()
        bind = session.get_bind()
    # Outside the transaction: PostgreSQL vacuums only in a transaction of its own.
    assert isinstance(bind, Engine)
    settle(bind, [m.__table__ for m in _BULK_TABLES],  # type: ignore[misc]
           progress=lambda done, total: report("Vacuuming tables", done, total))
    return summary


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while the plan is built and written: it would walk
    the millions of long-lived plan objects again and again (they are freed by reference
    counting all the same)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def years_to_bring_forward(*, last_month: date, today: date) -> int:
    """Whole years (so the seasons stay where they were) that move ``last_month`` as close as
    possible to, but not past, the last complete month before ``today``."""
    last_complete = today.year * 12 + today.month - 2
    latest = last_month.year * 12 + last_month.month - 1
    return max(0, (last_complete - latest) // 12)


def _years_later(month: date, years: int) -> date:
    return month.replace(year=month.year + years)


def _add_users(session: Session) -> int:
    agency_ids = {code: id_ for code, id_ in session.execute(select(Agency.code, Agency.id))}
    taken = set(session.scalars(select(User.username)))
    wanted = [u for u in DEMO_USERS if u.username not in taken]
    if not wanted:
        return 0
    password_hash = hash_password(DEMO_PASSWORD)  # once: argon2 is slow on purpose
    session.execute(insert(User), [
        {"username": u.username, "full_name": u.full_name, "password_hash": password_hash,
         "agency_id": agency_ids[u.agency_code], "role": u.role.value, "is_active": True,
         "created_at": utcnow()}
        for u in wanted
    ])
    return len(wanted)


def _count(session: Session, column: Any) -> int:
    return session.scalar(select(func.count(column))) or 0


def _real_places(session: Session, *, seed: int, open_data_dir: Path, force_name: str,
                 progress: Progress) -> tuple[list[Zone], list[AsbPoint], list[date]]:
    from vigil.sources.geography import load_geography
    from vigil.sources.police_uk import read_street_file

    files = sorted((open_data_dir / "police-uk").glob("*-street.csv"))
    points: list[AsbPoint] = []
    for done, path in enumerate(files, start=1):
        points.extend(asb_points(read_street_file(path)))
        progress("Reading open data", done, len(files))
    codes = sorted({p.lsoa_code for p in points})
    geography = load_geography(session, open_data_dir=open_data_dir, force_name=force_name,
                               extra_lsoa_codes=codes)
    _add_bare_lsoas(session, geography.lsoas_without_geography, points)
    rows = session.execute(
        select(Lsoa.code, Lsoa.name, Lsoa.latitude, Lsoa.longitude, Lsoa.population,
               Lsoa.local_authority_name).where(Lsoa.code.in_(codes))
    ).all()
    places = [LsoaPlace(code=r.code, name=r.name, latitude=r.latitude, longitude=r.longitude,
                        population=r.population, local_authority_name=r.local_authority_name)
              for r in rows if r.latitude is not None and r.longitude is not None]
    zones = zones_from_places(random.Random(f"{seed}-zones"), places, points)
    return zones, points, sorted({p.month for p in points})


def _add_bare_lsoas(session: Session, codes: Sequence[str], points: Sequence[AsbPoint]) -> None:
    """LSOAs the ONS files do not know: placed at the mean of their ASB points."""
    if not codes:
        return
    wanted = set(codes)
    sums: dict[str, list[float]] = {}
    for p in points:
        if p.lsoa_code in wanted:
            acc = sums.setdefault(p.lsoa_code, [0.0, 0.0, 0.0])
            acc[0] += p.latitude
            acc[1] += p.longitude
            acc[2] += 1
    session.execute(insert(Lsoa), [
        {"code": code, "name": code, "latitude": round(s[0] / s[2], 6),
         "longitude": round(s[1] / s[2], 6)}
        for code, s in sorted(sums.items())
    ])


def _synthetic_places(session: Session, *, seed: int, people: int
                      ) -> tuple[list[Zone], list[AsbPoint], list[date]]:
    area = build_synthetic_area(random.Random(f"{seed}-area"), points=max(3000, people * 8))
    msoas = {(lsoa.msoa_code, lsoa.msoa_name, lsoa.local_authority_code,
              lsoa.local_authority_name) for lsoa in area.lsoas}
    ordered = sorted(msoas)
    ids = session.scalars(
        insert(Neighbourhood).returning(Neighbourhood.id, sort_by_parameter_order=True),
        [{"code": code, "name": name, "local_authority_code": la_code,
          "local_authority_name": la_name} for code, name, la_code, la_name in ordered],
    ).all()
    neighbourhood_ids = {msoa[0]: id_ for msoa, id_ in zip(ordered, ids, strict=True)}
    session.execute(insert(Lsoa), [
        {"code": lsoa.code, "name": lsoa.name, "msoa_code": lsoa.msoa_code,
         "msoa_name": lsoa.msoa_name, "local_authority_code": lsoa.local_authority_code,
         "local_authority_name": lsoa.local_authority_name, "police_force": SYNTHETIC_FORCE,
         "population": lsoa.population, "households": lsoa.households,
         "latitude": lsoa.latitude, "longitude": lsoa.longitude,
         "neighbourhood_id": neighbourhood_ids[lsoa.msoa_code]}
        for lsoa in area.lsoas
    ])
    return list(area.zones), list(area.points), list(area.months)


# The big tables, written with their secondary indexes built once at the end.
_BULK_TABLES = (Address, Incident, PersonRecord, PersonRecordPhone, VulnerabilityMarker,
                IncidentPerson, DemoTruth, BlockingKey, RecordFeatures)


def _write(session: Session, plan: DemoPlan, *, source_ids: dict[str, int],
           progress: Progress) -> None:
    """Write the plan's addresses, calls, person records and the blocking index.

    A million people are about 3.4 million person records and 40 million blocking keys, so rows
    go in through :class:`~vigil.store.bulk.BulkWriter` with ids reserved beforehand (no
    insert-returning), built from the plan as they are written rather than all at once.
    """
    writer = BulkWriter(session)
    force_id = session.scalar(select(Agency.id).where(Agency.code == FORCE_CODE))
    addresses = plan.population.addresses
    incidents = plan.incidents
    records = plan.records

    def stage(name: str, total: int) -> Callable[[int], None]:
        progress(name, 0, total)
        return lambda done: progress(name, done, total)

    with bulk_load(session, [m.__table__ for m in _BULK_TABLES]):  # type: ignore[misc]
        ids = writer.insert(
            Address.__table__,  # type: ignore[arg-type]
            ("flat", "house", "street", "town", "postcode", "uprn", "latitude", "longitude",
             "lsoa_code", "dwelling_key"),
            ((a.flat, a.house, a.street, a.town, a.postcode, a.uprn, a.latitude, a.longitude,
              a.lsoa_code, dwelling_key(flat=a.flat, house=a.house, street=a.street,
                                        town=a.town, postcode=a.postcode))
             for a in addresses),
            with_ids=True, progress=stage("Writing addresses", len(addresses)))
        address_ids = {a.key: id_ for a, id_ in zip(addresses, ids, strict=True)}
        log = source_ids[VIGIL_LOG]
        exact = TimePrecision.EXACT.value
        incident_ids = writer.insert(
            Incident.__table__,  # type: ignore[arg-type]
            ("reference", "source_id", "source_key", "agency_id", "occurred_at",
             "occurred_month", "time_precision", "latitude", "longitude", "location_text",
             "address_id", "lsoa_code", "category", "detailed_type", "description", "status",
             "police_only", "recorded_at"),
            ((i.reference, log, i.reference, force_id, i.occurred_at, i.point.month, exact,
              i.point.latitude, i.point.longitude, i.point.location,
              address_ids[i.address_key] if i.address_key else None, i.point.lsoa_code,
              i.category.value, i.detailed_type.value, i.description, i.status.value, False,
              i.occurred_at + timedelta(minutes=5)) for i in incidents),
            with_ids=True, progress=stage("Writing calls", len(incidents)))
        record_ids = writer.insert(
            PersonRecord.__table__,  # type: ignore[arg-type]
            ("source_id", "source_key", "person_id", "given_name", "family_name",
             "date_of_birth", "email", "address_text", "postcode", "uprn", "address_id",
             "police_only", "created_at"),
            ((source_ids[r.source], r.source_key, None, r.given_name, r.family_name,
              r.date_of_birth, r.email, r.address_text, r.postcode, r.uprn,
              address_ids[r.address_key] if r.address_key else None, r.police_only,
              r.created_at) for r in records),
            with_ids=True, progress=stage("Writing people", len(records)))
        del address_ids
        writer.insert(
            PersonRecordPhone.__table__,  # type: ignore[arg-type]
            ("person_record_id", "number", "kind"),
            ((record_ids[n], number, kind)
             for n, r in enumerate(records) for number, kind in r.phones))
        writer.insert(
            VulnerabilityMarker.__table__,  # type: ignore[arg-type]
            ("person_record_id", "kind", "note", "recorded_at"),
            ((record_ids[n], kind, note, r.created_at)
             for n, r in enumerate(records) for kind, note in r.markers))
        writer.insert(
            IncidentPerson.__table__,  # type: ignore[arg-type]
            ("incident_id", "person_record_id", "role"),
            ((incident_ids[n], record_ids[index], role.value)
             for n, i in enumerate(incidents) for index, role in i.people),
            progress=stage("Writing who was in each call",
                           sum(len(i.people) for i in incidents)))
        writer.insert(
            DemoTruth.__table__,  # type: ignore[arg-type]
            ("person_record_id", "true_person_key", "household_key", "note"),
            ((record_ids[n], r.true_person_key, r.household_key, r.note)
             for n, r in enumerate(records)),
            progress=stage("Writing the truth", len(records)))
        # The blocking index, in this same transaction: the demo is searchable as soon as it
        # exists.
        index_new_records(
            writer, ((record_ids[n], _details(r)) for n, r in enumerate(records)),
            count=len(records), progress=stage("Indexing people", len(records)))
        progress("Building indexes", 0, 1)
    progress("Building indexes", 1, 1)


def _details(record: PlannedRecord) -> PersonDetails:
    """A planned record as the engine reads it back from the store."""
    return PersonDetails(given_name=record.given_name, family_name=record.family_name,
                         date_of_birth=record.date_of_birth,
                         phones=tuple(number for number, _ in record.phones),
                         email=record.email, address=record.address_text,
                         postcode=record.postcode, uprn=record.uprn)
