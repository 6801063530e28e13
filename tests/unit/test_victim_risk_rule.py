"""The victim risk trend: the latest level against the one before, and the sparkline's shape."""

from __future__ import annotations

from datetime import UTC, datetime

from vigil.domain.risk import RiskLevel
from vigil.domain.victim_risk import AssessedLevel, RiskTrend, risk_trend, sparkline

HIGH, MEDIUM, STANDARD = RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.STANDARD


def on(day: int, level: RiskLevel) -> AssessedLevel:
    return AssessedLevel(level=level, assessed_at=datetime(2026, 3, day, tzinfo=UTC))


def test_a_higher_latest_level_is_rising_whatever_order_the_assessments_come_in() -> None:
    assert risk_trend([on(9, HIGH), on(1, STANDARD), on(5, MEDIUM)]) is RiskTrend.RISING


def test_a_lower_latest_level_is_falling_even_after_a_rise() -> None:
    assert risk_trend([on(1, STANDARD), on(5, HIGH), on(9, MEDIUM)]) is RiskTrend.FALLING


def test_the_same_level_twice_is_steady() -> None:
    assert risk_trend([on(1, HIGH), on(5, MEDIUM), on(9, MEDIUM)]) is RiskTrend.STEADY


def test_one_assessment_has_nothing_to_compare_with() -> None:
    assert risk_trend([on(1, HIGH)]) is RiskTrend.FIRST
    assert RiskTrend.FIRST.label == "First assessment"


def test_the_sparkline_puts_high_at_the_top_and_the_oldest_on_the_left() -> None:
    points = sparkline([STANDARD, MEDIUM, HIGH], width=96, height=24, pad=4)
    assert points == [(4, 20), (48, 12), (92, 4)]
    assert sparkline([]) == []
    assert sparkline([HIGH]) == [(48, 4)]
