"""The log-in throttle, CSRF comparison and the after-log-in address: no database, no app."""

from __future__ import annotations

from vigil.web.login import safe_next
from vigil.web.security import LoginThrottle, csrf_matches, csrf_token


def test_throttle_locks_a_username_after_five_failures_for_a_minute() -> None:
    now = [0.0]
    throttle = LoginThrottle(clock=lambda: now[0])
    for _ in range(4):
        throttle.failed("Ann")
    assert throttle.seconds_locked("ann") == 0
    throttle.failed("ann ")
    assert throttle.seconds_locked("ANN") == 60
    assert throttle.seconds_locked("bob") == 0  # other usernames are not affected
    now[0] = 59.5
    assert throttle.seconds_locked("ann") == 0.5
    now[0] = 60.1
    assert throttle.seconds_locked("ann") == 0


def test_a_successful_log_in_clears_the_failures() -> None:
    throttle = LoginThrottle()
    for _ in range(4):
        throttle.failed("ann")
    throttle.succeeded("ann")
    throttle.failed("ann")
    assert throttle.seconds_locked("ann") == 0


def test_csrf_token_is_made_once_per_session_and_must_match_exactly() -> None:
    session: dict[str, object] = {}
    token = csrf_token(session)
    assert csrf_token(session) == token and len(token) >= 40
    assert csrf_matches(session, token)
    assert not csrf_matches(session, token[:-1])
    assert not csrf_matches(session, None)
    assert not csrf_matches({}, token)


def test_after_log_in_you_only_ever_go_to_a_page_on_this_site() -> None:
    assert safe_next("/incidents?page=2") == "/incidents?page=2"
    for target in (None, "", "https://evil.example", "//evil.example", "/\\evil.example",
                   "javascript:alert(1)", "/ok\r\nSet-Cookie: x"):
        assert safe_next(target) == "/"
