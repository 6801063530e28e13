"""The noise between one person's records does what it says."""

from __future__ import annotations

import random
import re
from datetime import date

from vigil.demo.noise import (
    NICKNAMES,
    address_as_typed,
    dob_as_typed,
    double_letter,
    drop_letter,
    format_phone,
    given_name_as_typed,
    nickname_for,
    normalise_postcode,
    postcode_variant,
    swap_day_and_month,
    transpose_letters,
)


def test_every_postcode_variant_normalises_back_to_the_same_postcode() -> None:
    rng = random.Random(1)
    for postcode in ("LE1 5WW", "LE19 4SX", "NB12 1RW", "CV13 2EN"):
        variants = {postcode_variant(rng, postcode) for _ in range(100)}
        assert len(variants) > 3
        assert {normalise_postcode(v) for v in variants} == {postcode}


def test_a_day_month_swap_is_a_valid_date_with_day_and_month_exchanged() -> None:
    assert swap_day_and_month(date(1970, 8, 3)) == date(1970, 3, 8)
    assert swap_day_and_month(date(1970, 8, 13)) is None
    assert swap_day_and_month(date(1970, 5, 5)) is None
    rng = random.Random(3)
    for _ in range(2000):
        dob = date(rng.randint(1930, 2005), rng.randint(1, 12), rng.randint(1, 28))
        typed, note = dob_as_typed(rng, dob, missing=0, year_only=0, swapped=1)
        assert typed is not None
        parsed = date.fromisoformat(typed)
        if note:
            assert (parsed.day, parsed.month) == (dob.month, dob.day)
        else:
            assert parsed == dob


def test_a_date_of_birth_may_be_missing_or_only_its_year() -> None:
    rng = random.Random(5)
    typed = [dob_as_typed(rng, date(1984, 2, 17))[0] for _ in range(3000)]
    assert None in typed
    assert "1984" in typed
    assert typed.count("1984-02-17") > len(typed) * 0.7


def test_nicknames_come_from_the_table() -> None:
    rng = random.Random(2)
    for formal, short_forms in NICKNAMES.items():
        assert nickname_for(rng, formal) in short_forms
    assert nickname_for(rng, "Zebedee") is None
    given = {given_name_as_typed(rng, "William", nickname=1.0)[0] for _ in range(200)}
    assert given == set(NICKNAMES["William"])


def test_typing_slips_change_one_letter() -> None:
    rng = random.Random(8)
    assert len(drop_letter(rng, "Thompson")) == 7
    assert len(double_letter(rng, "Philips")) == 8
    swapped = transpose_letters(rng, "Smith")
    assert sorted(swapped) == sorted("Smith") and swapped[0] == "S"


def test_phone_formats_keep_the_same_number() -> None:
    rng = random.Random(6)
    for number in ("07700900123", "01164960123", "01632960555"):
        for _ in range(50):
            written = format_phone(rng, number)
            digits = re.sub(r"\D", "", written)
            assert digits in (number, "44" + number[1:])


def test_an_address_can_lose_its_flat_number_or_shorten_the_street() -> None:
    rng = random.Random(4)
    typed = {address_as_typed(rng, flat="3", house="12", street="Kings Road",
                              town="Leicester")[0] for _ in range(300)}
    assert any("Rd" in t for t in typed)
    assert any(t.startswith("12 Kings") for t in typed)
    assert any("Flat 3" in t for t in typed)


def test_a_district_whose_postcodes_are_all_used_shares_them_instead_of_hanging() -> None:
    import random

    from vigil.demo.addresses import AddressBook
    from vigil.demo.area import Street, Zone

    streets = tuple(Street(f"Street {n}", 52.6, -1.1) for n in range(3_000))
    zone = Zone(code="X01000001", name="Tiny 001A", latitude=52.6, longitude=-1.1,
                population=1500, town="Tiny", postcode_district="LE7", streets=streets)
    book = AddressBook(random.Random(1))
    # 3,000 streets, each with houses both sides of number 30: 6,000 postcode groups, more than
    # the 3,600 unit postcodes LE7 can have.
    homes = [book.new_home(zone, street=streets[n % 3_000]) for n in range(24_000)]
    postcodes = {h.postcode for h in homes}
    assert len(homes) == 24_000
    assert all(p.startswith("LE7 ") for p in postcodes)
    assert len(postcodes) > 3_000  # nearly every unit postcode is used before any is shared
