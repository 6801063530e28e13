"""Normalisers: turn what a source typed into the forms the engine compares."""

from vigil.identify.normalise.contact import normalise_email, normalise_phone, normalise_phones
from vigil.identify.normalise.dates import (
    full_date,
    lenient_date_of_birth,
    parse_date_of_birth,
    swapped_date,
    year_and_month,
)
from vigil.identify.normalise.names import (
    family_name_key,
    family_name_parts,
    fold,
    given_name_key,
    name_forms,
    name_tokens,
    phonetic_key,
)
from vigil.identify.normalise.places import (
    Address,
    Postcode,
    dwelling_key,
    normalise_street,
    normalise_uprn,
    parse_address,
    parse_postcode,
)

__all__ = [
    "Address", "Postcode", "dwelling_key", "family_name_key", "family_name_parts", "fold",
    "full_date", "given_name_key", "lenient_date_of_birth", "name_forms", "name_tokens",
    "normalise_email",
    "normalise_phone", "normalise_phones", "normalise_street", "normalise_uprn",
    "parse_address", "parse_date_of_birth", "parse_postcode", "phonetic_key", "swapped_date",
    "year_and_month",
]
