"""People, their records in each source, and vulnerability markers."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from enum import StrEnum


class VulnerabilityKind(StrEnum):
    """The kinds of vulnerability marker DESIGN.md names."""

    DISABILITY = "disability"
    LONG_TERM_ILLNESS = "long_term_illness"
    MENTAL_HEALTH = "mental_health"
    AGE = "age"
    LIVES_ALONE = "lives_alone"
    TARGETED_FOR_IDENTITY = "targeted_for_identity"
    EARLIER_RISK_MEDIUM_OR_HIGH = "earlier_risk_medium_or_high"
    PARTNER_FLAG = "partner_flag"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class PartialDate:
    """A date of birth that may be known only to the year or month (``1970``, ``1970-05``)."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ``ValueError`` saying why not."""
        match = _PARTIAL_DATE.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{text!r} has month {month}; months run 1 to 12")
        if day is not None:
            assert month is not None
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueError(f"{text!r} has day {day}; that month has {last} days")
        return cls(year=year, month=month, day=day)

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text
