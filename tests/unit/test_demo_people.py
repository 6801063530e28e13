"""Synthetic people: how often they call, their households, and that a seed fixes them."""

from __future__ import annotations

import random

from faker import Faker

from vigil.demo.area import build_synthetic_area
from vigil.demo.people import Population, generate_people, reports_per_caller


def _population(seed: int, count: int = 600) -> Population:
    area = build_synthetic_area(random.Random(f"{seed}-area"), points=3000)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    return generate_people(random.Random(seed), fake, count=count, zones=area.zones,
                           zone_weights=[z.population for z in area.zones], months=area.months,
                           kind="synthetic")


def test_reports_per_caller_match_the_2012_survey_of_asb_callers() -> None:
    rng = random.Random(1)
    sample = [reports_per_caller(rng) for _ in range(40_000)]
    share = lambda test: sum(1 for n in sample if test(n)) / len(sample)  # noqa: E731
    assert abs(share(lambda n: n == 1) - 0.50) < 0.01
    assert abs(share(lambda n: n >= 6) - 0.25) < 0.01
    assert abs(share(lambda n: n > 10) - 1 / 7) < 0.01
    assert max(sample) <= 40


def test_the_same_seed_gives_the_same_people() -> None:
    def described(population: Population) -> list[tuple[object, ...]]:
        return [(p.key, p.given_name, p.family_name, p.date_of_birth, p.household.key,
                 p.household.address.postcode, tuple(p.mobiles), p.reports, p.window,
                 p.vulnerabilities) for p in population.people]

    assert described(_population(7)) == described(_population(7))
    assert described(_population(7)) != described(_population(8))


def test_households_include_twins_and_a_father_and_son_with_the_same_name() -> None:
    population = _population(3)
    twins = [p for p in population.people if p.note.startswith("twin of")]
    assert len(twins) >= 4
    by_key = {p.key: p for p in population.people}
    for twin in twins:
        other = by_key[twin.note.split()[2].rstrip(";")]
        assert other.household is twin.household
        assert other.family_name == twin.family_name
        assert other.date_of_birth == twin.date_of_birth
        assert other.given_name != twin.given_name
    fathers = [p for p in population.people if p.note.startswith("father of")]
    assert fathers
    for father in fathers:
        son = by_key[father.note.split()[2].rstrip(",")]
        assert (son.given_name, son.family_name) == (father.given_name, father.family_name)
        assert son.household is father.household
        assert son.date_of_birth.year - father.date_of_birth.year >= 20


def test_common_names_belong_to_different_people_in_different_homes() -> None:
    population = _population(5)
    smiths = [p for p in population.people
              if (p.given_name, p.family_name) == ("John", "Smith") and p.note == "common name"]
    assert len(smiths) >= 2
    assert len({p.household.address.key for p in smiths}) == len(smiths)
    assert len({p.date_of_birth for p in smiths}) == len(smiths)


def test_about_one_caller_in_seven_is_vulnerable() -> None:
    population = _population(11, count=3000)
    callers = [p for p in population.people if p.reports]
    share = sum(1 for p in callers if p.vulnerabilities) / len(callers)
    assert 0.10 < share < 0.20


def test_household_members_share_an_address_and_neighbours_share_a_street() -> None:
    population = _population(13)
    shared = [h for h in population.households if len(h.members) >= 2]
    assert shared
    streets: dict[tuple[str, str, str], list[object]] = {}
    for household in population.households:
        address = household.address
        streets.setdefault((address.lsoa_code, address.street, address.postcode), []).append(
            household)
    assert any(len(homes) >= 2 for homes in streets.values())
    assert len({a.uprn for a in population.addresses if a.uprn}) == sum(
        1 for a in population.addresses if a.uprn)
