"""Recording an ASB call: the incident, its place, the caller (and victim), witnesses and
suspects, the risk assessment, the task the risk level requires and the audit record, in one
transaction.

The caller is identified first (an audited look-up of its own): its repeat and vulnerable
flags raise the risk level as the questionnaire version says. The new person records are
indexed before the commit, so the very next look-up finds them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from vigil.domain.access import Permission, PermissionDenied
from vigil.domain.incidents import Category, DetailedType, PersonRole
from vigil.domain.problems import FieldProblems
from vigil.domain.risk import (
    RESPONSES,
    Answer,
    Grading,
    Questionnaire,
    RequiredResponse,
    RiskLevel,
    grade,
    marker_kinds,
    validate_answers,
    validate_thrive,
)
from vigil.identify.index import index_person_records
from vigil.identify.normalise.places import parse_postcode
from vigil.services.call_alerts import note_recorded_call
from vigil.services.call_people import (
    PersonIn,
    add_extra_people,
    add_record,
    extra_people_problems,
    person_problems,
)
from vigil.services.call_places import check_point, parse_point, resolve_place
from vigil.services.identification import Flags, identify
from vigil.services.reference import VIGIL_LOG, ensure_reference_data
from vigil.services.risk_versions import current_questionnaire
from vigil.store.call_detail_tables import ReferenceCounter
from vigil.store.call_tables import CallTask, RiskAssessment
from vigil.store.insert_once import insert_once
from vigil.store.models import Incident, IncidentPerson, VulnerabilityMarker
from vigil.store.uow import UnitOfWork

LONDON = ZoneInfo("Europe/London")
_TIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M")
EDITABLE_TYPES = tuple(t for t in DetailedType if t is not DetailedType.NOT_RECORDED)


class InvalidCall(FieldProblems):
    """The call cannot be saved; ``problems`` maps each field (``caller.family_name``,
    ``answers.threats``, ``thrive.harm``...) to what is wrong. Nothing was written."""


@dataclass(frozen=True)
class NewCall:
    """Everything the handler entered. ``victim`` is ``None`` when the caller is the victim;
    a blank ``occurred_at`` means now, blank place fields mean the caller's address; a point
    (``place_latitude``/``place_longitude``, decimal degrees) chosen on the map places the
    incident there. Wholly blank witness or suspect rows are ignored."""

    caller: PersonIn
    victim: PersonIn | None = None
    occurred_at: str = ""
    place_address: str = ""
    place_postcode: str = ""
    place_latitude: str = ""
    place_longitude: str = ""
    witnesses: tuple[PersonIn, ...] = ()
    suspects: tuple[PersonIn, ...] = ()
    category: str = ""
    detailed_type: str = ""
    description: str = ""
    answers: Mapping[str, Answer] = field(default_factory=dict)
    thrive: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RecordedCall:
    """What the handler is told once the call is saved."""

    reference: str
    level: RiskLevel
    score: int
    raised_by: tuple[str, ...]
    response: RequiredResponse
    due_at: datetime
    flags: tuple[str, ...]


def parse_time(text: str, *, now: datetime) -> datetime:
    """UK local time as typed (``2026-11-26T14:05``, ``26/11/2026 14:05``) in UTC; blank is
    ``now``. Raises ``ValueError`` saying why."""
    if not text.strip():
        return now
    for pattern in _TIME_FORMATS:
        try:
            local = datetime.strptime(text.strip(), pattern)
        except ValueError:
            continue
        at = local.replace(tzinfo=LONDON).astimezone(UTC)
        if at > now + timedelta(minutes=5):
            raise ValueError("the time is in the future")
        return at
    raise ValueError(f"{text!r} is not a date and time (DD/MM/YYYY HH:MM)")


def check_call(call: NewCall, *, questionnaire: Questionnaire, now: datetime,
               place_problems: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every problem with the call at once, by field, in the order of the call screen.
    Empty when it can be saved. ``place_problems`` are what the store found wrong with the
    place (a point outside the force area)."""
    problems = person_problems("caller", call.caller)
    if call.victim is not None:
        problems.update(person_problems("victim", call.victim))
    try:
        parse_time(call.occurred_at, now=now)
    except ValueError as error:
        problems["occurred_at"] = str(error)
    if call.category not in {c.value for c in Category}:
        problems["category"] = "choose personal, nuisance or environmental"
    if call.detailed_type not in {t.value for t in EDITABLE_TYPES}:
        problems["detailed_type"] = "choose the type of ASB"
    if not call.description.strip():
        problems["description"] = "describe what happened"
    if call.place_postcode.strip() and parse_postcode(call.place_postcode) is None:
        problems["place_postcode"] = f"{call.place_postcode!r} is not a UK postcode"
    point, point_problems = parse_point(call.place_latitude, call.place_longitude)
    problems.update(point_problems)
    problems.update(place_problems or {})
    if point is None and not point_problems and not any(s.strip() for s in (
            call.place_address, call.place_postcode, call.caller.address,
            call.caller.postcode)):
        problems["place_address"] = ("give the address or postcode where it happened, or "
                                     "choose the place on the map")
    problems.update(extra_people_problems(call.witnesses, call.suspects))
    problems.update({f"answers.{k}": v for k, v in
                     validate_answers(questionnaire, call.answers).items()})
    problems.update({f"thrive.{k}": v for k, v in validate_thrive(call.thrive).items()})
    return problems


def _raising_flags(flags: Flags) -> tuple[bool, bool, list[str]]:
    names = [n for n in ("repeat_caller", "repeat_victim", "repeat_location", "vulnerable")
             if getattr(flags, n)]
    repeat = flags.repeat_caller or flags.repeat_victim or flags.repeat_location
    return repeat, flags.vulnerable, names


def _next_reference(session: Session, year: int) -> str:
    """The next ``VGL-YYYY-NNNNNN``, taken from the year's counter row inside the caller's
    transaction. ``UPDATE ... RETURNING`` locks the row until commit, so a second handler saving
    at the same moment waits and takes the next number (PostgreSQL), or waits for the write
    lock (SQLite): two calls never share a reference and neither handler gets an error."""
    prefix = f"VGL-{year:04d}-"
    number = _bump(session, prefix)
    if number is None:  # the year's first call: start after any reference already in the log
        latest = session.scalar(select(func.max(Incident.reference))
                                .where(Incident.reference.like(prefix + "%")))
        start = int(latest.rsplit("-", 1)[1]) if latest and re.fullmatch(
            r"VGL-\d{4}-\d{6}", latest) else 0
        insert_once(session, ReferenceCounter, values={"prefix": prefix, "last_number": start},
                    unique=["prefix"])
        number = _bump(session, prefix)  # another handler may have created it meanwhile
    if number is None:
        raise RuntimeError(f"no reference counter for {prefix}")
    return f"{prefix}{number:06d}"


def _bump(session: Session, prefix: str) -> int | None:
    number: int | None = session.execute(
        update(ReferenceCounter).where(ReferenceCounter.prefix == prefix)
        .values(last_number=ReferenceCounter.last_number + 1)
        .returning(ReferenceCounter.last_number),
        execution_options={"synchronize_session": False}).scalar()
    return number


def record_call(uow: UnitOfWork, *, call: NewCall, now: datetime | None = None,
                force_name: str | None = None) -> RecordedCall:
    """Save the call with its assessment and task; raise :class:`InvalidCall` listing every
    problem (nothing written) or :class:`PermissionDenied`. A map point must lie in the area
    of ``force_name`` (the setting; every LSOA when none is marked with it)."""
    if not uow.actor.can(Permission.RECORD_CALLS):
        raise PermissionDenied("recording calls needs the record_calls permission")
    as_of = now  # the look-up's own "now" (the end of the data, for a historic demo) unless set
    now = now or datetime.now(UTC)
    with uow:
        version_id, questionnaire = current_questionnaire(uow.session)
        uow.commit()  # the default version, stored on first use, is kept even if this fails
    point, _ = parse_point(call.place_latitude, call.place_longitude)
    place_problems: dict[str, str] = {}
    if point is not None:
        with uow:
            place_problems = check_point(uow.session, point, force_name=force_name)
    problems = check_call(call, questionnaire=questionnaire, now=now,
                          place_problems=place_problems)
    if problems:
        raise InvalidCall(problems)
    people = [call.caller] + ([call.victim] if call.victim is not None else [])
    flag_names: list[str] = []
    repeat = vulnerable = False
    for person in people:
        found = identify(uow, caller=person.caller_details(), reason="Recording an ASB call",
                         as_of=as_of)
        r, v, names = _raising_flags(found.flags)
        repeat, vulnerable = repeat or r, vulnerable or v
        flag_names += [n for n in names if n not in flag_names]
    grading = grade(questionnaire, call.answers, repeat=repeat, vulnerable=vulnerable)
    response = RESPONSES[grading.level]
    occurred = parse_time(call.occurred_at, now=now)
    with uow:
        session = uow.session
        source_id = ensure_reference_data(session)[VIGIL_LOG].id
        reference = _next_reference(session, now.year)
        place_text, place_postcode = call.place_address.strip(), call.place_postcode.strip()
        if point is None:  # what is left blank is the caller's (the caller's home, say)
            place_text = place_text or call.caller.address.strip()
            place_postcode = place_postcode or call.caller.postcode.strip()
        place = resolve_place(session, text=place_text, postcode=place_postcode, point=point,
                              force_name=force_name)
        location = ", ".join(p for p in (place_text, place_postcode.upper()) if p)
        if place.from_point and place.latitude is not None and place.longitude is not None:
            location = location or f"Map point {place.latitude:.5f}, {place.longitude:.5f}"
        incident = Incident(
            reference=reference, source_id=source_id, source_key=reference,
            agency_id=uow.actor.agency_id, occurred_at=occurred,
            occurred_month=date(occurred.year, occurred.month, 1), time_precision="exact",
            latitude=place.latitude, longitude=place.longitude, location_text=location[:300],
            address_id=place.address.id if place.address else None,
            lsoa_code=place.lsoa_code, category=call.category,
            detailed_type=call.detailed_type, description=call.description.strip(),
            status="open", police_only=False, recorded_at=now)
        session.add(incident)
        caller = add_record(session, source_id=source_id, key=f"{reference}:caller",
                            person=call.caller)
        victim = caller if call.victim is None else add_record(
            session, source_id=source_id, key=f"{reference}:victim", person=call.victim)
        for kind in marker_kinds(call.answers, grading.level):
            victim.markers.append(VulnerabilityMarker(
                kind=kind, note=f"Risk assessment on {reference}", recorded_at=now))
        session.flush()
        incident.people.append(IncidentPerson(person_record_id=caller.id,
                                              role=PersonRole.CALLER.value))
        incident.people.append(IncidentPerson(person_record_id=victim.id,
                                              role=PersonRole.VICTIM.value))
        others = add_extra_people(session, incident=incident, source_id=source_id,
                                  witnesses=call.witnesses, suspects=call.suspects)
        index_person_records(session, {caller.id, victim.id, *others})
        _assess(session, incident=incident, version_id=version_id, call=call, grading=grading,
                user_id=uow.actor.user_id, now=now)
        due = response.due_at(now)
        session.add(CallTask(incident_id=incident.id, kind=f"contact_{grading.level.value}",
                             description=response.summary, due_at=due,
                             assigned_agency_id=uow.actor.agency_id, created_at=now))
        note_recorded_call(session, incident=incident, level=grading.level, flags=flag_names,
                           now=now)  # flags kept; a high-risk call alerts supervisors
        uow.audit.record(action="record_call", object_type="incident", object_id=reference,
                         reason="ASB call", detail={
                             "level": grading.level.value, "score": grading.score,
                             "flags": flag_names,
                             "person_records": sorted({caller.id, victim.id, *others})})
        uow.commit()
    return RecordedCall(reference=reference, level=grading.level, score=grading.score,
                        raised_by=grading.raised_by, response=response, due_at=due,
                        flags=tuple(flag_names))


def _assess(session: Session, *, incident: Incident, version_id: int, call: NewCall,
            grading: Grading, user_id: int | None, now: datetime) -> None:
    session.flush()
    session.add(RiskAssessment(
        incident_id=incident.id, questionnaire_id=version_id,
        answers={k: {"status": a.status.value, "value": a.value, "reason": a.reason.strip()}
                 for k, a in call.answers.items()},
        score=grading.score, score_level=grading.score_level.value, level=grading.level.value,
        raised_by="; ".join(grading.raised_by),
        thrive={k: v.strip() for k, v in call.thrive.items()}, assessed_at=now,
        assessed_by_user_id=user_id))
