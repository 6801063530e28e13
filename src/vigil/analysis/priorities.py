"""Where to put resources: per neighbourhood, places ranked by a transparent score, each with
the reasons it ranks where it does.

High-risk assessments come from the risk questions asked on calls recorded in Vigil;
data.police.uk incidents carry none, so a place known only from open data scores nothing for
them (its reasons say so)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

from vigil.analysis.frame import IncidentFrame
from vigil.analysis.repeats import DEFAULT_REPEAT_THRESHOLD

MAX_REFERENCES = 50


@dataclass(frozen=True)
class ScoreWeights:
    """Points per item. The score is the sum of points, so anyone can check a ranking."""

    incident: float = 1.0
    repeat_victim: float = 3.0
    vulnerable_victim: float = 5.0
    high_risk_assessment: float = 4.0
    """Per call at the place assessed as high risk in the period."""
    rise_on_last_year: float = 0.5
    """Per incident more than in the same months last year (falls score nothing)."""


@dataclass(frozen=True)
class Priority:
    neighbourhood: str
    place: str
    label: str
    incidents: int
    repeat_victims: int
    vulnerable_victims: int
    last_year: int | None
    main_category: str | None
    score: float
    reasons: tuple[str, ...]
    incident_references: tuple[str, ...] = ()
    """The place's incidents in the period, latest first (at most 50): what a
    problem-solving case would start from."""
    high_risk_assessments: int = 0
    """Calls at the place in the period whose risk assessment was high."""


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def priorities(frame: IncidentFrame, *, weights: ScoreWeights | None = None, top: int = 10,
               repeat_threshold: int = DEFAULT_REPEAT_THRESHOLD) -> dict[str, list[Priority]]:
    """The ``top`` places of each neighbourhood by score, highest first."""
    weights = weights or ScoreWeights()
    in_period = frame.in_period
    months = frame.period_last - frame.period_first + 1
    # a rise is only counted when the data reaches back over the same months last year
    compare = months <= 12 and (frame.earliest_month is not None
                                and frame.earliest_month <= frame.period_first - 12)
    before = (frame.month >= frame.period_first - 12) & (frame.month <= frame.period_last - 12)
    people = frame.people
    victim_rows = (people.role == "victim") & in_period[people.incident]
    victim_incidents: Counter[str] = Counter()
    for key, incident in set(zip(people.person[victim_rows], people.incident[victim_rows],
                                 strict=True)):
        del incident
        victim_incidents[key] += 1
    victims_at: dict[str, set[str]] = defaultdict(set)
    vulnerable_at: dict[str, set[str]] = defaultdict(set)
    for key, incident, vulnerable in zip(people.person[victim_rows],
                                         people.incident[victim_rows],
                                         people.vulnerable[victim_rows], strict=True):
        place = frame.place[incident]
        if victim_incidents[key] >= repeat_threshold:
            victims_at[place].add(key)
        if vulnerable:
            vulnerable_at[place].add(key)
    counts = Counter(frame.place[in_period])
    high_risk = Counter(frame.place[in_period & frame.high_risk])
    assessed = Counter(frame.place[in_period & frame.assessed])
    open_data_only = Counter(frame.place[in_period & ~frame.exact])
    last_year = Counter(frame.place[before]) if compare else Counter()
    categories: dict[str, Counter[str]] = defaultdict(Counter)
    info: dict[str, tuple[str, str]] = {}
    references: dict[str, list[str]] = defaultdict(list)
    for k in np.flatnonzero(in_period)[::-1]:
        place = frame.place[k]
        if len(references[place]) < MAX_REFERENCES:
            references[place].append(str(frame.reference[k]))
        if frame.category[k]:
            categories[place][frame.category[k]] += 1
        info.setdefault(place, (frame.neighbourhood[k], frame.place_label[k]))
    ranked: dict[str, list[Priority]] = defaultdict(list)
    for place, incidents in counts.items():
        neighbourhood, label = info[place]
        repeat, vulnerable = len(victims_at[place]), len(vulnerable_at[place])
        earlier = last_year[place] if compare else None
        rise = max(0, incidents - earlier) if earlier is not None else 0
        high = high_risk[place]
        parts = [(weights.incident * incidents, _plural(incidents, "incident")),
                 (weights.repeat_victim * repeat, _plural(repeat, "repeat victim")),
                 (weights.vulnerable_victim * vulnerable,
                  _plural(vulnerable, "vulnerable victim")),
                 (weights.high_risk_assessment * high,
                  _plural(high, "high-risk assessment")),
                 (weights.rise_on_last_year * rise,
                  f"up {rise} on the same months last year ({earlier})")]
        reasons = tuple(f"{text} (+{points:g})" for points, text in parts if points > 0)
        if not assessed[place] and open_data_only[place] == incidents:
            reasons += ("no risk assessments: data.police.uk incidents carry none",)
        main = categories[place].most_common(1)
        ranked[neighbourhood].append(Priority(
            neighbourhood=neighbourhood, place=place, label=label, incidents=incidents,
            repeat_victims=repeat, vulnerable_victims=vulnerable, last_year=earlier,
            main_category=main[0][0] if main else None,
            score=sum(points for points, _ in parts), reasons=reasons,
            incident_references=tuple(references[place]), high_risk_assessments=high))
    return {n: sorted(items, key=lambda p: (-p.score, -p.incidents, p.label))[:top]
            for n, items in ranked.items()}
