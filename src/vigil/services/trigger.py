"""Whether each victim on a case has reached the ASB Case Review (Community Trigger) threshold,
built inside the caller's transaction from what the actor may see.

The rule itself is :mod:`vigil.domain.case_review`; this module gathers each victim's complaints
(their person record and every record linked to the same person, as caller or victim), picks the
local threshold (the local authority of the victim's latest complaint; the default where that
authority has set none) and turns the assessment into plain read models.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from vigil.domain.access import Actor
from vigil.domain.case_review import (
    Complaint,
    TriggerAssessment,
    TriggerThreshold,
    assess,
    problem_keys,
)
from vigil.domain.cases import PartyRole
from vigil.store import case_repository as cases_repo
from vigil.store import case_review_queries as queries
from vigil.store.case_review_queries import ComplaintRow
from vigil.store.case_tables import Case


@dataclass(frozen=True)
class ComplaintView:
    reference: str
    recorded_at: datetime
    occurred_at: datetime | None
    occurred_month: date
    place: str
    category: str | None
    cases: list[str]


@dataclass(frozen=True)
class VictimTrigger:
    """One victim's standing against the threshold, and the complaints that count."""

    party_id: int
    record_id: int
    name: str
    reached: bool
    threshold_complaints: int
    threshold_text: str
    local_area: str
    problem_label: str
    window_start: date
    qualifying: list[ComplaintView]
    late: list[ComplaintView]  # made too long after the incident to count

    @property
    def needed(self) -> int:
        return max(0, self.threshold_complaints - len(self.qualifying))


def threshold_for(session: Session, rows: list[ComplaintRow]) -> tuple[TriggerThreshold, str]:
    """The local threshold for these complaints and the name of the area it belongs to."""
    code = next((r.local_authority_code for r in reversed(rows) if r.local_authority_code),
                None)
    if code:
        local = queries.local_threshold(session, local_authority_code=code)
        if local is not None:
            return TriggerThreshold(complaints=local.complaints,
                                    window_months=local.window_months,
                                    report_within_months=local.report_within_months,
                                    local_authority_code=code), \
                local.local_authority_name or code
    return TriggerThreshold(), "the default (no local threshold set)"


def _view(row: ComplaintRow) -> ComplaintView:
    return ComplaintView(reference=row.reference, recorded_at=row.recorded_at,
                         occurred_at=row.occurred_at, occurred_month=row.occurred_month,
                         place=row.location_text, category=row.category,
                         cases=list(row.case_references))


def assess_record(session: Session, actor: Actor, *, record_id: int,
                  as_of: datetime) -> tuple[TriggerAssessment, str, dict[str, ComplaintRow]]:
    """The assessment for the person behind one record, with the area's name and the rows."""
    ids = queries.same_person_records(session, actor, person_record_id=record_id)
    rows = queries.victim_complaints(session, actor, person_record_ids=ids)
    threshold, area = threshold_for(session, rows)
    complaints = [Complaint(reference=r.reference, recorded_at=r.recorded_at,
                            occurred_at=r.occurred_at, occurred_month=r.occurred_month,
                            problems=problem_keys(case_references=r.case_references,
                                                  address_id=r.address_id,
                                                  lsoa_code=r.lsoa_code, category=r.category))
                  for r in rows]
    return assess(complaints, threshold, as_of=as_of), area, {r.reference: r for r in rows}


def victim_triggers(session: Session, actor: Actor, case: Case, *,
                    as_of: datetime) -> list[VictimTrigger]:
    """Each victim on ``case`` (a person record the actor may see) against the threshold."""
    result = []
    for party in cases_repo.case_parties(session, actor, case_id=case.id):
        if party.role != PartyRole.VICTIM.value or party.record is None:
            continue
        assessment, area, rows = assess_record(session, actor, record_id=party.record.id,
                                               as_of=as_of)
        result.append(VictimTrigger(
            party_id=party.id, record_id=party.record.id, name=party.record.display_name,
            reached=assessment.reached,
            threshold_complaints=assessment.threshold.complaints,
            threshold_text=assessment.threshold.describe(),
            local_area=area, problem_label=assessment.problem_label,
            window_start=assessment.window_start.date(),
            qualifying=[_view(rows[c.reference]) for c in assessment.qualifying],
            late=[_view(rows[c.reference]) for c in assessment.not_qualifying]))
    return result
