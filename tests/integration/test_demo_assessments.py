"""The demo's risk assessments: graded by the domain's own rules, fewer questions skipped as
the months go by, the task each level requires, and a few open high-risk calls with alerts."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from vigil.bootstrap import Container
from vigil.demo import assessments
from vigil.domain.access import Actor
from vigil.domain.inspection import asked
from vigil.domain.risk import RESPONSES, Answer, AnswerStatus, RiskLevel, grade
from vigil.services.demo import seed_demo
from vigil.services.risk_versions import questionnaire_by_id
from vigil.store.call_tables import CallTask, RiskAssessment
from vigil.store.models import Incident
from vigil.store.supervision_tables import CallFlags, SupervisorAlert


def test_the_demo_assesses_its_recent_calls_realistically(container: Container,
                                                          tmp_path: Path) -> None:
    today = date(2026, 11, 26)
    seed_demo(container.uow(Actor.system("test")), seed=7, people=500, today=today,
              open_data_dir=tmp_path, force_name=container.settings.force_name)
    with container.session_factory() as session:
        rows = session.execute(
            select(RiskAssessment, CallTask, CallFlags, Incident.recorded_at)
            .join(CallTask, CallTask.incident_id == RiskAssessment.incident_id)
            .join(CallFlags, CallFlags.incident_id == RiskAssessment.incident_id)
            .join(Incident, Incident.id == RiskAssessment.incident_id)).all()
        alerts = session.scalars(select(SupervisorAlert)).all()
        questionnaire = questionnaire_by_id(session, rows[0][0].questionnaire_id)
    assert len(rows) > 100
    assert min(at for *_, at in rows).date() >= date(2025, 5, 1)
    early = [a for a, _, _, at in rows if at.date() < date(2025, 11, 1)]
    late = [a for a, _, _, at in rows if at.date() >= date(2026, 3, 1)]
    share = [sum(asked(a.answers, "earlier_incidents") for a in group) / len(group)
             for group in (early, late)]
    assert share[0] < share[1]  # handlers asked more often as the months went by
    assert any(x["status"] == "not_asked" and x["reason"] for a in early
               for x in a.answers.values())
    for assessment, task, flags, at in rows:
        answers = {k: Answer(AnswerStatus(v["status"]), v["value"], v["reason"])
                   for k, v in assessment.answers.items()}
        graded = grade(questionnaire, answers,
                       repeat=flags.repeat_caller or flags.repeat_location,
                       vulnerable=flags.vulnerable)
        assert graded.score == assessment.score
        assert graded.level.rank <= RiskLevel(assessment.level).rank
        response = RESPONSES[RiskLevel(assessment.level)]
        assert task.due_at == at + response.within and set(assessment.thrive) >= {"harm"}
    levels = {a.level for a, *_ in rows}
    assert levels == {"standard", "medium", "high"}
    done = [(t.done_at, t.due_at) for _, t, _, _ in rows if t.done_at is not None]
    assert len(done) > 0.8 * len(rows) and any(made > due for made, due in done)
    recent = [(a, t) for a, t, _, at in rows if at.date() >= today - timedelta(days=4)]
    assert sum(a.level == "high" and t.done_at is None for a, t in recent) >= 4
    open_alerts = [a for a in alerts if a.acknowledged_at is None]
    assert len(alerts) == sum(a.level == "high" for a, *_ in rows) and len(open_alerts) >= 3
    assert all(a.created_at.date() >= today - timedelta(days=4) for a in open_alerts)


def test_assessments_written_in_chunks_lose_and_repeat_nothing(
        container: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(assessments, "WRITE_CHUNK", 7)  # many chunks, the last one short
    seed_demo(container.uow(Actor.system("test")), seed=7, people=300,
              today=date(2026, 11, 26), open_data_dir=tmp_path,
              force_name=container.settings.force_name)
    with container.session_factory() as session:
        assessed = session.scalars(select(RiskAssessment.incident_id)).all()
        tasked = session.scalars(select(CallTask.incident_id)).all()
        flagged = session.scalars(select(CallFlags.incident_id)).all()
        since = session.scalar(select(func.min(Incident.recorded_at)).where(
            Incident.id.in_(assessed)))
        calls = session.scalars(select(Incident.id).where(
            Incident.recorded_at >= since, Incident.time_precision == "exact")).all()
    assert len(assessed) > 7 * 3
    assert len(set(assessed)) == len(assessed) == len(tasked) == len(flagged)
    assert set(assessed) == set(tasked) == set(flagged) == set(calls)
