"""Blocking keys and the configurable rules."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from vigil.identify.blocking import blocking_keys, stop_limit
from vigil.identify.features import PersonDetails, features_of
from vigil.identify.rules import IdentificationRules


def test_a_common_name_alone_makes_only_a_key_few_records_may_share() -> None:
    keys = blocking_keys(features_of(PersonDetails(given_name="John", family_name="Smith")))
    assert keys and all(key.startswith("n:") for key in keys)
    assert all(stop_limit(key) <= 50 for key in keys)


def test_names_are_keyed_with_birth_postcode_phone_and_address() -> None:
    keys = blocking_keys(features_of(PersonDetails(
        given_name="Bill", family_name="Smith", date_of_birth="1970-05-03",
        phones=("07700 900123",), postcode="LE1 5WW", address="14 Kings Rd")))
    kinds = {key.split(":", 1)[0] for key in keys}
    assert {"p", "nd", "fd", "gd", "fs", "gs", "a", "dp", "hp"} <= kinds
    assert "gd:william|1970-05-03" in keys  # a nickname finds the formal name's records
    assert "fd:SM0|1970-03-05" in keys  # and a day/month swap finds the swapped date


def test_the_rules_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert IdentificationRules().repeat_victim_reports == 3
    monkeypatch.setenv("VIGIL_IDENTIFY_REPEAT_VICTIM_REPORTS", "5")
    monkeypatch.setenv("VIGIL_IDENTIFY_LOOK_BACK_DAYS", "180")
    rules = IdentificationRules()
    assert (rules.repeat_victim_reports, rules.look_back_days) == (5, 180)


def test_a_possible_match_cannot_need_more_than_a_match() -> None:
    with pytest.raises(ValidationError, match="possible_probability"):
        IdentificationRules(possible_probability=0.99, match_probability=0.9)


def test_a_block_of_flats_house_number_is_a_key_only_a_few_records_may_share() -> None:
    keys = blocking_keys(features_of(PersonDetails(
        given_name="Bill", family_name="Smith", postcode="LE1 5WW",
        address="Flat 12, 14 Kings Road, Leicester")))
    house = [key for key in keys if key.startswith("hp:")]
    assert house and all(stop_limit(key) == 80 for key in house)
    assert all(stop_limit(key) == 500 for key in keys if key.startswith("a:"))
