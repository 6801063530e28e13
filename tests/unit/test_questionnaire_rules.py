"""Checking a new questionnaire version (every problem by field) and the inspectorate's
measure rules, without a database."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta

from vigil.domain.inspection import (
    CallFacts,
    measure,
    percentile,
    previous_period,
    year_earlier,
)
from vigil.domain.risk import DEFAULT_QUESTIONNAIRE, questionnaire_problems


def test_the_default_version_is_valid_as_the_next_one() -> None:
    assert questionnaire_problems(DEFAULT_QUESTIONNAIRE.to_data(), next_version=1) == {}
    data = DEFAULT_QUESTIONNAIRE.to_data()
    del data["version"]
    assert questionnaire_problems(data, next_version=2) == {}


def test_every_problem_is_named_by_field() -> None:
    data = copy.deepcopy(DEFAULT_QUESTIONNAIRE.to_data())
    data["high_from"] = 8  # not above medium_from
    data["repeat_raises_to"] = "severe"
    data["colour"] = "blue"
    data["questions"][0]["key"] = ""
    data["questions"][1]["key"] = "health"  # the third question's key too
    data["questions"][3]["text"] = " "
    data["questions"][4]["options"][1] = ["18_64", "", -1]
    data["questions"][5]["options"] = [["alone", "Alone", 1]]
    problems = questionnaire_problems(data, next_version=1)
    assert problems == {
        "colour": "is not a questionnaire field",
        "questions[1].key": "give the question an id (lower-case letters, digits, _)",
        "questions[3].key": "'health' is used by an earlier question",
        "questions[4].text": "give the question's wording (the label the handler reads)",
        "questions[5].options[2].label": "give the answer's label",
        "questions[5].options[2].score": "must be a whole number, 0 or more",
        "questions[6].options": "give at least two answers, each [value, label, score]",
        "high_from": "must be more than medium_from (8): the thresholds must increase",
        "repeat_raises_to": "must be one of standard, medium, high",
    }


def test_an_unreachable_high_threshold_and_a_wrong_version_are_refused() -> None:
    data = DEFAULT_QUESTIONNAIRE.to_data() | {"high_from": 500}
    problems = questionnaire_problems(data, next_version=2)
    assert problems["high_from"].startswith("500 can never be reached")
    assert problems["version"] == "this will be version 2: set it to 2 or leave it out"
    assert questionnaire_problems([], next_version=2) == {
        "questionnaire": "must be a JSON object with questions and thresholds"}


AT = datetime(2026, 10, 5, tzinfo=UTC)


def facts(answers: dict[str, str], *, repeat: bool = False, done_after: float | None = None,
          due_after: float = 24) -> CallFacts:
    return CallFacts(
        recorded_at=AT, answers={k: {"status": s, "value": "first" if k == "earlier_incidents"
                                     else "no", "reason": ""} for k, s in answers.items()},
        flagged_repeat=repeat, flagged_vulnerable=False, due_at=AT + timedelta(hours=due_after),
        done_at=None if done_after is None else AT + timedelta(hours=done_after))


def test_measures_count_declined_as_asked_and_not_asked_as_not() -> None:
    calls = [facts({"earlier_incidents": "answered", "age": "answered"}, done_after=2),
             facts({"earlier_incidents": "declined", "age": "not_asked"}, done_after=48),
             facts({"earlier_incidents": "not_asked"}, repeat=True, due_after=200)]
    m = measure(calls, start=date(2026, 10, 1), end=date(2026, 10, 31),
                now=AT + timedelta(hours=100))
    assert (m.earlier_asb_asked.count, m.earlier_asb_asked.total) == (2, 3)
    assert m.vulnerability_asked.count == 1 and m.all_vulnerability_asked.count == 0
    assert m.identified.count == 1
    assert m.contact.made == 2 and m.contact.median_hours == 25
    assert (m.contact.in_time.count, m.contact.in_time.total) == (1, 2)  # 3rd not yet due


def test_percentiles_and_periods() -> None:
    assert percentile([], 0.5) is None
    assert percentile([1, 2, 3, 4], 0.9) == 3.7
    assert previous_period(date(2026, 10, 1), date(2026, 10, 31)) == (
        date(2026, 9, 1), date(2026, 9, 30))
    assert previous_period(date(2026, 3, 1), date(2026, 3, 31)) == (
        date(2026, 2, 1), date(2026, 2, 28))
    assert previous_period(date(2026, 10, 10), date(2026, 10, 16)) == (
        date(2026, 10, 3), date(2026, 10, 9))
    assert year_earlier(date(2024, 2, 29), date(2024, 3, 31)) == (
        date(2023, 2, 28), date(2023, 3, 31))
