"""Benchmark 3: on-line latency of `identify` (the whole service: lookup, history, flags, audit
record, commit) against a seeded demo store, on one core, beside Splink's real-time route.

    VIGIL_DATABASE_URL=sqlite:///var/bench.db .venv/bin/vigil db upgrade
    VIGIL_DATABASE_URL=sqlite:///var/bench.db .venv/bin/vigil demo seed --people 10000
    VIGIL_DATABASE_URL=sqlite:///var/bench.db taskset -c 0 .venv/bin/python \
        bench/identify_latency.py --lookups 2000 [--splink 200] [--profile out.prof]

Callers are the store's own person records re-typed with the demo's noise (nicknames, typos,
day/month swaps, postcode spacing, phone styles), so most are found. The machine's load average
is printed before and after: on a shared machine, quote medians and re-run when it is high.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import random
import statistics
import time
from datetime import date

from sqlalchemy import func, select

from vigil.bootstrap import Container
from vigil.demo.noise import (
    dob_as_typed,
    family_name_as_typed,
    format_phone,
    given_name_as_typed,
    normalise_postcode,
    postcode_variant,
)
from vigil.domain.access import Actor
from vigil.identify.rules import IdentificationRules
from vigil.services.identification import CallerDetails, identify, prepare_for_lookups
from vigil.store.models import Incident, PersonRecord, PersonRecordPhone


def noisy_callers(container: Container, count: int, seed: int) -> list[CallerDetails]:
    rng = random.Random(seed)
    with container.session_factory() as session:
        ids = list(session.scalars(select(PersonRecord.id)))
        chosen = rng.sample(ids, min(count, len(ids)))
        records = {r.id: r for r in session.scalars(
            select(PersonRecord).where(PersonRecord.id.in_(chosen)))}
        phones: dict[int, list[str]] = {}
        for record_id, number in session.execute(
                select(PersonRecordPhone.person_record_id, PersonRecordPhone.number)
                .where(PersonRecordPhone.person_record_id.in_(chosen))):
            phones.setdefault(record_id, []).append(number)
    callers = []
    for record_id in chosen:
        r = records[record_id]
        given = given_name_as_typed(rng, r.given_name)[0] if r.given_name else None
        family = family_name_as_typed(rng, r.family_name)[0] if r.family_name else None
        dob = r.date_of_birth
        if dob and len(dob) == 10:
            dob = dob_as_typed(rng, date.fromisoformat(dob), missing=0.1)[0]
        numbers = tuple(format_phone(rng, "0" + n[3:]) if n.startswith("+44") else n
                        for n in phones.get(record_id, []))
        callers.append(CallerDetails(
            given_name=given, family_name=family, date_of_birth=dob, phones=numbers,
            address=r.address_text,
            postcode=postcode_variant(rng, normalise_postcode(r.postcode)) if r.postcode
            else None))
    return callers


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def run_vigil(container: Container, callers: list[CallerDetails], *,
              profile: str | None = None
              ) -> tuple[list[float], list[float], float, list[int]]:
    """Each lookup's wall time and this process's CPU time in ms, and the share of lookups
    that found someone. On SQLite the CPU time is nearly all the work (the database runs in
    this process), and it is what other processes on a shared machine do not inflate much."""
    rules = IdentificationRules()
    actor = Actor.system("bench")
    for caller in callers[:20]:  # warm-up: compiled statements, model, connection pool
        identify(container.uow(actor), caller=caller, reason="warm-up", rules=rules)
    prepare_for_lookups(rules)  # as `vigil serve` does once the app is built
    profiler = cProfile.Profile() if profile else None
    times, cpu, found, compared = [], [], 0, []
    if profiler:
        profiler.enable()
    for caller in callers:
        started_cpu, started = time.process_time(), time.perf_counter()  # wall: identify alone
        result = identify(container.uow(actor), caller=caller, reason="benchmark", rules=rules)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        found += bool(result.people or result.possible)
        compared.append(result.candidates_compared)
    if profiler and profile:
        profiler.disable()
        profiler.dump_stats(profile)
    return times, cpu, found / len(callers), compared


def run_splink(container: Container, callers: list[CallerDetails], records: int) -> list[float]:
    """Splink's real-time route: compare_records with cached SQL, the caller against the first
    ``records`` person records (features from the index), with Vigil's model."""
    from splink import DuckDBAPI
    from splink.internals.realtime import compare_records

    from vigil.identify.features import features_of
    from vigil.identify.index import stored_features
    from vigil.identify.model import default_model
    from vigil.identify.train import arrow_table

    with container.session_factory() as session:
        ids = list(session.scalars(select(PersonRecord.id).order_by(PersonRecord.id)
                                   .limit(records)))
        features = stored_features(session, ids)
    table = arrow_table([features[i] for i in ids], [str(i) for i in ids])
    settings = default_model().to_splink_settings()
    db_api = DuckDBAPI()
    times = []
    for n, caller in enumerate(callers):
        one = arrow_table([features_of(caller.as_details())], ["caller"])
        started = time.perf_counter()
        compare_records(one, table, settings, db_api, sql_cache_key="vigil").as_record_list()
        if n:  # the first builds the cached SQL
            times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument("--splink", type=int, default=0,
                        help="Also time Splink's real-time route for this many lookups")
    parser.add_argument("--splink-records", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", help="Write cProfile stats of the timed lookups here")
    args = parser.parse_args()
    container = Container()
    with container.session_factory() as session:
        people_records = session.scalar(select(func.count(PersonRecord.id)))
        incidents = session.scalar(select(func.count(Incident.id)))
    print(f"{date.today()} {platform.node()} {platform.machine()} {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {container.engine.url.get_backend_name()}: "
          f"{people_records:,} person records, {incidents:,} incidents")
    callers = noisy_callers(container, args.lookups, args.seed)
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    times, cpu, found, compared = run_vigil(container, callers, profile=args.profile)
    print(f"vigil identify (service, history, audit, commit): n={len(times)} "
          f"p50={percentile(times, 50):.2f} ms p90={percentile(times, 90):.2f} ms "
          f"p99={percentile(times, 99):.2f} ms mean={statistics.mean(times):.2f} ms "
          f"(found someone for {found:.1%})")
    print(f"  this process's CPU time per lookup: p50={percentile(cpu, 50):.2f} ms "
          f"p90={percentile(cpu, 90):.2f} ms p99={percentile(cpu, 99):.2f} ms "
          f"mean={statistics.mean(cpu):.2f} ms")
    slowest = sorted(range(len(times)), key=times.__getitem__)[-max(1, len(times) // 100):]
    print(f"  candidate records compared: p50={percentile(compared, 50):.0f} "
          f"p99={percentile(compared, 99):.0f}; in the slowest 1% of lookups: "
          f"median {statistics.median(compared[i] for i in slowest):.0f}")
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    if args.splink:
        splink_times = run_splink(container, callers[:args.splink], args.splink_records)
        print(f"splink compare_records (cached SQL) vs {args.splink_records:,} records: "
              f"n={len(splink_times)} p50={percentile(splink_times, 50):.2f} ms "
              f"p99={percentile(splink_times, 99):.2f} ms")


if __name__ == "__main__":
    main()
