"""The Fellegi–Sunter model and the on-line scorer: levels, weights, JSON, and the people it
must never link."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

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
    assert fields["date_of_birth"].level == "same year, one gives only the year"
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
    # The guard sits above the trained "different": it reads the household's fields too.
    assert given[-2]["fix_m_probability"] is True and '"family_l" = "family_r"' in \
        given[-2]["sql_condition"]
    assert given[-1]["sql_condition"] == "ELSE" and given[-1]["fix_m_probability"] is False


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


# ----- The guard rule (identify/spec.py) and the levels added with it ------------------------

def levels(a: dict[str, object], b: dict[str, object]) -> dict[str, str]:
    return {f.comparison: f.level for f in score_pair(default_model(), a, b).fields}


def test_different_given_names_in_one_household_are_vetoed_whatever_else_agrees() -> None:
    # Partners with different family names, one record without a date of birth.
    one = person(given_name="Gareth", family_name="Lloyd", date_of_birth="1970-01-05", **HOME)
    two = person(given_name="Priya", family_name="Shah", **HOME)
    assert score_pair(default_model(), one, two).vetoed


def test_different_given_names_with_nothing_of_a_household_shared_are_only_evidence() -> None:
    one = person(given_name="Gareth", family_name="Lloyd", date_of_birth="1970-01-05",
                 postcode="LE1 5WW")
    two = person(given_name="Priya", family_name="Shah", date_of_birth="1970-01-05",
                 postcode="LE5 3BB")
    score = score_pair(default_model(), one, two)
    assert not score.vetoed
    assert levels(one, two)["given_name"] == "different"
    assert score.match_probability < 0.001  # still far from a match


def test_same_birthday_at_one_address_with_both_names_different_is_not_a_household_veto(
) -> None:
    # Not twins (twins share a family name): a record under another name (an alias).
    one = person(given_name="Gareth", family_name="Lloyd", date_of_birth="1970-01-05", **HOME)
    two = person(given_name="Priya", family_name="Shah", date_of_birth="1970-01-05", **HOME)
    assert not score_pair(default_model(), one, two).vetoed


def test_a_year_of_birth_one_typing_slip_away_is_not_a_veto() -> None:
    a = person(given_name="Julie", family_name="Osei", date_of_birth="1958-03-26", **HOME)
    b = person(given_name="Julie", family_name="Osei", date_of_birth="1953-03-26", **HOME)
    assert levels(a, b)["date_of_birth"] == "one typing slip apart, under ten years"
    assert not score_pair(default_model(), a, b).vetoed


def test_a_year_alone_that_agrees_weighs_more_than_two_dates_in_one_year() -> None:
    full = person(given_name="Susan", family_name="Read", date_of_birth="1958-03-26")
    year = person(given_name="Susan", family_name="Read", date_of_birth="1958")
    other = person(given_name="Susan", family_name="Read", date_of_birth="1958-11-02")
    consistent = {f.comparison: f for f in score_pair(default_model(), full, year).fields}
    clash = {f.comparison: f for f in score_pair(default_model(), full, other).fields}
    assert consistent["date_of_birth"].level == "same year, one gives only the year"
    assert clash["date_of_birth"].level == "same year"
    assert consistent["date_of_birth"].weight > clash["date_of_birth"].weight


def test_a_nickname_against_a_misspelt_formal_name_still_matches() -> None:
    a = person(given_name="Becky", family_name="Adams", date_of_birth="1972-12-01", **HOME)
    b = person(given_name="Rebbecca", family_name="Adams", date_of_birth="1972-12-01", **HOME)
    assert levels(a, b)["given_name"] == "nickname or short form"
    assert probability(a, b) > 0.99


def test_transposed_names_with_a_spelling_slip_are_recognised() -> None:
    a = person(given_name="Nicholas", family_name="Delacruz", date_of_birth="1918-08-23")
    b = person(given_name="Delacrus", family_name="Nichollas", date_of_birth="1918-08-23")
    assert levels(a, b)["given_name"] == "transposed, with spelling slips"


given_names = st.sampled_from(["Amanda", "Jade", "Chloe", "Susan", "Gareth", "Priya", "Omar"])
family_names = st.sampled_from(["Miah", "Price", "Carter", "Lloyd", "Khan", "Smith"])
dates = st.dates(min_value=date(1930, 1, 1), max_value=date(2010, 12, 31))


@settings(max_examples=200, deadline=None)
@given(first=given_names, second=given_names, family=family_names, born=dates,
       other_born=st.none() | dates, same_family=st.booleans())
def test_household_members_with_different_given_names_are_never_linked(
        first: str, second: str, family: str, born: date, other_born: date | None,
        same_family: bool) -> None:
    """Twins (same birthday), parents and children, partners: at one address and landline,
    with given names that share nothing, never one person, unless both names differ and
    the birthday is the same (no household's two members)."""
    assume(first != second)
    second_family = family if same_family else "Okonkwo"
    a = person(given_name=first, family_name=family, date_of_birth=born.isoformat(), **HOME)
    b = person(given_name=second, family_name=second_family,
               date_of_birth=other_born.isoformat() if other_born else None, **HOME)
    if same_family or other_born != born:
        assert score_pair(default_model(), a, b).vetoed
        assert probability(a, b) < 0.001


@settings(max_examples=200, deadline=None)
@given(name=given_names, family=family_names, father=dates,
       gap=st.integers(min_value=16, max_value=50))
def test_a_father_and_son_of_one_name_at_one_address_are_never_linked(
        name: str, family: str, father: date, gap: int) -> None:
    son = father.replace(year=father.year + gap) if not (
        father.month == 2 and father.day == 29) else date(father.year + gap, 3, 1)
    a = person(given_name=name, family_name=family, date_of_birth=father.isoformat(), **HOME)
    b = person(given_name=name, family_name=family, date_of_birth=son.isoformat(), **HOME)
    assert score_pair(default_model(), a, b).vetoed
    assert probability(a, b) < 0.001


def test_every_new_condition_reads_back_from_json_and_treats_missing_as_false() -> None:
    from vigil.identify.conditions import (
        AnyOf,
        CrossedJaroWinklerAtLeast,
        DamerauLevenshteinAtMost,
        Differs,
        Exact,
        condition_from_json,
    )

    conditions = [AnyOf((Exact("family"), Differs("dob"))), Differs("dob"),
                  CrossedJaroWinklerAtLeast("given", "family", 0.9),
                  DamerauLevenshteinAtMost("dob", 1)]
    empty = person()
    full = person(given_name="Ann", family_name="Lee", date_of_birth="1970-01-02")
    for condition in conditions:
        assert condition_from_json(condition.to_json()) == condition
        assert not condition.holds(empty, full) and not condition.holds(full, empty)
    with pytest.raises(ValueError, match="at most 1 edit"):
        DamerauLevenshteinAtMost("dob", 2)


def test_without_guards_the_address_is_compared_part_by_part_and_nothing_vetoes() -> None:
    model = untrained_model(guards=False)
    names = [c.name for c in model.comparisons]
    assert "address" not in names
    assert {"house_number", "street", "locality", "postcode", "uprn"} <= set(names)
    assert not any(lv.fix_m for c in model.comparisons for lv in c.levels)


def test_a_batch_pairs_records_sharing_only_a_date_of_birth() -> None:
    from vigil.identify.batch import candidate_pairs

    a = person(given_name="Jarvis", family_name="Lutz", date_of_birth="1905-05-20")
    b = person(given_name="Darcy", family_name="Paterson", date_of_birth="1905-05-20")
    assert list(candidate_pairs([a, b])) == [(0, 1)]


# The compiled scorer against the reference, condition by condition, on pairs drawn from small
# pools so that every level (nicknames, slips, swaps, households, missing values) comes up.
_GIVEN = st.sampled_from([None, "William", "Bill", "Wiliam", "Billy", "Liam", "Smith", "Ann",
                          "Anne", "Annie", "Mohammed", "Muhammad", "J"])
_FAMILY = st.sampled_from([None, "Smith", "Smyth", "Smith-Jones", "Jones", "William", "Khan",
                           "Kahn", "Lee"])
_DOB = st.sampled_from([None, "1970-05-03", "1970-03-05", "1970-05-04", "1970-05", "1970",
                        "1971-05-03", "1907-05-03", "1960-05-03", "1969-05-03", "03/05/1970"])
_ADDRESS = st.sampled_from([None, "Flat 2, 14 Kings Road, Leicester", "14 Kings Rd",
                            "16 Kings Road, Leicester", "2 Queens Street, Loughborough"])
_POSTCODE = st.sampled_from([None, "LE1 5WW", "le15ww", "LE1 5WX", "LE1 6AA", "LE11 3QQ",
                             "12345"])
_PHONES = st.lists(st.sampled_from(["0116 496 0123", "07700 900123", "07700 900999"]),
                   max_size=2)
_EMAIL = st.sampled_from([None, "ann@example.org", "anne@example.org", "bill@example.com"])
_DETAILS = st.builds(PersonDetails, given_name=_GIVEN, family_name=_FAMILY,
                     date_of_birth=_DOB, phones=_PHONES, email=_EMAIL, address=_ADDRESS,
                     postcode=_POSTCODE, uprn=st.sampled_from([None, "100030001", "100030002"]))


# Records whose frequencies the no-guards model's term-frequency tables are taken from (with the
# pair itself), so that common, rare and unseen values all come up.
_TABLE_RECORDS = [PersonDetails(given_name=given, family_name=family, address=address)
                  for given, family, address in (
                      ("William", "Smith", "14 Kings Road, Leicester"),
                      ("Ann", "Smith", "16 Kings Road, Leicester"),
                      ("Bill", "Khan", "2 Queens Street, Loughborough"),
                      ("Ann", "Jones", "14 Kings Rd"))]


@settings(max_examples=400, deadline=None)
@given(_DETAILS, _DETAILS, st.booleans())
def test_the_compiled_scorer_gives_every_level_the_reference_gives(
        one: PersonDetails, two: PersonDetails, guards: bool) -> None:
    from vigil.identify.score import score_pair_slowly, vetoed

    a, b = features_of(one), features_of(two)
    model = default_model() if guards else _trained_by_hand(untrained_model(guards=False)) \
        .with_term_frequencies([a, b, *map(features_of, _TABLE_RECORDS)])
    fast, slow = score_pair(model, a, b), score_pair_slowly(model, a, b)
    assert [(f.comparison, f.level) for f in fast.fields] == \
        [(f.comparison, f.level) for f in slow.fields]
    assert fast.match_weight == pytest.approx(slow.match_weight)
    assert fast.vetoed == slow.vetoed == vetoed(model, a, b)


@settings(max_examples=300, deadline=None)
@given(_DETAILS, _DETAILS, st.sampled_from([0.0, 1e-6, 0.2, 0.5, 0.95, 1.0]), st.booleans())
def test_scoring_unless_bounded_gives_the_full_score_or_a_true_bound(
        one: PersonDetails, two: PersonDetails, keep_above: float, guards: bool) -> None:
    from vigil.identify.compiled import compiled, probability_of

    a, b = features_of(one), features_of(two)
    # Without guards nothing is ever bounded: every pair is scored in full.
    scorer = compiled(default_model() if guards else _NO_GUARDS)
    full = scorer.score(a, b)
    levels, weight, vetoed, scored = scorer.score_or_bound(a, b, keep_above)
    if scored:
        assert (levels, weight, vetoed) == full
        return
    # Only a vetoed pair is bounded, with the guarded comparisons' levels, by the most it could
    # weigh, and only when even that is below the probability asked for.
    guard_levels, guard_weight, guard_vetoed = scorer.guards(a, b)
    assert vetoed and guard_vetoed and full[2]
    assert levels == guard_levels
    assert weight == scorer.most_without_guards + guard_weight
    assert weight >= full[1] - 1e-9  # when every other comparison is at its best, the same
    assert probability_of(weight) < keep_above


def test_the_compiled_scorer_can_be_read() -> None:
    from vigil.identify.compiled import compiled

    source = compiled(default_model()).source
    assert source.startswith("def score(L, R):") and "_jw(l_given, r_given)" in source


def _trained_by_hand(model: Model) -> Model:
    """``model`` with made-up m and u on every level (the tests need weights, not good ones)."""
    from dataclasses import replace

    return replace(model, comparisons=tuple(
        replace(c, levels=tuple(lv if lv.is_null else replace(
            lv, m=0.9 / (n + 1), u=0.5 / (n + 2) ** 2) for n, lv in enumerate(c.levels)))
        for c in model.comparisons))


_NO_GUARDS = _trained_by_hand(untrained_model(guards=False))


def test_agreeing_on_a_rare_family_name_weighs_more_than_on_a_common_one() -> None:
    from vigil.identify.score import score_pair_slowly

    def record(family: str, given: str) -> dict[str, object]:
        return person(given_name=given, family_name=family, date_of_birth="1970-05-03")

    smiths = [record("Smith", given) for given in ("Ann", "Ann", "Bob", "Carl")]
    rare = [record("Okonkwo", "Ann"), record("Okonkwo", "Ann")]
    plain = _trained_by_hand(untrained_model(guards=False))
    model = plain.with_term_frequencies(smiths + rare)
    assert model.tf_columns == ("given", "family", "street", "town")
    common_pair, rare_pair = (smiths[0], smiths[1]), (rare[0], rare[1])
    for scorer in (score_pair, score_pair_slowly):
        # The same levels, but a family name two of six records share says more than one four
        # share: log2(4/6) - log2(2/6) = 1 bit (the given names, Ann, are equally common).
        common, rarer = scorer(model, *common_pair), scorer(model, *rare_pair)
        assert common.fields == rarer.fields
        assert rarer.match_weight - common.match_weight == pytest.approx(1.0)
        # Without the tables (the on-line lookup), the levels weigh what they always did.
        assert scorer(plain, *common_pair).match_weight == \
            scorer(plain, *rare_pair).match_weight


def test_the_shipped_model_has_no_term_frequency_levels() -> None:
    from vigil.identify.compiled import compile_model

    model = default_model()
    assert model.tf_columns == () and "_tf" not in compile_model(model).source
    assert compile_model(model).source == \
        compile_model(model.with_term_frequencies([person(given_name="Ann")])).source


def test_a_term_frequency_level_reads_back_from_json_and_needs_an_exact_level() -> None:
    model = untrained_model(guards=False)
    again = Model.from_json(json.loads(json.dumps(model.to_json())))
    assert again == model and again.tf_columns == model.tf_columns
    settings = model.to_splink_settings()
    street = next(c for c in settings["comparisons"] if c["output_column_name"] == "street")
    assert street["comparison_levels"][1]["tf_adjustment_column"] == "street"
    data = model.to_json()
    levels = next(c for c in data["comparisons"] if c["name"] == "locality")["levels"]
    levels.pop(1)  # the exact level a term-frequency adjustment needs
    levels[1]["tf_column"] = "town"
    levels[-1]["tf_column"] = "phones"
    with pytest.raises(ModelError) as error:
        Model.from_json(data)
    assert error.value.problems == [
        "comparison 9 level 4: tf_column 'phones' must be a feature column of single values, "
        "on a level that is neither 'missing' nor 'otherwise'",
        "comparison locality has a term-frequency level on town but no exact level on it"]
