"""Monthly series, seasonality, and this period against the same months a year before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray
from scipy import stats

IntArray = NDArray[np.int64]


def month_number(day: date) -> int:
    """Months since year 0: ``year·12 + month - 1``."""
    return day.year * 12 + day.month - 1


def month_date(number: int) -> date:
    return date(number // 12, number % 12 + 1, 1)


@dataclass(frozen=True)
class MonthlySeries:
    first: int
    counts: IntArray

    @property
    def months(self) -> list[date]:
        return [month_date(self.first + k) for k in range(len(self.counts))]


def monthly_series(months: IntArray, *, first: int, last: int) -> MonthlySeries:
    """Incidents per month from ``first`` to ``last`` inclusive (month numbers)."""
    months = np.asarray(months, dtype=np.int64)
    inside = months[(months >= first) & (months <= last)] - first
    return MonthlySeries(first=first,
                         counts=np.bincount(inside, minlength=last - first + 1).astype(np.int64))


def seasonal_index(series: MonthlySeries) -> list[float] | None:
    """Mean incidents in each calendar month (January first) over the overall monthly mean;
    ``None`` with fewer than 24 months, too few to tell season from trend."""
    if len(series.counts) < 24 or series.counts.sum() == 0:
        return None
    calendar = (series.first + np.arange(len(series.counts))) % 12
    overall = series.counts.mean()
    return [float(series.counts[calendar == m].mean() / overall) for m in range(12)]


@dataclass(frozen=True)
class PeriodComparison:
    """Incidents in a period against the same months one year earlier.

    The test is the conditional (binomial) test of two Poisson counts over equal exposure:
    given the total, the count this period is Binomial(total, 1/2) if the rate is unchanged.
    """

    first: int
    last: int
    """The months compared (month numbers): the period, or its last twelve months."""
    this_period: int
    last_year: int
    p_value: float | None
    last_year_covered: bool
    """Whether data reaches back over the whole of the earlier period."""

    @property
    def label(self) -> str:
        first, last = month_date(self.first), month_date(self.last)
        return f"{first:%b %Y} to {last:%b %Y}" if first != last else f"{first:%b %Y}"

    @property
    def change(self) -> int:
        return self.this_period - self.last_year

    @property
    def change_pct(self) -> float | None:
        return 100 * self.change / self.last_year if self.last_year else None

    def significant(self, alpha: float = 0.05) -> bool:
        return self.p_value is not None and self.p_value < alpha

    @property
    def verdict(self) -> str:
        if not self.last_year_covered:
            return "no data for the same months last year"
        direction = "up" if self.change > 0 else "down" if self.change < 0 else "level"
        if self.p_value is None or not self.significant():
            return f"{direction}, not significant" if direction != "level" else "level"
        return f"{direction}, significant (p = {self.p_value:.3f})"


def compare_with_last_year(months: IntArray, *, first: int, last: int,
                           earliest_data: int | None) -> PeriodComparison:
    """Incidents in ``[first, last]`` against ``[first - 12, last - 12]`` (month numbers);
    a period longer than a year is compared over its last twelve months."""
    first = max(first, last - 11)
    months = np.asarray(months, dtype=np.int64)
    this = int(((months >= first) & (months <= last)).sum())
    before = int(((months >= first - 12) & (months <= last - 12)).sum())
    covered = earliest_data is not None and earliest_data <= first - 12
    p = None
    if covered and this + before > 0:
        p = float(stats.binomtest(this, this + before, 0.5).pvalue)
    return PeriodComparison(first=first, last=last, this_period=this, last_year=before, p_value=p,
                            last_year_covered=covered)
