"""When demo calls come in and what they are about."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import date

from vigil.demo.calls import LONDON, draw_type, exact_time_in_month, reference
from vigil.domain.incidents import DetailedType


def _local_times(count: int = 20_000) -> list:
    rng = random.Random(4)
    months = [date(2021, m, 1) for m in range(1, 13)]
    return [exact_time_in_month(rng, rng.choice(months)).astimezone(LONDON)
            for _ in range(count)]


def test_calls_peak_in_the_evening_and_are_fewest_before_dawn() -> None:
    hours = Counter(t.hour for t in _local_times())
    evening = sum(hours[h] for h in range(18, 23)) / 5
    small_hours = sum(hours[h] for h in range(3, 7)) / 4
    morning = sum(hours[h] for h in range(8, 12)) / 4
    assert evening > 2 * morning
    assert morning > small_hours
    assert max(hours, key=lambda h: hours[h]) in range(17, 23)


def test_weekend_days_get_more_calls_than_midweek_days() -> None:
    days = Counter(t.weekday() for t in _local_times())
    midweek = (days[1] + days[2]) / 2
    assert days[5] > 1.2 * midweek  # Saturday
    assert days[4] > midweek and days[6] > midweek


def test_each_call_falls_in_the_month_it_was_given() -> None:
    rng = random.Random(2)
    for month in (date(2021, 3, 1), date(2021, 10, 1), date(2020, 2, 1)):
        for _ in range(200):
            local = exact_time_in_month(rng, month).astimezone(LONDON)
            assert (local.year, local.month) == (month.year, month.month)


def test_rowdy_behaviour_and_neighbours_are_the_most_common_types() -> None:
    rng = random.Random(9)
    counts = Counter(draw_type(rng, month=date(2021, 6, 1)) for _ in range(10_000))
    top_two = {t for t, _ in counts.most_common(2)}
    assert top_two == {DetailedType.ROWDY_BEHAVIOUR, DetailedType.NUISANCE_NEIGHBOURS}
    assert DetailedType.NOT_RECORDED not in counts


def test_log_references_look_like_the_control_room_s() -> None:
    assert reference(2021, 4211) == "VGL-2021-004211"
    assert re.fullmatch(r"VGL-\d{4}-\d{6}", reference(2019, 1))


def test_the_demo_is_brought_forward_whole_years_to_end_last_month() -> None:
    from datetime import date

    from vigil.services.demo import years_to_bring_forward

    # The real files end in October 2022; on 26 November 2026 the last complete month is
    # October 2026: four whole years, so every call keeps its season.
    assert years_to_bring_forward(last_month=date(2022, 10, 1), today=date(2026, 11, 26)) == 4
    # On 1 October 2026, October is not complete: only three years fit.
    assert years_to_bring_forward(last_month=date(2022, 10, 1), today=date(2026, 10, 1)) == 3
    # Data that is already recent stays where it is.
    assert years_to_bring_forward(last_month=date(2026, 10, 1), today=date(2026, 11, 26)) == 0
