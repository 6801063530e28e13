"""High-risk assessments reach the priority score from the store, through the same restriction
as the incidents: a partner's analysis never counts a police-only call's assessment."""

from __future__ import annotations

from sqlalchemy import select

from tests.victim_risk_factory import assessed_call
from tests.web.conftest import World
from vigil.analysis import reports
from vigil.bootstrap import Container
from vigil.domain.access import Role
from vigil.services.analysis import AnalysisRequest, load_study
from vigil.services.users import actor_for
from vigil.store.models import User


def test_high_risk_calls_raise_the_priority_and_a_partner_counts_only_what_it_may_see(
        container: Container) -> None:
    world = World(container)
    world.user("analyst", role=Role.ANALYST)
    world.user("council.analyst", role=Role.ANALYST, agency="city-council")
    lsoas = world.area()
    world.incident("VGL-1", lsoa=lsoas[0])
    victim = world.person("VGL-1", given_name="Ann", family_name="Victim")
    for reference, level, restricted in (("VGL-11", "high", False), ("VGL-12", "high", True),
                                         ("VGL-13", "standard", False)):
        assessed_call(container, reference, record_id=victim, level=level, score=1,
                      days_ago=3, police_only=restricted, lsoa=lsoas[0])
    found = {}
    for username in ("analyst", "council.analyst"):
        with container.session_factory() as session:
            user = session.scalar(select(User).where(User.username == username))
            assert user is not None
            actor = actor_for(user)
        study = load_study(container.uow(actor), AnalysisRequest(), force_name="Nowhere")
        [top] = reports.priority_report(study)["E02000001"][:1]
        found[username] = (top.high_risk_assessments, top.reasons)
    assert found["analyst"][0] == 2 and "2 high-risk assessments (+8)" in found["analyst"][1]
    assert found["council.analyst"][0] == 1
