"""High-risk assessments in the "where to put resources" score, on a small hand-built frame:
two places with the same number of incidents, one with two calls assessed high."""

from __future__ import annotations

from datetime import date

import numpy as np

from vigil.analysis.frame import Area, IncidentFrame, PeopleLinks
from vigil.analysis.priorities import ScoreWeights, priorities
from vigil.analysis.trends import month_number

OCT = month_number(date(2022, 10, 1))


def frame(risk: list[str], *, exact: list[bool], place: list[str]) -> IncidentFrame:
    n = len(risk)
    area = Area("E01000001", "Castle 1", 1500, 52.63, -1.13, "N1", "Castle", "E06", "Leicester")
    no_people = PeopleLinks(incident=np.array([], dtype=np.int64),
                            person=np.array([], dtype=object), role=np.array([], dtype=object),
                            vulnerable=np.array([], dtype=bool),
                            resolved=np.array([], dtype=bool))
    return IncidentFrame(
        period_first=OCT, period_last=OCT, id=np.arange(1, n + 1, dtype=np.int64),
        reference=np.array([f"R-{k}" for k in range(n)], dtype=object),
        month=np.full(n, OCT, dtype=np.int64),
        day=np.array([19270.0 if e else np.nan for e in exact]),
        longitude=np.full(n, -1.13), latitude=np.full(n, 52.63),
        lsoa=np.full(n, "E01000001", dtype=object), neighbourhood=np.full(n, "N1", dtype=object),
        category=np.full(n, "personal", dtype=object), place=np.array(place, dtype=object),
        place_label=np.array([p.title() for p in place], dtype=object),
        areas={"E01000001": area}, people=no_people, risk_level=np.array(risk, dtype=object))


def test_two_high_risk_calls_lift_a_place_above_one_with_as_many_incidents() -> None:
    ranked = priorities(frame(["high", "high", "standard", "medium", "standard", "standard"],
                              exact=[True] * 6, place=["mill"] * 3 + ["park"] * 3))
    mill, park = ranked["N1"]
    assert (mill.label, mill.high_risk_assessments, mill.score) == ("Mill", 2, 3 + 2 * 4)
    assert "2 high-risk assessments (+8)" in mill.reasons
    assert (park.high_risk_assessments, park.score) == (0, 3)
    assert not any("high-risk" in reason for reason in park.reasons)


def test_the_weight_is_a_setting_anyone_can_check() -> None:
    ranked = priorities(frame(["high"], exact=[True], place=["mill"]),
                        weights=ScoreWeights(high_risk_assessment=10))
    [mill] = ranked["N1"]
    assert mill.score == 1 + 10 and "1 high-risk assessment (+10)" in mill.reasons


def test_a_place_known_only_from_open_data_says_it_has_no_risk_assessments() -> None:
    ranked = priorities(frame(["", ""], exact=[False, False], place=["point:1", "point:1"]))
    [place] = ranked["N1"]
    assert place.high_risk_assessments == 0 and place.score == 2
    assert "no risk assessments: data.police.uk incidents carry none" in place.reasons


def test_a_frame_loaded_without_risk_levels_scores_no_high_risk() -> None:
    built = frame(["high"], exact=[True], place=["mill"])
    object.__setattr__(built, "risk_level", None)
    [mill] = priorities(built)["N1"]
    assert mill.high_risk_assessments == 0 and mill.score == 1
