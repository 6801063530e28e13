"""Recording an ASB call: the incident, the caller (and victim), the risk assessment, the task
the risk level requires and the audit record, in one transaction; and reading one back.

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

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vigil.domain.access import Permission, PermissionDenied
from vigil.domain.incidents import Category, DetailedType, PersonRole
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
from vigil.identify.normalise import parse_address
from vigil.identify.normalise.contact import normalise_email, normalise_phone
from vigil.identify.normalise.dates import parse_date_of_birth
from vigil.identify.normalise.places import parse_postcode
from vigil.services.identification import CallerDetails, Flags, identify
from vigil.services.reference import VIGIL_LOG, ensure_reference_data
from vigil.services.risk_versions import current_questionnaire
from vigil.store.call_tables import CallTask, RiskAssessment
from vigil.store.models import (
    Address,
    Incident,
    IncidentPerson,
    PersonRecord,
    PersonRecordPhone,
    VulnerabilityMarker,
)
from vigil.store.uow import UnitOfWork

LONDON = ZoneInfo("Europe/London")
_TIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M")
EDITABLE_TYPES = tuple(t for t in DetailedType if t is not DetailedType.NOT_RECORDED)


class InvalidCall(ValueError):
    """The call cannot be saved; ``problems`` maps each field (``caller.family_name``,
    ``answers.threats``, ``thrive.harm``...) to what is wrong. Nothing was written."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


@dataclass(frozen=True)
class PersonIn:
    """A caller or victim as typed. Any field may be blank except the family name."""

    given_name: str = ""
    family_name: str = ""
    date_of_birth: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""

    def caller_details(self) -> CallerDetails:
        return CallerDetails(
            given_name=self.given_name or None, family_name=self.family_name or None,
            date_of_birth=self.date_of_birth or None,
            phones=(self.phone,) if self.phone else (), email=self.email or None,
            address=self.address or None, postcode=self.postcode or None)


@dataclass(frozen=True)
class NewCall:
    """Everything the handler entered. ``victim`` is ``None`` when the caller is the victim;
    a blank ``occurred_at`` means now, blank place fields mean the caller's address."""

    caller: PersonIn
    victim: PersonIn | None = None
    occurred_at: str = ""
    place_address: str = ""
    place_postcode: str = ""
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


def _person_problems(prefix: str, person: PersonIn) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not person.family_name.strip():
        problems[f"{prefix}.family_name"] = "give the family name (or 'not given')"
    try:
        parse_date_of_birth(person.date_of_birth)
    except ValueError as error:
        problems[f"{prefix}.date_of_birth"] = str(error)
    if person.phone.strip() and normalise_phone(person.phone) is None:
        problems[f"{prefix}.phone"] = f"{person.phone!r} is not a UK phone number"
    if person.email.strip() and normalise_email(person.email) is None:
        problems[f"{prefix}.email"] = f"{person.email!r} is not an e-mail address"
    if person.postcode.strip() and parse_postcode(person.postcode) is None:
        problems[f"{prefix}.postcode"] = f"{person.postcode!r} is not a UK postcode"
    return problems


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


def check_call(call: NewCall, *, questionnaire: Questionnaire, now: datetime
               ) -> dict[str, str]:
    """Every problem with the call at once, by field. Empty when it can be saved."""
    problems = _person_problems("caller", call.caller)
    if call.victim is not None:
        problems.update(_person_problems("victim", call.victim))
    try:
        parse_time(call.occurred_at, now=now)
    except ValueError as error:
        problems["occurred_at"] = str(error)
    if call.place_postcode.strip() and parse_postcode(call.place_postcode) is None:
        problems["place_postcode"] = f"{call.place_postcode!r} is not a UK postcode"
    if not any(s.strip() for s in (call.place_address, call.place_postcode,
                                   call.caller.address, call.caller.postcode)):
        problems["place_address"] = "give the address or postcode where it happened"
    if call.category not in {c.value for c in Category}:
        problems["category"] = "choose personal, nuisance or environmental"
    if call.detailed_type not in {t.value for t in EDITABLE_TYPES}:
        problems["detailed_type"] = "choose the type of ASB"
    if not call.description.strip():
        problems["description"] = "describe what happened"
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
    prefix = f"VGL-{year:04d}-"
    latest = session.scalar(select(func.max(Incident.reference))
                            .where(Incident.reference.like(prefix + "%")))
    number = int(latest.rsplit("-", 1)[1]) + 1 if latest and re.fullmatch(
        r"VGL-\d{4}-\d{6}", latest) else 1
    return f"{prefix}{number:06d}"


def _resolve_place(session: Session, text: str, postcode: str
                   ) -> tuple[Address | None, str | None]:
    """The known address with this postcode and the same house and street, and its LSOA; or
    no address but the LSOA when every known address in the postcode lies in one."""
    unit = parse_postcode(postcode)
    if unit is None:
        return None, None
    known = list(session.scalars(select(Address).where(Address.postcode == unit.unit)))
    typed = parse_address(text, postcode=unit.unit)
    if typed is not None and typed.key:
        for address in known:
            parsed = parse_address(address.one_line, postcode=address.postcode)
            if parsed is not None and parsed.key == typed.key:
                return address, address.lsoa_code
    lsoas = {a.lsoa_code for a in known}
    return None, (lsoas.pop() if len(lsoas) == 1 else None)


def _record(session: Session, *, source_id: int, key: str, person: PersonIn) -> PersonRecord:
    dob = parse_date_of_birth(person.date_of_birth)
    unit = parse_postcode(person.postcode)
    record = PersonRecord(
        source_id=source_id, source_key=key, given_name=person.given_name.strip() or None,
        family_name=person.family_name.strip(), date_of_birth=str(dob) if dob else None,
        email=normalise_email(person.email), address_text=person.address.strip() or None,
        postcode=unit.unit if unit else None)
    if person.phone.strip():
        record.phones.append(PersonRecordPhone(number=normalise_phone(person.phone) or ""))
    session.add(record)
    return record


def record_call(uow: UnitOfWork, *, call: NewCall, now: datetime | None = None
                ) -> RecordedCall:
    """Save the call with its assessment and task; raise :class:`InvalidCall` listing every
    problem (nothing written) or :class:`PermissionDenied`."""
    if not uow.actor.can(Permission.RECORD_CALLS):
        raise PermissionDenied("recording calls needs the record_calls permission")
    as_of = now  # the look-up's own "now" (the end of the data, for a historic demo) unless set
    now = now or datetime.now(UTC)
    with uow:
        version_id, questionnaire = current_questionnaire(uow.session)
        uow.commit()  # the default version, stored on first use, is kept even if this fails
    problems = check_call(call, questionnaire=questionnaire, now=now)
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
        place_text = call.place_address.strip() or call.caller.address.strip()
        place_postcode = call.place_postcode.strip() or call.caller.postcode.strip()
        address, lsoa_code = _resolve_place(session, place_text, place_postcode)
        incident = Incident(
            reference=reference, source_id=source_id, source_key=reference,
            agency_id=uow.actor.agency_id, occurred_at=occurred,
            occurred_month=date(occurred.year, occurred.month, 1), time_precision="exact",
            latitude=address.latitude if address else None,
            longitude=address.longitude if address else None,
            location_text=", ".join(p for p in (place_text, place_postcode.upper()) if p),
            address_id=address.id if address else None,
            lsoa_code=lsoa_code, category=call.category,
            detailed_type=call.detailed_type, description=call.description.strip(),
            status="open", police_only=False, recorded_at=now)
        session.add(incident)
        caller = _record(session, source_id=source_id, key=f"{reference}:caller",
                         person=call.caller)
        victim = caller if call.victim is None else _record(
            session, source_id=source_id, key=f"{reference}:victim", person=call.victim)
        for kind in marker_kinds(call.answers, grading.level):
            victim.markers.append(VulnerabilityMarker(
                kind=kind, note=f"Risk assessment on {reference}", recorded_at=now))
        session.flush()
        incident.people.append(IncidentPerson(person_record_id=caller.id,
                                              role=PersonRole.CALLER.value))
        incident.people.append(IncidentPerson(person_record_id=victim.id,
                                              role=PersonRole.VICTIM.value))
        index_person_records(session, {caller.id, victim.id})
        _assess(session, incident=incident, version_id=version_id, call=call, grading=grading,
                user_id=uow.actor.user_id, now=now)
        due = response.due_at(now)
        session.add(CallTask(incident_id=incident.id, kind=f"contact_{grading.level.value}",
                             description=response.summary, due_at=due,
                             assigned_agency_id=uow.actor.agency_id, created_at=now))
        uow.audit.record(action="record_call", object_type="incident", object_id=reference,
                         reason="ASB call", detail={
                             "level": grading.level.value, "score": grading.score,
                             "flags": flag_names, "person_records": sorted({caller.id,
                                                                           victim.id})})
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
