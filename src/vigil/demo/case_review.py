"""The demo's ASB Case Review (Community Trigger): the victim on the first demo case calls
three more times in the last five months about the same problem (each within days of the
incident), once more too late to count, applies for a review, and the review meeting gives
recommendations. Dated relative to today, so the threshold is reached whenever the demo is
seeded."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigil.demo.calls import reference
from vigil.domain.case_review import ReviewDecision, TriggerThreshold
from vigil.domain.incidents import PersonRole, TimePrecision
from vigil.store.case_tables import Case, CaseIncident, CaseParty, CaseTriggerReview
from vigil.store.models import Incident, IncidentPerson, Source, User

# (days ago it happened, days after that it was reported, what the victim said)
COMPLAINTS = (
    (140, 1, "Music and shouting from the flat below until 3am; banging on the ceiling."),
    (100, 45, "Reported late: a brick thrown at the window last month."),
    (75, 2, "Group outside the door again, shouting abuse when the victim went out."),
    (12, 0, "Loud music all night; the victim's door kicked."),
)


def add_demo_case_review(session: Session, *, case: Case, victim: CaseParty,
                         incident: Incident, owner: User, now: datetime) -> None:
    """Add the victim's recent complaints to ``case`` and an ASB Case Review of them."""
    source_id = session.scalar(select(Source.id).where(Source.code == "vigil"))
    if source_id is None or victim.person_record_id is None:
        return
    counted = []
    # Whole days back from this evening, so that the same seed gives the same rows all day.
    evening = datetime.combine(now.date(), time(21, 40), tzinfo=UTC)
    for n, (days_ago, delay, text) in enumerate(COMPLAINTS, start=1):
        happened = evening - timedelta(days=days_ago)
        ref = reference(happened.year, 990_000 + n)
        complaint = Incident(
            reference=ref, source_id=source_id, source_key=ref, agency_id=incident.agency_id,
            occurred_at=happened, occurred_month=happened.date().replace(day=1),
            time_precision=TimePrecision.EXACT.value, latitude=incident.latitude,
            longitude=incident.longitude, location_text=incident.location_text,
            address_id=incident.address_id, lsoa_code=incident.lsoa_code,
            category=incident.category, detailed_type=incident.detailed_type, description=text,
            status="open", police_only=False, recorded_at=happened + timedelta(days=delay))
        session.add(complaint)
        session.flush()
        session.add(IncidentPerson(incident_id=complaint.id,
                                   person_record_id=victim.person_record_id,
                                   role=PersonRole.CALLER.value))
        session.add(CaseIncident(case_id=case.id, incident_id=complaint.id,
                                 linked_at=complaint.recorded_at, linked_by_user_id=owner.id))
        if delay <= 28:
            counted.append(ref)
    today = now.date()
    session.add(CaseTriggerReview(
        case_id=case.id, party_id=victim.id, applied_on=today - timedelta(days=9),
        applicant_name=victim.record.display_name if victim.record else "The victim",
        applicant_kind="victim", threshold_met=True,
        threshold_text=TriggerThreshold().describe(), complaints=counted,
        meeting_on=today - timedelta(days=4),
        meeting_attendees=f"{owner.full_name}, the council's ASB co-ordinator, the housing "
                          "officer and an independent chair",
        meeting_agency_codes=["city-council", "force", "housing"],
        decided_on=today - timedelta(days=1),
        decision=ReviewDecision.RECOMMENDATIONS_MADE.value,
        recommendations="Refer the victim to victim support within 48 hours; the housing "
                        "provider to start possession proceedings; police to patrol the block "
                        "nightly for four weeks and report back at the next case review.",
        created_by_user_id=owner.id))
