"""Person records as each source holds them: what a call handler typed, what a partner keeps.

Each function returns a :class:`PlannedRecord` with the truth beside it (which synthetic person
and household it belongs to, and what noise was applied).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime

from vigil.demo.addresses import DemoAddress
from vigil.demo.noise import (
    address_as_typed,
    dob_as_typed,
    family_name_as_typed,
    format_phone,
    given_name_as_typed,
    postcode_variant,
)
from vigil.demo.people import DemoPerson, Household
from vigil.domain.people import VulnerabilityKind

_MARKER_NOTES: dict[VulnerabilityKind, tuple[str, ...]] = {
    VulnerabilityKind.DISABILITY: ("Uses a wheelchair", "Registered blind",
                                   "Profoundly deaf; prefers text messages",
                                   "Learning disability; support worker visits weekly"),
    VulnerabilityKind.LONG_TERM_ILLNESS: ("COPD, housebound most days",
                                          "Receiving cancer treatment", "Heart condition"),
    VulnerabilityKind.MENTAL_HEALTH: ("Anxiety and depression; says the ASB makes it worse",
                                      "Under the community mental health team",
                                      "Says they cannot sleep and feel trapped at home"),
    VulnerabilityKind.AGE: ("Elderly; frightened to go out after dark",),
    VulnerabilityKind.LIVES_ALONE: ("Lives alone, no family nearby",),
    VulnerabilityKind.TARGETED_FOR_IDENTITY: (
        "Believes they are targeted because of their religion",
        "Abuse refers to the caller's sexuality", "Racist comments shouted at the house"),
    VulnerabilityKind.EARLIER_RISK_MEDIUM_OR_HIGH: ("Earlier risk assessment: medium",
                                                    "Earlier risk assessment: high"),
    VulnerabilityKind.PARTNER_FLAG: ("Flagged as vulnerable by the partner's case team",),
}


@dataclass(slots=True)
class PlannedRecord:
    """A person record to write, with its phones, markers and the truth about it."""

    source: str
    source_key: str
    created_at: datetime
    true_person_key: str
    household_key: str
    given_name: str | None = None
    family_name: str | None = None
    date_of_birth: str | None = None
    email: str | None = None
    address_text: str | None = None
    postcode: str | None = None
    uprn: str | None = None
    address_key: str | None = None
    police_only: bool = False
    phones: list[tuple[str, str]] = field(default_factory=list)
    markers: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def note(self) -> str:
        return "; ".join(n for n in self.notes if n)[:200]


def one_line(address: DemoAddress) -> str:
    """The address as a gazetteer prints it."""
    flat = f"Flat {address.flat}, " if address.flat else ""
    return f"{flat}{address.house} {address.street}, {address.town}"


def _base(person: DemoPerson, home: Household, *, source: str, source_key: str,
          created_at: datetime) -> PlannedRecord:
    return PlannedRecord(source=source, source_key=source_key, created_at=created_at,
                         true_person_key=person.key, household_key=home.key,
                         notes=[person.note])


def marker(rng: random.Random, kind: VulnerabilityKind) -> tuple[str, str]:
    return kind.value, rng.choice(_MARKER_NOTES[kind])


def caller_record(rng: random.Random, person: DemoPerson, *, month: date, at: datetime,
                  source_key: str, earlier_calls: int) -> PlannedRecord:
    """The caller as the call handler typed them on this call."""
    home = person.home_at(month)
    record = _base(person, home, source="vigil", source_key=source_key, created_at=at)
    record.given_name, note = given_name_as_typed(rng, person.given_name)
    record.notes.append(note)
    record.family_name, note = family_name_as_typed(rng, person.family_name)
    record.notes.append(note)
    record.date_of_birth, note = dob_as_typed(rng, person.date_of_birth)
    record.notes.append(note)
    mobile = person.mobile_at(month)
    if mobile and rng.random() < 0.88:
        record.phones.append((format_phone(rng, mobile), "mobile"))
        if mobile != (person.mobiles[0][1] if person.mobiles else None):
            record.notes.append("new mobile")
    if home.landline and rng.random() < 0.3:
        record.phones.append((format_phone(rng, home.landline), "landline"))
    if person.email and rng.random() < 0.3:
        record.email = person.email
    address = home.address
    if rng.random() < 0.65:
        # Picked from the address gazetteer: exact, with its UPRN.
        record.address_key, record.uprn = address.key, address.uprn
        record.address_text, record.postcode = one_line(address), address.postcode
    else:
        record.address_text, note = address_as_typed(
            rng, flat=address.flat, house=address.house, street=address.street,
            town=address.town)
        record.notes.append(note)
        if rng.random() < 0.9:
            record.postcode = postcode_variant(rng, address.postcode)
            if record.postcode != address.postcode:
                record.notes.append("postcode typed differently")
        else:
            record.notes.append("no postcode")
    if person.moved_to is not None and home is person.moved_to:
        record.notes.append("after move")
    if person.vulnerabilities and (earlier_calls == 0 or rng.random() < 0.6):
        record.markers.extend(marker(rng, kind) for kind in person.vulnerabilities)
        if earlier_calls >= 2 and rng.random() < 0.3:
            record.markers.append(marker(rng, VulnerabilityKind.EARLIER_RISK_MEDIUM_OR_HIGH))
    return record


def bystander_record(rng: random.Random, person: DemoPerson, *, month: date, at: datetime,
                     source_key: str, role: str) -> PlannedRecord:
    """A witness or suspect as the caller described them: a name, perhaps an age or address."""
    home = person.home_at(month)
    record = _base(person, home, source="vigil", source_key=source_key, created_at=at)
    record.notes.append(role)
    given, note = given_name_as_typed(rng, person.given_name, nickname=0.35)
    record.notes.append(note)
    family, note = family_name_as_typed(rng, person.family_name)
    draw = rng.random()
    if role == "suspect" and draw < 0.2:
        record.given_name = given
        record.notes.append("family name unknown")
    elif role == "suspect" and draw < 0.3:
        record.family_name = family
        record.notes.append("given name unknown")
    else:
        record.given_name, record.family_name = given, family
        record.notes.append(note)
    draw = rng.random()
    if draw < 0.35:
        record.date_of_birth = f"{person.date_of_birth.year:04d}"
        record.notes.append("dob year only")
    elif draw < 0.5:
        record.date_of_birth = person.date_of_birth.isoformat()
    mobile = person.mobile_at(month)
    if mobile and rng.random() < (0.7 if role == "witness" else 0.1):
        record.phones.append((format_phone(rng, mobile), "mobile"))
    if rng.random() < (0.4 if role == "witness" else 0.6):
        address = home.address
        record.address_text, note = address_as_typed(
            rng, flat=address.flat, house=address.house, street=address.street,
            town=address.town)
        record.notes.append(note)
        if rng.random() < 0.5:
            record.postcode = postcode_variant(rng, address.postcode)
    return record


def partner_record(rng: random.Random, person: DemoPerson, *, source: str, source_key: str,
                   month: date, at: datetime, police_only: bool = False) -> PlannedRecord:
    """A partner's or the crime system's record: formal names, full dates, clean addresses."""
    home = person.home_at(month)
    record = _base(person, home, source=source, source_key=source_key, created_at=at)
    record.police_only = police_only
    record.given_name, note = given_name_as_typed(rng, person.given_name, nickname=0.05,
                                                  slip=0.02)
    record.notes.append(note)
    record.family_name = person.family_name.upper() if rng.random() < 0.4 else person.family_name
    record.date_of_birth, note = dob_as_typed(rng, person.date_of_birth, missing=0.05,
                                              year_only=0.0, swapped=0.02)
    record.notes.append(note)
    address = home.address
    record.address_text = one_line(address)
    record.postcode = address.postcode
    if rng.random() < 0.8:
        record.uprn = address.uprn
    mobile = person.mobile_at(month)
    if mobile and rng.random() < 0.5:
        record.phones.append((format_phone(rng, mobile), "mobile"))
    if home.landline and rng.random() < 0.3:
        record.phones.append((format_phone(rng, home.landline), "landline"))
    if person.email and rng.random() < 0.4:
        record.email = person.email
    if person.vulnerabilities and not police_only:
        record.markers.append(marker(rng, VulnerabilityKind.PARTNER_FLAG))
    elif person.vulnerabilities:
        record.markers.append(marker(rng, person.vulnerabilities[0]))
    return record
