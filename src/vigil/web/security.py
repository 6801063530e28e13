"""Web security pieces: CSRF tokens, the log-in throttle and the response security headers."""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_SESSION_KEY = "csrf"
CSRF_FORM_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def csrf_token(session: MutableMapping[str, Any]) -> str:
    """This session's CSRF token, made on first use (so the log-in form has one too)."""
    token = session.get(CSRF_SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session[CSRF_SESSION_KEY] = token
    return token


def csrf_matches(session: MutableMapping[str, Any], submitted: str | None) -> bool:
    """Whether ``submitted`` is this session's token (compared in constant time)."""
    expected = session.get(CSRF_SESSION_KEY)
    if not isinstance(expected, str) or not expected or not submitted:
        return False
    return hmac.compare_digest(expected.encode(), submitted.encode())


@dataclass
class LoginThrottle:
    """Counts failed log-ins per username and locks that username for a while after too many.

    After ``max_failures`` failures in a row the username is refused for ``lockout_seconds``
    (defaults: 5 failures, one minute), whether or not the account exists, so the lock-out says
    nothing about which usernames are real. A success clears the count.

    The counts live in this process's memory: they reset on restart and are not shared between
    worker processes, which is enough to slow guessing on a single-process install. A deployment
    with several workers should move them to a shared store.
    """

    max_failures: int = 5
    lockout_seconds: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, tuple[int, float]] = field(default_factory=dict)

    @staticmethod
    def _key(username: str) -> str:
        return username.strip().lower()[:80]

    def seconds_locked(self, username: str) -> float:
        """How long this username stays locked; 0 if it may try now."""
        count, locked_until = self._failures.get(self._key(username), (0, 0.0))
        if count < self.max_failures:
            return 0.0
        remaining = locked_until - self.clock()
        if remaining <= 0:
            self._failures.pop(self._key(username), None)
            return 0.0
        return remaining

    def failed(self, username: str) -> None:
        key = self._key(username)
        count, _ = self._failures.get(key, (0, 0.0))
        count += 1
        self._failures[key] = (count, self.clock() + self.lockout_seconds)
        if len(self._failures) > 100_000:  # a crude bound on memory under a spraying attack
            self._failures.clear()

    def succeeded(self, username: str) -> None:
        self._failures.pop(self._key(username), None)


CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SecurityHeadersMiddleware:
    """Adds the security headers to every response, and ``no-store`` to everything but static
    files, so pages with personal data are not kept in shared or browser caches."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend(h for h in SECURITY_HEADERS if h[0] not in present)
                if not is_static and b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
