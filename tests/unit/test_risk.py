"""The risk questionnaire: every gap reported at once, scoring into levels, the raise for a
repeat or vulnerable caller, the response each level requires, versions as data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from vigil.domain.risk import (
    DEFAULT_QUESTIONNAIRE,
    RESPONSES,
    Answer,
    AnswerStatus,
    Questionnaire,
    RiskLevel,
    grade,
    marker_kinds,
    validate_answers,
    validate_thrive,
)

Q = DEFAULT_QUESTIONNAIRE
ANSWERED = AnswerStatus.ANSWERED


def lowest() -> dict[str, Answer]:
    """Every question answered with its lowest-scoring option."""
    return {q.key: Answer(ANSWERED, min(q.options, key=lambda o: o.score).value)
            for q in Q.questions}


def test_the_default_questionnaire_asks_everything_the_issue_lists() -> None:
    keys = [q.key for q in Q.questions]
    assert keys == ["earlier_incidents", "targeted", "health", "disability", "age",
                    "living_alone", "unsafe_home", "daily_life", "children", "threats",
                    "getting_worse", "perpetrator", "agencies_view"]
    assert all(len(q.options) >= 2 for q in Q.questions)


def test_an_empty_assessment_lists_every_question_at_once() -> None:
    problems = validate_answers(Q, {})
    assert set(problems) == {q.key for q in Q.questions}


def test_declined_or_not_asked_needs_a_reason_and_an_answer_must_be_an_option() -> None:
    answers = lowest()
    answers["age"] = Answer(AnswerStatus.DECLINED)
    answers["health"] = Answer(AnswerStatus.NOT_ASKED, reason="  ")
    answers["threats"] = Answer(ANSWERED, "sometimes")
    answers["children"] = Answer(AnswerStatus.DECLINED, reason="Did not want to say")
    problems = validate_answers(Q, answers)
    assert problems == {"age": "say why it was declined", "health": "say why it was not asked",
                        "threats": "'sometimes' is not one of the answers"}


def test_a_complete_assessment_has_no_gaps() -> None:
    assert validate_answers(Q, lowest()) == {}


def test_scores_give_standard_medium_and_high() -> None:
    answers = lowest()
    assert grade(Q, answers, repeat=False, vulnerable=False).level is RiskLevel.STANDARD
    answers |= {"threats": Answer(ANSWERED, "violence"),
                "unsafe_home": Answer(ANSWERED, "yes"), "targeted": Answer(ANSWERED, "yes")}
    medium = grade(Q, answers, repeat=False, vulnerable=False)
    assert (medium.score, medium.level) == (10, RiskLevel.MEDIUM)
    answers |= {"health": Answer(ANSWERED, "a_lot"), "earlier_incidents":
                Answer(ANSWERED, "weekly")}
    assert grade(Q, answers, repeat=False, vulnerable=False).level is RiskLevel.HIGH


def test_declined_questions_score_nothing() -> None:
    answers = lowest() | {"threats": Answer(AnswerStatus.DECLINED, reason="upset")}
    assert grade(Q, answers, repeat=False, vulnerable=False).score == 0


def test_a_repeat_or_vulnerable_caller_raises_the_level_and_says_why() -> None:
    repeat = grade(Q, lowest(), repeat=True, vulnerable=False)
    assert repeat.score_level is RiskLevel.STANDARD and repeat.level is RiskLevel.MEDIUM
    assert repeat.raised_by == ("Raised from standard to medium: repeat caller or victim",)
    both = grade(Q, lowest(), repeat=True, vulnerable=True)
    assert both.level is RiskLevel.HIGH


def test_the_raise_never_lowers_a_level() -> None:
    answers = lowest() | {k: Answer(ANSWERED, max(q.options, key=lambda o: o.score).value)
                          for q in Q.questions for k in [q.key]}
    graded = grade(Q, answers, repeat=True, vulnerable=False)
    assert graded.level is RiskLevel.HIGH and graded.raised_by == ()


def test_each_level_requires_a_response_with_a_due_time() -> None:
    at = datetime(2026, 1, 1, 9, tzinfo=UTC)
    assert RESPONSES[RiskLevel.HIGH].alert_supervisor
    assert RESPONSES[RiskLevel.HIGH].due_at(at) == at + timedelta(hours=24)
    assert RESPONSES[RiskLevel.MEDIUM].due_at(at) == at + timedelta(hours=72)
    assert RESPONSES[RiskLevel.STANDARD].due_at(at) == at + timedelta(days=7)
    assert not RESPONSES[RiskLevel.STANDARD].alert_supervisor


def test_a_questionnaire_survives_being_stored_as_data() -> None:
    assert Questionnaire.from_data(Q.to_data()) == Q


def test_every_thrive_heading_needs_a_note() -> None:
    assert set(validate_thrive({"threat": "Low"})) == {
        "harm", "risk", "investigation", "vulnerability", "engagement"}


def test_answers_that_show_vulnerability_become_markers() -> None:
    answers = lowest() | {"disability": Answer(ANSWERED, "yes"),
                          "age": Answer(ANSWERED, "80_plus")}
    assert marker_kinds(answers, RiskLevel.MEDIUM) == [
        "disability", "age", "earlier_risk_medium_or_high"]
    assert marker_kinds(lowest(), RiskLevel.STANDARD) == []
