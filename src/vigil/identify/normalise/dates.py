"""Dates of birth: full or partial, as typed in several styles, and the day/month swap."""

from __future__ import annotations

import re

from vigil.domain.people import PartialDate

_DMY = re.compile(r"^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})$")
_MY = re.compile(r"^(\d{1,2})[/.\- ](\d{4})$")


def parse_date_of_birth(text: str | None) -> PartialDate | None:
    """``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, or the British ``DD/MM/YYYY`` and ``MM/YYYY``.

    Blank gives ``None``; anything else that is no date raises ``ValueError`` saying why.
    """
    if text is None or not text.strip():
        return None
    text = text.strip()
    match = _DMY.match(text)
    if match:
        day, month, year = match.groups()
        return PartialDate.parse(f"{year}-{int(month):02d}-{int(day):02d}")
    match = _MY.match(text)
    if match:
        month, year = match.groups()
        return PartialDate.parse(f"{year}-{int(month):02d}")
    return PartialDate.parse(text)


def lenient_date_of_birth(text: str | None) -> PartialDate | None:
    """As :func:`parse_date_of_birth`, but a date that cannot be read counts as unknown."""
    try:
        return parse_date_of_birth(text)
    except ValueError:
        return None


def full_date(dob: PartialDate | None) -> str | None:
    """``YYYY-MM-DD`` when day, month and year are all known."""
    if dob is None or dob.day is None:
        return None
    return str(dob)


def swapped_date(dob: PartialDate | None) -> str | None:
    """The date with day and month swapped, when that is another real date (``2001-03-07`` ->
    ``2001-07-03``); ``None`` otherwise."""
    if dob is None or dob.day is None or dob.month is None or dob.day > 12:
        return None
    if dob.day == dob.month:
        return None
    try:
        return str(PartialDate.parse(f"{dob.year:04d}-{dob.day:02d}-{dob.month:02d}"))
    except ValueError:
        return None


def year_and_month(dob: PartialDate | None) -> str | None:
    """``YYYY-MM`` when the month is known."""
    if dob is None or dob.month is None:
        return None
    return f"{dob.year:04d}-{dob.month:02d}"
