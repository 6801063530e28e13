"""The risk assessment asked on every ASB call: a versioned questionnaire held as data, its
scoring into standard / medium / high, the raise for a repeat or vulnerable caller, the
response each level requires, and THRIVE. Plain Python: no I/O, tested in milliseconds.

A questionnaire is data (``Questionnaire.to_data`` / ``from_data``) so that an administrator
can publish a new version while old calls keep the version they were asked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any


class RiskLevel(StrEnum):
    STANDARD = "standard"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    @property
    def label(self) -> str:
        return self.value.capitalize()


_RANKS = {RiskLevel.STANDARD: 0, RiskLevel.MEDIUM: 1, RiskLevel.HIGH: 2}


class AnswerStatus(StrEnum):
    """How a question was dealt with: answered, or declined / not asked with a reason."""

    ANSWERED = "answered"
    DECLINED = "declined"
    NOT_ASKED = "not_asked"


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    score: int


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    options: tuple[Option, ...]

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class Questionnaire:
    """One published version: its questions, the score thresholds and the raising rules."""

    version: int
    questions: tuple[Question, ...]
    medium_from: int
    high_from: int
    repeat_raises_to: RiskLevel = RiskLevel.MEDIUM
    vulnerable_raises_to: RiskLevel = RiskLevel.MEDIUM
    repeat_and_vulnerable_raises_to: RiskLevel = RiskLevel.HIGH

    def to_data(self) -> dict[str, Any]:
        """The version as JSON-ready data (what the store keeps)."""
        return {
            "version": self.version, "medium_from": self.medium_from,
            "high_from": self.high_from, "repeat_raises_to": self.repeat_raises_to.value,
            "vulnerable_raises_to": self.vulnerable_raises_to.value,
            "repeat_and_vulnerable_raises_to": self.repeat_and_vulnerable_raises_to.value,
            "questions": [{"key": q.key, "text": q.text,
                           "options": [[o.value, o.label, o.score] for o in q.options]}
                          for q in self.questions]}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Questionnaire:
        return cls(
            version=int(data["version"]), medium_from=int(data["medium_from"]),
            high_from=int(data["high_from"]),
            repeat_raises_to=RiskLevel(data["repeat_raises_to"]),
            vulnerable_raises_to=RiskLevel(data["vulnerable_raises_to"]),
            repeat_and_vulnerable_raises_to=RiskLevel(data["repeat_and_vulnerable_raises_to"]),
            questions=tuple(
                Question(key=q["key"], text=q["text"],
                         options=tuple(Option(str(v), str(label), int(s))
                                       for v, label, s in q["options"]))
                for q in data["questions"]))


def _q(key: str, text: str, *options: tuple[str, str, int]) -> Question:
    return Question(key, text, tuple(Option(*o) for o in options))


_NO, _YES = ("no", "No", 0), ("yes", "Yes", 2)

DEFAULT_QUESTIONNAIRE = Questionnaire(
    version=1, medium_from=8, high_from=16,
    questions=(
        _q("earlier_incidents", "Has this happened before, and how often?",
           ("first", "This is the first time", 0), ("once_twice", "Once or twice before", 1),
           ("several", "Several times", 2), ("weekly", "Every week or more often", 3)),
        _q("targeted", "Do you feel targeted because of who you are (race, religion, "
           "disability, sexual orientation, transgender identity)?", _NO, ("yes", "Yes", 3)),
        _q("health", "Is this affecting your physical or mental health?", _NO,
           ("some", "Somewhat", 1), ("a_lot", "A lot", 3)),
        _q("disability", "Do you have a disability or long-term illness?", _NO, _YES),
        _q("age", "How old are you?", ("under_18", "Under 18", 2), ("18_64", "18 to 64", 0),
           ("65_79", "65 to 79", 1), ("80_plus", "80 or over", 2)),
        _q("living_alone", "Do you live alone, and is there someone to support you?",
           ("with_others", "Lives with others", 0),
           ("alone_supported", "Lives alone, has support", 1),
           ("alone_no_support", "Lives alone, no support", 2)),
        _q("unsafe_home", "Do you feel unsafe in your own home?", _NO,
           ("sometimes", "Sometimes", 2), ("yes", "Yes", 3)),
        _q("daily_life", "Is it affecting your sleep, work or daily life?", _NO,
           ("some", "Somewhat", 1), ("a_lot", "A lot", 2)),
        _q("children", "Are children affected?", ("no", "No, or no children", 0),
           ("yes", "Yes", 1)),
        _q("threats", "Have there been threats or violence?", _NO,
           ("threats", "Threats", 2), ("violence", "Violence", 4)),
        _q("getting_worse", "Is it getting worse?", ("no", "No, or the same", 0),
           ("yes", "Yes, getting worse", 2)),
        _q("perpetrator", "Do you know who is responsible? Is it a neighbour?",
           ("unknown", "Not known", 0), ("known", "Known, not a neighbour", 1),
           ("neighbour", "A neighbour", 2)),
        _q("agencies_view", "What do you think of what agencies have done so far?",
           ("not_reported", "Not reported before", 0), ("satisfied", "Satisfied", 0),
           ("partly", "Partly satisfied", 1), ("not_satisfied", "Not satisfied", 2)),
    ))


@dataclass(frozen=True)
class Answer:
    """The handler's answer to one question: an option, or declined / not asked, why."""

    status: AnswerStatus
    value: str = ""
    reason: str = ""


def validate_answers(questionnaire: Questionnaire,
                     answers: Mapping[str, Answer]) -> dict[str, str]:
    """Every gap at once, by question key: unanswered, unknown option, or no reason given."""
    problems: dict[str, str] = {}
    for question in questionnaire.questions:
        answer = answers.get(question.key)
        if answer is None:
            problems[question.key] = "answer this question, or mark it declined or not asked"
        elif answer.status is AnswerStatus.ANSWERED:
            if question.option(answer.value) is None:
                problems[question.key] = ("choose one of the answers" if not answer.value
                                          else f"'{answer.value}' is not one of the answers")
        elif not answer.reason.strip():
            word = "declined" if answer.status is AnswerStatus.DECLINED else "not asked"
            problems[question.key] = f"say why it was {word}"
    return problems


def score(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> int:
    """The sum of the chosen options' scores; declined and not-asked questions score 0."""
    total = 0
    for question in questionnaire.questions:
        answer = answers.get(question.key)
        if answer is not None and answer.status is AnswerStatus.ANSWERED:
            option = question.option(answer.value)
            total += option.score if option else 0
    return total


@dataclass(frozen=True)
class Grading:
    score: int
    score_level: RiskLevel
    level: RiskLevel
    raised_by: tuple[str, ...] = field(default_factory=tuple)


def grade(questionnaire: Questionnaire, answers: Mapping[str, Answer], *, repeat: bool,
          vulnerable: bool) -> Grading:
    """The score, the level it gives, and the level after the raise for a repeat or
    vulnerable caller (never lowered)."""
    total = score(questionnaire, answers)
    by_score = (RiskLevel.HIGH if total >= questionnaire.high_from
                else RiskLevel.MEDIUM if total >= questionnaire.medium_from
                else RiskLevel.STANDARD)
    floor, why = RiskLevel.STANDARD, ""
    if repeat and vulnerable:
        floor, why = questionnaire.repeat_and_vulnerable_raises_to, "repeat and vulnerable"
    elif repeat:
        floor, why = questionnaire.repeat_raises_to, "repeat caller or victim"
    elif vulnerable:
        floor, why = questionnaire.vulnerable_raises_to, "vulnerable victim"
    if floor.rank > by_score.rank:
        return Grading(total, by_score, floor,
                       (f"Raised from {by_score.label.lower()} to {floor.label.lower()}: "
                        f"{why}",))
    return Grading(total, by_score, by_score)


@dataclass(frozen=True)
class RequiredResponse:
    level: RiskLevel
    summary: str
    within: timedelta
    alert_supervisor: bool

    def due_at(self, recorded_at: datetime) -> datetime:
        return recorded_at + self.within


RESPONSES: dict[RiskLevel, RequiredResponse] = {
    RiskLevel.HIGH: RequiredResponse(
        RiskLevel.HIGH, "Supervisor alerted at once; neighbourhood contact within 24 hours",
        timedelta(hours=24), alert_supervisor=True),
    RiskLevel.MEDIUM: RequiredResponse(
        RiskLevel.MEDIUM, "Neighbourhood contact within 72 hours", timedelta(hours=72),
        alert_supervisor=False),
    RiskLevel.STANDARD: RequiredResponse(
        RiskLevel.STANDARD, "Neighbourhood contact within 7 days", timedelta(days=7),
        alert_supervisor=False),
}

THRIVE_FIELDS: tuple[tuple[str, str], ...] = (
    ("threat", "Threat"), ("harm", "Harm"), ("risk", "Risk"),
    ("investigation", "Investigation"), ("vulnerability", "Vulnerability"),
    ("engagement", "Engagement"))


def validate_thrive(thrive: Mapping[str, str]) -> dict[str, str]:
    """Each THRIVE heading needs a note; problems keyed by heading."""
    return {key: f"write the {label.lower()} assessment"
            for key, label in THRIVE_FIELDS if not thrive.get(key, "").strip()}


# Answers that say the caller is vulnerable, as the markers Vigil keeps on their record so
# that the next call flags them at once (DESIGN.md: "an earlier risk assessment at medium or
# high, a recorded flag").
_MARKING_ANSWERS: dict[tuple[str, str], str] = {
    ("targeted", "yes"): "targeted_for_identity",
    ("disability", "yes"): "disability",
    ("health", "a_lot"): "mental_health",
    ("age", "under_18"): "age",
    ("age", "80_plus"): "age",
    ("living_alone", "alone_no_support"): "lives_alone",
}


def marker_kinds(answers: Mapping[str, Answer], level: RiskLevel) -> list[str]:
    """The vulnerability marker kinds these answers and this level give, without repeats."""
    kinds = [kind for (key, value), kind in _MARKING_ANSWERS.items()
             if (a := answers.get(key)) is not None and a.status is AnswerStatus.ANSWERED
             and a.value == value]
    if level.rank >= RiskLevel.MEDIUM.rank:
        kinds.append("earlier_risk_medium_or_high")
    return list(dict.fromkeys(kinds))


# ----- checking a new version before it is published ----------------------------------------

_TOP_KEYS = {"version", "medium_from", "high_from", "repeat_raises_to", "vulnerable_raises_to",
             "repeat_and_vulnerable_raises_to", "questions"}
_RAISES = ("repeat_raises_to", "vulnerable_raises_to", "repeat_and_vulnerable_raises_to")
_KEY_PATTERN = "abcdefghijklmnopqrstuvwxyz0123456789_"


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _question_problems(n: int, q: Any, seen: set[str]) -> tuple[dict[str, str], int]:
    """Problems with question number ``n`` (1-based), keyed ``questions[n].field``, and the
    highest score it can give."""
    where = f"questions[{n}]"
    if not isinstance(q, Mapping):
        return {where: "must be an object with key, text and options"}, 0
    problems: dict[str, str] = {}
    key = q.get("key")
    if not isinstance(key, str) or not key.strip():
        problems[f"{where}.key"] = "give the question an id (lower-case letters, digits, _)"
    elif not key[0].isalpha() or any(c not in _KEY_PATTERN for c in key):
        problems[f"{where}.key"] = (f"{key!r}: use lower-case letters, digits and _ only, "
                                    "starting with a letter")
    elif key in seen:
        problems[f"{where}.key"] = f"{key!r} is used by an earlier question"
    else:
        seen.add(key)
    if not isinstance(q.get("text"), str) or not q["text"].strip():
        problems[f"{where}.text"] = "give the question's wording (the label the handler reads)"
    for extra in sorted(set(q) - {"key", "text", "options"}):
        problems[f"{where}.{extra}"] = "is not a question field (key, text, options)"
    options = q.get("options")
    if not isinstance(options, list) or len(options) < 2:
        problems[f"{where}.options"] = "give at least two answers, each [value, label, score]"
        return problems, 0
    values: set[str] = set()
    best = 0
    for m, option in enumerate(options, start=1):
        at = f"{where}.options[{m}]"
        if not isinstance(option, list) or len(option) != 3:
            problems[at] = "must be [value, label, score]"
            continue
        value, label, points = option
        if not isinstance(value, str) or not value.strip():
            problems[f"{at}.value"] = "give the answer a value (a short id)"
        elif value in values:
            problems[f"{at}.value"] = f"{value!r} is used by another answer to this question"
        elif value.startswith("_"):
            problems[f"{at}.value"] = "must not start with _ (kept for declined / not asked)"
        else:
            values.add(value)
        if not isinstance(label, str) or not label.strip():
            problems[f"{at}.label"] = "give the answer's label"
        if not _whole(points) or points < 0:
            problems[f"{at}.score"] = "must be a whole number, 0 or more"
        else:
            best = max(best, points)
    return problems, best


def questionnaire_problems(data: Any, *, next_version: int) -> dict[str, str]:
    """Every problem with ``data`` as a new questionnaire version, by field
    (``high_from``, ``questions[3].options[2].score``...). Empty when it can be published as
    ``next_version`` (a ``version`` in the data, if any, must be that number)."""
    if not isinstance(data, Mapping):
        return {"questionnaire": "must be a JSON object with questions and thresholds"}
    problems: dict[str, str] = {}
    for extra in sorted(set(data) - _TOP_KEYS):
        problems[extra] = "is not a questionnaire field"
    if "version" in data and data["version"] != next_version:
        problems["version"] = (f"this will be version {next_version}: set it to "
                               f"{next_version} or leave it out")
    questions = data.get("questions")
    max_score = 0
    if not isinstance(questions, list) or not questions:
        problems["questions"] = "give at least one question"
    else:
        seen: set[str] = set()
        for n, q in enumerate(questions, start=1):
            found, best = _question_problems(n, q, seen)
            problems.update(found)
            max_score += best
    for name in ("medium_from", "high_from"):
        if not _whole(data.get(name)) or data[name] < 1:
            problems[name] = "must be a whole number, 1 or more"
    if "medium_from" not in problems and "high_from" not in problems:
        if data["high_from"] <= data["medium_from"]:
            problems["high_from"] = (f"must be more than medium_from ({data['medium_from']}): "
                                     "the thresholds must increase")
        elif "questions" not in problems and data["high_from"] > max_score:
            problems["high_from"] = (f"{data['high_from']} can never be reached: the highest "
                                     f"possible score is {max_score}")
    levels = [level.value for level in RiskLevel]
    for name in _RAISES:
        if data.get(name) not in levels:
            problems[name] = f"must be one of {', '.join(levels)}"
    return problems
