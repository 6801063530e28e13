"""Logging in and out, shared by the log-in form and ``POST /api/session``."""

from __future__ import annotations

import math
import secrets
import time
from dataclasses import dataclass

from fastapi import Request

from vigil.bootstrap import Container
from vigil.domain.access import Actor
from vigil.services.users import authenticate
from vigil.web.identity import SESSION_USER_KEY, client_ip, forget_cached_user
from vigil.web.security import CSRF_SESSION_KEY, LoginThrottle

BAD_CREDENTIALS = "The username or password is not right. Check them and try again."


@dataclass(frozen=True)
class LoginOutcome:
    """``user_id`` on success; otherwise the message to show and the status to answer with."""

    user_id: int | None
    message: str = ""
    status_code: int = 200


def attempt_login(request: Request, *, container: Container, throttle: LoginThrottle,
                  username: str, password: str) -> LoginOutcome:
    """Check the password (unless the username is locked out) and start a fresh session.

    The message never says which of the two was wrong, and a locked-out username is refused
    before its password is checked.
    """
    locked = throttle.seconds_locked(username)
    if locked:
        seconds = math.ceil(locked)
        return LoginOutcome(None, f"Too many failed attempts to log in as this user. Wait "
                                  f"{seconds} seconds and try again.", 429)
    anonymous = Actor(user_id=None, username="anonymous", agency_id=None, agency_kind=None,
                      role=None, ip_address=client_ip(request))
    user = authenticate(container.uow(anonymous), username=username, password=password)
    if user is None:
        throttle.failed(username)
        return LoginOutcome(None, BAD_CREDENTIALS, 400)
    throttle.succeeded(username)
    start_session(request, user_id=user.id)
    return LoginOutcome(user.id)


def start_session(request: Request, *, user_id: int) -> None:
    """Drop everything the pre-log-in session held (rotating its CSRF token) and sign in."""
    request.session.clear()
    request.session[SESSION_USER_KEY] = user_id
    request.session[CSRF_SESSION_KEY] = secrets.token_urlsafe(32)
    request.session["since"] = int(time.time())
    forget_cached_user(request)


def end_session(request: Request) -> None:
    """Forget the signed-in user; the browser gets an emptied cookie."""
    request.session.clear()
    forget_cached_user(request)


def safe_next(target: str | None) -> str:
    """Where to go after log-in: only a path on this site, never another site."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if any(ch in target for ch in "\r\n\t"):
        return "/"
    return target

