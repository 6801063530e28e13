"""The Fellegi–Sunter model and the on-line scorer: levels, weights, JSON, and the people it
must never link."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vigil.identify.features import PersonDetails, features_of
from vigil.identify.model import Model, ModelError, default_model
from vigil.identify.score import probability_of, score_pair
from vigil.identify.spec import untrained_model

HOME = {"address": "Flat 2, 14 Kings Road, Leicester", "postcode": "LE1 5WW",
        "phones": ("0116 496 0123",)}


def person(**fields: object) -> dict[str, object]:
    return features_of(PersonDetails(**fields))  # type: ignore[arg-type]


def probability(a: dict[str, object], b: dict[str, object]) -> float:
    return score_pair(default_model(), a, b).match_probability


def test_the_shipped_model_loads_and_was_trained_with_splink() -> None:
    model = default_model()
    assert model.trained.get("trained_with") == "splink"
    assert {c.name for c in model.comparisons} >= {"given_name", "family_name",
                                                   "date_of_birth", "phone", "address"}


def test_a_model_survives_a_round_trip_through_json(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    default_model().save(path)
    assert Model.load(path) == default_model()


def test_a_broken_model_file_lists_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"format": "other", "comparisons": [
        {"name": "x", "levels": [{"condition": {"kind": "exact", "column": "nope"}}]}]}))
    with pytest.raises(ModelError) as error:
        Model.load(path)
    text = str(error.value)
    assert "format" in text and "probability" in text and "'nope'" in text


def test_the_same_person_typed_differently_is_a_match() -> None:
    formal = person(given_name="William", family_name="Smith-Jones", date_of_birth="1970-05-03",
                    **HOME)
    typed = person(given_name="bill", family_name="Smith Jones", date_of_birth="1970-03-05",
                   address="2/14 Kings Rd", postcode="le15ww", phones=("+441164960123",))
    assert probability(formal, typed) > 0.999


def test_explain_gives_each_fields_level_and_weight() -> None:
    a = person(given_name="Katherine", family_name="Patel", date_of_birth="1980-01-02")
    b = person(given_name="Kate", family_name="Patel", date_of_birth="1980")
    fields = {f.comparison: f for f in score_pair(default_model(), a, b).fields}
    assert fields["given_name"].level == "nickname or short form"
    assert fields["given_name"].weight > 0
    assert fields["date_of_birth"].level == "same year"
    assert fields["phone"].level == "missing" and fields["phone"].weight == 0


def test_twins_at_one_address_are_not_linked() -> None:
    one = person(given_name="Amanda", family_name="Miah", date_of_birth="2000-10-14", **HOME)
    two = person(given_name="Jade", family_name="Miah", date_of_birth="2000-10-14", **HOME)
    assert probability(one, two) < 0.001


def test_a_father_and_son_of_one_name_are_not_linked() -> None:
    father = person(given_name="John", family_name="Carter", date_of_birth="1958-02-11", **HOME)
    son = person(given_name="John", family_name="Carter", date_of_birth="1986-07-30", **HOME)
    assert probability(father, son) < 0.001


def test_household_members_sharing_address_landline_and_name_are_not_linked() -> None:
    mother = person(given_name="Susan", family_name="Price", date_of_birth="1965-03-01", **HOME)
    daughter = person(given_name="Chloe", family_name="Price", **HOME)
    assert probability(mother, daughter) < 0.001


def test_neighbours_sharing_a_postcode_and_street_are_not_linked() -> None:
    a = person(given_name="Gary", family_name="Hill", address="12 Kings Road",
               postcode="LE1 5WW")
    b = person(given_name="Irene", family_name="Booth", address="14 Kings Road",
               postcode="LE1 5WW")
    assert probability(a, b) < 0.001


def test_common_names_with_different_birthdays_are_not_linked() -> None:
    a = person(given_name="Mohammed", family_name="Khan", date_of_birth="1979-04-02",
               postcode="LE2 1AA")
    b = person(given_name="Mohammed", family_name="Khan", date_of_birth="1991-08-17",
               postcode="LE5 3BB")
    assert probability(a, b) < 0.001


def test_probability_is_safe_at_the_extremes() -> None:
    assert probability_of(2000) == 1.0
    assert probability_of(-2000) == 0.0
    assert probability_of(0) == 0.5


def test_splink_settings_carry_the_same_conditions_and_probabilities() -> None:
    model = default_model()
    settings = model.to_splink_settings()
    given = settings["comparisons"][0]["comparison_levels"]
    assert given[0]["is_null_level"] is True
    assert given[1]["sql_condition"] == '"given_l" = "given_r"'
    assert given[1]["m_probability"] == model.comparisons[0].levels[1].m
    assert given[-1]["sql_condition"] == "ELSE" and given[-1]["fix_m_probability"] is True


def test_the_untrained_model_names_only_known_columns() -> None:
    for comparison in untrained_model().comparisons:
        for level in comparison.levels:
            assert level.condition.sql()


def test_given_and_family_names_typed_the_wrong_way_round_still_match() -> None:
    a = person(given_name="Felicity", family_name="White", date_of_birth="1948-08-06",
               address="24 Carter Crescent", postcode="LE2 3AB")
    b = person(given_name="White", family_name="Felicity", date_of_birth="1948-08-06",
               address="24 Carter Cres", postcode="LE2 3AB")
    fields = {f.comparison: f.level for f in score_pair(default_model(), a, b).fields}
    assert fields["given_name"] == "given and family names transposed"
    assert probability(a, b) > 0.99


def test_a_vetoed_pair_says_so_whatever_else_agrees() -> None:
    from vigil.identify.score import vetoed

    one = person(given_name="Amanda", family_name="Miah", date_of_birth="2000-10-14", **HOME)
    two = person(given_name="Jade", family_name="Miah", date_of_birth="2000-10-14", **HOME)
    assert score_pair(default_model(), one, two).vetoed
    assert vetoed(default_model(), one, two)
    assert not vetoed(default_model(), one, one)


def test_a_postcode_from_elsewhere_is_compared_as_typed() -> None:
    assert person(postcode="4223")["postcode"] == "4223"
    assert person(postcode="4223")["pc_sector"] is None
    assert person(postcode="le1 5ww")["pc_sector"] == "LE1 5"
