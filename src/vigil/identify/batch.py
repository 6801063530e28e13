"""Batch linkage (``vigil link``): read a CSV of person records, block, score, cluster into
people without chaining, and write who is who.

INPUT columns: ``record_id, source, given_name, family_name, date_of_birth (YYYY-MM-DD), phone,
email, address, postcode`` (all but ``record_id`` may be empty; extra columns are ignored; a
``uprn`` column is used when present). OUTPUT: ``record_id, person_id, match_probability``, the
last to the record's best match in its cluster (empty for a record alone).
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from vigil.identify.batch_fast import normalise, score_candidates
from vigil.identify.blocking import blocking_keys, stop_limit
from vigil.identify.cluster import cluster_pairs
from vigil.identify.features import Features, PersonDetails, features_of
from vigil.identify.model import Model
from vigil.identify.normalise import parse_date_of_birth
from vigil.identify.score import probability_of, score_pair

INPUT_COLUMNS = ("record_id", "source", "given_name", "family_name", "date_of_birth", "phone",
                 "email", "address", "postcode")
# Keys shared by more records than this are not used to pair records in a batch.
BATCH_STOP_KEY_RECORDS = 200

Progress = Callable[[str, int, int], None]


class BadInput(ValueError):
    """The file cannot be linked; ``problems`` lists each by line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s): " + "; ".join(problems[:5]))
        self.problems = problems


@dataclass(frozen=True)
class InputRecord:
    record_id: str
    source: str
    details: PersonDetails


def read_records(handle: TextIO, *, max_problems: int = 200) -> list[InputRecord]:
    """Read and check the whole file; raise :class:`BadInput` listing every problem by line
    (a missing ``record_id`` column, a duplicate or empty id, a date that is no date)."""
    reader = csv.DictReader(handle)
    header = reader.fieldnames or []
    if "record_id" not in header:
        raise BadInput(["line 1: there is no record_id column (the header is: "
                        + (", ".join(header) or "empty") + ")"])
    problems: list[str] = []
    seen: dict[str, int] = {}
    records: list[InputRecord] = []
    for row in reader:
        line = reader.line_num
        record_id = (row.get("record_id") or "").strip()
        if not record_id:
            problems.append(f"line {line}: record_id is empty")
        elif record_id in seen:
            problems.append(f"line {line}: record_id {record_id!r} is already on line "
                            f"{seen[record_id]}")
        else:
            seen[record_id] = line
        dob = (row.get("date_of_birth") or "").strip()
        if dob:
            try:
                parse_date_of_birth(dob)
            except ValueError as error:
                problems.append(f"line {line}: date_of_birth {error}")
        if len(problems) >= max_problems:
            problems.append("(stopped after this many problems)")
            break
        phone = (row.get("phone") or "").strip()
        records.append(InputRecord(record_id=record_id, source=(row.get("source") or "").strip(),
                                   details=PersonDetails(
            given_name=row.get("given_name") or None, family_name=row.get("family_name") or None,
            date_of_birth=dob or None, phones=tuple(p for p in phone.split(";") if p.strip()),
            email=row.get("email") or None, address=row.get("address") or None,
            postcode=row.get("postcode") or None, uprn=row.get("uprn") or None)))
    if problems:
        raise BadInput(problems)
    return records


# Batch-only keys (not in the lookup's index): one field alone, as Splink's FEBRL model blocks,
# for two records of one person whose other fields were all mistyped or changed; and either name
# (by sound, given or family alike, so that transposed names meet) with the house number or
# with the postcode as typed, for two records that agree on little else. Each pairs only
# records sharing a value that few share (at most this many): in a big file a date of birth, a
# family name or a street is shared by dozens, so there they stay out of the way (on the demo's
# 33,847 records the one-field keys add 7% more pairs; on a synthetic demo's 26,510 records the
# name keys add 4.6% more again).
BATCH_ONLY_KEY_RECORDS = {"d": 20, "f": 10, "g": 10, "t": 10, "st": 10, "pc": 10, "nh": 10,
                          "np": 10}
_BATCH_ONLY_COLUMNS = (("d", "dob"), ("f", "family"), ("g", "given"), ("t", "town"),
                       ("st", "street"), ("pc", "postcode"))


def batch_keys(features: Features) -> list[str]:
    """The on-line lookup's blocking keys, and the batch-only ones
    (:data:`BATCH_ONLY_KEY_RECORDS`)."""
    keys = blocking_keys(features)
    keys += [f"{kind}:{features[column]}" for kind, column in _BATCH_ONLY_COLUMNS
             if features[column]]
    for name in sorted({features["given_meta"], features["family_meta"]} - {None}):
        if features["house"]:
            keys.append(f"nh:{name}|{features['house']}")
        if features["postcode"]:
            keys.append(f"np:{name}|{features['postcode']}")
    return keys


def candidate_pairs(features: list[Features], *, stop_key_records: int = BATCH_STOP_KEY_RECORDS
                    ) -> Iterator[tuple[int, int]]:
    """Each pair of records (by position) sharing a blocking key, once."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for index, f in enumerate(features):
        for key in batch_keys(f):
            blocks[key].append(index)
    size = len(features)
    seen: set[int] = set()  # a pair as one number: a third of a tuple's memory
    for key, members in blocks.items():
        if len(members) < 2:
            continue
        if len(members) > min(stop_limit(key, stop_key_records),
                              BATCH_ONLY_KEY_RECORDS.get(key.split(":", 1)[0], len(members))):
            continue
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                low, high = (a, b) if a < b else (b, a)
                code = low * size + high
                if code not in seen:
                    seen.add(code)
                    yield low, high


@dataclass(frozen=True)
class LinkResult:
    record_ids: list[str]
    person_of: list[int]
    best_probability: list[float | None]
    pairs_scored: int

    @property
    def people(self) -> int:
        return len(set(self.person_of))


def link_records(records: list[InputRecord], *, model: Model, match_probability: float = 0.95,
                 progress: Progress | None = None) -> LinkResult:
    """Cluster the records into people (see :mod:`vigil.identify.cluster`)."""
    report = progress or (lambda stage, done, total: None)
    # Normalise every record and score every candidate pair (in worker processes for big files).
    features = normalise([r.details for r in records], progress=report)
    if model.tf_columns:
        # A model with term-frequency levels weighs each value by its frequency in this file.
        model = model.with_term_frequencies(features)
    scored = score_candidates(features, model=model, pairs=candidate_pairs, progress=report)

    def rescore(a: int, b: int) -> float:
        score = score_pair(model, features[a], features[b])
        return -math.inf if score.vetoed else score.match_weight

    link_weight = math.log2(match_probability / (1 - match_probability))
    size = len(records)
    clusters = cluster_pairs(range(size), scored, link_weight=link_weight, score=rescore,
                             pair_key=lambda a, b: a * size + b if a < b else b * size + a)
    report("Clustering", 1, 1)
    person_of = [0] * len(records)
    for person, members in enumerate(sorted(clusters.groups(), key=min), start=1):
        for member in members:
            person_of[member] = person
    best: list[float | None] = [None] * len(records)
    for a, b, weight in scored:
        if person_of[a] == person_of[b]:
            p = probability_of(weight)
            for x in (a, b):
                if best[x] is None or p > (best[x] or 0):
                    best[x] = p
    return LinkResult(record_ids=[r.record_id for r in records], person_of=person_of,
                      best_probability=best, pairs_scored=len(scored))


def write_result(result: LinkResult, handle: TextIO) -> None:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(("record_id", "person_id", "match_probability"))
    for record_id, person, best in zip(result.record_ids, result.person_of,
                                       result.best_probability, strict=True):
        writer.writerow((record_id, f"P{person:07d}", "" if best is None else f"{best:.6f}"))


def link_file(input_path: Path, output_path: Path, *, model: Model,
              match_probability: float = 0.95, train: bool = False, guards: bool = True,
              progress: Progress | None = None) -> LinkResult:
    """Read, link and write. With ``train``, a model with Vigil's comparisons is first trained
    on the file itself by Splink (in place of ``model``); ``guards`` keeps the levels that
    never link different given names or births years apart (see ``identify.spec``)."""
    with input_path.open(newline="", encoding="utf-8-sig") as handle:
        records = read_records(handle)
    if train:
        from vigil.identify.spec import untrained_model
        from vigil.identify.train import train_with_splink

        model = train_with_splink(untrained_model(guards=guards),
                                  [features_of(r.details) for r in records],
                                  [r.record_id for r in records], source=str(input_path))
    result = link_records(records, model=model, match_probability=match_probability,
                          progress=progress)
    with output_path.open("w", newline="", encoding="utf-8") as handle:
        write_result(result, handle)
    return result


def pairs_in_clusters(result: LinkResult) -> Iterable[tuple[str, str]]:
    """Every pair of record ids put in one cluster (for pairwise precision and recall)."""
    members: dict[int, list[str]] = defaultdict(list)
    for record_id, person in zip(result.record_ids, result.person_of, strict=True):
        members[person].append(record_id)
    for ids in members.values():
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                yield (a, b)
