"""The people of a call as the handler typed them (caller, victim, witnesses, suspects): their
checks, and their person records written and indexed in the call's transaction.

Everyone is recorded as a person record of Vigil's own log, exactly as a caller is, so the
next look-up finds a witness or a suspect at once. A suspect may be known only by a nickname or
a description; those are kept beside the record (``incident_person_details``), never as a name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

from sqlalchemy.orm import Session

from vigil.domain.incidents import PersonRole
from vigil.identify.normalise.contact import normalise_email, normalise_phone
from vigil.identify.normalise.dates import parse_date_of_birth
from vigil.identify.normalise.places import parse_postcode
from vigil.services.identification import CallerDetails
from vigil.store.call_detail_tables import IncidentPersonDetail
from vigil.store.models import Incident, IncidentPerson, PersonRecord, PersonRecordPhone

MAX_EXTRA_PEOPLE = 20  # witnesses, and suspects, on one call


@dataclass(frozen=True)
class PersonIn:
    """A person as typed. Any field may be blank except the family name (a suspect may instead
    have a nickname or a description)."""

    given_name: str = ""
    family_name: str = ""
    date_of_birth: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""
    nickname: str = ""
    description: str = ""

    @property
    def blank(self) -> bool:
        return not any(getattr(self, f.name).strip() for f in fields(self))

    def caller_details(self) -> CallerDetails:
        return CallerDetails(
            given_name=self.given_name or None, family_name=self.family_name or None,
            date_of_birth=self.date_of_birth or None,
            phones=(self.phone,) if self.phone else (), email=self.email or None,
            address=self.address or None, postcode=self.postcode or None)


def person_problems(prefix: str, person: PersonIn, *, suspect: bool = False
                    ) -> dict[str, str]:
    """Every problem with one person, keyed ``prefix.field``."""
    problems: dict[str, str] = {}
    if suspect:
        if not any(s.strip() for s in (person.family_name, person.given_name,
                                       person.nickname, person.description)):
            problems[f"{prefix}.family_name"] = ("give a name, a nickname or a description "
                                                 "of the suspect")
    elif not person.family_name.strip():
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


def extra_people_problems(witnesses: Sequence[PersonIn], suspects: Sequence[PersonIn]
                          ) -> dict[str, str]:
    """Problems with the witnesses and suspects (``witnesses.0.family_name``...). A row left
    wholly blank is no one, and no problem."""
    problems: dict[str, str] = {}
    for group, people in (("witnesses", witnesses), ("suspects", suspects)):
        if len(people) > MAX_EXTRA_PEOPLE:
            problems[group] = f"at most {MAX_EXTRA_PEOPLE} on one call"
        for index, person in enumerate(people):
            if not person.blank:
                problems.update(person_problems(f"{group}.{index}", person,
                                                suspect=group == "suspects"))
    return problems


def add_record(session: Session, *, source_id: int, key: str, person: PersonIn
               ) -> PersonRecord:
    """A person record of the Vigil log for ``person`` (already checked)."""
    dob = parse_date_of_birth(person.date_of_birth)
    unit = parse_postcode(person.postcode)
    record = PersonRecord(
        source_id=source_id, source_key=key, given_name=person.given_name.strip() or None,
        family_name=person.family_name.strip() or None,
        date_of_birth=str(dob) if dob else None, email=normalise_email(person.email),
        address_text=person.address.strip() or None, postcode=unit.unit if unit else None)
    if person.phone.strip():
        record.phones.append(PersonRecordPhone(number=normalise_phone(person.phone) or ""))
    session.add(record)
    return record


def add_extra_people(session: Session, *, incident: Incident, source_id: int,
                     witnesses: Sequence[PersonIn], suspects: Sequence[PersonIn]
                     ) -> list[int]:
    """Write the witnesses and suspects (blank rows skipped) with their roles and details;
    the ids of their new person records, for indexing in the same transaction."""
    ids: list[int] = []
    for role, people in ((PersonRole.WITNESS, witnesses), (PersonRole.SUSPECT, suspects)):
        for number, person in enumerate((p for p in people if not p.blank), start=1):
            record = add_record(session, source_id=source_id, person=person,
                                key=f"{incident.reference}:{role.value}:{number}")
            session.flush()
            link = IncidentPerson(incident_id=incident.id, person_record_id=record.id,
                                  role=role.value)
            session.add(link)
            if person.nickname.strip() or person.description.strip():
                session.flush()
                session.add(IncidentPersonDetail(
                    incident_person_id=link.id, nickname=person.nickname.strip(),
                    description=person.description.strip()))
            ids.append(record.id)
    return ids
