"""The comparisons Vigil's model is made of, before training.

Each level is chosen for what control rooms meet: nicknames, typos and phonetic spellings of
names; day/month swaps, typing slips and partial dates of birth; changed phones; Rd/Road, flats
and moves.

Two levels are *guards*, with their m-probability fixed rather than trained. Members of one
household agree on family name, address, landline and (twins) date of birth; with independent
weights those agreements outvote any one disagreement, and a Fellegi–Sunter model trained on
household-heavy data links twins, and fathers and sons of the same name. A guard says what a
handler knows instead. The rule, exactly:

* **Given names** that share nothing (not the same, a nickname, a spelling slip, alike in sound
  or transposed with the family name) veto the pair when the two records share what a household
  shares: a family name alike (exact, Jaro-Winkler >= 0.8, a part of a double-barrelled name,
  or the same sound), or an address (UPRN, dwelling, house and street, UK postcode unit), a
  phone or an e-mail, *unless* their full dates of birth are the same while their family names
  differ (a household's members do not share a birthday unless they are twins, and twins share
  a family name). Twins (same family name, address and birthday) and a mother and daughter are
  therefore always vetoed; two records with different given names and nothing of a household in
  common are weighed by the trained level "different" like any other disagreement.
* **Years of birth** more than one apart veto the pair wherever they are, household or not (a
  father and son of one name at one address; two men of a common name in one city), unless the
  two full dates are one typing slip apart *and* under ten years apart (``1958-03-26`` and
  ``1953-03-26``; ``1945-03-26`` and ``1954-03-26``): that level is trained. A slip in the
  tens of the year (``1958`` and ``1968``) or two swapped digits further apart (``1946`` and
  ``1964``) stays vetoed, because a father and son born on the same day and month are exactly
  that far apart.

``comparisons(guards=False)`` trains the guard levels like any other, for data without
households (FEBRL's).
"""

from __future__ import annotations

from dataclasses import replace

from vigil.identify.conditions import (
    AllOf,
    AnyOf,
    Condition,
    Crossed,
    CrossedJaroWinklerAtLeast,
    DamerauLevenshteinAtMost,
    Differs,
    EitherMissing,
    Exact,
    JaroWinklerAtLeast,
    LevenshteinAtMost,
    Otherwise,
    Overlaps,
    WithinOf,
)
from vigil.identify.model import Comparison, Level, Model

# m for a guard level: a weight of -40 to -50 (by its u), more than all other fields can add up to.
GUARD_M = 1e-15


def _null(*columns: str) -> Level:
    return Level("missing", EitherMissing(columns))


def _guard(label: str, condition: Condition | None = None) -> Level:
    return Level(label, condition or Otherwise(), m=GUARD_M, fix_m=True)


# Family names alike: a family (or a household that shares the name).
FAMILY_ALIKE = AnyOf((
    Exact("family"), JaroWinklerAtLeast("family", 0.8), Overlaps("family_parts"),
    Exact("family_meta")))
# What a household's members share besides a family name: where they live and how they are
# reached (a UK postcode unit is a street or part of one: neighbours count too; a postcode from
# elsewhere, without a sector, may cover a whole town and does not count).
SHARED_HOME_OR_CONTACT = AnyOf((
    Exact("uprn"), Exact("addr_key"),
    AllOf((Exact("house"), JaroWinklerAtLeast("street", 0.9))),
    AllOf((Exact("postcode"), Exact("pc_sector"))),
    Overlaps("phones"), Exact("email")))
# Full dates of birth not known to be the same (one missing, or both given and different).
BIRTHDAY_NOT_SHARED = AnyOf((EitherMissing(("dob",)), Differs("dob")))
# When different given names mean different people (see the module's docstring).
GIVEN_NAME_GUARD = AnyOf((FAMILY_ALIKE, AllOf((SHARED_HOME_OR_CONTACT, BIRTHDAY_NOT_SHARED))))


def comparisons(*, guards: bool = True) -> tuple[Comparison, ...]:
    """Vigil's comparisons; without ``guards`` (for data without households, such as
    FEBRL's) the given-name guard is dropped and the year guard trained like any other level."""
    if guards:
        return COMPARISONS
    # A conditional guard is dropped (the "different" below it takes its pairs); the others
    # become ordinary trained levels. Without households, the parts of an address are
    # independent evidence: one comparison each, as Splink's FEBRL model has. Names agreeing
    # exactly are weighed by how rare the name is in the file (term frequencies): two records
    # of an uncommon family name say more than two Smiths.
    return tuple(replace(c, levels=tuple(
        _by_frequency(replace(lv, m=None, fix_m=False) if lv.fix_m else lv)
        for lv in c.levels if not (lv.fix_m and not isinstance(lv.condition, Otherwise))))
        for c in COMPARISONS if c.name != "address") + ADDRESS_PARTS


def _by_frequency(level: Level) -> Level:
    """An exact level on a given or family name, adjusted by the name's frequency."""
    condition = level.condition
    if isinstance(condition, Exact) and condition.column in ("given", "family"):
        return replace(level, tf_column=condition.column)
    return level


# For data without households (``guards=False``): the address's parts compared apart. A house
# number or postcode one typing slip away counts two neighbouring characters swapped as one slip
# (``4607`` and ``4670``, ``LE1 5WW`` and ``LE1 W5W``). A street that is the other record's
# house name is the same street read differently: a record without a house number
# (``Kings Road, Humberstone``) is read as a house name, then the street. Agreeing exactly on a
# street or a locality weighs by how rare it is in the file (term frequencies).
ADDRESS_PARTS: tuple[Comparison, ...] = (
    Comparison("uprn", "UPRN", (
        _null("uprn"), Level("exact", Exact("uprn")), Level("different", Otherwise()))),
    Comparison("house_number", "House number or name", (
        _null("house"), Level("exact", Exact("house")),
        Level("one typing slip apart", DamerauLevenshteinAtMost("house", 1)),
        Level("different", Otherwise()))),
    Comparison("street", "Street", (
        _null("street"), Level("exact", Exact("street"), tf_column="street"),
        Level("Jaro-Winkler >= 0.92", JaroWinklerAtLeast("street", 0.92)),
        Level("the other record's house name", Crossed("street", "house")),
        Level("Jaro-Winkler >= 0.80", JaroWinklerAtLeast("street", 0.8)),
        Level("different", Otherwise()))),
    Comparison("locality", "Town, suburb or locality", (
        _null("town"), Level("exact", Exact("town"), tf_column="town"),
        Level("Jaro-Winkler >= 0.92", JaroWinklerAtLeast("town", 0.92)),
        Level("Jaro-Winkler >= 0.80", JaroWinklerAtLeast("town", 0.8)),
        Level("different", Otherwise()))),
    Comparison("postcode", "Postcode", (
        _null("postcode"), Level("exact", Exact("postcode")),
        Level("one typing slip apart", DamerauLevenshteinAtMost("postcode", 1)),
        Level("same sector", Exact("pc_sector")),
        Level("same district", Exact("pc_district")),
        Level("different", Otherwise()))),
)


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
        Level("transposed, with spelling slips",
              CrossedJaroWinklerAtLeast("given", "family", 0.9)),
        _guard("different, in one household", GIVEN_NAME_GUARD),
        Level("different", Otherwise()),
    )),
    Comparison("family_name", "Family name", (
        _null("family"),
        Level("exact", Exact("family")),
        Level("Jaro-Winkler >= 0.92", JaroWinklerAtLeast("family", 0.92)),
        Level("shares a part of a double-barrelled name", Overlaps("family_parts")),
        Level("sounds alike (metaphone)", Exact("family_meta")),
        Level("Jaro-Winkler >= 0.80", JaroWinklerAtLeast("family", 0.8)),
        Level("given and family names transposed", Crossed("family", "given")),
        Level("transposed, with spelling slips",
              CrossedJaroWinklerAtLeast("family", "given", 0.9)),
        Level("different", Otherwise()),
    )),
    Comparison("date_of_birth", "Date of birth", (
        _null("dob_year"),
        Level("exact", Exact("dob")),
        Level("day and month swapped", Crossed("dob", "dob_swapped")),
        Level("same year and month", Exact("dob_ym")),
        Level("one typing slip apart, under ten years", AllOf((
            DamerauLevenshteinAtMost("dob", 1), WithinOf("dob_year", 9)))),
        Level("same year, one gives only the year", AllOf((
            Exact("dob_year"), EitherMissing(("dob_ym",))))),
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
