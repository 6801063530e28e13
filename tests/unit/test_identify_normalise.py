"""The normalisers: names, dates of birth, phones, e-mail, postcodes, addresses, UPRNs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.identify.normalise import (
    family_name_key,
    family_name_parts,
    given_name_key,
    name_forms,
    name_tokens,
    normalise_email,
    normalise_phone,
    normalise_street,
    normalise_uprn,
    parse_address,
    parse_date_of_birth,
    parse_postcode,
    phonetic_key,
    swapped_date,
)
from vigil.identify.normalise.names import known_names, nickname_pairs, spellings_of


def test_names_lose_case_accents_titles_suffixes_and_punctuation() -> None:
    assert name_tokens("  Mr SEÁN  O'Brien Jnr ") == ["sean", "obrien"]
    assert given_name_key("Dr. Zoë") == "zoe"
    assert given_name_key("Łukasz") == "lukasz"
    assert given_name_key("") is None


def test_hyphenated_and_double_barrelled_family_names_compare_alike() -> None:
    assert family_name_key("Smith-Jones") == family_name_key("smith jones") == "smithjones"
    assert family_name_parts("Bowes-Lyon") == ["bowes", "lyon"]


def test_the_nickname_table_holds_hundreds_of_pairs() -> None:
    assert nickname_pairs() >= 500


@pytest.mark.parametrize(("short", "formal"), [
    ("bill", "william"), ("kate", "catherine"), ("peggy", "margaret"), ("mo", "mohammed"),
    ("raj", "rajesh"), ("tom", "tomasz"), ("jo", "josephine"), ("becky", "rebecca"),
])
def test_short_forms_share_a_form_with_the_formal_name(short: str, formal: str) -> None:
    assert set(name_forms(short)) & set(name_forms(formal))


def test_unrelated_names_share_no_form() -> None:
    assert not set(name_forms("james")) & set(name_forms("oliver"))


def test_names_that_sound_alike_share_a_phonetic_key() -> None:
    assert phonetic_key("smith") == phonetic_key("smyth")
    assert phonetic_key(None) is None


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12),
       st.sampled_from(["upper", "title", "spaced", "lower"]))
def test_a_name_normalises_the_same_however_it_is_cased_or_spaced(name: str, style: str
                                                                  ) -> None:
    typed = {"upper": name.upper(), "title": name.title(), "spaced": f"  {name}  ",
             "lower": name}[style]
    assert family_name_key(typed) == family_name_key(name)


def test_dates_of_birth_may_be_partial_or_british() -> None:
    assert str(parse_date_of_birth("1970-05-03")) == "1970-05-03"
    assert str(parse_date_of_birth("03/05/1970")) == "1970-05-03"
    assert str(parse_date_of_birth("1970-05")) == "1970-05"
    assert str(parse_date_of_birth("1970")) == "1970"
    assert parse_date_of_birth("  ") is None
    with pytest.raises(ValueError, match="month"):
        parse_date_of_birth("1970-13-01")


@given(st.dates())
def test_swapping_day_and_month_twice_gives_the_date_back(day: object) -> None:
    dob = parse_date_of_birth(str(day)) if day.year >= 1000 else None  # type: ignore[attr-defined]
    swapped = swapped_date(dob)
    if swapped is not None:
        assert swapped_date(parse_date_of_birth(swapped)) == str(dob)


def test_a_date_that_cannot_be_swapped_has_no_swap() -> None:
    assert swapped_date(parse_date_of_birth("1980-05-05")) is None
    assert swapped_date(parse_date_of_birth("1980-05-13")) is None
    assert swapped_date(parse_date_of_birth("1980")) is None


@pytest.mark.parametrize("typed", [
    "07700 900123", "07700900123", "+447700900123", "+44 7700 900123", "07700 900 123",
    "(07700) 900123", "0044 7700 900123",
])
def test_phone_numbers_become_e164_with_gb_by_default(typed: str) -> None:
    assert normalise_phone(typed) == "+447700900123"


@given(st.integers(min_value=0, max_value=999999), st.sampled_from(["", " ", "-"]))
def test_any_spacing_of_a_uk_mobile_gives_one_number(tail: int, sep: str) -> None:
    digits = f"{tail:06d}"
    typed = f"07700{sep}{digits[:3]}{sep}{digits[3:]}"
    assert normalise_phone(typed) == f"+447700{digits}"


def test_text_that_is_no_phone_number_is_none() -> None:
    assert normalise_phone("call me") is None
    assert normalise_phone("12") is None


def test_emails_are_lower_case_and_must_look_like_addresses() -> None:
    assert normalise_email(" Jo.Bloggs@Example.COM ") == "jo.bloggs@example.com"
    assert normalise_email("not an email") is None


@given(st.sampled_from(["LE1 5WW", "SW1A 1AA", "B33 8TH", "CR2 6XH", "DN55 1PT", "M1 1AE"]),
       st.sampled_from(["lower", "nospace", "double", "asis"]))
def test_postcodes_normalise_however_they_are_typed(postcode: str, style: str) -> None:
    typed = {"lower": postcode.lower(), "nospace": postcode.replace(" ", ""),
             "double": postcode.replace(" ", "   "), "asis": postcode}[style]
    parsed = parse_postcode(typed)
    assert parsed is not None and parsed.unit == postcode


def test_a_postcode_splits_into_area_district_and_sector() -> None:
    parsed = parse_postcode("le15ww")
    assert parsed is not None
    assert (parsed.area, parsed.district, parsed.sector, parsed.unit) == (
        "LE", "LE1", "LE1 5", "LE1 5WW")
    assert parse_postcode("LE1 5W") is None


def test_street_types_are_written_out() -> None:
    assert normalise_street("Kings Rd.") == normalise_street("KINGS ROAD") == "kings road"
    assert normalise_street("St Mary's Cl") == "saint marys close"


@pytest.mark.parametrize("typed", [
    "Flat 2, 14 Kings Road, Leicester", "2/14 Kings Rd", "FLAT 2, 14 KINGS RD., LE1 5WW",
    "flat 2 14 kings road",
])
def test_addresses_typed_differently_give_one_dwelling(typed: str) -> None:
    address = parse_address(typed)
    assert address is not None and address.key == "2|14|kings road"


def test_an_address_can_have_a_house_name() -> None:
    address = parse_address("Rose Cottage, Mill Lane, Oakham")
    assert address is not None
    assert (address.house, address.street, address.town) == ("rose cottage", "mill lane",
                                                              "oakham")


def test_uprns_are_digits() -> None:
    assert normalise_uprn("0010001234") == "10001234"
    assert normalise_uprn("ABC") is None


def test_a_misspelt_formal_name_shares_a_form_with_its_nickname() -> None:
    assert spellings_of("rebbecca") == ("rebecca",)
    assert set(name_forms("rebbecca")) & set(name_forms("becky"))
    assert set(name_forms("elizabeh")) & set(name_forms("liz"))


def test_short_or_known_names_are_never_read_as_typing_slips() -> None:
    assert spellings_of("amir") == ()  # too short: one slip from amit, amie, ...
    assert spellings_of("jade") == ()
    assert spellings_of("amanda") == ()  # a known name is itself


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(known_names())))
def test_a_known_name_is_never_corrected(name: str) -> None:
    """Correction only ever applies to names the table does not know, so two real names (a
    pair of twins) never gain a form in common through it."""
    assert spellings_of(name) == ()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12))
def test_a_name_s_forms_always_include_the_name_and_grow_only_by_known_names(name: str) -> None:
    forms = set(name_forms(name))
    assert name in forms
    assert forms - {name} <= known_names()
