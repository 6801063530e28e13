"""``vigil link`` in worker processes gives exactly what it gives in one process."""

from __future__ import annotations

import random

import pytest

from vigil.demo.area import build_synthetic_area
from vigil.demo.plan import plan_demo
from vigil.identify import batch_fast
from vigil.identify.batch import InputRecord, LinkResult, candidate_pairs, link_records
from vigil.identify.features import PersonDetails
from vigil.identify.model import default_model


@pytest.fixture(scope="module")
def records() -> list[InputRecord]:
    """The person records of a small synthetic demo: households, twins, typing noise."""
    area = build_synthetic_area(random.Random("3-area"), points=3000)
    plan = plan_demo(seed=3, people=500, zones=area.zones, points=area.points,
                     months=area.months, kind="synthetic", city_town="Northbridge")
    return [InputRecord(record_id=str(n), source=r.source, details=PersonDetails(
        given_name=r.given_name, family_name=r.family_name, date_of_birth=r.date_of_birth,
        phones=tuple(number for number, _ in r.phones), email=r.email,
        address=r.address_text, postcode=r.postcode, uprn=r.uprn))
        for n, r in enumerate(plan.records)]


def _link(records: list[InputRecord], monkeypatch: pytest.MonkeyPatch, *, parallel: bool
          ) -> tuple[LinkResult, set[str]]:
    stages: set[str] = set()
    with monkeypatch.context() as patch:
        patch.setattr(batch_fast, "PARALLEL_FROM", 0 if parallel else 10**9)
        patch.setattr(batch_fast, "RECORDS_PER_TASK", 97)  # many tasks, the last one short
        patch.setattr(batch_fast, "PAIRS_PER_TASK", 501)
        patch.setattr(batch_fast.os, "cpu_count", lambda: 2)
        result = link_records(records, model=default_model(),
                              progress=lambda stage, done, total: stages.add(stage))
    return result, stages


def test_linking_in_worker_processes_gives_the_same_people(
        records: list[InputRecord], monkeypatch: pytest.MonkeyPatch) -> None:
    serial, serial_stages = _link(records, monkeypatch, parallel=False)
    parallel, parallel_stages = _link(records, monkeypatch, parallel=True)
    assert len(records) > 1000 and serial.pairs_scored > 1000
    assert serial.people < len(records)  # it did link people
    assert parallel == serial
    assert parallel_stages == serial_stages >= {"Normalising", "Scoring pairs", "Clustering"}


def test_features_and_scores_come_back_in_order(records: list[InputRecord],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    details = [r.details for r in records]
    results = []
    for threshold in (10**9, 0):
        with monkeypatch.context() as patch:
            patch.setattr(batch_fast, "PARALLEL_FROM", threshold)
            patch.setattr(batch_fast, "PAIRS_PER_TASK", 333)
            patch.setattr(batch_fast.os, "cpu_count", lambda: 2)
            features = batch_fast.normalise(details, progress=lambda stage, done, total: None)
            results.append((features, batch_fast.score_candidates(
                features, model=default_model(), pairs=candidate_pairs,
                progress=lambda stage, done, total: None)))
    (serial_features, serial_scored), (features, scored) = results
    assert features == serial_features
    assert scored == serial_scored
    assert any(weight == float("-inf") for _, _, weight in scored)  # vetoed pairs kept as such
