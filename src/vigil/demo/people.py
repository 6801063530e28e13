"""Synthetic people: households, names, dates of birth, phones, moves, how often they call.

Nobody here is real. Names come from Faker (``en_GB``) and from short lists that reflect the
East Midlands' mix of family names; numbers come from Ofcom's drama ranges.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate

from faker import Faker

from vigil.demo.addresses import AddressBook, DemoAddress, PhoneBook
from vigil.demo.area import Zone, distance_km
from vigil.demo.calls import TYPE_WEIGHTS, draw_type
from vigil.demo.noise import FEMALE_FORMAL_NAMES, MALE_FORMAL_NAMES
from vigil.domain.incidents import DetailedType
from vigil.domain.people import VulnerabilityKind

# Reports per caller in a year. HMIC's 2012 survey of ASB callers found a quarter had reported
# six or more times in the year and one in seven more than ten; half report once. Each band's
# share is fixed, and within a band smaller counts are likelier (weight 1/k), so:
#   1: 50%,  2-5: 25%,  6-10: 25% - 1/7 = 10.7%,  11-40: 1/7 = 14.3%.
REPORT_BANDS: tuple[tuple[int, int, float], ...] = (
    (1, 1, 0.50), (2, 5, 0.25), (6, 10, 0.25 - 1 / 7), (11, 40, 1 / 7),
)

COMMON_NAMES: tuple[tuple[str, str, str], ...] = (
    ("John", "Smith", "M"), ("Mohammed", "Khan", "M"), ("Sarah", "Williams", "F"),
    ("David", "Jones", "M"),
)
_SOUTH_ASIAN_FAMILY = ("Patel", "Khan", "Mistry", "Ahmed", "Hussain", "Singh", "Chauhan",
                       "Parmar", "Lad", "Begum", "Mahmood", "Solanki", "Kaur")
_SOUTH_ASIAN_GIVEN = {"M": ("Mohammed", "Rajesh", "Imran", "Sanjay", "Vijay", "Amit", "Yusuf",
                            "Harpreet", "Nikhil"),
                      "F": ("Priya", "Fatima", "Aisha", "Anita", "Nisha", "Shabana", "Jaspreet",
                            "Hema", "Zara")}
_EASTERN_EUROPEAN = (("Tomasz", "Nowak", "M"), ("Agnieszka", "Kowalska", "F"),
                     ("Piotr", "Wisniewski", "M"), ("Irina", "Popescu", "F"),
                     ("Andrei", "Ionescu", "M"), ("Marta", "Zielinska", "F"))
_EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example.co.uk")
_HOUSEHOLD_SIZES = ((1, 0.34), (2, 0.36), (3, 0.18), (4, 0.09), (5, 0.03))


@dataclass(slots=True)
class Household:
    """People sharing one address and, often, a landline and a family name."""

    key: str
    address: DemoAddress
    landline: str | None
    social_tenant: bool
    zone: Zone
    members: list[DemoPerson] = field(default_factory=list)


@dataclass(slots=True)
class DemoPerson:
    """One synthetic individual and the truth about them."""

    key: str
    given_name: str
    family_name: str
    sex: str
    date_of_birth: date
    household: Household
    email: str | None = None
    mobiles: list[tuple[date, str]] = field(default_factory=list)
    moved_to: Household | None = None
    moved_in: date | None = None
    reports: int = 0
    main_type: DetailedType | None = None
    window: tuple[date, ...] = ()
    vulnerabilities: tuple[VulnerabilityKind, ...] = ()
    problem_neighbours: Household | None = None
    note: str = ""

    def home_at(self, month: date) -> Household:
        """Where they lived in ``month``."""
        if self.moved_to is not None and self.moved_in is not None and month >= self.moved_in:
            return self.moved_to
        return self.household

    def mobile_at(self, month: date) -> str | None:
        """The mobile they used in ``month`` (numbers change over time)."""
        current = None
        for since, number in self.mobiles:
            if since <= month:
                current = number
        return current or (self.mobiles[0][1] if self.mobiles else None)

    def age_in(self, year: int) -> int:
        return year - self.date_of_birth.year


@dataclass
class Population:
    people: list[DemoPerson]
    households: list[Household]
    addresses: list[DemoAddress]


def reports_per_caller(rng: random.Random) -> int:
    """How many reports one caller makes in their year (see :data:`REPORT_BANDS`)."""
    low, high, _ = rng.choices(REPORT_BANDS, weights=[b[2] for b in REPORT_BANDS])[0]
    counts = range(low, high + 1)
    return rng.choices(counts, weights=[1 / k for k in counts])[0]


class _Maker:
    """Draws people, households and their details from one ``random.Random`` and one Faker."""

    def __init__(self, rng: random.Random, fake: Faker, *, zones: Sequence[Zone],
                 zone_weights: Sequence[float], months: Sequence[date], kind: str) -> None:
        self.rng, self.fake, self.months = rng, fake, list(months)
        self.zones, self.zone_weights = list(zones), list(zone_weights)
        # Accumulated once (``choices`` would do it on every draw, with the same result).
        self.zone_cum_weights = list(accumulate(self.zone_weights))
        self.addresses = AddressBook(rng)
        self.phones = PhoneBook(rng, kind=kind)
        self.people: list[DemoPerson] = []
        self.households: list[Household] = []
        self.latest_year = self.months[-1].year

    def household(self, zone: Zone | None = None, *, next_to: Household | None = None
                  ) -> Household:
        rng = self.rng
        if next_to is not None:
            zone = next_to.zone
            street = next(s for s in zone.streets if s.name == next_to.address.street)
            address = self.addresses.new_home(zone, street=street,
                                              near_house=int(next_to.address.house))
        else:
            zone = zone or rng.choices(self.zones, cum_weights=self.zone_cum_weights)[0]
            address = self.addresses.new_home(zone)
        household = Household(
            key=f"H{len(self.households) + 1:05d}", address=address,
            landline=self.phones.landline() if rng.random() < 0.45 else None,
            social_tenant=rng.random() < 0.28, zone=zone)
        self.households.append(household)
        return household

    def name(self, sex: str, *, family: str | None = None, group: str = "") -> tuple[str, str]:
        rng, fake = self.rng, self.fake
        if group == "south_asian":
            return rng.choice(_SOUTH_ASIAN_GIVEN[sex]), family or rng.choice(_SOUTH_ASIAN_FAMILY)
        if group == "eastern_european":
            given, fam, _ = rng.choice([e for e in _EASTERN_EUROPEAN if e[2] == sex])
            return given, family or fam
        if rng.random() < 0.4:
            given = rng.choice(MALE_FORMAL_NAMES if sex == "M" else FEMALE_FORMAL_NAMES)
        else:
            given = fake.first_name_male() if sex == "M" else fake.first_name_female()
        if family is None and rng.random() < 0.03:
            family = f"{fake.last_name()}-{fake.last_name()}"
        return given, family or fake.last_name()

    def person(self, household: Household, *, given: str, family: str, sex: str, dob: date,
               note: str = "") -> DemoPerson:
        rng = self.rng
        person = DemoPerson(key=f"P{len(self.people) + 1:05d}", given_name=given,
                            family_name=family, sex=sex, date_of_birth=dob, household=household,
                            note=note)
        if rng.random() < 0.9:
            person.mobiles.append((self.months[0], self.phones.mobile()))
        if rng.random() < 0.45:
            person.email = (f"{given}.{family}{rng.randint(1, 99)}".lower().replace(" ", "")
                            + "@" + rng.choice(_EMAIL_DOMAINS))
        household.members.append(person)
        self.people.append(person)
        return person

    def dob(self, *, age_from: int, age_to: int) -> date:
        year = self.latest_year - self.rng.randint(age_from, age_to)
        return date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))

    def family(self, *, size: int, forced: tuple[str, str, str] | None = None) -> Household:
        """An ordinary household of ``size`` adults."""
        rng = self.rng
        household = self.household()
        group = rng.choices(("", "south_asian", "eastern_european"), weights=(78, 18, 4))[0]
        sex = forced[2] if forced else rng.choice("MF")
        given, family = (forced[0], forced[1]) if forced else self.name(sex, group=group)
        head_dob = self.dob(age_from=24, age_to=88)
        self.person(household, given=given, family=family, sex=sex, dob=head_dob,
                    note="common name" if forced else "")
        if size >= 2:
            other = "F" if sex == "M" else "M"
            shared = rng.random() < 0.7
            p_given, p_family = self.name(other, family=family if shared else None, group=group)
            self.person(household, given=p_given, family=p_family, sex=other,
                        dob=self.dob(age_from=max(18, self.latest_year - head_dob.year - 6),
                                     age_to=min(90, self.latest_year - head_dob.year + 6)))
        for _ in range(size - 2):
            c_sex = rng.choice("MF")
            c_given, _ = self.name(c_sex, group=group)
            age = self.latest_year - head_dob.year - rng.randint(20, 38)
            self.person(household, given=c_given, family=family, sex=c_sex,
                        dob=self.dob(age_from=max(16, min(age, 40)), age_to=max(16, min(age, 40))))
        return household

    def twins(self) -> Household:
        """Twins at home with a parent: same family name and birthday, different given names."""
        household = self.household()
        sexes = self.rng.choice(("MM", "FF", "MF"))
        parent_sex = self.rng.choice("MF")
        p_given, family = self.name(parent_sex)
        dob = self.dob(age_from=17, age_to=34)
        self.person(household, given=p_given, family=family, sex=parent_sex,
                    dob=self.dob(age_from=self.latest_year - dob.year + 22,
                                 age_to=self.latest_year - dob.year + 38))
        first = self.person(household, given=self.name(sexes[0])[0], family=family,
                            sex=sexes[0], dob=dob)
        given = first.given_name
        while given == first.given_name:
            given = self.name(sexes[1])[0]
        second = self.person(household, given=given, family=family, sex=sexes[1], dob=dob)
        first.note, second.note = f"twin of {second.key}", f"twin of {first.key}"
        return household

    def father_and_son(self) -> Household:
        """A father and grown son with the same name at one address (the "Jr" is never written)."""
        household = self.household()
        given, family = self.name("M")
        father = self.person(household, given=given, family=family, sex="M",
                             dob=self.dob(age_from=50, age_to=72))
        son_age = self.latest_year - father.date_of_birth.year - self.rng.randint(22, 32)
        son = self.person(household, given=given, family=family, sex="M",
                          dob=self.dob(age_from=son_age, age_to=son_age))
        father.note, son.note = f"father of {son.key}, same name", f"son of {father.key}, same name"
        return household


def generate_people(rng: random.Random, fake: Faker, *, count: int, zones: Sequence[Zone],
                    zone_weights: Sequence[float], months: Sequence[date], kind: str
                    ) -> Population:
    """``count`` synthetic people in households, with who calls and how often.

    Households include twins, fathers and sons with the same name, and common names repeated
    across the area; about one in four of those who report about their neighbours has the
    neighbours in the data too. Callers report in a window of twelve months (twenty-four for the
    one in ten repeat callers who move house), which may run past either end of the data.
    """
    maker = _Maker(rng, fake, zones=zones, zone_weights=zone_weights, months=months, kind=kind)
    specials: list[str] = (["twins"] * max(2, count // 250) + ["father_son"] * max(1, count // 500)
                           + ["common"] * max(6, count // 100))
    rng.shuffle(specials)
    while len(maker.people) < count:
        if specials and rng.random() < 0.5:
            special = specials.pop()
            if special == "twins":
                household = maker.twins()
            elif special == "father_son":
                household = maker.father_and_son()
            else:
                forced = COMMON_NAMES[len(specials) % len(COMMON_NAMES)]
                household = maker.family(size=rng.choice((1, 2, 2, 3)), forced=forced)
            callers = list(household.members[-2:]) if special != "common" else \
                household.members[:1]
        else:
            size = rng.choices([s for s, _ in _HOUSEHOLD_SIZES],
                               weights=[w for _, w in _HOUSEHOLD_SIZES])[0]
            household = maker.family(size=size)
            callers = [household.members[0]] + [
                p for p in household.members[1:] if rng.random() < 0.2]
        for caller in callers:
            _make_caller(maker, caller)
            if (caller.main_type is DetailedType.NUISANCE_NEIGHBOURS and caller.reports >= 2
                    and len(maker.people) < count and rng.random() < 0.8):
                neighbours = maker.household(next_to=caller.household)
                group = rng.choice(("", "", "", "south_asian"))
                for _ in range(rng.choice((1, 2, 2, 3))):
                    sex = rng.choice("MF")
                    given, family = maker.name(sex, family=neighbours.members[0].family_name
                                               if neighbours.members else None, group=group)
                    maker.person(neighbours, given=given, family=family, sex=sex,
                                 dob=maker.dob(age_from=17, age_to=60))
                caller.problem_neighbours = neighbours
    return Population(people=maker.people, households=maker.households,
                      addresses=maker.addresses.addresses)


def _make_caller(maker: _Maker, caller: DemoPerson) -> None:
    rng = maker.rng
    caller.reports = reports_per_caller(rng)
    first_month = maker.months[0]
    if caller.reports >= 3:
        # Repeat callers usually ring about the same problem, most often their neighbours.
        weights = dict(TYPE_WEIGHTS)
        weights[DetailedType.NUISANCE_NEIGHBOURS] *= 1.6
        weights[DetailedType.NOISE] *= 1.3
        types = list(weights)
        caller.main_type = rng.choices(types, weights=[weights[t] for t in types])[0]
    else:
        caller.main_type = draw_type(rng, month=first_month)
    special = "same name" in caller.note or "twin" in caller.note
    movable = caller.reports >= 2 and not special
    span = 24 if movable and rng.random() < 0.1 else 12
    span = min(span, len(maker.months))
    months = maker.months
    if not special:
        # The caller's year may run past either end of the data, as real callers' do: only
        # the reports inside it are seen. (Windows kept inside the data would thin out the
        # first and last eleven months, and the latest month is the one users look at.)
        start = rng.randrange(-(span - 1), len(months))
    else:  # twins and fathers and sons keep their whole year, so the demo always has them
        start = rng.randrange(len(months) - span + 1)
    low, high = max(start, 0), min(start + span, len(months))
    caller.window = tuple(months[low:high])
    if high - low < span:
        share = (high - low) / span
        caller.reports = sum(rng.random() < share for _ in range(caller.reports))
    if span == 24 and low < start + 12 < high:
        caller.moved_in = months[start + 12]
        home = caller.household.zone
        nearby = sorted(maker.zones, key=lambda z: (distance_km(
            (z.latitude, z.longitude), (home.latitude, home.longitude)), z.code))[1:9]
        new_home = maker.household(rng.choice(nearby) if nearby else home)
        new_home.landline = None
        caller.moved_to = new_home
        caller.note = "; ".join(filter(None, (caller.note, f"moved {caller.moved_in:%Y-%m}")))
    if caller.mobiles and rng.random() < 0.2:
        caller.mobiles.append((rng.choice(caller.window[1:] or caller.window),
                               maker.phones.mobile()))
    chance = 0.10 if caller.reports == 1 else 0.15 if caller.reports <= 5 else 0.25
    if rng.random() < chance:
        caller.vulnerabilities = _vulnerabilities(rng, caller, maker.latest_year)


def _vulnerabilities(rng: random.Random, person: DemoPerson, year: int
                     ) -> tuple[VulnerabilityKind, ...]:
    kinds: list[VulnerabilityKind] = []
    if person.age_in(year) >= 75:
        kinds.append(VulnerabilityKind.AGE)
    if len(person.household.members) == 1 and rng.random() < 0.5:
        kinds.append(VulnerabilityKind.LIVES_ALONE)
    if not kinds or rng.random() < 0.3:
        kinds.append(rng.choice((VulnerabilityKind.DISABILITY,
                                 VulnerabilityKind.LONG_TERM_ILLNESS,
                                 VulnerabilityKind.MENTAL_HEALTH,
                                 VulnerabilityKind.TARGETED_FOR_IDENTITY)))
    return tuple(dict.fromkeys(kinds))
