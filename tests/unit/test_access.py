"""Who may do what: roles, agencies and the police-only rule. Pure rules, no database."""

from __future__ import annotations

import pytest

from vigil.domain.access import Actor, AgencyKind, Permission, Role


def actor(role: Role, kind: AgencyKind = AgencyKind.POLICE) -> Actor:
    return Actor(user_id=1, username="someone", agency_id=1, agency_kind=kind, role=role)


@pytest.mark.parametrize("role", list(Role))
def test_every_role_may_view_incidents(role: Role) -> None:
    assert actor(role).can(Permission.VIEW_INCIDENTS)


@pytest.mark.parametrize(("role", "sees_people"), [
    (Role.CALL_HANDLER, True), (Role.NEIGHBOURHOOD_OFFICER, True),
    (Role.PARTNER_ASB_OFFICER, True), (Role.SUPERVISOR, True),
    (Role.ANALYST, False), (Role.ADMINISTRATOR, False),
])
def test_only_roles_that_work_with_victims_see_people(role: Role, sees_people: bool) -> None:
    assert actor(role).can(Permission.VIEW_PEOPLE) is sees_people


def test_police_officers_see_police_only_records() -> None:
    assert actor(Role.NEIGHBOURHOOD_OFFICER).can(Permission.VIEW_POLICE_ONLY)
    assert actor(Role.CALL_HANDLER).is_police


@pytest.mark.parametrize("kind", [AgencyKind.COUNCIL, AgencyKind.HOUSING])
@pytest.mark.parametrize("role", list(Role))
def test_no_partner_role_ever_sees_police_only_records(role: Role, kind: AgencyKind) -> None:
    partner = actor(role, kind)
    assert not partner.can(Permission.VIEW_POLICE_ONLY)
    assert not partner.is_police


def test_only_administrators_manage_users() -> None:
    assert [r for r in Role if actor(r).can(Permission.MANAGE_USERS)] == [Role.ADMINISTRATOR]


def test_a_user_without_a_role_may_do_nothing() -> None:
    nobody = Actor(user_id=2, username="x", agency_id=1, agency_kind=AgencyKind.POLICE,
                   role=None)
    assert not any(nobody.can(p) for p in Permission)


def test_the_system_may_do_everything_and_counts_as_police() -> None:
    system = Actor.system("cli:test")
    assert system.is_system and system.is_police
    assert all(system.can(p) for p in Permission)


def test_every_role_has_words_for_the_pages() -> None:
    assert Role.NEIGHBOURHOOD_OFFICER.label == "Neighbourhood officer / PCSO"
    assert all(role.label for role in Role)
