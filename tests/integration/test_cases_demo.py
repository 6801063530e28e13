"""The demo seed's cases: shared between the force, two councils and the housing provider, and
police-only intelligence kept from partners."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from vigil.bootstrap import Container
from vigil.domain.access import Actor
from vigil.services.case_views import CaseDetail
from vigil.services.cases import list_cases, my_overdue_actions, view_case
from vigil.services.demo import seed_demo
from vigil.services.users import actor_for
from vigil.store.case_repository import CaseCriteria
from vigil.store.models import User


def as_user(container: Container, username: str) -> Actor:
    with container.session_factory() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return actor_for(user)


def cases_of(container: Container, username: str) -> dict[str, CaseDetail]:
    actor = as_user(container, username)
    page = list_cases(container.uow(actor), criteria=CaseCriteria(), page=1, page_size=50)
    return {c.reference: view_case(container.uow(actor), reference=c.reference)
            for c in page.items}


def test_the_demo_has_cases_shared_between_the_force_councils_and_housing(
        container: Container, tmp_path: Path) -> None:
    seed_demo(container.uow(Actor.system("test")), seed=7, people=120, open_data_dir=tmp_path,
              force_name="Nowhere")
    police = cases_of(container, "officer")
    city = cases_of(container, "city.asb")
    district = cases_of(container, "district.asb")
    housing = cases_of(container, "housing.asb")
    assert len(police) == 4
    assert len(city) == 3 and len(district) == 1 and len(housing) == 2
    owners = {d.summary.owning_agency_code for d in police.values()}
    assert owners == {"force", "city-council", "district-council", "housing"}
    assert any(d.interventions for d in city.values())
    assert any(d.summary.status == "closed" for d in police.values())
    police_only = [n for d in police.values() for n in d.notes if n.police_only]
    assert police_only
    assert not [n for d in city.values() for n in d.notes if n.police_only]
    assert all("supplying drugs" not in repr(d) for d in [*city.values(), *housing.values()])
    assert my_overdue_actions(container.uow(as_user(container, "city.asb")))
    withdrawn = [s for d in district.values() for s in d.shares if s.withdrawn_at]
    assert [s.agency_code for s in withdrawn] == ["housing"]


def test_the_demo_has_one_asb_case_review_whose_victim_reached_the_threshold(
        container: Container, tmp_path: Path) -> None:
    from vigil.services.case_review import case_review_page

    seed_demo(container.uow(Actor.system("test")), seed=7, people=120, open_data_dir=tmp_path,
              force_name="Nowhere")
    flagged = [d for d in cases_of(container, "city.asb").values() if d.reached_triggers]
    assert len(flagged) == 1
    victim = flagged[0].reached_triggers[0]
    assert len(victim.qualifying) == 3 and len(victim.late) == 1
    page = case_review_page(container.uow(as_user(container, "city.asb")),
                            reference=flagged[0].summary.reference)
    [review] = page.reviews
    assert review.threshold_met and review.meeting_on and review.stage == "outcome_given"
    assert "victim support" in review.recommendations
