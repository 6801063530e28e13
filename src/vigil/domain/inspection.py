"""The inspectorate's measures of how ASB calls are handled, as plain rules: which questions
count as "asked about earlier ASB" and "asked about vulnerability", when a call counts as
having identified a repeat or vulnerable caller, and how fast contact followed.

A question counts as *asked* when it was answered or the caller declined to answer (the
handler asked); "not asked" is the failure the inspectorate looks for. The keys are the
default questionnaire's; a later version that drops a key counts as not asking it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from vigil.domain.risk import Answer, AnswerStatus, RiskLevel, marker_kinds

EARLIER_ASB_QUESTION = "earlier_incidents"
# The questions about the caller's own vulnerability: being targeted for who they are, health,
# disability or long-term illness, age, living alone or without support, feeling unsafe at home.
VULNERABILITY_QUESTIONS: tuple[str, ...] = (
    "targeted", "health", "disability", "age", "living_alone", "unsafe_home")
_ASKED = {AnswerStatus.ANSWERED.value, AnswerStatus.DECLINED.value}


@dataclass(frozen=True)
class CallFacts:
    """What the measures need to know about one call."""

    recorded_at: datetime
    answers: Mapping[str, Mapping[str, Any]]
    flagged_repeat: bool
    flagged_vulnerable: bool
    due_at: datetime | None
    done_at: datetime | None


@dataclass(frozen=True)
class Share:
    """``count`` of ``total`` calls; ``percent`` is ``None`` when there were none."""

    count: int
    total: int

    @property
    def percent(self) -> float | None:
        return None if self.total == 0 else 100.0 * self.count / self.total


@dataclass(frozen=True)
class ContactSpeed:
    """How fast the neighbourhood contact followed the call. ``made``: contacts made;
    ``median_hours``/``p90_hours`` over those; ``in_time`` of the calls whose contact is made
    or already due (calls still inside their time are left out)."""

    made: int
    median_hours: float | None
    p90_hours: float | None
    in_time: Share


@dataclass(frozen=True)
class Measures:
    start: date
    end: date
    calls: int
    earlier_asb_asked: Share
    vulnerability_asked: Share
    all_vulnerability_asked: Share
    identified: Share
    identified_by_lookup: int
    identified_by_answers: int
    contact: ContactSpeed


def asked(answers: Mapping[str, Mapping[str, Any]], key: str) -> bool:
    """Whether the question ``key`` was answered or declined (not "not asked", not missing)."""
    return str(answers.get(key, {}).get("status", "")) in _ASKED


def told_repeat_or_vulnerable(answers: Mapping[str, Mapping[str, Any]]) -> bool:
    """Whether the caller's answers show earlier ASB or a vulnerability (the answers that
    put a vulnerability marker on their record)."""
    earlier = answers.get(EARLIER_ASB_QUESTION, {})
    if earlier.get("status") == AnswerStatus.ANSWERED.value and earlier.get("value") not in (
            "", "first", None):
        return True
    given = {k: Answer(AnswerStatus(str(a.get("status"))), str(a.get("value", "")))
             for k, a in answers.items() if a.get("status") in {s.value for s in AnswerStatus}}
    return bool(marker_kinds(given, RiskLevel.STANDARD))


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q`` quantile (0–1) of ``values``, interpolating linearly between the two nearest
    ranks (as spreadsheets and NumPy do); ``None`` for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def measure(calls: Iterable[CallFacts], *, start: date, end: date, now: datetime) -> Measures:
    """The inspectorate's measures over ``calls`` (already chosen for the period)."""
    calls = list(calls)
    total = len(calls)
    earlier = sum(asked(c.answers, EARLIER_ASB_QUESTION) for c in calls)
    vulnerability = sum(any(asked(c.answers, k) for k in VULNERABILITY_QUESTIONS)
                        for c in calls)
    every = sum(all(asked(c.answers, k) for k in VULNERABILITY_QUESTIONS) for c in calls)
    by_lookup = sum(c.flagged_repeat or c.flagged_vulnerable for c in calls)
    by_answers = sum(told_repeat_or_vulnerable(c.answers) for c in calls)
    identified = sum(c.flagged_repeat or c.flagged_vulnerable
                     or told_repeat_or_vulnerable(c.answers) for c in calls)
    hours = [(c.done_at - c.recorded_at) / timedelta(hours=1) for c in calls
             if c.done_at is not None]
    settled = [c for c in calls if c.due_at is not None
               and (c.done_at is not None or c.due_at <= now)]
    in_time = sum(c.done_at is not None and c.due_at is not None and c.done_at <= c.due_at
                  for c in settled)
    return Measures(
        start=start, end=end, calls=total, earlier_asb_asked=Share(earlier, total),
        vulnerability_asked=Share(vulnerability, total),
        all_vulnerability_asked=Share(every, total), identified=Share(identified, total),
        identified_by_lookup=by_lookup, identified_by_answers=by_answers,
        contact=ContactSpeed(made=len(hours), median_hours=percentile(hours, 0.5),
                             p90_hours=percentile(hours, 0.9),
                             in_time=Share(in_time, len(settled))))


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length just before: a whole month gives the month before."""
    if start.day == 1 and (end + timedelta(days=1)).day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        first = _add_months(start, -months)
        return first, start - timedelta(days=1)
    days = (end - start).days + 1
    return start - timedelta(days=days), start - timedelta(days=1)


def year_earlier(start: date, end: date) -> tuple[date, date]:
    """The same dates a year earlier (29 February becomes the 28th)."""
    return _year_back(start), _year_back(end)


def last_complete_month(today: date) -> tuple[date, date]:
    first_this = today.replace(day=1)
    return _add_months(first_this, -1), first_this - timedelta(days=1)


def month_starts(last: date, count: int) -> list[date]:
    """The first days of ``count`` months ending with the month of ``last``, oldest first."""
    month = last.replace(day=1)
    return [_add_months(month, -n) for n in range(count - 1, -1, -1)]


def _add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _year_back(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)
