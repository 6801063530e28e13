"""Issue 4's call-screen benchmark: server time from the caller's details to the rendered
identification panel (``POST /calls/identify``, as the call screen sends it while the handler
types), through the whole app: session and CSRF checks, form parsing, ``identify`` (lookup,
history, flags, audit record, commit) and the Jinja2 render.

    VIGIL_DATABASE_URL=sqlite:////tmp/bench.db taskset -c 0 .venv/bin/python \
        bench/call_panel_latency.py --requests 2000

The store must hold the demo (``vigil demo seed``): the bench signs in as its call handler.
Server time is measured by a plain ASGI wrapper around the app, from the request entering it to
the last byte of the answer leaving it; the in-process test client's own cost is outside it.
Callers are stored records re-typed with the demo's noise (``identify_latency.noisy_callers``).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent))
from identify_latency import noisy_callers, percentile  # noqa: E402

from vigil.bootstrap import Container  # noqa: E402
from vigil.services.demo import DEMO_PASSWORD  # noqa: E402
from vigil.services.identification import CallerDetails  # noqa: E402
from vigil.store.models import Incident, PersonRecord  # noqa: E402
from vigil.web.app import create_app  # noqa: E402

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Timed:
    """An ASGI app that records how long each request spends inside ``app``."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.times: list[float] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        started = time.perf_counter()
        await self.app(scope, receive, send)
        if scope["type"] == "http":
            self.times.append((time.perf_counter() - started) * 1000)


def form_of(caller: CallerDetails) -> dict[str, str]:
    """The call screen's caller fields, as the browser posts them."""
    return {"caller.given_name": caller.given_name or "",
            "caller.family_name": caller.family_name or "",
            "caller.date_of_birth": caller.date_of_birth or "",
            "caller.phone": caller.phones[0] if caller.phones else "",
            "caller.email": caller.email or "", "caller.address": caller.address or "",
            "caller.postcode": caller.postcode or ""}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--user", default="handler", help="a demo call handler")
    args = parser.parse_args()
    container = Container()
    with container.session_factory() as session:
        records = session.scalar(select(func.count(PersonRecord.id)))
        incidents = session.scalar(select(func.count(Incident.id)))
    print(f"{date.today()} {platform.node()} {platform.machine()} {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {container.engine.url.get_backend_name()}: "
          f"{records:,} person records, {incidents:,} incidents")
    callers = noisy_callers(container, args.requests, args.seed)
    timed = Timed(create_app(container))
    with TestClient(timed, base_url="http://testserver") as client:
        login = client.get("/login")
        answer = client.post("/login", data={
            "username": args.user, "password": DEMO_PASSWORD, "next": "/",
            "csrf_token": CSRF.search(login.text).group(1)},  # type: ignore[union-attr]
            follow_redirects=False)
        if answer.status_code != 303:
            raise SystemExit(f"could not sign in as {args.user!r} ({answer.status_code}): "
                             "is the demo seeded in this store?")
        token = CSRF.search(client.get("/calls/new").text).group(1)  # type: ignore[union-attr]
        client.post("/calls/identify", data={**form_of(callers[0]), "csrf_token": token})
        timed.times.clear()
        sizes = []
        for caller in callers:
            panel = client.post("/calls/identify", data={**form_of(caller), "csrf_token": token},
                                headers={"HX-Request": "true"})
            if panel.status_code != 200:
                raise SystemExit(f"the panel answered {panel.status_code}: {panel.text[:300]}")
            sizes.append(len(panel.content))
    times = timed.times
    print(f"POST /calls/identify (server: auth, CSRF, form, identify, render): n={len(times)} "
          f"p50={percentile(times, 50):.2f} ms p90={percentile(times, 90):.2f} ms "
          f"p99={percentile(times, 99):.2f} ms mean={statistics.mean(times):.2f} ms "
          f"(panel {statistics.median(sizes) / 1024:.1f} KiB median)")


if __name__ == "__main__":
    main()
