"""The ASB Case Review (the "Community Trigger", Anti-social Behaviour, Crime and Policing Act
2014, section 104): when a victim's complaints reach the local threshold, the agencies must
review how they have dealt with the problem if the victim asks.

Plain Python, no I/O. The rule Vigil applies:

- A **complaint** is an incident in which the victim (the person record, or any record linked to
  the same resolved person) is the caller or the victim. It was *made* when the incident was
  recorded (``recorded_at``) and is *about* when the incident happened (``occurred_at``).
- A complaint **qualifies** when it was made within ``report_within_months`` of the incident it
  reports. When only the month of the incident is known, the victim gets the benefit of the
  doubt: the incident is taken to have happened on the last day of that month.
- Complaints are about the **same problem** when they are linked to the same case, or when they
  happened at the same place (the same address, or else the same LSOA) with the same ASB
  category. A complaint can belong to several problems (a case and a place); each problem is
  counted on its own.
- The **threshold** is reached when, for one problem, at least ``complaints`` qualifying
  complaints were made in the ``window_months`` up to the day of the assessment (the law's
  "in the previous six months"). The defaults are three complaints in six months, each made
  within a month of the incident; each local authority may set its own
  (:class:`TriggerThreshold`).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from vigil.domain.cases import parse_date, validate_text


@dataclass(frozen=True)
class TriggerThreshold:
    """One local area's threshold (defaults: the Home Office's suggested 3 in 6 months)."""

    complaints: int = 3
    window_months: int = 6
    report_within_months: int = 1
    local_authority_code: str | None = None  # None: the default, not a local setting

    def describe(self) -> str:
        return (f"{self.complaints} complaints about the same problem within "
                f"{self.window_months} months, each made within {self.report_within_months} "
                f"month{'s' if self.report_within_months != 1 else ''} of the incident")


def validate_threshold(*, complaints: int, window_months: int,
                       report_within_months: int) -> dict[str, str]:
    """The problems with a local threshold (empty: fine), every one at once."""
    problems: dict[str, str] = {}
    if not 1 <= complaints <= 20:
        problems["complaints"] = "must be a whole number from 1 to 20"
    if not 1 <= window_months <= 24:
        problems["window_months"] = "must be a whole number of months from 1 to 24"
    if not 1 <= report_within_months <= 12:
        problems["report_within_months"] = "must be a whole number of months from 1 to 12"
    return problems


THRESHOLD_LIMITS: dict[str, tuple[int, str]] = {
    "complaints": (20, "complaints"),
    "window_months": (24, "months"),
    "report_within_months": (12, "months"),
}


def parse_threshold(values: dict[str, str]) -> tuple[dict[str, int], dict[str, str]]:
    """A local threshold typed into a form: the whole numbers, and every problem by field."""
    numbers: dict[str, int] = {}
    problems: dict[str, str] = {}
    for name, (most, unit) in THRESHOLD_LIMITS.items():
        text = values.get(name, "").strip()
        if not text:
            problems[name] = f"give a whole number of {unit} from 1 to {most}"
        elif not text.isdigit():
            problems[name] = f"“{text[:20]}” is not a whole number of {unit} from 1 to {most}"
        else:
            numbers[name] = int(text)
    checked = validate_threshold(**{name: numbers.get(name, 1) for name in THRESHOLD_LIMITS})
    problems |= {name: text for name, text in checked.items() if name in numbers}
    return numbers, {name: problems[name] for name in THRESHOLD_LIMITS if name in problems}


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` moved by whole calendar months (the day clipped to the month's last)."""
    index = moment.year * 12 + moment.month - 1 + months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@dataclass(frozen=True)
class Complaint:
    """One complaint by the victim, with the problems it is about."""

    reference: str
    recorded_at: datetime
    occurred_at: datetime | None
    occurred_month: date
    problems: frozenset[str] = field(default_factory=frozenset)

    @property
    def latest_occurrence(self) -> datetime:
        """When the incident happened, or the last moment of its month when only that is
        known (the benefit of the doubt goes to the victim)."""
        if self.occurred_at is not None:
            return self.occurred_at
        last = calendar.monthrange(self.occurred_month.year, self.occurred_month.month)[1]
        return datetime.combine(self.occurred_month.replace(day=last), time.max, tzinfo=UTC)


def problem_keys(*, case_references: Iterable[str], address_id: int | None,
                 lsoa_code: str | None, category: str | None) -> frozenset[str]:
    """The problems one complaint is about: each case it is linked to, and its place (address,
    else LSOA) with its category."""
    keys = {f"case:{ref}" for ref in case_references}
    place = f"address:{address_id}" if address_id is not None else (
        f"lsoa:{lsoa_code}" if lsoa_code else None)
    if place:
        keys.add(f"place:{place}:{category or 'not_recorded'}")
    return frozenset(keys)


def qualifies(complaint: Complaint, threshold: TriggerThreshold) -> bool:
    """Whether the complaint was made within the allowed time of the incident it reports."""
    made = complaint.recorded_at
    return made <= add_months(complaint.latest_occurrence, threshold.report_within_months)


@dataclass(frozen=True)
class TriggerAssessment:
    """Whether a victim's complaints reach the threshold, and which complaints count."""

    threshold: TriggerThreshold
    reached: bool
    problem: str | None  # the problem whose complaints reach (or come nearest to) it
    qualifying: tuple[Complaint, ...]  # for that problem, inside the window, oldest first
    not_qualifying: tuple[Complaint, ...]  # made too long after the incident
    window_start: datetime

    @property
    def problem_label(self) -> str:
        return describe_problem(self.problem)


def describe_problem(key: str | None) -> str:
    if key is None:
        return "no complaints in the window"
    kind, _, rest = key.partition(":")
    if kind == "case":
        return f"linked to case {rest}"
    place, _, category = rest.rpartition(":")
    where = "the same address" if place.startswith("address:") else \
        f"the same small area ({place.removeprefix('lsoa:')})"
    return f"at {where}, {category.replace('_', ' ')}"


def assess(complaints: Iterable[Complaint], threshold: TriggerThreshold, *,
           as_of: datetime) -> TriggerAssessment:
    """Apply the rule (see the module's docstring) to one victim's complaints on ``as_of``."""
    start = add_months(as_of, -threshold.window_months)
    in_window = [c for c in complaints if start < c.recorded_at <= as_of]
    good = [c for c in in_window if qualifies(c, threshold)]
    late = tuple(sorted((c for c in in_window if not qualifies(c, threshold)),
                        key=lambda c: c.recorded_at))
    by_problem: dict[str, list[Complaint]] = {}
    for complaint in good:
        for key in complaint.problems:
            by_problem.setdefault(key, []).append(complaint)
    best: str | None = None
    if by_problem:
        # The problem with most qualifying complaints; a case before a place when tied.
        best = max(sorted(by_problem), key=lambda k: (len(by_problem[k]), k.startswith("case:")))
    chosen = tuple(sorted(by_problem.get(best, []) if best else [],
                          key=lambda c: (c.recorded_at, c.reference)))
    return TriggerAssessment(threshold=threshold, reached=len(chosen) >= threshold.complaints,
                             problem=best, qualifying=chosen, not_qualifying=late,
                             window_start=start)


class ReviewStage(StrEnum):
    """Where an ASB Case Review is: applied for, meeting held, outcome given."""

    APPLIED = "applied"
    MEETING_HELD = "meeting_held"
    OUTCOME_GIVEN = "outcome_given"

    @property
    def label(self) -> str:
        return {"applied": "Applied for", "meeting_held": "Review meeting held",
                "outcome_given": "Outcome given"}[self.value]


class ReviewDecision(StrEnum):
    """What the review decided."""

    THRESHOLD_NOT_MET = "threshold_not_met"
    NO_FURTHER_ACTION = "no_further_action"
    RECOMMENDATIONS_MADE = "recommendations_made"

    @property
    def label(self) -> str:
        return {"threshold_not_met": "Threshold not met: no review",
                "no_further_action": "Reviewed: the response was adequate",
                "recommendations_made": "Reviewed: recommendations made"}[self.value]


APPLICANT_KINDS: dict[str, str] = {
    "victim": "The victim",
    "on_behalf": "Someone on the victim's behalf (family, carer, councillor, MP)",
    "community": "A community or business on behalf of several victims",
}

DUE_DAYS = 28  # a common local target for giving the review's outcome after the application


def validate_application(*, applied_on: str | date, applicant_name: str, applicant_kind: str,
                         party_id: int | None, victims: set[int],
                         today: date) -> tuple[date | None, str, dict[str, str]]:
    """The application's date and applicant, and every problem with them."""
    problems: dict[str, str] = {}
    applied = parse_date(applied_on, field="applied_on", problems=problems)
    if applied and applied > today:
        problems["applied_on"] = "the application cannot be dated in the future"
    name = validate_text(applicant_name, field="applicant_name", what="applicant's name",
                         problems=problems)
    if len(name) > 200:
        problems["applicant_name"] = "keep the applicant's name to 200 characters"
    if applicant_kind not in APPLICANT_KINDS:
        problems["applicant_kind"] = "say who applied"
    if party_id is None or party_id not in victims:
        problems["party_id"] = "choose the victim on this case the review is about"
    return applied, name, problems


def validate_meeting(*, held_on: str | date, attendees: str, applied_on: date,
                     agency_codes: Iterable[str], known_agencies: set[str],
                     today: date) -> tuple[date | None, str, list[str], dict[str, str]]:
    problems: dict[str, str] = {}
    held = parse_date(held_on, field="held_on", problems=problems)
    if held and held < applied_on:
        problems["held_on"] = "the meeting cannot be before the application"
    elif held and held > today:
        problems["held_on"] = "record the meeting once it has been held"
    who = validate_text(attendees, field="attendees", what="attendees", problems=problems)
    codes = sorted(set(agency_codes))
    if not codes:
        problems["agency_codes"] = "tick the agencies that took part"
    elif unknown := sorted(set(codes) - known_agencies):
        problems["agency_codes"] = f"unknown agency {', '.join(unknown)}"
    return held, who, codes, problems


def validate_outcome(*, decided_on: str | date, decision: str, recommendations: str,
                     since: date, today: date) -> tuple[date | None, str, dict[str, str]]:
    problems: dict[str, str] = {}
    decided = parse_date(decided_on, field="decided_on", problems=problems)
    if decided and decided < since:
        problems["decided_on"] = "the outcome cannot come before the application or meeting"
    elif decided and decided > today:
        problems["decided_on"] = "the outcome cannot be dated in the future"
    if decision not in {d.value for d in ReviewDecision}:
        problems["decision"] = "choose what the review decided"
    text = validate_text(recommendations, field="recommendations",
                         what="recommendations", problems=problems,
                         required=decision == ReviewDecision.RECOMMENDATIONS_MADE.value)
    return decided, text, problems


def outcome_due(applied_on: date) -> date:
    return applied_on + timedelta(days=DUE_DAYS)
