"""Where a lookup's time goes: each step of `identify` timed on its own, over noisy callers
(the same callers as bench/identify_latency.py), on a seeded demo store.

    VIGIL_DATABASE_URL=sqlite:///var/bench.db taskset -c 0 .venv/bin/python \
        bench/identify_phases.py --lookups 3000 [--slowest 20]

Prints p50, mean and p99 of each step's milliseconds per lookup, with the mean over the slowest
1% of lookups, and then the slowest lookups one per line (their candidates, history rows and
the steps that took longest). Steps are timed by wrapping the service's own functions, so a
step's figure includes what it calls: the candidate search includes its statement, and that
statement the caller's address statement sent with it (the address check is only the reading
of its rows).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy.orm
from identify_latency import noisy_callers, percentile

import vigil.identify.lookup as lookup
import vigil.services.identification as service
from vigil.bootstrap import Container
from vigil.domain.access import Actor
from vigil.identify.rules import IdentificationRules
from vigil.store.audit import AuditLog

# The steps, in the order a lookup takes them: (label, module or class, function name).
STEPS: tuple[tuple[str, Any, str], ...] = (
    ("normalise the caller", service, "features_of"),
    ("candidate search", service, "find_candidates"),
    ("  its statement", lookup, "candidate_rows"),
    ("caller's address check", service, "caller_addresses"),
    ("history statement", service, "history_rows"),
    ("split into people", service, "_people"),
    ("ambiguity check", service, "_ambiguous"),
    ("summarise people", service, "_person"),
    ("audit entry", AuditLog, "record"),
)


def timed(times: dict[str, float], label: str, function: Callable[..., Any]
          ) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            times[label] = times.get(label, 0.0) + (time.perf_counter() - started) * 1000

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lookups", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--slowest", type=int, default=10,
                        help="List this many of the slowest lookups")
    args = parser.parse_args()
    times: dict[str, float] = {}
    for label, owner, name in STEPS:
        setattr(owner, name, timed(times, label, getattr(owner, name)))
    session_class = sqlalchemy.orm.Session
    session_class.commit = timed(times, "commit", session_class.commit)  # type: ignore[method-assign]
    container = Container()
    callers = noisy_callers(container, args.lookups, args.seed)
    rules, actor = IdentificationRules(), Actor.system("bench")
    for caller in callers[:20]:  # warm-up
        service.identify(container.uow(actor), caller=caller, reason="warm-up", rules=rules)
    service.prepare_for_lookups(rules)  # as `vigil serve` does once the app is built
    runs: list[dict[str, float]] = []
    for caller in callers:
        times.clear()
        started_cpu, started = time.process_time(), time.perf_counter()
        result = service.identify(container.uow(actor), caller=caller, reason="benchmark",
                                  rules=rules)
        times["TOTAL"] = (time.perf_counter() - started) * 1000
        times["CPU"] = (time.process_time() - started_cpu) * 1000
        times["candidates"] = result.candidates_compared
        runs.append(dict(times))
    slow = sorted(runs, key=lambda r: r["TOTAL"])[-max(1, len(runs) // 100):]
    labels = ["TOTAL", "CPU", "candidates", *(label for label, _, _ in STEPS), "commit"]
    print(f"{len(runs)} lookups, {container.engine.url.get_backend_name()}; milliseconds "
          f"(candidates: a count)")
    print(f"{'step':22} {'p50':>8} {'mean':>8} {'p99':>8} {'slowest 1%':>11}")
    for label in labels:
        values = [r.get(label, 0.0) for r in runs]
        print(f"{label:22} {percentile(values, 50):8.2f} {statistics.mean(values):8.2f} "
              f"{percentile(values, 99):8.2f} "
              f"{statistics.mean(r.get(label, 0.0) for r in slow):11.2f}")
    if args.slowest <= 0:
        return
    print(f"\nThe slowest {args.slowest}:")
    steps = [label for label, _, _ in STEPS if not label.startswith(" ")] + ["commit"]
    for run in sorted(runs, key=lambda r: r["TOTAL"])[-args.slowest:]:
        top = sorted(steps, key=lambda s: -run.get(s, 0.0))[:3]
        print(f"{run['TOTAL']:7.2f} ms, {run['candidates']:.0f} candidates: "
              + ", ".join(f"{s} {run.get(s, 0.0):.2f}" for s in top))


if __name__ == "__main__":
    main()
