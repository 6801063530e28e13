"""Benchmark data for the analysis benchmarks: the real Leicestershire ASB points, and
synthetic incidents spread like them (real points resampled, jittered by 100 m, with times
spread uniformly over a year)."""

from __future__ import annotations

import os
import platform
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np

from vigil.analysis.geo import to_bng
from vigil.sources.police_uk import read_street_file

OPEN_DATA = Path(os.environ.get("VIGIL_OPEN_DATA_DIR",
                                Path(__file__).resolve().parents[2] / "shared" / "data"))


def require_open_data() -> None:
    """Exit (status 0, with a message saying why) when the data.police.uk files are absent:
    every analysis benchmark draws its points from them."""
    folder = OPEN_DATA / "police-uk"
    if not any(folder.glob("*-street.csv")):
        print(f"skipped: no data.police.uk street files in {folder} "
              "(set VIGIL_OPEN_DATA_DIR to the folder holding police-uk/)")
        sys.exit(0)


@lru_cache(maxsize=1)
def real_points() -> tuple[np.ndarray, np.ndarray]:
    """Easting and northing of every located ASB row in the data.police.uk files."""
    lon: list[float] = []
    lat: list[float] = []
    for path in sorted((OPEN_DATA / "police-uk").glob("*-street.csv")):
        for row in read_street_file(path):
            if row.crime_type == "Anti-social behaviour" and row.longitude is not None \
                    and row.latitude is not None:
                lon.append(row.longitude)
                lat.append(row.latitude)
    return to_bng(np.array(lon), np.array(lat))


def synthetic(n: int, *, seed: int = 1,
              days: float = 365.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``n`` incidents spread like the real points: x, y in metres and t in days."""
    x, y = real_points()
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(x), n)
    return (x[pick] + rng.normal(0, 100, n), y[pick] + rng.normal(0, 100, n),
            rng.uniform(0, days, n))


def machine() -> str:
    return (f"{platform.node()}: {platform.processor() or platform.machine()}, "
            f"{os.cpu_count()} cores, Python {platform.python_version()}")


def load() -> str:
    """The load averages (1, 5, 15 minutes), as ``uptime`` shows them: the machine is shared."""
    return "load average " + ", ".join(f"{value:.2f}" for value in os.getloadavg())
