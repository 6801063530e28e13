"""Users: create them, and check a password at log-in."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from vigil.domain.access import Actor, AgencyKind, Permission, PermissionDenied, Role
from vigil.domain.problems import FieldProblems
from vigil.store.audit import AuditLog
from vigil.store.models import Agency, User
from vigil.store.types import utcnow
from vigil.store.uow import UnitOfWork

_hasher = PasswordHasher()
# Verifying against this when the user does not exist keeps log-in time the same either way.
_DUMMY_HASH = _hasher.hash("not-a-real-password")

MIN_PASSWORD_LENGTH = 10


class InvalidUser(FieldProblems):
    """The new user's details are wrong; ``problems`` maps each field to what is wrong."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def add_user(uow: UnitOfWork, *, username: str, full_name: str, password: str,
             agency_code: str, role: Role) -> User:
    """Create a user; every problem with the details is reported at once."""
    if not uow.actor.can(Permission.MANAGE_USERS):
        raise PermissionDenied("only an administrator can add users")
    with uow:
        problems: dict[str, str] = {}
        username = username.strip().lower()
        if not username or not username.replace(".", "").replace("-", "").isalnum():
            problems["username"] = "use letters, digits, dots and hyphens"
        elif uow.session.scalar(select(func.count()).where(User.username == username)):
            problems["username"] = f"{username!r} is taken"
        if not full_name.strip():
            problems["full_name"] = "required"
        if len(password) < MIN_PASSWORD_LENGTH:
            problems["password"] = f"at least {MIN_PASSWORD_LENGTH} characters"
        agency = uow.session.scalar(select(Agency).where(Agency.code == agency_code))
        if agency is None:
            known = ", ".join(uow.session.scalars(select(Agency.code).order_by(Agency.code)))
            problems["agency"] = f"no agency {agency_code!r} (known: {known or 'none'})"
        if (agency is not None and role is Role.PARTNER_ASB_OFFICER
                and agency.kind == AgencyKind.POLICE.value):
            problems["role"] = "partner ASB officers belong to a council or housing provider"
        if problems:
            raise InvalidUser(problems)
        assert agency is not None
        user = User(username=username, full_name=full_name.strip(),
                    password_hash=hash_password(password), agency_id=agency.id, role=role.value)
        uow.session.add(user)
        uow.session.flush()
        uow.audit.record(action="create", object_type="user", object_id=user.id,
                         detail={"after": {"username": username, "role": role.value,
                                           "agency": agency_code}})
        uow.commit()
        return user


def authenticate(uow: UnitOfWork, *, username: str, password: str) -> User | None:
    """The user if the password is right and the account active; ``None`` otherwise."""
    with uow:
        user = uow.session.scalar(
            select(User).where(User.username == username.strip().lower())
        )
        if user is None or not user.is_active:
            _verify(_DUMMY_HASH, password)
            return None
        if not _verify(user.password_hash, password):
            return None
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        user.last_login_at = utcnow()
        AuditLog(uow.session, actor_for(user, ip_address=uow.actor.ip_address)).record(
            action="login", object_type="user", object_id=user.id
        )
        uow.commit()
        return user


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def actor_for(user: User, *, ip_address: str | None = None) -> Actor:
    return Actor(user_id=user.id, username=user.username, agency_id=user.agency_id,
                 agency_kind=AgencyKind(user.agency.kind), role=Role(user.role),
                 ip_address=ip_address)
