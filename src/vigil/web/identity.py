"""Who is signed in: the session cookie holds a user id, checked against the database on each
request so that a disabled account is out at once."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from vigil.bootstrap import Container
from vigil.domain.access import Actor
from vigil.services.users import actor_for
from vigil.store import repositories

SESSION_USER_KEY = "uid"
_NOT_LOADED = object()


@dataclass(frozen=True)
class SignedInUser:
    """The signed-in user as the pages show them, and the actor the services act as."""

    actor: Actor
    full_name: str
    agency_name: str
    role_label: str


def container_of(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def signed_in_user(request: Request) -> SignedInUser | None:
    """The user this request's session belongs to, or ``None``; loaded once per request."""
    cached = getattr(request.state, "signed_in_user", _NOT_LOADED)
    if cached is None or isinstance(cached, SignedInUser):
        return cached
    user = _load(request)
    request.state.signed_in_user = user
    return user


def forget_cached_user(request: Request) -> None:
    """Make the next :func:`signed_in_user` read the session again (after log-in or out)."""
    if hasattr(request.state, "signed_in_user"):
        del request.state.signed_in_user


def _load(request: Request) -> SignedInUser | None:
    if "session" not in request.scope:
        return None
    user_id = request.session.get(SESSION_USER_KEY)
    if not isinstance(user_id, int):
        return None
    with container_of(request).uow(Actor.system("web-session")) as uow:
        user = repositories.active_user(uow.session, user_id=user_id)
        if user is None:
            request.session.clear()
            return None
        actor = actor_for(user, ip_address=client_ip(request))
        assert actor.role is not None
        return SignedInUser(actor=actor, full_name=user.full_name,
                            agency_name=user.agency.name, role_label=actor.role.label)
