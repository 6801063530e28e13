"""Training with Splink on DuckDB: the prior from deterministic rules, u by random sampling,
m by expectation maximisation in two blocked sessions. Needs ``splink`` (a runtime dependency).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from vigil.identify.conditions import Otherwise
from vigil.identify.features import FEATURE_COLUMNS, Features
from vigil.identify.model import LEVEL_NOT_OBSERVED, Comparison, Level, Model

log = logging.getLogger(__name__)

# Pairs that are surely the same person, for Splink's estimate of the prior.
DETERMINISTIC_RULES = (
    'l."given" = r."given" AND l."family" = r."family" AND l."dob" = r."dob"',
    'l."family" = r."family" AND list_has_any(l."phones", r."phones") '
    'AND l."given" = r."given"',
    'l."email" = r."email" AND l."family" = r."family"',
)
# The least m a trained (not fixed) level keeps. EM on data where nearly every true pair agrees
# drives the m of "different e-mail" or "different family name" towards zero, which would let
# one changed e-mail address or one married name veto a match as surely as the guards do.
M_FLOOR = 0.002

# EM sessions: each fixes the fields in its blocking rule and trains the others.
EM_BLOCKING_COLUMNS: tuple[tuple[str, ...], ...] = (
    ("dob",),
    ("family_meta", "pc_sector"),
    ("family_meta", "given_meta"),
)
# An EM session needs at least this many pairs from its blocking rule; fewer are skipped
# (a file with no UK postcodes gives none for the second rule).
EM_MIN_PAIRS = 50


def arrow_table(rows: Sequence[Features], ids: Sequence[str]) -> Any:
    """The feature rows as a typed Arrow table with a ``unique_id`` column (Splink's input)."""
    import pyarrow as pa

    types = {"VARCHAR": pa.string(), "VARCHAR[]": pa.list_(pa.string()),
             "INTEGER": pa.int32()}
    columns: dict[str, Any] = {"unique_id": pa.array(list(ids), pa.string())}
    for name, kind in FEATURE_COLUMNS.items():
        columns[name] = pa.array([row[name] for row in rows], types[kind])
    return pa.table(columns)


def train_with_splink(base: Model, rows: Sequence[Features], ids: Sequence[str], *,
                      max_pairs: float = 2e6, seed: int = 42, recall: float = 0.8,
                      source: str = "") -> Model:
    """``base`` with m, u and the prior trained by Splink on ``rows`` (a dedupe job).

    A conditional guard (a guard level whose condition reads other fields, such as the
    given-name guard that looks at family name, address and date of birth) would make Splink
    leave its whole comparison out of every EM session blocked on one of those fields. So m
    and the prior are trained on :func:`without_conditional_guards` of ``base`` (its pairs fall
    to the level below), and u, which random sampling estimates for every level whatever it
    reads, on ``base`` itself."""
    from splink import DuckDBAPI, Linker

    if len(rows) < 10:
        raise ValueError("training needs at least 10 person records")
    db_api = DuckDBAPI()
    table = db_api.register(arrow_table(rows, ids), dataset_display_name="records")
    flat = without_conditional_guards(base)
    linker = Linker(table, flat.to_splink_settings(), log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        list(DETERMINISTIC_RULES), recall=recall)
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    sessions = 0
    for columns in EM_BLOCKING_COLUMNS:
        if _pairs_sharing(rows, columns) < EM_MIN_PAIRS:
            continue
        rule = " AND ".join(f'l."{c}" = r."{c}"' for c in columns)
        before = linker.misc.save_model_to_json()
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True)
        except ValueError as error:
            # Splink refuses an m that EM drives to exactly 0 (a level no pair in this
            # session's blocks reaches, on a small store), possibly after updating other
            # levels: go back to the model as it was and train on the next session instead.
            if "below the minimum allowed value" not in str(error):
                raise
            log.warning("training session blocked on %s skipped: %s", rule, error)
            linker = Linker(table, before, log_level=logging.WARNING)
            continue
        sessions += 1
    if not sessions:
        raise ValueError("no training blocking rule found enough pairs to train m")
    settings = linker.misc.save_model_to_json()
    if flat != base:
        u_linker = Linker(table, base.to_splink_settings(), log_level=logging.WARNING)
        u_linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
        settings = _m_from(settings, u_linker.misc.save_model_to_json())
    return settle(base.with_splink_parameters(
        settings, trained_at=datetime.now(UTC).isoformat(timespec="seconds"),
        trained_with="splink", records=len(rows), source=source,
        max_pairs=max_pairs, seed=seed))


def without_conditional_guards(model: Model) -> Model:
    """``model`` without its guard levels whose condition is more than "otherwise"."""
    from dataclasses import replace

    return replace(model, comparisons=tuple(
        replace(c, levels=tuple(lv for lv in c.levels
                                if not (lv.is_guard and not isinstance(lv.condition, Otherwise))))
        for c in model.comparisons))


def _m_from(trained: dict[str, Any], full: dict[str, Any]) -> dict[str, Any]:
    """Splink settings ``full`` (u for every level) with m and the prior from ``trained``
    (the same comparisons, less the conditional guards), level by level matched by label."""
    m_of = {(c["output_column_name"], lv.get("label_for_charts")): lv.get("m_probability")
            for c in trained["comparisons"] for lv in c["comparison_levels"]}
    comparisons = []
    for c in full["comparisons"]:
        levels = []
        for lv in c["comparison_levels"]:
            key = (c["output_column_name"], lv.get("label_for_charts"))
            if key in m_of and not lv.get("fix_m_probability"):
                lv = {**lv, "m_probability": m_of[key]}
            levels.append(lv)
        comparisons.append({**c, "comparison_levels": levels})
    return {**full, "comparisons": comparisons,
            "probability_two_random_records_match":
                trained["probability_two_random_records_match"]}


def settle(model: Model) -> Model:
    """Make a freshly trained model safe to apply: a level Splink never saw in the training
    pairs (no m) gets m = u, so it counts for nothing either way (a level seen nowhere, not
    even in the random pairs, gets m = u = :data:`M_FLOOR`); a level with m but no u (seen only
    among blocked pairs) gets u = :data:`LEVEL_NOT_OBSERVED`, written out so Splink uses it too;
    and every trained m is at least :data:`M_FLOOR` (the level's other m values shrink to keep
    the sum at one)."""
    from dataclasses import replace

    comparisons: list[Comparison] = []
    for comparison in model.comparisons:
        levels: list[Level] = []
        for level in comparison.levels:
            if level.is_null or level.fix_m:
                levels.append(level)
                continue
            if level.m is None and level.u is None:
                # Never seen at all: m = u, set out in full so that Splink (which has its own
                # defaults for missing values) and the scorer both weigh it 0.
                levels.append(replace(level, m=M_FLOOR, u=M_FLOOR))
                continue
            m = level.m if level.m is not None else level.u
            levels.append(replace(level, m=None if m is None else max(m, M_FLOOR),
                                  u=LEVEL_NOT_OBSERVED if level.u is None else level.u))
        free = [lv for lv in levels if not lv.is_null and not lv.fix_m and lv.m is not None]
        fixed_total = sum(lv.m or 0 for lv in levels if lv.fix_m)
        free_total = sum(lv.m or 0 for lv in free)
        if free_total > 0 and free_total + fixed_total > 1:
            scale = (1 - fixed_total) / free_total
            levels = [replace(lv, m=max((lv.m or 0) * scale, M_FLOOR * 0.9))
                      if lv in free else lv for lv in levels]
        comparisons.append(replace(comparison, levels=tuple(levels)))
    return replace(model, comparisons=tuple(comparisons))


def _pairs_sharing(rows: Sequence[Features], columns: tuple[str, ...]) -> int:
    """How many pairs of rows agree on every one of ``columns`` (none missing)."""
    from collections import Counter

    groups = Counter(tuple(row[c] for c in columns) for row in rows
                     if all(row[c] is not None for c in columns))
    return sum(n * (n - 1) // 2 for n in groups.values())


def splink_match_weights(model: Model, rows: Sequence[Features], ids: Sequence[str]
                         ) -> dict[tuple[str, str], float]:
    """Splink's own match weight for every pair its blocking rules find (for the test that
    Vigil's scorer agrees with Splink)."""
    from splink import DuckDBAPI, Linker

    db_api = DuckDBAPI()
    table = db_api.register(arrow_table(rows, ids), dataset_display_name="records")
    linker = Linker(table, model.to_splink_settings(), log_level=logging.WARNING)
    predictions = linker.inference.predict().as_record_list()
    return {(str(r["unique_id_l"]), str(r["unique_id_r"])): float(r["match_weight"])
            for r in predictions}
