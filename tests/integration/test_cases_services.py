"""Case services on the real database: scope by agency and sharing, police-only notes, status
changes, similar cases and the audit record of every view and change."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.web.conftest import World
from vigil.bootstrap import Container
from vigil.domain.access import Actor, NotFound, PermissionDenied, Role
from vigil.domain.cases import InvalidCaseInput
from vigil.services import case_actions, cases
from vigil.services.case_actions import NewAction, NewIntervention, NewReview
from vigil.services.cases import NewCase
from vigil.services.users import actor_for
from vigil.store.case_repository import CaseCriteria
from vigil.store.models import AuditEntry, PersonRecord, User
from vigil.store.types import utcnow

BASIS = "Crime and Disorder Act 1998, section 115"


def actor(container: Container, username: str) -> Actor:
    with container.session_factory() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return actor_for(user)


@pytest.fixture
def world(container: Container) -> World:
    return World(container)


@pytest.fixture
def people(world: World, container: Container) -> dict[str, Actor]:
    world.user("pc.dunmore", role=Role.NEIGHBOURHOOD_OFFICER, full_name="PC Rachel Dunmore")
    world.user("city.asb", role=Role.PARTNER_ASB_OFFICER, agency="city-council")
    world.user("district.asb", role=Role.PARTNER_ASB_OFFICER, agency="district-council")
    world.user("housing.asb", role=Role.PARTNER_ASB_OFFICER, agency="housing")
    world.user("analyst", role=Role.ANALYST)
    return {name: actor(container, name) for name in
            ("pc.dunmore", "city.asb", "district.asb", "housing.asb", "analyst")}


def open_shared_case(container: Container, people: dict[str, Actor]) -> str:
    police = people["pc.dunmore"]
    reference = cases.open_case(container.uow(police),
                                new=NewCase(title="Noise and threats at Mill Road flats"))
    case_actions.share_case(container.uow(police), reference=reference,
                            agency_code="city-council", lawful_basis=BASIS)
    case_actions.add_note(container.uow(police), reference=reference,
                          text="Informant says the perpetrator deals from flat 3",
                          police_only=True)
    case_actions.add_note(container.uow(police), reference=reference,
                          text="Victim visited; diary sheets left")
    return reference


def test_an_agency_sees_its_own_cases_and_those_shared_with_it_and_no_others(
        container: Container, people: dict[str, Actor]) -> None:
    reference = open_shared_case(container, people)
    for name in ("pc.dunmore", "city.asb"):
        assert cases.view_case(container.uow(people[name]), reference=reference).summary.title
    for name in ("district.asb", "housing.asb"):
        with pytest.raises(NotFound):
            cases.view_case(container.uow(people[name]), reference=reference)
    listed = cases.list_cases(container.uow(people["housing.asb"]), criteria=CaseCriteria(),
                              page=1, page_size=20)
    assert listed.total == 0


def test_a_partner_never_sees_police_only_notes_of_a_shared_case(
        container: Container, people: dict[str, Actor]) -> None:
    reference = open_shared_case(container, people)
    partner_view = cases.view_case(container.uow(people["city.asb"]), reference=reference)
    police_view = cases.view_case(container.uow(people["pc.dunmore"]), reference=reference)
    assert [n.text for n in partner_view.notes] == ["Victim visited; diary sheets left"]
    assert len(police_view.notes) == 2
    assert "flat 3" not in repr(partner_view)


def test_a_partner_cannot_mark_a_note_police_only(
        container: Container, people: dict[str, Actor]) -> None:
    reference = open_shared_case(container, people)
    with pytest.raises(InvalidCaseInput) as error:
        case_actions.add_note(container.uow(people["city.asb"]), reference=reference,
                              text="", police_only=True)
    assert set(error.value.problems) == {"text", "police_only"}


def test_withdrawing_sharing_hides_the_case_at_once_and_keeps_the_history(
        container: Container, people: dict[str, Actor]) -> None:
    reference = open_shared_case(container, people)
    case_actions.withdraw_share(container.uow(people["pc.dunmore"]), reference=reference,
                                agency_code="city-council", reason="Council case closed")
    with pytest.raises(NotFound):
        cases.view_case(container.uow(people["city.asb"]), reference=reference)
    with pytest.raises(NotFound):
        case_actions.add_note(container.uow(people["city.asb"]), reference=reference,
                              text="late note")
    detail = cases.view_case(container.uow(people["pc.dunmore"]), reference=reference)
    assert [(s.agency_code, s.withdrawal_reason) for s in detail.shares] == [
        ("city-council", "Council case closed")]
    assert detail.live_shares == []


def test_only_the_owning_agency_shares_or_changes_status(
        container: Container, people: dict[str, Actor]) -> None:
    reference = open_shared_case(container, people)
    partner = people["city.asb"]
    with pytest.raises(PermissionDenied):
        case_actions.share_case(container.uow(partner), reference=reference,
                                agency_code="housing", lawful_basis=BASIS)
    with pytest.raises(PermissionDenied):
        cases.change_status(container.uow(partner), reference=reference, status="action_plan")


def test_sharing_needs_a_lawful_basis_and_an_agency(
        container: Container, people: dict[str, Actor]) -> None:
    reference = open_shared_case(container, people)
    with pytest.raises(InvalidCaseInput) as error:
        case_actions.share_case(container.uow(people["pc.dunmore"]), reference=reference,
                                agency_code="nowhere", lawful_basis="")
    assert set(error.value.problems) == {"agency", "lawful_basis"}


def test_a_case_moves_through_its_life_with_every_change_dated_and_attributed(
        container: Container, people: dict[str, Actor]) -> None:
    reference = open_shared_case(container, people)
    police = people["pc.dunmore"]
    cases.change_status(container.uow(police), reference=reference, status="action_plan")
    cases.change_status(container.uow(police), reference=reference, status="review")
    with pytest.raises(InvalidCaseInput) as error:
        cases.change_status(container.uow(police), reference=reference, status="closed")
    assert "outcome" in error.value.problems
    cases.change_status(container.uow(police), reference=reference, status="closed",
                        outcome="resolved", reason="No reports for three months")
    detail = cases.view_case(container.uow(police), reference=reference)
    assert detail.summary.status_label == "Closed"
    assert detail.outcome_label == "Resolved"
    assert [h.to_status for h in detail.history] == ["open", "action_plan", "review", "closed"]
    assert {h.by_name for h in detail.history} == {"PC Rachel Dunmore"}
    with container.session_factory() as session:
        change = session.scalars(select(AuditEntry).where(AuditEntry.action == "change")
                                 .order_by(AuditEntry.id.desc())).first()
    assert change is not None
    assert change.detail == {"before": {"status": "review", "outcome": None},
                             "after": {"status": "closed", "outcome": "resolved"}}


def test_every_view_and_change_of_a_case_is_audited_with_the_user_and_agency(
        container: Container, people: dict[str, Actor]) -> None:
    reference = open_shared_case(container, people)
    cases.view_case(container.uow(people["city.asb"]), reference=reference)
    with container.session_factory() as session:
        entries = session.execute(select(AuditEntry.username, AuditEntry.action,
                                         AuditEntry.object_type)
                                  .order_by(AuditEntry.id)).all()
    assert [tuple(e) for e in entries] == [
        ("pc.dunmore", "create", "case"), ("pc.dunmore", "share", "case"),
        ("pc.dunmore", "create", "case_note"), ("pc.dunmore", "create", "case_note"),
        ("city.asb", "view", "case")]


def test_actions_interventions_and_reviews_are_recorded_and_overdue_actions_surface(
        world: World, container: Container, people: dict[str, Actor]) -> None:
    reference = open_shared_case(container, people)
    world.incident("VIG-1", lsoa=None)
    world.person("VIG-1", given_name="Mary", family_name="Smith", role="victim")
    police, partner = people["pc.dunmore"], people["city.asb"]
    with container.session_factory() as session:
        mary = session.scalar(select(PersonRecord.id).where(PersonRecord.family_name == "Smith"))
    party = case_actions.add_party(container.uow(police), reference=reference, role="victim",
                                   person_record_id=mary)
    case_actions.add_action(container.uow(police), reference=reference, new=NewAction(
        description="Send warning letter", due_on=utcnow().date() - timedelta(days=3),
        agency_code="city-council"))
    case_actions.add_intervention(container.uow(partner), reference=reference,
                                  new=NewIntervention(kind="mediation",
                                                      started_on="2026-01-10",
                                                      party_ids=(party,)))
    case_actions.add_review(container.uow(partner), reference=reference, new=NewReview(
        held_on="2026-02-01", attendees="PC Dunmore, D. Whitmore",
        agency_codes=("force", "city-council"), decisions="Apply for a CPN",
        next_review_on="2026-03-01"))
    detail = cases.view_case(container.uow(partner), reference=reference)
    assert [p.name for p in detail.parties] == ["Mary Smith"]
    assert detail.interventions[0].kind_label == "Mediation"
    assert detail.interventions[0].people == ["Mary Smith"]
    assert detail.reviews[0].next_review_on == date(2026, 3, 1)
    assert detail.actions[0].overdue
    overdue = cases.my_overdue_actions(container.uow(partner))
    assert [(o.case_reference, o.days_overdue) for o in overdue] == [(reference, 3)]
    assert cases.my_overdue_actions(container.uow(people["housing.asb"])) == []


def test_bad_action_input_is_reported_field_by_field_all_at_once(
        container: Container, people: dict[str, Actor]) -> None:
    reference = open_shared_case(container, people)
    with pytest.raises(InvalidCaseInput) as error:
        case_actions.add_action(container.uow(people["pc.dunmore"]), reference=reference,
                                new=NewAction(description=" ", due_on="31/02/2026",
                                              agency_code="mars"))
    assert set(error.value.problems) == {"description", "due_on", "agency"}


def test_opening_a_case_from_incidents_suggests_open_cases_about_the_same_area(
        world: World, container: Container, people: dict[str, Actor]) -> None:
    lsoas = world.area()
    world.incident("VIG-1", lsoa=lsoas[0])
    world.incident("VIG-2", lsoa=lsoas[0])
    world.incident("VIG-3", lsoa=lsoas[1])
    police = people["pc.dunmore"]
    first = cases.open_case(container.uow(police), new=NewCase(
        title="Youths on the Castle estate", incident_references=("VIG-1",)))
    similar = cases.suggest_similar_cases(container.uow(police), incident_references=["VIG-2"])
    assert [(s.summary.reference, s.reasons) for s in similar] == [
        (first, ["same small area (LSOA)"])]
    assert cases.suggest_similar_cases(container.uow(police), incident_references=["VIG-3"]) == []
    with pytest.raises(InvalidCaseInput) as error:
        cases.open_case(container.uow(police), new=NewCase(title="", incident_references=(
            "VIG-2", "NOPE-1")))
    assert set(error.value.problems) == {"title", "incidents"}


def test_a_role_without_cases_cannot_list_them(
        container: Container, people: dict[str, Actor]) -> None:
    with pytest.raises(PermissionDenied):
        cases.list_cases(container.uow(people["analyst"]), criteria=CaseCriteria(), page=1,
                         page_size=20)
