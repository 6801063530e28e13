"""Repeat places, victims and perpetrators: counts per key, the repeats among them, the top N
per neighbourhood and the share of all incidents that the top 5% of keys account for."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_REPEAT_THRESHOLD = 2
TOP_SHARE = 0.05


@dataclass(frozen=True)
class RepeatItem:
    """One place or person with the incidents it appears in."""

    key: str
    label: str
    count: int
    neighbourhood: str


@dataclass(frozen=True)
class RepeatSummary:
    """How incidents concentrate on places or people of one kind."""

    kind: str
    items: list[RepeatItem]
    """Every key, most incidents first."""
    incidents: int
    """Incidents with a key (places: all incidents; people: incidents naming one)."""
    threshold: int
    top_share: float | None
    """Share of incidents at the top 5% of keys (at least one key), or None if no keys."""

    @property
    def distinct(self) -> int:
        return len(self.items)

    @property
    def repeats(self) -> list[RepeatItem]:
        return [item for item in self.items if item.count >= self.threshold]

    @property
    def repeat_incidents(self) -> int:
        return sum(item.count for item in self.repeats)

    def top_per_neighbourhood(self, n: int = 5) -> dict[str, list[RepeatItem]]:
        """The ``n`` repeats with most incidents in each neighbourhood."""
        groups: dict[str, list[RepeatItem]] = defaultdict(list)
        for item in self.repeats:
            if len(groups[item.neighbourhood]) < n:
                groups[item.neighbourhood].append(item)
        return dict(groups)


def top_share(counts: Sequence[int], share: float = TOP_SHARE) -> float | None:
    """Fraction of the total held by the top ``share`` of keys (rounded up, at least one)."""
    if not counts:
        return None
    ordered = sorted(counts, reverse=True)
    top = max(1, math.ceil(share * len(ordered)))
    total = sum(ordered)
    return sum(ordered[:top]) / total if total else None


def count_repeats(keys: Sequence[str], *, kind: str, labels: dict[str, str],
                  neighbourhoods: dict[str, str],
                  threshold: int = DEFAULT_REPEAT_THRESHOLD) -> RepeatSummary:
    """Count incidents per key. ``keys`` holds one entry per (incident, key) pair, so a key
    named twice in one incident must be passed once."""
    counts = Counter(keys)
    items = [RepeatItem(key=key, label=labels.get(key, key), count=count,
                        neighbourhood=neighbourhoods.get(key, ""))
             for key, count in counts.items()]
    items.sort(key=lambda item: (-item.count, item.label, item.key))
    return RepeatSummary(kind=kind, items=items, incidents=len(keys), threshold=threshold,
                         top_share=top_share([item.count for item in items]))
