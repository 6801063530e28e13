"""The demo's risk assessments: every call of the last 18 months gets the answers a control
room would really have recorded, so the supervisor's view has something true to show.

- Older calls were often rushed: earlier ASB and the vulnerability questions were "not asked"
  (with the reason a handler gives) far more often than recent ones, so the inspectorate's
  measures show the improvement a force would be proud of.
- The level comes from the domain's own :func:`~vigil.domain.risk.grade`, with the repeat and
  vulnerable flags the identification engine would have given (worked out from the demo truth,
  which only the demo may read).
- Each call has the response task its level requires; most were done in time, more of the
  older ones late, a few never done. High-risk calls raised a supervisor alert, acknowledged
  for all but the handful of high-risk calls recorded in the last days.

Bulk inserts; dates relative to ``today``, so the same seed on the same day gives the same rows.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from vigil.demo.calls import reference
from vigil.domain.access import Role
from vigil.domain.incidents import PersonRole
from vigil.domain.risk import (
    RESPONSES,
    Answer,
    AnswerStatus,
    Question,
    Questionnaire,
    RiskLevel,
    grade,
)
from vigil.services.risk_versions import current_questionnaire
from vigil.store.call_tables import CallTask, RiskAssessment
from vigil.store.case_tables import CaseParty
from vigil.store.models import (
    DemoTruth,
    Incident,
    IncidentPerson,
    Source,
    User,
    VulnerabilityMarker,
)
from vigil.store.supervision_tables import CallFlags, SupervisorAlert

MONTHS_BACK = 18
WRITE_CHUNK = 20_000  # calls whose rows are written at a time, so memory stays flat
RECENT_CALLS = 10  # open calls in the last three days, the first four of them high risk
_VULNERABILITY = ("targeted", "health", "disability", "age", "living_alone", "unsafe_home")
_SENSITIVE = ("targeted", "health", "disability", "age")
_NOT_ASKED_WHY = ("Caller in a hurry; call ended early", "Busy period, calls waiting",
                  "Third-party caller could not say", "Caller distressed; left for the "
                  "attending officer", "Line dropped before the questions were finished")
_DECLINED_WHY = ("Caller did not want to say", "Caller said it was private",
                 "Caller asked to move on")
_THRIVE = {
    RiskLevel.STANDARD: ("Low: no threats reported", "Nuisance and disturbance",
                         "Low risk of escalation", "Patrols to note the location",
                         "No vulnerability identified", "Advice given; caller content"),
    RiskLevel.MEDIUM: ("Some threat from the people responsible", "Affecting sleep and "
                       "daily life", "Could escalate if it continues", "Neighbourhood team "
                       "to follow up", "Some vulnerability: see the answers",
                       "Caller wants a visit"),
    RiskLevel.HIGH: ("Threats or violence towards the victim", "Serious effect on health",
                     "Likely to escalate; repeat victim", "Supervisor informed; officer to "
                     "attend", "Vulnerable victim", "Caller wants urgent contact"),
}


@dataclass(frozen=True)
class _Call:
    incident_id: int
    recorded_at: datetime
    agency_id: int | None
    person_key: str | None
    address_id: int | None


def add_demo_assessments(session: Session, *, seed: int, today: date) -> int:
    """Assess the Vigil log's calls of the last :data:`MONTHS_BACK` months, and add a few open
    calls in the last days; returns how many calls were assessed."""
    rng = random.Random(f"{seed}-assessments")
    version_id, questionnaire = current_questionnaire(session)
    now = datetime.combine(today, time(0), tzinfo=UTC)
    first = _months_before(today.replace(day=1), MONTHS_BACK)
    calls = _calls(session, since=datetime.combine(first, time(0), tzinfo=UTC))
    if not calls:
        return 0
    calls += _recent_calls(session, rng, calls=calls, now=now)
    history = _history(session, calls)
    vulnerable_people = _vulnerable_people(session)
    supervisor = session.scalar(select(User.id).where(User.role == Role.SUPERVISOR.value)
                                .order_by(User.id).limit(1))
    span = max(1.0, (now - calls[0].recorded_at).total_seconds())
    assessments: list[dict[str, Any]] = []
    tasks: list[dict[str, Any]] = []
    flags: list[dict[str, Any]] = []
    alerts: list[dict[str, Any]] = []
    recent_from = len(calls) - RECENT_CALLS
    for n, call in enumerate(calls):
        if len(assessments) >= WRITE_CHUNK:  # a million-person demo has over a million calls
            _write(session, assessments, tasks, flags, alerts)
        progress = (call.recorded_at - calls[0].recorded_at).total_seconds() / span
        repeat_person = _earlier(history["person"].get(call.person_key or ""), call, 1)
        repeat_place = _earlier(history["address"].get(call.address_id or 0), call, 3)
        marked = vulnerable_people.get(call.person_key or "")
        vulnerable = marked is not None and marked < call.recorded_at
        recent = n >= recent_from
        want_high = recent and n - recent_from < 4
        answers = _answers(rng, questionnaire, progress=progress, repeat=repeat_person,
                           severe=want_high)
        grading = grade(questionnaire, answers, repeat=repeat_person or repeat_place,
                        vulnerable=vulnerable)
        if want_high and grading.level is not RiskLevel.HIGH:
            answers = _answers(rng, questionnaire, progress=1.0, repeat=True, severe=True,
                               worst=True)
            grading = grade(questionnaire, answers, repeat=True, vulnerable=vulnerable)
        response = RESPONSES[grading.level]
        due = response.due_at(call.recorded_at)
        done = None if recent else _done_at(rng, call.recorded_at, response.within,
                                            progress=progress, now=now)
        assessments.append({
            "incident_id": call.incident_id, "questionnaire_id": version_id,
            "answers": {k: {"status": a.status.value, "value": a.value, "reason": a.reason}
                        for k, a in answers.items()},
            "score": grading.score, "score_level": grading.score_level.value,
            "level": grading.level.value, "raised_by": "; ".join(grading.raised_by),
            "thrive": dict(zip(("threat", "harm", "risk", "investigation", "vulnerability",
                                "engagement"), _THRIVE[grading.level], strict=True)),
            "assessed_at": call.recorded_at, "assessed_by_user_id": None})
        tasks.append({"incident_id": call.incident_id,
                      "kind": f"contact_{grading.level.value}",
                      "description": response.summary, "due_at": due,
                      "assigned_agency_id": call.agency_id, "created_at": call.recorded_at,
                      "done_at": done})
        flags.append({"incident_id": call.incident_id, "repeat_caller": repeat_person,
                      "repeat_victim": _earlier(history["person"].get(call.person_key or ""),
                                                call, 3),
                      "repeat_location": repeat_place, "vulnerable": vulnerable})
        if response.alert_supervisor and call.agency_id is not None:
            acknowledged = None if recent and n - recent_from > 0 else (
                call.recorded_at + timedelta(minutes=rng.randint(4, 90)))
            alerts.append({"incident_id": call.incident_id, "agency_id": call.agency_id,
                           "level": grading.level.value, "created_at": call.recorded_at,
                           "acknowledged_at": acknowledged,
                           "acknowledged_by_user_id": supervisor if acknowledged else None})
    _write(session, assessments, tasks, flags, alerts)
    session.flush()
    return len(calls)


def _write(session: Session, assessments: list[dict[str, Any]], tasks: list[dict[str, Any]],
           flags: list[dict[str, Any]], alerts: list[dict[str, Any]]) -> None:
    """Insert the rows gathered so far and empty the lists."""
    for model, rows in ((RiskAssessment, assessments), (CallTask, tasks), (CallFlags, flags),
                        (SupervisorAlert, alerts)):
        if rows:
            session.execute(insert(model), rows)
            rows.clear()


def _months_before(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _calls(session: Session, *, since: datetime) -> list[_Call]:
    """The Vigil log's calls recorded since ``since``, oldest first, with the caller's true
    person (demo truth) and the address."""
    rows = session.execute(
        select(Incident.id, Incident.recorded_at, Incident.agency_id, Incident.address_id,
               DemoTruth.true_person_key)
        .join(Source, Source.id == Incident.source_id).where(Source.code == "vigil")
        .join(IncidentPerson, (IncidentPerson.incident_id == Incident.id)
              & (IncidentPerson.role == PersonRole.CALLER.value), isouter=True)
        .join(DemoTruth, DemoTruth.person_record_id == IncidentPerson.person_record_id,
              isouter=True)
        .where(Incident.recorded_at >= since)
        .order_by(Incident.recorded_at, Incident.id)).all()
    seen: set[int] = set()
    calls = []
    for row in rows:
        if row.id not in seen and row.recorded_at is not None:
            seen.add(row.id)
            calls.append(_Call(row.id, row.recorded_at, row.agency_id, row.true_person_key,
                               row.address_id))
    return calls


def _recent_calls(session: Session, rng: random.Random, *, calls: list[_Call],
                  now: datetime) -> list[_Call]:
    """:data:`RECENT_CALLS` new calls in the three days before ``now``, each from a caller who
    has called before, at the same place: repeat callers whose contact is still to be made."""
    # Not the people on the demo's cases: a new call from them would change the ASB Case
    # Review story those cases tell.
    on_cases = set(session.scalars(
        select(DemoTruth.true_person_key).join(
            CaseParty, CaseParty.person_record_id == DemoTruth.person_record_id)))
    callers = [c for c in calls if c.person_key and c.person_key not in on_cases]
    picks = rng.sample(callers, min(RECENT_CALLS, len(callers)))
    added = []
    for n, earlier in enumerate(picks, start=1):
        old = session.get(Incident, earlier.incident_id)
        caller = session.scalar(select(IncidentPerson.person_record_id).where(
            IncidentPerson.incident_id == earlier.incident_id,
            IncidentPerson.role == PersonRole.CALLER.value))
        assert old is not None and caller is not None
        at = now - timedelta(hours=70 * (RECENT_CALLS - n + 1) / RECENT_CALLS,
                             minutes=rng.randint(0, 50))
        ref = reference(at.year, 980_000 + n)
        incident = Incident(
            reference=ref, source_id=old.source_id, source_key=ref, agency_id=old.agency_id,
            occurred_at=at - timedelta(minutes=rng.randint(5, 40)),
            occurred_month=at.date().replace(day=1), time_precision="exact",
            latitude=old.latitude, longitude=old.longitude, location_text=old.location_text,
            address_id=old.address_id, lsoa_code=old.lsoa_code, category=old.category,
            detailed_type=old.detailed_type, description=old.description, status="open",
            police_only=False, recorded_at=at)
        session.add(incident)
        session.flush()
        session.add(IncidentPerson(incident_id=incident.id, person_record_id=caller,
                                   role=PersonRole.CALLER.value))
        added.append(_Call(incident.id, at, old.agency_id, earlier.person_key,
                           old.address_id))
    session.flush()
    # Oldest first, with the four that must be high risk the earliest of them.
    return sorted(added, key=lambda c: c.recorded_at)


def _history(session: Session, calls: list[_Call]) -> dict[str, dict[object, list[datetime]]]:
    """When each true person, and each address, reported ASB (every Vigil log call)."""
    rows = session.execute(
        select(Incident.recorded_at, Incident.address_id, DemoTruth.true_person_key)
        .join(Source, Source.id == Incident.source_id).where(Source.code == "vigil")
        .join(IncidentPerson, IncidentPerson.incident_id == Incident.id, isouter=True)
        .join(DemoTruth, DemoTruth.person_record_id == IncidentPerson.person_record_id,
              isouter=True)).all()
    history: dict[str, dict[object, list[datetime]]] = {"person": defaultdict(list),
                                                        "address": defaultdict(list)}
    for at, address_id, person_key in rows:
        if at is None:
            continue
        if person_key:
            history["person"][person_key].append(at)
        if address_id:
            history["address"][address_id].append(at)
    for kind in history.values():
        for times in kind.values():
            times.sort()
    return history


def _earlier(times: list[datetime] | None, call: _Call, needed: int) -> bool:
    """Whether at least ``needed`` reports came in the 12 months before this call."""
    if not times:
        return False
    start = bisect_left(times, call.recorded_at - timedelta(days=365))
    end = bisect_left(times, call.recorded_at)
    return end - start >= needed


def _vulnerable_people(session: Session) -> dict[str, datetime]:
    """When each true person was first marked vulnerable on any of their records."""
    first: dict[str, datetime] = {}
    for key, at in session.execute(
            select(DemoTruth.true_person_key, VulnerabilityMarker.recorded_at).join(
                VulnerabilityMarker,
                VulnerabilityMarker.person_record_id == DemoTruth.person_record_id)):
        if at is not None and (key not in first or at < first[key]):
            first[key] = at
    return first


def _answers(rng: random.Random, questionnaire: Questionnaire, *, progress: float,
             repeat: bool, severe: bool, worst: bool = False) -> dict[str, Answer]:
    """Answers for one call. ``progress`` runs from 0 (the oldest call) to 1 (today): a rushed
    call skips questions, and calls were rushed far more often at first."""
    rushed = rng.random() < 0.42 - 0.36 * progress
    severity = 0.7 if severe else rng.choices((0.08, 0.3, 0.6), (0.7, 0.23, 0.07))[0]
    answers = {}
    for question in questionnaire.questions:
        key = question.key
        skip = 0.02
        if rushed and key in _VULNERABILITY:
            skip = 0.85
        elif rushed and key == "earlier_incidents":
            skip = 0.55
        if not worst and rng.random() < skip:
            answers[key] = Answer(AnswerStatus.NOT_ASKED, reason=rng.choice(_NOT_ASKED_WHY))
        elif not worst and key in _SENSITIVE and rng.random() < 0.03:
            answers[key] = Answer(AnswerStatus.DECLINED, reason=rng.choice(_DECLINED_WHY))
        else:
            answers[key] = Answer(AnswerStatus.ANSWERED,
                                  _option(rng, question, severity=1.0 if worst else severity,
                                          repeat=repeat))
    return answers


def _option(rng: random.Random, question: Question, *, severity: float, repeat: bool) -> str:
    ordered = sorted(question.options, key=lambda o: o.score)
    if question.key == "earlier_incidents":
        later = [o.value for o in ordered if o.score > 0]
        if repeat or severity >= 1.0:
            return later[-1] if severity >= 1.0 else rng.choice(later)
        return ordered[0].value if rng.random() < 0.8 else later[0]
    if question.key == "age" and severity < 1.0:
        values = {o.value for o in ordered}
        if {"18_64", "65_79", "80_plus", "under_18"} <= values:
            return rng.choices(("18_64", "65_79", "80_plus", "under_18"), (70, 18, 8, 4))[0]
    if severity >= 1.0 or rng.random() < severity:
        scoring = [o.value for o in ordered if o.score > 0]
        if scoring:
            return scoring[-1] if severity >= 1.0 else rng.choice(scoring)
    return ordered[0].value


def _done_at(rng: random.Random, recorded: datetime, within: timedelta, *, progress: float,
             now: datetime) -> datetime | None:
    """When the neighbourhood contact was made: mostly in time (more so lately), some late,
    a few of the last two months' not yet; ``None`` when not made by ``now``."""
    draw = rng.random()
    if draw < 0.03 and now - recorded < timedelta(days=60):
        return None  # still waiting; older ones were all done in the end
    if draw < 0.72 + 0.22 * progress:
        done = recorded + within * rng.uniform(0.04, 0.95)
    else:
        done = recorded + within * (1 + rng.expovariate(1.5))
    return done if done <= now else None
