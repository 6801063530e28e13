"""ASB incidents: the national categories and detailed types, roles of people, statuses."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    """The three national ASB incident categories (since April 2011)."""

    PERSONAL = "personal"
    NUISANCE = "nuisance"
    ENVIRONMENTAL = "environmental"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class DetailedType(StrEnum):
    """The national detailed ASB incident types."""

    ROWDY_BEHAVIOUR = "rowdy_behaviour"
    NUISANCE_NEIGHBOURS = "nuisance_neighbours"
    VEHICLE_NUISANCE = "vehicle_nuisance"
    NOISE = "noise"
    STREET_DRINKING = "street_drinking"
    LITTERING_DRUGS_PARAPHERNALIA = "littering_drugs_paraphernalia"
    ANIMAL_PROBLEMS = "animal_problems"
    TRESPASS = "trespass"
    FIREWORKS = "fireworks"
    BEGGING_VAGRANCY = "begging_vagrancy"
    PROSTITUTION_RELATED = "prostitution_related"
    MALICIOUS_COMMUNICATIONS = "malicious_communications"
    VEHICLE_ABANDONED = "vehicle_abandoned"
    HOAX_CALLS = "hoax_calls"
    NOT_RECORDED = "not_recorded"

    @property
    def label(self) -> str:
        return DETAILED_TYPE_LABELS[self]


DETAILED_TYPE_LABELS: dict[DetailedType, str] = {
    DetailedType.ROWDY_BEHAVIOUR: "Rowdy or inconsiderate behaviour",
    DetailedType.NUISANCE_NEIGHBOURS: "Rowdy/nuisance neighbours",
    DetailedType.VEHICLE_NUISANCE: "Vehicle nuisance or inappropriate use",
    DetailedType.NOISE: "Noise",
    DetailedType.STREET_DRINKING: "Street drinking",
    DetailedType.LITTERING_DRUGS_PARAPHERNALIA: "Littering/drugs paraphernalia",
    DetailedType.ANIMAL_PROBLEMS: "Animal problems",
    DetailedType.TRESPASS: "Trespass",
    DetailedType.FIREWORKS: "Fireworks",
    DetailedType.BEGGING_VAGRANCY: "Begging/vagrancy",
    DetailedType.PROSTITUTION_RELATED: "Prostitution-related activity",
    DetailedType.MALICIOUS_COMMUNICATIONS: "Malicious/nuisance communications",
    DetailedType.VEHICLE_ABANDONED: "Vehicle abandoned (not stolen)",
    DetailedType.HOAX_CALLS: "Hoax calls to emergency services",
    DetailedType.NOT_RECORDED: "Not recorded (open data gives no type)",
}


class TimePrecision(StrEnum):
    """How precisely an incident's time is known: open data gives only the month."""

    EXACT = "exact"
    MONTH = "month"


class IncidentStatus(StrEnum):
    OPEN = "open"
    ALLOCATED = "allocated"
    CLOSED = "closed"


class PersonRole(StrEnum):
    """The part a person played in an incident."""

    CALLER = "caller"
    VICTIM = "victim"
    WITNESS = "witness"
    SUSPECT = "suspect"


def month_label(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"
