"""Victim risk on a case, on the real database: each victim's latest risk assessment across
every record of the same person, its trend, and what a partner may see of it."""

from __future__ import annotations

from dataclasses import astuple

import pytest
from sqlalchemy import select

from tests.victim_risk_factory import actor, assessed_call, same_person, shared_case
from tests.web.conftest import World
from vigil.bootstrap import Container
from vigil.domain.access import Role
from vigil.services import case_actions, cases
from vigil.store.models import AuditEntry


@pytest.fixture
def case_ref(container: Container) -> str:
    """A force case shared with the city council. Its victim, Ann, was assessed standard, then
    medium (on another record of hers), then high on a police-only call."""
    world = World(container)
    world.user("pc.dunmore", role=Role.NEIGHBOURHOOD_OFFICER)
    world.user("city.asb", role=Role.PARTNER_ASB_OFFICER, agency="city-council")
    world.incident("VGL-1")
    ann = world.person("VGL-1", given_name="Ann", family_name="Victim")
    world.incident("VGL-2")
    ann_again = world.person("VGL-2", given_name="Anne", family_name="Victim")
    same_person(container, ann, ann_again)
    assessed_call(container, "VGL-11", record_id=ann, level="standard", score=3, days_ago=90)
    assessed_call(container, "VGL-12", record_id=ann_again, level="medium", score=9,
                  days_ago=30)
    assessed_call(container, "VGL-13", record_id=ann, level="high", score=17, days_ago=2,
                  police_only=True)
    return shared_case(container, victim_record_id=ann)


def test_police_see_the_latest_assessment_of_every_record_of_the_victim_and_its_rise(
        container: Container, case_ref: str) -> None:
    detail = cases.view_case(container.uow(actor(container, "pc.dunmore")), reference=case_ref)
    [ann] = detail.victim_risks
    assert ann.latest is not None
    assert (ann.latest.level, ann.latest.score, ann.latest.reference) == ("high", 17, "VGL-13")
    assert ann.trend == "rising" and ann.trend_label == "Rising"
    assert [p.reference for p in ann.history] == ["VGL-11", "VGL-12", "VGL-13"]
    assert ann.assessments == 3 and ann.may_open_calls


def test_a_partner_sees_level_date_and_trend_but_no_score_call_or_police_only_assessment(
        container: Container, case_ref: str) -> None:
    detail = cases.view_case(container.uow(actor(container, "city.asb")), reference=case_ref)
    [ann] = detail.victim_risks
    assert ann.latest is not None
    assert ann.latest.level == "medium"  # the high one was on a police-only call
    assert ann.latest.score is None and ann.latest.reference is None
    assert ann.trend == "rising" and ann.assessments == 2
    assert all(p.score is None and p.reference is None for p in ann.history)
    assert not ann.may_open_calls
    # Nothing of the police-only call, in any field (its reference, its score of 17).
    assert "VGL-13" not in repr(detail.victim_risks)
    assert all(17 not in astuple(p) for p in (ann.latest, *ann.history))


def test_a_victim_with_no_assessment_is_listed_as_having_none(container: Container) -> None:
    world = World(container)
    world.user("pc.dunmore", role=Role.NEIGHBOURHOOD_OFFICER)
    world.incident("VGL-1")
    bob = world.person("VGL-1", given_name="Bob", family_name="Quiet")
    police = actor(container, "pc.dunmore")
    reference = cases.open_case(container.uow(police), new=cases.NewCase(title="Quiet"))
    case_actions.add_party(container.uow(police), reference=reference, role="victim",
                           person_record_id=bob)
    [bob_risk] = cases.view_case(container.uow(police), reference=reference).victim_risks
    assert bob_risk.latest is None and bob_risk.trend is None
    assert bob_risk.trend_label == "No risk assessment recorded"


def test_the_case_view_audit_records_how_many_assessments_were_shown(
        container: Container, case_ref: str) -> None:
    cases.view_case(container.uow(actor(container, "city.asb")), reference=case_ref)
    with container.session_factory() as session:
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.object_type == "case", AuditEntry.action == "view")
            .order_by(AuditEntry.id.desc())).first()
        assert entry is not None
        assert list(entry.detail["risk_assessments_shown"].values()) == [2]
