"""Agencies, roles and what each role may do. Pure rules: the store applies them to queries."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class AgencyKind(StrEnum):
    POLICE = "police"
    COUNCIL = "council"
    HOUSING = "housing"


class Role(StrEnum):
    """The users DESIGN.md names; each user has one role within one agency."""

    CALL_HANDLER = "call_handler"
    NEIGHBOURHOOD_OFFICER = "neighbourhood_officer"
    PARTNER_ASB_OFFICER = "partner_asb_officer"
    ANALYST = "analyst"
    SUPERVISOR = "supervisor"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.CALL_HANDLER: "Call handler",
    Role.NEIGHBOURHOOD_OFFICER: "Neighbourhood officer / PCSO",
    Role.PARTNER_ASB_OFFICER: "Partner ASB officer",
    Role.ANALYST: "Analyst",
    Role.SUPERVISOR: "Supervisor / manager",
    Role.ADMINISTRATOR: "Administrator",
}


class Permission(StrEnum):
    VIEW_INCIDENTS = "view_incidents"
    VIEW_PEOPLE = "view_people"
    VIEW_POLICE_ONLY = "view_police_only"
    IMPORT_DATA = "import_data"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"
    VIEW_CASES = "view_cases"
    MANAGE_CASES = "manage_cases"
    RECORD_CALLS = "record_calls"
    SUPERVISE_CALLS = "supervise_calls"
    PUBLISH_QUESTIONNAIRE = "publish_questionnaire"
    MANAGE_SETTINGS = "manage_settings"  # local settings such as ASB Case Review thresholds


_ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CALL_HANDLER: frozenset(
        {Permission.VIEW_INCIDENTS, Permission.VIEW_PEOPLE, Permission.VIEW_CASES,
         Permission.RECORD_CALLS}
    ),
    Role.NEIGHBOURHOOD_OFFICER: frozenset(
        {Permission.VIEW_INCIDENTS, Permission.VIEW_PEOPLE, Permission.VIEW_CASES,
         Permission.MANAGE_CASES}
    ),
    Role.PARTNER_ASB_OFFICER: frozenset(
        {Permission.VIEW_INCIDENTS, Permission.VIEW_PEOPLE, Permission.VIEW_CASES,
         Permission.MANAGE_CASES}
    ),
    Role.ANALYST: frozenset({Permission.VIEW_INCIDENTS, Permission.IMPORT_DATA}),
    Role.SUPERVISOR: frozenset(
        {Permission.VIEW_INCIDENTS, Permission.VIEW_PEOPLE, Permission.VIEW_AUDIT,
         Permission.VIEW_CASES, Permission.MANAGE_CASES, Permission.RECORD_CALLS,
         Permission.SUPERVISE_CALLS}
    ),
    Role.ADMINISTRATOR: frozenset(
        {Permission.VIEW_INCIDENTS, Permission.MANAGE_USERS, Permission.VIEW_AUDIT,
         Permission.IMPORT_DATA, Permission.MANAGE_SETTINGS,
         Permission.PUBLISH_QUESTIONNAIRE}
    ),
}


@dataclass(frozen=True)
class Actor:
    """Who is acting: the signed-in user, or the system itself (imports, seeding)."""

    user_id: int | None
    username: str
    agency_id: int | None
    agency_kind: AgencyKind | None
    role: Role | None
    ip_address: str | None = None

    @classmethod
    def system(cls, name: str = "system") -> Actor:
        return cls(user_id=None, username=name, agency_id=None, agency_kind=None, role=None)

    @property
    def is_system(self) -> bool:
        return self.user_id is None

    @property
    def is_police(self) -> bool:
        return self.is_system or self.agency_kind is AgencyKind.POLICE

    def can(self, permission: Permission) -> bool:
        """Whether this actor's role grants ``permission``; police-only needs a police agency."""
        if self.is_system:
            return True
        if self.role is None:
            return False
        if permission is Permission.VIEW_POLICE_ONLY:
            return self.is_police and Permission.VIEW_INCIDENTS in _ROLE_PERMISSIONS[self.role]
        return permission in _ROLE_PERMISSIONS[self.role]


class PermissionDenied(Exception):
    """The actor may not do this. The web edge answers 403 (or 404 for objects out of scope)."""


class NotFound(Exception):
    """No such object, or one outside the actor's scope: the two must look the same."""
