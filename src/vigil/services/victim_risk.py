"""Victim risk on a case: each victim's latest risk assessment and its trend, built inside the
caller's transaction from what the actor may see.

A victim is a person record on the case; their assessments are those of every call on which
that record, or any record the identification engine linked to the same person, was the
victim (:func:`vigil.store.case_review_queries.same_person_records`, as the ASB Case Review
does). What a user is shown depends on who they are:

- police users see the level, score, date and the call's reference (a link to the call's
  summary where they may open it);
- partner users see only the level, date and trend of assessments that are not police-only
  intelligence (the call's incident and the victim's record must both be visible to them:
  :mod:`vigil.store.victim_risk_queries`). Scores and answers are police-held and never
  reach them, so ``score`` and ``reference`` are ``None`` in their read models.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from vigil.domain.access import Actor, Permission
from vigil.domain.cases import PartyRole
from vigil.domain.risk import RiskLevel
from vigil.domain.victim_risk import HISTORY_SHOWN, AssessedLevel, risk_trend, sparkline
from vigil.store import case_repository as cases_repo
from vigil.store.case_review_queries import same_person_records
from vigil.store.case_tables import Case
from vigil.store.victim_risk_queries import victim_assessments


@dataclass(frozen=True)
class RiskPoint:
    """One assessment as this user may see it."""

    level: str
    level_label: str
    assessed_at: datetime
    score: int | None  # police only
    reference: str | None  # police only: the call's reference


@dataclass(frozen=True)
class VictimRisk:
    """One victim on a case with their latest assessment and its trend."""

    party_id: int
    record_id: int
    name: str
    latest: RiskPoint | None  # None: no assessment this user may see
    trend: str | None  # a RiskTrend value; None with no assessment
    trend_label: str
    history: list[RiskPoint]  # the latest few, oldest first
    assessments: int  # how many this user may see in all
    may_open_calls: bool  # the references link to /calls/{reference}
    sparkline: list[tuple[float, float]]

    @property
    def sparkline_points(self) -> str:
        return " ".join(f"{x:g},{y:g}" for x, y in self.sparkline)


def victim_risks(session: Session, actor: Actor, case: Case) -> list[VictimRisk]:
    """Each victim on ``case`` whose record ``actor`` may see, with their risk over time."""
    police = actor.is_police
    may_open = police and actor.can(Permission.VIEW_PEOPLE)
    result = []
    for party in cases_repo.case_parties(session, actor, case_id=case.id):
        if party.role != PartyRole.VICTIM.value or party.record is None:
            continue
        ids = same_person_records(session, actor, person_record_id=party.record.id)
        rows = victim_assessments(session, actor, person_record_ids=ids)
        points = [RiskPoint(level=r.level, level_label=RiskLevel(r.level).label,
                            assessed_at=r.assessed_at, score=r.score if police else None,
                            reference=r.reference if police else None) for r in rows]
        trend = risk_trend([AssessedLevel(RiskLevel(r.level), r.assessed_at) for r in rows]) \
            if rows else None
        shown = points[-HISTORY_SHOWN:]
        result.append(VictimRisk(
            party_id=party.id, record_id=party.record.id, name=party.record.display_name,
            latest=points[-1] if points else None, trend=trend.value if trend else None,
            trend_label=trend.label if trend else "No risk assessment recorded", history=shown,
            assessments=len(points), may_open_calls=may_open,
            sparkline=sparkline([RiskLevel(p.level) for p in shown])))
    return result
