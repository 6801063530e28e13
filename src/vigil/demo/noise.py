"""The ways a person's details differ between records: what call handlers and partner systems
actually type. Every function takes the ``random.Random`` to draw from, so the same seed gives the
same noise.
"""

from __future__ import annotations

import calendar
import random
import re
from datetime import date

# Formal given name -> the short forms and nicknames people give instead.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "William": ("Bill", "Will", "Billy"),
    "Robert": ("Bob", "Rob", "Bobby"),
    "Richard": ("Rich", "Rick", "Dick"),
    "James": ("Jim", "Jimmy", "Jamie"),
    "Michael": ("Mike", "Mick"),
    "Christopher": ("Chris",),
    "Anthony": ("Tony",),
    "Thomas": ("Tom", "Tommy"),
    "Daniel": ("Dan", "Danny"),
    "Joseph": ("Joe",),
    "Edward": ("Ed", "Eddie", "Ted"),
    "Alexander": ("Alex",),
    "Benjamin": ("Ben",),
    "Samuel": ("Sam",),
    "Matthew": ("Matt",),
    "Andrew": ("Andy",),
    "David": ("Dave",),
    "Stephen": ("Steve",),
    "Jonathan": ("Jon",),
    "Nicholas": ("Nick",),
    "Patrick": ("Pat", "Paddy"),
    "Peter": ("Pete",),
    "Charles": ("Charlie",),
    "Mohammed": ("Mo", "Mohd", "Muhammad", "Mohamed"),
    "Rajesh": ("Raj",),
    "Tomasz": ("Tom",),
    "Catherine": ("Kate", "Cathy", "Kath"),
    "Katherine": ("Kate", "Kathy", "Katie"),
    "Elizabeth": ("Liz", "Beth", "Lizzie"),
    "Margaret": ("Maggie", "Peggy", "Meg"),
    "Victoria": ("Vicky", "Tori"),
    "Rebecca": ("Becky", "Becca"),
    "Jennifer": ("Jen", "Jenny"),
    "Susan": ("Sue", "Susie"),
    "Deborah": ("Debbie", "Deb"),
    "Samantha": ("Sam",),
    "Jessica": ("Jess",),
    "Christine": ("Chris", "Chrissie"),
    "Patricia": ("Pat", "Trish"),
    "Abigail": ("Abi", "Abby"),
    "Natalie": ("Nat",),
    "Eleanor": ("Ellie",),
    "Charlotte": ("Lottie", "Charlie"),
    "Amanda": ("Mandy",),
    "Josephine": ("Jo", "Josie"),
    "Joanne": ("Jo",),
    "Kimberley": ("Kim",),
}

MALE_FORMAL_NAMES = tuple(
    n for n in NICKNAMES if n in {
        "William", "Robert", "Richard", "James", "Michael", "Christopher", "Anthony", "Thomas",
        "Daniel", "Joseph", "Edward", "Alexander", "Benjamin", "Samuel", "Matthew", "Andrew",
        "David", "Stephen", "Jonathan", "Nicholas", "Patrick", "Peter", "Charles",
    }
)
FEMALE_FORMAL_NAMES = tuple(
    n for n in NICKNAMES if n not in MALE_FORMAL_NAMES
    and n not in {"Mohammed", "Rajesh", "Tomasz"}
)

STREET_ABBREVIATIONS: dict[str, str] = {
    "Road": "Rd", "Street": "St", "Avenue": "Ave", "Close": "Cl", "Drive": "Dr", "Lane": "Ln",
    "Crescent": "Cres", "Gardens": "Gdns", "Court": "Ct", "Place": "Pl", "Terrace": "Terr",
    "Grove": "Gr", "Square": "Sq",
}

_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$")


def nickname_for(rng: random.Random, given_name: str) -> str | None:
    """A short form of ``given_name`` from :data:`NICKNAMES`, or ``None`` if it has none."""
    forms = NICKNAMES.get(given_name)
    return rng.choice(forms) if forms else None


def transpose_letters(rng: random.Random, word: str) -> str:
    """Swap two neighbouring letters (``Smith`` -> ``Smtih``); short words come back unchanged."""
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1)
    if word[i] == word[i + 1]:
        return word
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def drop_letter(rng: random.Random, word: str) -> str:
    """Leave out one letter after the first (``Thompson`` -> ``Thomson``)."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word))
    return word[:i] + word[i + 1:]


def double_letter(rng: random.Random, word: str) -> str:
    """Type one letter twice (``Philips`` -> ``Phillips``)."""
    if len(word) < 2:
        return word
    i = rng.randrange(1, len(word))
    return word[:i] + word[i] + word[i:]


def typo(rng: random.Random, word: str) -> str:
    """One keyboard slip: a transposition, a dropped letter or a doubled letter."""
    slip = rng.choice((transpose_letters, drop_letter, double_letter))
    return slip(rng, word)


def swap_day_and_month(dob: date) -> date | None:
    """The date a handler types when they swap day and month; ``None`` when that is no date.

    Only days 1 to 12 can be swapped; a date whose day equals its month is unchanged by the swap,
    so it also gives ``None``.
    """
    if dob.day > 12 or dob.day == dob.month:
        return None
    last = calendar.monthrange(dob.year, dob.day)[1]
    if dob.month > last:
        return None
    return date(dob.year, dob.day, dob.month)


def dob_as_typed(rng: random.Random, dob: date, *, missing: float = 0.12,
                 year_only: float = 0.06, swapped: float = 0.03) -> tuple[str | None, str]:
    """A date of birth as a record holds it (``YYYY-MM-DD``, ``YYYY`` or nothing), and a note.

    The probabilities say how often it is missing, known only to the year, or typed with the day
    and month swapped (when the date allows).
    """
    draw = rng.random()
    if draw < missing:
        return None, "no dob"
    draw -= missing
    if draw < year_only:
        return f"{dob.year:04d}", "dob year only"
    draw -= year_only
    if draw < swapped:
        flipped = swap_day_and_month(dob)
        if flipped is not None:
            return flipped.isoformat(), "dob day/month swapped"
    return dob.isoformat(), ""


def normalise_postcode(text: str) -> str:
    """``le15ww`` / ``LE1  5WW`` -> ``LE1 5WW`` (how Vigil stores and compares postcodes)."""
    compact = re.sub(r"\s+", "", text).upper()
    match = _POSTCODE.match(compact)
    if not match:
        return compact
    return f"{match.group(1)} {match.group(2)}"


def postcode_variant(rng: random.Random, postcode: str) -> str:
    """The postcode as someone typed it: right, lower case, no space, or doubled space."""
    outward, inward = postcode.split(" ")
    return rng.choice((
        postcode, postcode, postcode, postcode.lower(), f"{outward}{inward}",
        f"{outward}{inward}".lower(), f"{outward}  {inward}", f"{outward.lower()} {inward}",
    ))


def street_variant(rng: random.Random, street: str) -> str:
    """The street name with its suffix abbreviated (``Kings Road`` -> ``Kings Rd``), or as is."""
    words = street.split(" ")
    if words[-1] in STREET_ABBREVIATIONS and rng.random() < 0.6:
        words[-1] = STREET_ABBREVIATIONS[words[-1]]
        if rng.random() < 0.3:
            words[-1] += "."
    return " ".join(words)


def address_as_typed(rng: random.Random, *, flat: str | None, house: str, street: str,
                     town: str, careful: bool = False) -> tuple[str, str]:
    """One line of address as a call handler (or, ``careful``, a partner system) typed it.

    Returns the text and a short note of what differs from the true address.
    """
    notes: list[str] = []
    street_text = street if careful else street_variant(rng, street)
    if street_text != street:
        notes.append("street abbreviated")
    parts: list[str] = []
    if flat:
        style = 0 if careful else rng.randrange(4)
        if style == 3:
            notes.append("flat missing")
        elif style == 2:
            parts.append(f"{flat}/{house} {street_text}")
        else:
            parts.append(f"Flat {flat}, {house} {street_text}")
    if not parts:
        parts.append(f"{house} {street_text}")
    if careful or rng.random() < 0.7:
        parts.append(town)
    text = ", ".join(parts)
    if not careful and rng.random() < 0.15:
        text = text.upper() if rng.random() < 0.5 else text.lower()
    return text, "; ".join(notes)


def format_phone(rng: random.Random, number: str) -> str:
    """A UK number (``07700900123`` or ``01164960123``) in one of the styles people write.

    ``07700 900123``, ``07700900123``, ``+447700900123``, ``+44 7700 900123`` for mobiles;
    landlines also as ``0116 496 0123``.
    """
    national = number[1:]
    styles: tuple[str, ...]
    if number.startswith("07"):
        styles = (f"{number[:5]} {number[5:]}", number, f"+44{national}",
                  f"+44 {national[:4]} {national[4:]}", f"{number[:5]} {number[5:8]} {number[8:]}")
    else:
        area = 5 if number.startswith("01632") else 4
        styles = (f"{number[:area]} {number[area:area + 3]} {number[area + 3:]}", number,
                  f"+44{national}", f"({number[:area]}) {number[area:]}")
    return rng.choice(styles)


def family_name_as_typed(rng: random.Random, family_name: str) -> tuple[str, str]:
    """A family name as typed: usually right, sometimes with a slip; a double-barrelled name
    may lose its hyphen or its second half. Returns the text and a note of what changed."""
    if "-" in family_name and rng.random() < 0.4:
        first, _, second = family_name.partition("-")
        if rng.random() < 0.5:
            return f"{first} {second}", "hyphen dropped"
        return first, "second half of double-barrelled name dropped"
    if rng.random() < 0.05:
        typed = typo(rng, family_name)
        return typed, "family name typo" if typed != family_name else ""
    return family_name, ""


def given_name_as_typed(rng: random.Random, given_name: str, *, nickname: float = 0.22,
                        slip: float = 0.06) -> tuple[str, str]:
    """A given name as the person gave it or the handler typed it: formal, a nickname from
    :data:`NICKNAMES`, or with a slip. Returns the text and a note of what changed."""
    draw = rng.random()
    if draw < nickname:
        short = nickname_for(rng, given_name)
        if short is not None:
            return short, "nickname"
    elif draw < nickname + slip:
        typed = typo(rng, given_name)
        return typed, "given name typo" if typed != given_name else ""
    return given_name, ""
