"""Multi-agency ASB cases: lifecycle, parties, interventions, sharing and validation.

Plain Python: no SQLAlchemy, FastAPI or Jinja. Every ``validate_*`` function returns *all* the
problems it finds, keyed by the form field they belong to, so that a page or the API can report
them at once.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from vigil.domain.problems import FieldProblems

TITLE_MAX = 200
TEXT_MAX = 10_000
LAWFUL_BASIS_MIN = 10


class InvalidCaseInput(FieldProblems):
    """What the user sent is wrong; ``problems`` maps each field to what is wrong with it."""


class CaseStatus(StrEnum):
    """Where a case is in its life: open → action plan → review → closed (with an outcome)."""

    OPEN = "open"
    ACTION_PLAN = "action_plan"
    REVIEW = "review"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"open": "Open", "action_plan": "Action plan", "review": "Under review",
                "closed": "Closed"}[self.value]


# Cases may step back from review to a new action plan, close from any live state, and be
# reopened (with a reason) when the problem comes back.
TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.OPEN: frozenset({CaseStatus.ACTION_PLAN, CaseStatus.CLOSED}),
    CaseStatus.ACTION_PLAN: frozenset({CaseStatus.REVIEW, CaseStatus.CLOSED}),
    CaseStatus.REVIEW: frozenset({CaseStatus.ACTION_PLAN, CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset({CaseStatus.OPEN}),
}


class CaseOutcome(StrEnum):
    RESOLVED = "resolved"
    PARTLY_RESOLVED = "partly_resolved"
    NOT_RESOLVED = "not_resolved"
    TRANSFERRED = "transferred"
    NO_FURTHER_ACTION = "no_further_action"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class PartyRole(StrEnum):
    """The part someone (or a named group) plays in a case."""

    VICTIM = "victim"
    PERPETRATOR = "perpetrator"
    WITNESS = "witness"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class InterventionKind(StrEnum):
    """The tools partners use against ASB (Anti-social Behaviour, Crime and Policing Act 2014
    and voluntary measures)."""

    WARNING_LETTER = "warning_letter"
    ACCEPTABLE_BEHAVIOUR_CONTRACT = "acceptable_behaviour_contract"
    COMMUNITY_PROTECTION_WARNING = "community_protection_warning"
    COMMUNITY_PROTECTION_NOTICE = "community_protection_notice"
    PUBLIC_SPACES_PROTECTION_ORDER = "public_spaces_protection_order"
    CIVIL_INJUNCTION = "civil_injunction"
    CRIMINAL_BEHAVIOUR_ORDER = "criminal_behaviour_order"
    CLOSURE_NOTICE = "closure_notice"
    CLOSURE_ORDER = "closure_order"
    DISPERSAL_DIRECTION = "dispersal_direction"
    MEDIATION = "mediation"
    SUPPORT_REFERRAL = "support_referral"

    @property
    def label(self) -> str:
        return INTERVENTION_LABELS[self]


INTERVENTION_LABELS: dict[InterventionKind, str] = {
    InterventionKind.WARNING_LETTER: "Warning letter",
    InterventionKind.ACCEPTABLE_BEHAVIOUR_CONTRACT: "Acceptable behaviour contract",
    InterventionKind.COMMUNITY_PROTECTION_WARNING: "Community protection warning",
    InterventionKind.COMMUNITY_PROTECTION_NOTICE: "Community protection notice",
    InterventionKind.PUBLIC_SPACES_PROTECTION_ORDER: "Public spaces protection order",
    InterventionKind.CIVIL_INJUNCTION: "Civil injunction",
    InterventionKind.CRIMINAL_BEHAVIOUR_ORDER: "Criminal behaviour order",
    InterventionKind.CLOSURE_NOTICE: "Closure notice",
    InterventionKind.CLOSURE_ORDER: "Closure order",
    InterventionKind.DISPERSAL_DIRECTION: "Dispersal direction",
    InterventionKind.MEDIATION: "Mediation",
    InterventionKind.SUPPORT_REFERRAL: "Support referral",
}

LAWFUL_BASES: tuple[str, ...] = (
    "Crime and Disorder Act 1998, section 115 (information sharing for crime and disorder "
    "reduction)",
    "Anti-social Behaviour, Crime and Policing Act 2014 (ASB case review and powers)",
    "UK GDPR Article 6(1)(e) public task, with the DPA 2018 Schedule 1 conditions",
    "Data Protection Act 2018 Part 3 (law enforcement processing)",
)


def is_live(status: CaseStatus) -> bool:
    """Whether a case is still being worked (anything but closed)."""
    return status is not CaseStatus.CLOSED


def check_transition(current: CaseStatus, wanted: str, *, outcome: str = "",
                     reason: str = "") -> dict[str, str]:
    """The problems with moving a case from ``current`` to ``wanted`` (empty: allowed).

    Closing needs an outcome; reopening a closed case needs a reason.
    """
    problems: dict[str, str] = {}
    try:
        target = CaseStatus(wanted)
    except ValueError:
        return {"status": f"{wanted!r} is not a case status"}
    if target is current:
        problems["status"] = f"the case is already {current.label.lower()}"
    elif target not in TRANSITIONS[current]:
        allowed = ", ".join(s.label.lower() for s in sorted(TRANSITIONS[current]))
        problems["status"] = f"a case that is {current.label.lower()} can move only to {allowed}"
    if target is CaseStatus.CLOSED:
        if not outcome:
            problems["outcome"] = "say how the case ended before closing it"
        elif outcome not in {o.value for o in CaseOutcome}:
            problems["outcome"] = f"{outcome!r} is not an outcome"
    if current is CaseStatus.CLOSED and target is CaseStatus.OPEN and not reason.strip():
        problems["reason"] = "say why the case is being reopened"
    return problems


def validate_case_title(title: str, problems: dict[str, str]) -> str:
    title = title.strip()
    if not title:
        problems["title"] = "give the case a short title that describes the problem"
    elif len(title) > TITLE_MAX:
        problems["title"] = f"keep the title to {TITLE_MAX} characters"
    return title


def validate_text(value: str, *, field: str, what: str, problems: dict[str, str],
                  required: bool = True) -> str:
    """A free-text field: trimmed, required unless said otherwise, and not too long."""
    value = value.strip()
    if required and not value:
        problems[field] = f"write the {what}"
    elif len(value) > TEXT_MAX:
        problems[field] = f"keep the {what} to {TEXT_MAX:,} characters"
    return value


def parse_date(value: str | date | None, *, field: str, problems: dict[str, str],
               required: bool = True) -> date | None:
    """A date from a form (YYYY-MM-DD); every problem is added to ``problems``."""
    if isinstance(value, date):
        return value
    value = (value or "").strip()
    if not value:
        if required:
            problems[field] = "give a date"
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems[field] = f"{value!r} is not a date (YYYY-MM-DD, e.g. 2026-03-31)"
        return None


def validate_lawful_basis(value: str, problems: dict[str, str]) -> str:
    value = value.strip()
    if len(value) < LAWFUL_BASIS_MIN:
        problems["lawful_basis"] = ("record the lawful basis for sharing (for example "
                                    "section 115 of the Crime and Disorder Act 1998)")
    elif len(value) > 500:
        problems["lawful_basis"] = "keep the lawful basis to 500 characters"
    return value


def is_overdue(due_on: date, *, done: bool, today: date) -> bool:
    """An action is overdue when it is not done and its due date has passed."""
    return not done and due_on < today


def case_reference(year: int, number: int) -> str:
    """The reference people quote: ``CASE-2026-0007``."""
    return f"CASE-{year:04d}-{number:04d}"
