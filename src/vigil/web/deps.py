"""Dependencies the routes declare with ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from vigil.bootstrap import Container
from vigil.domain.access import Actor
from vigil.web.errors import CsrfRejected, LoginRequired
from vigil.web.identity import SignedInUser, container_of, signed_in_user
from vigil.web.security import CSRF_FORM_FIELD, CSRF_HEADER, LoginThrottle, csrf_matches

ContainerDep = Annotated[Container, Depends(container_of)]


def _require_user(request: Request) -> SignedInUser:
    user = signed_in_user(request)
    if user is None:
        raise LoginRequired
    return user


CurrentUser = Annotated[SignedInUser, Depends(_require_user)]


def _current_actor(user: CurrentUser) -> Actor:
    return user.actor


CurrentActor = Annotated[Actor, Depends(_current_actor)]


async def _check_csrf(request: Request) -> None:
    """Refuse the request unless it carries this session's CSRF token, in the
    ``X-CSRF-Token`` header (HTMX, scripts) or the ``csrf_token`` form field."""
    submitted = request.headers.get(CSRF_HEADER)
    content_type = request.headers.get("content-type", "")
    if not submitted and content_type.startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FORM_FIELD)
        submitted = value if isinstance(value, str) else None
    if not csrf_matches(request.session, submitted):
        raise CsrfRejected


CsrfChecked = Annotated[None, Depends(_check_csrf)]


def _throttle(request: Request) -> LoginThrottle:
    throttle: LoginThrottle = request.app.state.login_throttle
    return throttle


Throttle = Annotated[LoginThrottle, Depends(_throttle)]
