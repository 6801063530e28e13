"""Blocking keys: which stored records a lookup compares with.

A key is specific enough that a common name in a city does not pull thousands of candidates:
names are combined with a date of birth, a year of birth or a postcode sector, and the address
with its postcode district (or town). Phone, e-mail and UPRN stand alone: a shared one is a
household, and households are small. The two names alone make a key too (for records with
nothing else), but one that only a few records may share (:data:`STOP_KEY_RECORDS` by kind): a
common name's key is skipped, as is any key too many records share, e.g. a council's
switchboard given as a contact number.
"""

from __future__ import annotations

from vigil.identify.features import Features

# A key shared by more records than this is skipped at lookup (it finds nothing specific).
STOP_KEY_RECORDS = 500
# ... and for the kinds of key that are less specific, fewer (by the prefix before the colon):
# the two names alone, the two names with a year of birth, one name with a postcode sector,
# and the house number in a postcode.
# With a million people in the store, a common name born in one year, or a given or family name
# in one sector (which holds thousands of people in a city), is shared by a hundred records or
# more: those keys brought most of a lookup's candidates and its wrong matches, and found next
# to nothing the other keys did not (bench/identify_demo.py at 100,000 and 1,000,000 people;
# docs/benchmarks.md, sections 2 and 3). The house number in a postcode, 80: a block of flats
# shares it, and at a million people such a key brought up to 140 of a look-up's candidates,
# most of its slowest look-ups' work, while the same true pairs were found with the key cut at
# 80 records (bench/identify_demo.py at 1,000,000 people, 3,000 reports: docs/benchmarks.md).
STOP_KEY_RECORDS_BY_KIND = {"n": 40, "nd": 40, "gs": 40, "fs": 40, "hp": 80}


def stop_limit(key: str, default: int = STOP_KEY_RECORDS) -> int:
    """How many records may share ``key`` before a lookup ignores it."""
    return min(default, STOP_KEY_RECORDS_BY_KIND.get(key.split(":", 1)[0], default))


def blocking_keys(features: Features) -> list[str]:
    """The keys of one record, sorted and without repeats."""
    f = features
    keys: set[str] = set()
    for phone in f["phones"] or ():
        keys.add(f"p:{phone}")
    if f["email"]:
        keys.add(f"e:{f['email']}")
    if f["uprn"]:
        keys.add(f"u:{f['uprn']}")
    given, family = f["given_meta"], f["family_meta"]
    # Name keys ignore the order of the two names: some records have them transposed.
    names = "|".join(sorted((given, family))) if given and family else None
    if names and f["dob_year"]:
        keys.add(f"nd:{names}|{f['dob_year']}")
    if names:
        keys.add(f"n:{names}")
    if family:
        for form in f["given_forms"] or ():
            keys.add(f"n:{form}|{family}")
    if family and f["dob"]:
        keys.add(f"fd:{family}|{f['dob']}")
    if f["dob"]:
        for form in f["given_forms"] or ():
            keys.add(f"gd:{form}|{f['dob']}")
        if f["dob_swapped"] and family:
            keys.add(f"fd:{family}|{f['dob_swapped']}")
    area = f["pc_sector"] or f["postcode"]
    if family and area:
        keys.add(f"fs:{family}|{area}")
    if given and area:
        keys.add(f"gs:{given}|{area}")
    if f["dob"] and f["postcode"]:
        keys.add(f"dp:{f['dob']}|{f['postcode']}")
    if f["house"] and f["postcode"]:
        keys.add(f"hp:{f['house']}|{f['postcode']}")
    place = f["pc_district"] or f["town"]
    if f["addr_key"] and place:
        keys.add(f"a:{f['addr_key']}|{place}")
    return sorted(k[:160] for k in keys)
