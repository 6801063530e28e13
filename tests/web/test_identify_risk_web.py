"""The identification panel shows the caller's reports by the risk level their call was graded,
and the JSON API carries the same counts."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import LogIn, World, csrf_from
from tests.web.test_api import api_log_in
from tests.web.test_identify_web import CALLER, indexed_world
from vigil.domain.access import Role
from vigil.domain.risk import DEFAULT_QUESTIONNAIRE
from vigil.store.call_tables import RiskAssessment, RiskQuestionnaireVersion
from vigil.store.models import Incident


def graded_high(world: World) -> World:
    """The vulnerable victim's Vigil call was graded high."""
    with world.container.session_factory() as session:
        questionnaire = RiskQuestionnaireVersion(version=DEFAULT_QUESTIONNAIRE.version,
                                                 data=DEFAULT_QUESTIONNAIRE.to_data())
        session.add(questionnaire)
        session.flush()
        incident_id = session.scalar(select(Incident.id).where(Incident.reference == "INC-1"))
        assert incident_id is not None
        session.add(RiskAssessment(incident_id=incident_id, questionnaire_id=questionnaire.id,
                                   answers={}, score=9, score_level="high", level="high",
                                   thrive={}))
        session.commit()
    return world


def test_the_panel_counts_reports_by_risk_level(world: World, client: TestClient,
                                                log_in: LogIn) -> None:
    graded_high(indexed_world(world)).user("handler", role=Role.CALL_HANDLER)
    log_in("handler")
    token = csrf_from(client.get("/identify").text)
    page = client.post("/identify", data={**CALLER, "reason": "Noise call",
                                          "csrf_token": token},
                       headers={"HX-Request": "true"}).text
    assert "<td>Risk: High</td>" in page
    # The crime records system's incident had no call screen: it was never assessed.
    assert "<td>Risk: Not assessed</td>" in page


def test_the_api_gives_counts_by_risk_level(world: World, client: TestClient) -> None:
    graded_high(indexed_world(world)).user("handler", role=Role.CALL_HANDLER)
    api_log_in(client, "handler")
    answer = client.post("/api/identify", json={
        "caller": {"given_name": "Maggie", "family_name": "Oyelaran",
                   "date_of_birth": "1970-05-01", "postcode": "LE1 1AA"},
        "reason": "Noise call"})
    assert answer.status_code == 200, answer.text
    levels = dict((name, counts) for name, counts in
                  answer.json()["people"][0]["history"]["by_risk_level"])
    assert levels["High"]["ever"] == 1 and levels["Not assessed"]["ever"] == 1
