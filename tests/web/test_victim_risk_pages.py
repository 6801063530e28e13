"""The victim risk panel on a case's page and in the case API: police see the score and a
link to each call; a partner sees only the level, date and trend of what is not police-only."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.victim_risk_factory import assessed_call, shared_case
from tests.web.conftest import LogIn, World
from vigil.bootstrap import Container
from vigil.domain.access import Role


@pytest.fixture
def case_ref(world: World, container: Container) -> str:
    """A shared case whose victim went standard → medium → high (the high call police-only)."""
    world.user("pc.dunmore", role=Role.NEIGHBOURHOOD_OFFICER)
    world.user("city.asb", role=Role.PARTNER_ASB_OFFICER, agency="city-council")
    world.incident("VGL-1")
    ann = world.person("VGL-1", given_name="Ann", family_name="Victim")
    for reference, level, score, days, restricted in [
            ("VGL-11", "standard", 3, 90, False), ("VGL-12", "medium", 9, 30, False),
            ("VGL-13", "high", 17, 2, True)]:
        assessed_call(container, reference, record_id=ann, level=level, score=score,
                      days_ago=days, police_only=restricted)
    reference = shared_case(container, victim_record_id=ann)
    return reference


def panel(html: str) -> str:
    match = re.search(r'<section id="victim-risk".*?</section>', html, re.S)
    assert match, "the case page has no victim risk panel"
    return match.group(0)


def test_a_police_officer_sees_the_latest_risk_its_score_its_call_and_a_rising_trend(
        case_ref: str, client: TestClient, log_in: LogIn) -> None:
    log_in("pc.dunmore")
    shown = panel(client.get(f"/cases/{case_ref}").text)
    assert "Ann Victim" in shown and ">High<" in shown and "score 17" in shown
    assert '<a href="/calls/VGL-13">VGL-13</a>' in shown
    assert "Rising" in shown and "<svg" in shown
    assert "Medium" in shown and "Standard" in shown  # the earlier assessments, with dates


def test_a_partner_sees_only_the_level_date_and_trend_of_calls_that_are_not_police_only(
        case_ref: str, client: TestClient, log_in: LogIn) -> None:
    log_in("city.asb")
    shown = panel(client.get(f"/cases/{case_ref}").text)
    assert ">Medium<" in shown and "Rising" in shown
    assert ">High<" not in shown
    for hidden in ("VGL-13", "VGL-12", "/calls/", "score"):
        assert hidden not in shown
    assert "Scores, answers and police-only calls are held by the police" in shown


def test_the_case_api_gives_each_user_the_same_victim_risk_as_the_page(
        case_ref: str, client: TestClient, log_in: LogIn) -> None:
    log_in("pc.dunmore")
    [police] = client.get(f"/api/cases/{case_ref}").json()["victim_risk"]
    assert police["latest"]["level"] == "high" and police["latest"]["score"] == 17
    assert police["latest"]["reference"] == "VGL-13" and police["trend"] == "rising"
    client.post("/logout", data={})
    client.cookies.clear()
    log_in("city.asb")
    [partner] = client.get(f"/api/cases/{case_ref}").json()["victim_risk"]
    assert partner["latest"] == {"level": "medium", "assessed_at": partner["latest"][
        "assessed_at"], "score": None, "reference": None}
    assert partner["assessments"] == 2 and partner["trend"] == "rising"
    assert "answers" not in str(partner)
