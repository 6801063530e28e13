"""Running the analyst's page's analyses in the background, with progress.

The study is loaded (and the request validated) in the web request; the computing then runs on
a small thread pool, one run at a time per worker, so that other users' pages are never held
up. A run belongs to the user who started it; anyone else is told it does not exist. Runs live
in memory in this process (the last few per process); their files can be regenerated with
``vigil analyse``.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

from vigil.analysis import reports
from vigil.analysis.priorities import Priority
from vigil.domain.access import NotFound
from vigil.store.types import utcnow

KEEP_RUNS = 20
PAGE_PERMUTATIONS = 199


@dataclass
class Results:
    volumes: reports.VolumeReport | None = None
    hotspots: reports.HotspotReport | None = None
    kde: reports.KdeReport | None = None
    repeats: reports.RepeatsReport | None = None
    near_repeat: reports.NearRepeatReport | None = None
    trends: reports.TrendReport | None = None
    priorities: dict[str, list[Priority]] = field(default_factory=dict)


@dataclass
class Run:
    """One analysis run: its study, progress and results."""

    id: str
    owner: int | None
    study: reports.Study
    started_at: datetime
    step: str = "Waiting to start"
    fraction: float = 0.0
    done: bool = False
    error: str | None = None
    results: Results = field(default_factory=Results)

    def report(self, step: str, fraction: float) -> None:
        self.step, self.fraction = step, fraction


STEPS = ("Rates", "Trends", "Hot spots and density", "Repeats", "Priorities", "Near repeats")


def compute(run: Run, *, permutations: int = PAGE_PERMUTATIONS, seed: int | None = None) -> None:
    """Every analysis of the page, in order, reporting progress on ``run``."""
    study, results = run.study, run.results
    try:
        run.report(STEPS[0], 0.0)
        results.volumes = reports.volume_report(study, level="neighbourhood")
        run.report(STEPS[1], 1 / 6)
        results.trends = reports.trend_report(study)
        run.report(STEPS[2], 2 / 6)
        results.hotspots = reports.hotspot_report(study, permutations=permutations, seed=seed)
        results.kde = reports.kde_report(study)
        run.report(STEPS[3], 3 / 6)
        results.repeats = reports.repeats_report(study)
        run.report(STEPS[4], 4 / 6)
        results.priorities = reports.priority_report(study, top=5)

        def knox_progress(done: int, total: int) -> None:
            run.report(STEPS[5], 5 / 6 + done / total / 6)

        run.report(STEPS[5], 5 / 6)
        results.near_repeat = reports.near_repeat_report(
            study, permutations=permutations, seed=seed, progress=knox_progress)
        run.report("Done", 1.0)
    except Exception as error:  # noqa: BLE001 - shown to the user, the run is over either way
        run.error = f"The analysis failed: {error}"
    finally:
        run.done = True


class AnalysisRunner:
    """Starts runs on a thread pool and finds them again for their owner."""

    def __init__(self, *, workers: int = 1) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="analysis")
        self._runs: OrderedDict[str, Run] = OrderedDict()
        self._lock = threading.Lock()

    def start(self, study: reports.Study, *, owner: int | None,
              permutations: int = PAGE_PERMUTATIONS, seed: int | None = None) -> Run:
        run = Run(id=uuid.uuid4().hex, owner=owner, study=study, started_at=utcnow())
        with self._lock:
            self._runs[run.id] = run
            while len(self._runs) > KEEP_RUNS:
                self._runs.popitem(last=False)
        self._pool.submit(compute, run, permutations=permutations, seed=seed)
        return run

    def get(self, run_id: str, *, owner: int | None) -> Run:
        with self._lock:
            run = self._runs.get(run_id)
        if run is None or run.owner != owner:
            raise NotFound("no such analysis run")
        return run

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
