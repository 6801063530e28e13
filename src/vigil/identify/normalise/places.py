"""UK postcodes (area, district, sector, unit), addresses as typed, and UPRNs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from vigil.identify.normalise.names import fold

_POSTCODE = re.compile(r"^([A-Z]{1,2})(\d[A-Z\d]?)(\d)([A-Z]{2})$")
_POSTCODE_ANYWHERE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})\b")


@dataclass(frozen=True)
class Postcode:
    """A UK postcode split into its parts: ``LE1 5WW`` is area ``LE``, district ``LE1``,
    sector ``LE1 5`` and unit ``LE1 5WW``."""

    area: str
    district: str
    sector: str
    unit: str

    def __str__(self) -> str:
        return self.unit


def parse_postcode(text: str | None) -> Postcode | None:
    """``le15ww``, ``LE1  5WW`` or ``le1 5ww`` -> ``LE1 5WW``; ``None`` if it is no postcode."""
    if not text:
        return None
    compact = re.sub(r"\s+", "", text).upper()
    match = _POSTCODE.match(compact)
    if not match:
        return None
    area, district_rest, sector_digit, unit_letters = match.groups()
    district = area + district_rest
    return Postcode(area=area, district=district, sector=f"{district} {sector_digit}",
                    unit=f"{district} {sector_digit}{unit_letters}")


# Street types as written in full, with the short forms people type.
STREET_TYPES: dict[str, tuple[str, ...]] = {
    "road": ("rd",), "street": ("st", "str"), "avenue": ("ave", "av", "avn"),
    "close": ("cl", "cls"), "drive": ("dr", "drv"), "lane": ("ln", "la"),
    "crescent": ("cres", "cresc", "cr"), "gardens": ("gdns", "gdn", "gardns"),
    "court": ("ct", "crt"), "place": ("pl",), "terrace": ("terr", "ter", "tce"),
    "grove": ("gr", "grv"), "square": ("sq",), "way": ("wy",), "walk": ("wlk",),
    "park": ("pk",), "parade": ("pde",), "mews": ("mws",), "rise": ("ri",),
    "hill": ("hl",), "green": ("grn",), "view": ("vw",), "boulevard": ("blvd",),
    "north": ("n",), "south": ("s",), "east": ("e",), "west": ("w",), "saint": (),
}
_SHORT_TO_FULL = {short: full for full, shorts in STREET_TYPES.items() for short in shorts}
_FLAT = re.compile(r"^(?:flat|apartment|apt|unit|room)\s*([a-z0-9]+)\b[\s,]*")
_SLASH = re.compile(r"^([a-z0-9]+)\s*/\s*(\d+[a-z]?)\b")
_NUMBER = re.compile(r"^(\d+[a-z]?)(?:\s*-\s*\d+[a-z]?)?\s+(.*)$")


@dataclass(frozen=True)
class Address:
    """An address as typed, read into its parts (each folded; street types written out)."""

    flat: str | None
    house: str | None
    street: str | None
    town: str | None

    @property
    def key(self) -> str | None:
        """``flat|house|street``: one dwelling, whatever the spelling; ``None`` without a
        house and a street."""
        if not self.house or not self.street:
            return None
        return f"{self.flat or ''}|{self.house}|{self.street}"


def _words(text: str) -> str:
    folded = fold(text).replace("'", "").replace(".", " ")
    folded = re.sub(r"[^a-z0-9/\s-]", " ", folded)
    return re.sub(r"\s+", " ", folded).strip()


def normalise_street(text: str | None) -> str | None:
    """Folded, with each short form written out (``Kings Rd.`` -> ``kings road``)."""
    if not text:
        return None
    words = _words(text).replace("-", " ").split()
    # "St" first is a saint (St Mary's Close); anywhere else it is a street.
    return " ".join("saint" if i == 0 and w == "st" and len(words) > 1
                    else _SHORT_TO_FULL.get(w, w) for i, w in enumerate(words)) or None


def parse_address(text: str | None, *, postcode: str | None = None) -> Address | None:
    """Read ``Flat 2, 14 Kings Rd, Leicester`` or ``2/14 KINGS ROAD`` into its parts.

    A postcode inside the text is removed (``postcode`` names one known beside it). The last
    part after a comma that has no digit is the town when there are two or more parts.
    """
    if not text or not text.strip():
        return None
    upper = text.upper()
    if postcode:
        upper = upper.replace(postcode.upper(), " ")
    upper = _POSTCODE_ANYWHERE.sub(" ", upper)
    parts = [_words(p) for p in upper.split(",")]
    parts = [p for p in parts if p]
    if not parts:
        return None
    town = None
    if len(parts) >= 2 and not any(c.isdigit() for c in parts[-1]):
        town = parts.pop()
    flat = house = street = None
    first = parts[0]
    match = _FLAT.match(first)
    if match:
        flat = match.group(1)
        rest = first[match.end():].strip()
        if rest:
            parts[0] = rest
        else:
            parts.pop(0)
    elif (slash := _SLASH.match(first)):
        flat, number = slash.groups()
        parts[0] = number + first[slash.end():]
    for index, part in enumerate(parts):
        number = _NUMBER.match(part)
        if number:
            house, street = number.group(1), number.group(2)
            if not street and index + 1 < len(parts):
                street = parts[index + 1]
            break
    else:
        if len(parts) >= 2:  # a house name, then the street
            house, street = parts[0], parts[1]
        elif parts:
            street = parts[0]
    return Address(flat=flat, house=house, street=normalise_street(street), town=town)


def address_line(*, flat: str | None, house: str | None, street: str | None,
                 town: str | None, postcode: str | None) -> str:
    """A stored address's parts on one line: ``Flat 2, 14, Kings Road, Leicester, LE1 5WW``."""
    return ", ".join(p for p in (f"Flat {flat}" if flat else None, house, street, town,
                                 postcode) if p)


def dwelling_key(*, flat: str | None, house: str | None, street: str | None,
                 town: str | None, postcode: str | None) -> str | None:
    """The :attr:`Address.key` of a stored address's parts, read as a caller's address line
    is read (so the two compare equal when they name one dwelling)."""
    line = address_line(flat=flat, house=house, street=street, town=town, postcode=postcode)
    parsed = parse_address(line, postcode=postcode)
    return parsed.key if parsed is not None else None


def normalise_uprn(text: str | None) -> str | None:
    """A UPRN as digits without leading zeros; ``None`` if it is not one (1 to 12 digits)."""
    if not text:
        return None
    digits = text.strip()
    if not digits.isdigit() or len(digits) > 12:
        return None
    return digits.lstrip("0") or None
