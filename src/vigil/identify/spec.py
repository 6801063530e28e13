"""The comparisons Vigil's model is made of, before training.

Each level is chosen for what control rooms meet: nicknames, typos and phonetic spellings of
names; day/month swaps and partial dates of birth; changed phones; Rd/Road, flats and moves.

Two levels are *guards*, with their m-probability fixed rather than trained: given names that
share nothing, and years of birth more than a year apart. Members of one household agree on
family name, address, landline and (twins) date of birth; with independent weights those
agreements outvote any one disagreement, and a Fellegi–Sunter model trained on household-heavy
data links twins, and fathers and sons of the same name. Fixing m for those two levels says what
a handler knows: a different first name, or a birth a generation apart, is a different person.
"""

from __future__ import annotations

from dataclasses import replace

from vigil.identify.conditions import (
    AllOf,
    Crossed,
    EitherMissing,
    Exact,
    JaroWinklerAtLeast,
    LevenshteinAtMost,
    Otherwise,
    Overlaps,
    WithinOf,
)
from vigil.identify.model import Comparison, Level, Model

# m for a guard level: a weight of about -50, more than all other fields can add up to.
GUARD_M = 1e-15


def _null(*columns: str) -> Level:
    return Level("missing", EitherMissing(columns))


def _guard(label: str) -> Level:
    return Level(label, Otherwise(), m=GUARD_M, fix_m=True)


def comparisons(*, guards: bool = True) -> tuple[Comparison, ...]:
    """Vigil's comparisons; without ``guards`` the two guard levels are trained like any
    other (for data without households, such as FEBRL's)."""
    if guards:
        return COMPARISONS
    return tuple(replace(c, levels=tuple(
        replace(lv, m=None, fix_m=False) if lv.fix_m else lv for lv in c.levels))
        for c in COMPARISONS)


COMPARISONS: tuple[Comparison, ...] = (
    Comparison("given_name", "Given name (first word)", (
        _null("given"),
        Level("exact", Exact("given")),
        Level("nickname or short form", Overlaps("given_forms")),
        Level("Jaro-Winkler >= 0.92", JaroWinklerAtLeast("given", 0.92)),
        Level("sounds alike (metaphone)", Exact("given_meta")),
        Level("Jaro-Winkler >= 0.80", JaroWinklerAtLeast("given", 0.8)),
        Level("same initial, Jaro-Winkler >= 0.70", AllOf((
            Exact("given_initial"), JaroWinklerAtLeast("given", 0.7)))),
        Level("given and family names transposed", Crossed("given", "family")),
        _guard("different"),
    )),
    Comparison("family_name", "Family name", (
        _null("family"),
        Level("exact", Exact("family")),
        Level("Jaro-Winkler >= 0.92", JaroWinklerAtLeast("family", 0.92)),
        Level("shares a part of a double-barrelled name", Overlaps("family_parts")),
        Level("sounds alike (metaphone)", Exact("family_meta")),
        Level("Jaro-Winkler >= 0.80", JaroWinklerAtLeast("family", 0.8)),
        Level("given and family names transposed", Crossed("family", "given")),
        Level("different", Otherwise()),
    )),
    Comparison("date_of_birth", "Date of birth", (
        _null("dob_year"),
        Level("exact", Exact("dob")),
        Level("day and month swapped", Crossed("dob", "dob_swapped")),
        Level("same year and month", Exact("dob_ym")),
        Level("same year", Exact("dob_year")),
        Level("years one apart", WithinOf("dob_year", 1)),
        _guard("years more than one apart"),
    )),
    Comparison("phone", "Phone numbers (E.164)", (
        _null("phones"),
        Level("a number in common", Overlaps("phones")),
        Level("no number in common", Otherwise()),
    )),
    Comparison("email", "E-mail address", (
        _null("email"),
        Level("exact", Exact("email")),
        Level("Jaro-Winkler >= 0.9", JaroWinklerAtLeast("email", 0.9)),
        Level("different", Otherwise()),
    )),
    Comparison("address", "Address: UPRN, dwelling (flat, house, street) and postcode", (
        _null("uprn", "addr_key", "postcode"),
        Level("same UPRN", Exact("uprn")),
        Level("same dwelling and postcode", AllOf((Exact("addr_key"), Exact("postcode")))),
        Level("same dwelling", Exact("addr_key")),
        Level("same house, similar street", AllOf((Exact("house"),
                                                   JaroWinklerAtLeast("street", 0.9)))),
        Level("same postcode", Exact("postcode")),
        Level("postcode one edit apart", LevenshteinAtMost("postcode", 1)),
        Level("same postcode sector", Exact("pc_sector")),
        Level("same postcode district", Exact("pc_district")),
        Level("same town", Exact("town")),
        Level("different", Otherwise()),
    )),
)

# Pairs Splink scores in `predict` (and in the scorer-equals-Splink test). The on-line lookup
# uses the blocking keys in the store instead (vigil.identify.blocking).
PREDICTION_BLOCKING_RULES: tuple[str, ...] = (
    'l."dob" = r."dob"',
    'l."family_meta" = r."family_meta" AND l."pc_sector" = r."pc_sector"',
    'l."given_meta" = r."given_meta" AND l."dob_year" = r."dob_year"',
    'list_has_any(l."phones", r."phones")',
    'l."email" = r."email"',
    'l."uprn" = r."uprn"',
    'l."family_meta" = r."family_meta" AND l."dob_year" = r."dob_year"',
)


def untrained_model(*, prior: float = 1e-4, guards: bool = True) -> Model:
    """The comparisons with no m or u yet (Splink fills them in)."""
    return Model(comparisons=comparisons(guards=guards),
                 probability_two_random_records_match=prior,
                 blocking_rules=PREDICTION_BLOCKING_RULES)
