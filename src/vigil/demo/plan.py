"""The whole demo, worked out in memory before anything is written: who called, when, about what,
where, and every person record with its truth. Pure: no database.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from faker import Faker

from vigil.demo.area import ON_OR_NEAR, AsbPoint, Zone, distance_km
from vigil.demo.calls import (
    AT_HOME_TYPES,
    category_for,
    describe,
    draw_type,
    exact_time_in_month,
    reference,
    status_for,
)
from vigil.demo.people import DemoPerson, Population, generate_people
from vigil.demo.records import PlannedRecord, bystander_record, caller_record, partner_record
from vigil.domain.incidents import Category, DetailedType, IncidentStatus, PersonRole

Progress = Callable[[str, int, int], None]

_BYSTANDER_TYPES = frozenset({DetailedType.ROWDY_BEHAVIOUR, DetailedType.VEHICLE_NUISANCE,
                              DetailedType.STREET_DRINKING})


@dataclass(slots=True)
class PlannedIncident:
    """One call to the Vigil log, and the records of the people in it with their roles."""

    point: AsbPoint
    occurred_at: datetime
    detailed_type: DetailedType
    category: Category
    description: str
    status: IncidentStatus
    address_key: str | None
    reference: str = ""
    people: list[tuple[int, PersonRole]] = field(default_factory=list)


@dataclass
class DemoPlan:
    population: Population
    incidents: list[PlannedIncident]
    records: list[PlannedRecord]


def plan_demo(*, seed: int, people: int, zones: Sequence[Zone], points: Sequence[AsbPoint],
              months: Sequence[date], kind: str, city_town: str,
              progress: Progress | None = None) -> DemoPlan:
    """Everything the demo will write, from ``seed`` alone (and the places given).

    ``zones`` are where people can live (LSOAs with a centroid), ``points`` the ASB points and
    months calls are placed on, ``city_town`` the town whose people the city council knows.
    """
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    asb_per_zone = Counter(p.lsoa_code for p in points)
    weights = [z.population * (1 + asb_per_zone[z.code]) ** 0.5 for z in zones]
    population = generate_people(rng, fake, count=people, zones=zones, zone_weights=weights,
                                 months=months, kind=kind)
    planner = _Planner(rng, zones=zones, points=points, latest_month=max(months))
    callers = [p for p in population.people if p.reports]
    for done, caller in enumerate(callers, start=1):
        planner.calls_from(caller, population)
        if progress and (done % 50 == 0 or done == len(callers)):
            progress("Planning calls", done, len(callers))
    planner.partner_records(population, city_town=city_town)
    planner.number_incidents()
    return DemoPlan(population=population, incidents=planner.incidents, records=planner.records)


class _Planner:
    def __init__(self, rng: random.Random, *, zones: Sequence[Zone], points: Sequence[AsbPoint],
                 latest_month: date) -> None:
        self.rng = rng
        self.zones = list(zones)
        self.points = list(points)
        self.latest_month = latest_month
        self.pools: dict[tuple[str, date], list[int]] = defaultdict(list)
        for index, point in enumerate(self.points):
            self.pools[(point.lsoa_code, point.month)].append(index)
        for key in sorted(self.pools):
            rng.shuffle(self.pools[key])
        self.used: dict[tuple[str, date], list[int]] = defaultdict(list)
        self._nearby: dict[str, list[str]] = {}
        self.incidents: list[PlannedIncident] = []
        self.records: list[PlannedRecord] = []
        self.suspected: Counter[str] = Counter()
        self.victims: set[str] = set()
        self.partner_counts: Counter[str] = Counter()
        self._streets: dict[tuple[str, str], list[DemoPerson]] | None = None
        self._young: dict[str, list[DemoPerson]] | None = None

    def nearby(self, zone: Zone) -> list[str]:
        """The zone's own code, then its six nearest zones'."""
        if zone.code not in self._nearby:
            here = (zone.latitude, zone.longitude)
            ranked = sorted(self.zones, key=lambda z: (distance_km(here, (z.latitude,
                                                                          z.longitude)), z.code))
            self._nearby[zone.code] = [z.code for z in ranked[:7]]
        return self._nearby[zone.code]

    def point_near(self, zone: Zone, month: date) -> tuple[AsbPoint, bool]:
        """An ASB point of ``month`` near home, and whether it is in the home zone itself."""
        codes = self.nearby(zone)
        if self.rng.random() < 0.25:
            codes = codes[1:] + codes[:1]
            self.rng.shuffle(codes)
        for code in codes:
            pool = self.pools.get((code, month))
            if pool:
                index = pool.pop()
                self.used[(code, month)].append(index)
                return self.points[index], code == zone.code
            reuse = self.used.get((code, month))
            if reuse and self.rng.random() < 0.5:
                return self.points[self.rng.choice(reuse)], code == zone.code
        # No open-data point near home that month: place it on a home street.
        street = self.rng.choice(zone.streets)
        return AsbPoint(month=month, latitude=street.latitude, longitude=street.longitude,
                        location=ON_OR_NEAR + street.name, lsoa_code=zone.code), True

    def calls_from(self, caller: DemoPerson, population: Population) -> None:
        rng = self.rng
        months = sorted(rng.choice(caller.window) for _ in range(caller.reports))
        for number, month in enumerate(months):
            home = caller.home_at(month)
            point, at_home_zone = self.point_near(home.zone, month)
            detailed_type = (caller.main_type if caller.main_type and rng.random() < 0.7
                             else draw_type(rng, month=month))
            occurred_at = exact_time_in_month(rng, month)
            at_home = detailed_type in AT_HOME_TYPES and at_home_zone
            street = (home.address.street if at_home
                      else point.location.removeprefix(ON_OR_NEAR.strip()).strip()
                      or home.address.street)
            if "/" in street or street in ("Supermarket", "Nightclub", "Petrol Station"):
                street = f"the {street.split('/')[0].lower()}"
            incident = PlannedIncident(
                point=point, occurred_at=occurred_at, detailed_type=detailed_type,
                category=category_for(rng, detailed_type),
                description=describe(rng, detailed_type=detailed_type, street=street,
                                     occurred_at=occurred_at),
                status=status_for(rng, month=month, latest_month=self.latest_month),
                address_key=home.address.key if at_home else None)
            self.incidents.append(incident)
            key = f"call-{len(self.incidents):06d}"  # replaced by the reference, once known
            at = occurred_at + timedelta(minutes=rng.randint(2, 90))
            record = caller_record(rng, caller, month=month, at=at, source_key=f"{key}/caller",
                                   earlier_calls=number)
            incident.people.append((self._add(record), PersonRole.CALLER))
            if at_home or rng.random() < 0.85:
                incident.people.append((len(self.records) - 1, PersonRole.VICTIM))
                self.victims.add(caller.key)
            witness = (self._witness_for(caller, home.members, population)
                       if rng.random() < 0.1 else None)
            if witness is not None:
                record = bystander_record(rng, witness, month=month, at=at,
                                          source_key=f"{key}/witness", role="witness")
                incident.people.append((self._add(record), PersonRole.WITNESS))
            suspect = self._suspect_for(caller, detailed_type, home.zone.code, population)
            if suspect is not None:
                record = bystander_record(rng, suspect, month=month, at=at,
                                          source_key=f"{key}/suspect", role="suspect")
                incident.people.append((self._add(record), PersonRole.SUSPECT))
                self.suspected[suspect.key] += 1

    def _add(self, record: PlannedRecord) -> int:
        self.records.append(record)
        return len(self.records) - 1

    def _witness_for(self, caller: DemoPerson, members: Sequence[DemoPerson],
                     population: Population) -> DemoPerson | None:
        """Someone at home with the caller, or else a neighbour on the same street."""
        others = [p for p in members if p is not caller]
        if others:
            return self.rng.choice(others)
        if self._streets is None:
            self._streets = defaultdict(list)
            for household in population.households:
                address = household.address
                self._streets[(address.lsoa_code, address.street)].extend(household.members)
        address = caller.home_at(caller.window[0]).address
        neighbours = [p for p in self._streets.get((address.lsoa_code, address.street), [])
                      if p.household is not caller.household]
        return self.rng.choice(neighbours) if neighbours else None

    def _suspect_for(self, caller: DemoPerson, detailed_type: DetailedType, zone_code: str,
                     population: Population) -> DemoPerson | None:
        rng = self.rng
        neighbours = caller.problem_neighbours
        if (detailed_type is DetailedType.NUISANCE_NEIGHBOURS and neighbours is not None
                and neighbours.members and rng.random() < 0.55):
            return rng.choice(neighbours.members)
        if detailed_type in _BYSTANDER_TYPES and rng.random() < 0.08:
            young = self._young_people(population).get(zone_code)
            if young:
                return rng.choice(young)
        return None

    def _young_people(self, population: Population) -> dict[str, list[DemoPerson]]:
        if self._young is None:
            year = self.latest_month.year
            self._young = defaultdict(list)
            for person in population.people:
                if not person.reports and 16 <= person.age_in(year) <= 30:
                    self._young[person.household.zone.code].append(person)
        return self._young

    def partner_records(self, population: Population, *, city_town: str) -> None:
        """Records of the same people in the council's, the housing provider's and the crime
        system's lists, with no incident in Vigil attached."""
        rng = self.rng
        counters: Counter[str] = Counter()
        for person in population.people:
            month = person.window[-1] if person.window else self.latest_month
            wanted: list[tuple[str, bool]] = []
            suspected = self.suspected[person.key]
            home = person.home_at(month)
            if home.zone.town == city_town and (
                    (person.reports >= 4 and rng.random() < 0.45)
                    or (suspected >= 2 and rng.random() < 0.5)):
                wanted.append(("council-cases", False))
            if home.social_tenant and ((person.reports >= 2 and rng.random() < 0.5)
                                       or (suspected and rng.random() < 0.5)):
                wanted.append(("housing-cases", False))
            if ((person.key in self.victims and rng.random() < (0.2 if person.vulnerabilities
                                                                else 0.06))
                    or (suspected and rng.random() < 0.4)
                    or (not person.reports and rng.random() < 0.02)):
                wanted.append(("crime-records", True))
            for source, police_only in wanted:
                counters[source] += 1
                at = exact_time_in_month(rng, month)
                key = {"council-cases": f"ASB-{counters[source]:05d}",
                       "housing-cases": f"TEN-{counters[source]:06d}",
                       "crime-records": f"CR-{at.year}-{counters[source]:06d}"}[source]
                self.records.append(partner_record(rng, person, source=source, source_key=key,
                                                   month=month, at=at,
                                                   police_only=police_only))
        self.partner_counts = counters

    def number_incidents(self) -> None:
        """Give each call its log reference in time order, numbered within each year."""
        ordered = sorted(range(len(self.incidents)),
                         key=lambda i: (self.incidents[i].occurred_at, i))
        next_number: dict[int, int] = {}
        for index in ordered:
            incident = self.incidents[index]
            year = incident.occurred_at.year
            if year not in next_number:
                next_number[year] = self.rng.randint(900, 4000)
            next_number[year] += 1
            incident.reference = reference(year, next_number[year])
            for record_index, role in incident.people:
                if role is not PersonRole.VICTIM:
                    self.records[record_index].source_key = f"{incident.reference}/{role.value}"
