"""Benchmark 4 (at the size that fits): `vigil link` on the person records of a seeded store,
time and peak memory, beside Splink's own predict-and-cluster with the same model on the same
records, with pairwise accuracy against `demo_truth` for both.

    VIGIL_DATABASE_URL=sqlite:///var/bench.db .venv/bin/python bench/identify_batch.py \
        [--limit 1000000] [--keep DIR]

Writes the records (the first --limit of them by id, if given) to a CSV in `vigil link`'s input
format, runs `vigil link` under /usr/bin/time (peak memory), then Splink (DuckDB) in a
subprocess of its own for its memory. --keep leaves the input and both outputs in DIR.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
THRESHOLD = 0.95


def export(path: Path, limit: int | None = None) -> dict[str, str]:
    from sqlalchemy import select

    from vigil.bootstrap import Container
    from vigil.store.models import DemoTruth, PersonRecord, PersonRecordPhone

    container = Container()
    truth: dict[str, str] = {}
    with container.session_factory() as session, path.open("w", newline="") as handle:
        last = session.scalar(select(PersonRecord.id).order_by(PersonRecord.id)
                              .offset(limit - 1).limit(1)) if limit else None
        up_to = (PersonRecord.id <= last) if last is not None else PersonRecord.id.is_not(None)
        phones: dict[int, list[str]] = defaultdict(list)
        for record_id, number in session.execute(
                select(PersonRecordPhone.person_record_id, PersonRecordPhone.number)
                .where(PersonRecordPhone.person_record_id <= last if last is not None
                       else PersonRecordPhone.person_record_id.is_not(None))):
            phones[record_id].append(number)
        writer = csv.writer(handle)
        writer.writerow(("record_id", "source", "given_name", "family_name", "date_of_birth",
                         "phone", "email", "address", "postcode", "uprn"))
        for r in session.execute(  # rows, not ORM objects: a million of them
                select(PersonRecord.id, PersonRecord.source_id, PersonRecord.given_name,
                       PersonRecord.family_name, PersonRecord.date_of_birth,
                       PersonRecord.email, PersonRecord.address_text, PersonRecord.postcode,
                       PersonRecord.uprn).where(up_to).order_by(PersonRecord.id)):
            writer.writerow((r.id, r.source_id, r.given_name or "", r.family_name or "",
                             r.date_of_birth or "", ";".join(phones[r.id]), r.email or "",
                             r.address_text or "", r.postcode or "", r.uprn or ""))
        for record_id, key in session.execute(select(DemoTruth.person_record_id,
                                                     DemoTruth.true_person_key)
                                              .where(DemoTruth.person_record_id.in_(
                                                  select(PersonRecord.id).where(up_to)))):
            truth[str(record_id)] = key
    return truth


def pairs_of(clusters: dict[str, list[str]]) -> set[frozenset[str]]:
    return {frozenset((a, b)) for ids in clusters.values() for i, a in enumerate(ids)
            for b in ids[i + 1:]}


def accuracy(predicted: set[frozenset[str]], truth: dict[str, str]) -> str:
    by_person: dict[str, list[str]] = defaultdict(list)
    for record_id, key in truth.items():
        by_person[key].append(record_id)
    true_pairs = pairs_of(by_person)
    tp = len(predicted & true_pairs)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(true_pairs) if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f"pairwise precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f}"


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of ``command``; prints its processor time
    (user + system, its worker processes included), the better guide on a busy machine."""
    started = time.perf_counter()
    run = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if run.returncode:
        sys.exit(run.stdout[-2000:] + run.stderr[-3000:])
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
    cpu = sum(float(m.group(1)) for m in
              re.finditer(r"(?:User|System) time \(seconds\): ([\d.]+)", run.stderr))
    print(f"  (processor time {cpu:.0f} s; load average after: {os.getloadavg()[0]:.1f})")
    return elapsed, int(peak.group(1)) / 1024 if peak else float("nan")


SPLINK_SCRIPT = '''
import csv, logging, sys
import pyarrow as pa
from splink import DuckDBAPI, Linker
from vigil.identify.batch import read_records
from vigil.identify.features import features_of
from vigil.identify.model import default_model
from vigil.identify.train import arrow_table
with open(sys.argv[1], newline="") as handle:
    records = read_records(handle)
table = arrow_table([features_of(r.details) for r in records], [r.record_id for r in records])
db_api = DuckDBAPI()
linker = Linker(db_api.register(table), default_model().to_splink_settings(),
                log_level=logging.WARNING)
predictions = linker.inference.predict(threshold_match_probability=0.5)
clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
    predictions, threshold_match_probability=float(sys.argv[3]))
with open(sys.argv[2], "w", newline="") as out:
    writer = csv.writer(out)
    writer.writerow(("record_id", "person_id"))
    for r in clusters.as_record_list():
        writer.writerow((r["unique_id"], r["cluster_id"]))
'''


def read_clusters(path: Path) -> dict[str, list[str]]:
    clusters: dict[str, list[str]] = defaultdict(list)
    with path.open() as handle:
        for r in csv.DictReader(handle):
            clusters[r["person_id"]].append(r["record_id"])
    return clusters


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, help="only the first LIMIT person records by id")
    parser.add_argument("--keep", type=Path, help="keep the input and outputs in this folder")
    parser.add_argument("--only", choices=("vigil", "splink"),
                        help="run one of the two (e.g. to run them apart on a busy machine)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        tmp = args.keep or Path(scratch)
        tmp.mkdir(parents=True, exist_ok=True)
        source, out, splink_out = (Path(tmp) / n for n in ("in.csv", "vigil.csv", "splink.csv"))
        started = time.perf_counter()
        truth = export(source, args.limit)
        print(f"exported in {time.perf_counter() - started:.0f} s")
        print(f"{date.today()} {platform.node()} {platform.machine()} {os.cpu_count()} cores, "
              f"Python {platform.python_version()}: {len(truth):,} person records; "
              f"load average {os.getloadavg()[0]:.1f}")
        if args.only != "splink":
            seconds, peak = timed([str(ROOT / ".venv/bin/vigil"), "link", str(source),
                                   "--out", str(out), "--match-probability", str(THRESHOLD)])
            print(f"vigil link: {seconds:.1f} s, peak {peak:,.0f} MiB; "
                  f"{accuracy(pairs_of(read_clusters(out)), truth)}")
        if args.only == "vigil":
            return
        script = Path(tmp) / "splink_run.py"
        script.write_text(SPLINK_SCRIPT)
        seconds, peak = timed([sys.executable, str(script), str(source), str(splink_out),
                               str(THRESHOLD)])
        print(f"Splink predict + connected components (same model and blocking rules as Vigil's "
              f"training predictions): {seconds:.1f} s, peak {peak:,.0f} MiB; "
              f"{accuracy(pairs_of(read_clusters(splink_out)), truth)}")


if __name__ == "__main__":
    main()
