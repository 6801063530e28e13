"""One person record as the engine sees it: every field normalised, with the derived columns
that the comparisons and the blocking keys use.

The same :func:`features_of` feeds Splink when training, the on-line scorer, ``vigil link`` and
the blocking index, so the model always compares what it was trained on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from vigil.identify.normalise import (
    family_name_key,
    family_name_parts,
    full_date,
    given_name_key,
    lenient_date_of_birth,
    name_forms,
    normalise_email,
    normalise_phones,
    normalise_uprn,
    parse_address,
    parse_postcode,
    phonetic_key,
    swapped_date,
    year_and_month,
)


@dataclass(frozen=True)
class PersonDetails:
    """What one source holds about a person (or what a caller says). Anything may be missing."""

    given_name: str | None = None
    family_name: str | None = None
    date_of_birth: str | None = None
    phones: Sequence[str] = field(default_factory=tuple)
    email: str | None = None
    address: str | None = None
    postcode: str | None = None
    uprn: str | None = None


# Columns of a feature row, with their DuckDB type (the order Splink sees them in).
FEATURE_COLUMNS: dict[str, str] = {
    "given": "VARCHAR", "given_forms": "VARCHAR[]", "given_meta": "VARCHAR",
    "given_initial": "VARCHAR",
    "family": "VARCHAR", "family_parts": "VARCHAR[]", "family_meta": "VARCHAR",
    "dob": "VARCHAR", "dob_swapped": "VARCHAR", "dob_ym": "VARCHAR", "dob_year": "INTEGER",
    "phones": "VARCHAR[]", "email": "VARCHAR",
    "postcode": "VARCHAR", "pc_sector": "VARCHAR", "pc_district": "VARCHAR",
    "addr_key": "VARCHAR", "house": "VARCHAR", "street": "VARCHAR", "town": "VARCHAR",
    "uprn": "VARCHAR",
}

Features = dict[str, Any]


def _list_or_none(values: list[str]) -> list[str] | None:
    return values or None


def features_of(details: PersonDetails) -> Features:
    """The normalised, derived columns of one record (missing values are ``None``)."""
    given = given_name_key(details.given_name)
    if given is not None and len(given) == 1:
        given = None  # an initial alone cannot be told from a different name: count it unknown
    family = family_name_key(details.family_name)
    dob = lenient_date_of_birth(details.date_of_birth)
    postcode = parse_postcode(details.postcode)
    address = parse_address(details.address, postcode=details.postcode)
    if postcode is None and details.address:
        # A postcode typed at the end of the address line counts as the postcode.
        tail = details.address.rsplit(",", 1)[-1]
        postcode = parse_postcode(tail) or parse_postcode(" ".join(tail.split()[-2:]))
    other_postcode = None
    if postcode is None and details.postcode:
        # Not a UK postcode (a typo, or another country's): compared as typed, without parts.
        compact = "".join(ch for ch in details.postcode.upper() if ch.isalnum())
        other_postcode = compact if 3 <= len(compact) <= 10 else None
    return {
        "given": given,
        "given_forms": _list_or_none(name_forms(given)),
        "given_meta": phonetic_key(given),
        "given_initial": given[0] if given else None,
        "family": family,
        "family_parts": _list_or_none(family_name_parts(details.family_name)),
        "family_meta": phonetic_key(family),
        "dob": full_date(dob),
        "dob_swapped": swapped_date(dob),
        "dob_ym": year_and_month(dob),
        "dob_year": dob.year if dob else None,
        "phones": _list_or_none(normalise_phones(list(details.phones))),
        "email": normalise_email(details.email),
        "postcode": postcode.unit if postcode else other_postcode,
        "pc_sector": postcode.sector if postcode else None,
        "pc_district": postcode.district if postcode else None,
        "addr_key": address.key if address else None,
        "house": address.house if address else None,
        "street": address.street if address else None,
        "town": address.town if address else None,
        "uprn": normalise_uprn(details.uprn),
    }
