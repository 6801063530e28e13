"""Phone numbers (Google's ``phonenumbers``, GB by default, E.164) and e-mail addresses."""

from __future__ import annotations

import re

import phonenumbers

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_phone(text: str | None, *, region: str = "GB") -> str | None:
    """The number in E.164 (``07700 900123`` -> ``+447700900123``); ``None`` if it cannot be a
    phone number. Numbers without a country code are read as ``region``'s."""
    if not text or not text.strip():
        return None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_phones(numbers: list[str] | tuple[str, ...], *, region: str = "GB") -> list[str]:
    """Every readable number in E.164, sorted, without repeats."""
    found = {normalise_phone(n, region=region) for n in numbers}
    return sorted(n for n in found if n)


def normalise_email(text: str | None) -> str | None:
    """Lower case, without spaces or a ``mailto:``; ``None`` if it is not an address."""
    if not text:
        return None
    email = text.strip().lower().removeprefix("mailto:")
    return email if _EMAIL.match(email) else None
