"""The neighbourhood officer's rules: who counts as a repeat or vulnerable victim on a beat, and
what a visit or victim contact must record. Plain Python; the thresholds come from settings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from vigil.domain.cases import validate_text

UK_TIME = ZoneInfo("Europe/London")

CONTACT_KINDS: dict[str, str] = {
    "visit": "Visit",
    "phone": "Phone call",
    "message": "Text or e-mail",
    "letter": "Letter",
}


def window_start(latest_month: date, *, look_back_days: int) -> date:
    """The first month of the look-back window ending with ``latest_month`` (12 months by
    default: for 2022-10, from 2021-11)."""
    months = max(1, round(look_back_days / 30.4375))
    index = latest_month.year * 12 + latest_month.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def is_repeat(reports: int, *, threshold: int) -> bool:
    return reports >= threshold


def is_vulnerable(markers: Iterable[str], *, kinds: Iterable[str]) -> bool:
    return bool(set(markers) & set(kinds))


def validate_contact(*, kind: str, contacted_at: str | datetime, summary: str,
                     targets: int, now: datetime) -> tuple[datetime | None, str, dict[str, str]]:
    """A contact's kind, time and summary, and every problem; ``targets`` is how many of
    case, victim and incident were given (at least one is needed)."""
    problems: dict[str, str] = {}
    if kind not in CONTACT_KINDS:
        problems["kind"] = "say how you made contact"
    when: datetime | None = None
    if isinstance(contacted_at, datetime):
        when = contacted_at
    elif not contacted_at.strip():
        problems["contacted_at"] = "give the date and time of the contact"
    else:
        try:
            when = datetime.fromisoformat(contacted_at.strip())
        except ValueError:
            problems["contacted_at"] = (f"{contacted_at!r} is not a date and time "
                                        "(e.g. 2026-03-31T14:30)")
    if when is not None:
        if when.tzinfo is None:  # typed on a page: UK time
            when = when.replace(tzinfo=UK_TIME)
        when = when.astimezone(UTC)
        if when > now:
            problems["contacted_at"] = "a contact cannot be in the future"
    text = validate_text(summary, field="summary", what="summary of what happened",
                         problems=problems)
    if targets == 0:
        problems["about"] = "record the contact on a case, a victim or an incident"
    return when, text, problems
