"""Clustering scored pairs into people without chaining.

Connected components over every link above a threshold chains: A looks like B, B like C, and A,
B and C become one person though A and C are a father and son. Here links are taken strongest
first, and two groups join only if no pair across them is known to be different people: a
handler rejected the pair, or the pair scores below the veto weight (a guard level, such as
given names that share nothing, fired). Pairs a handler confirmed are joined first, always.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T", int, str)

# A pair scoring below this is two different people (a guard level weighs about -50; callers
# pass -inf for a pair whose score was vetoed).
VETO_WEIGHT = -15.0
# Cross-pair checks per join at most; past it, only the pairs already scored are checked.
MAX_CROSS_CHECKS = 4000


@dataclass
class Clusters(Generic[T]):
    """Union-find over records, each group remembering its members."""

    parent: dict[T, T] = field(default_factory=dict)
    members: dict[T, list[T]] = field(default_factory=dict)

    def add(self, item: T) -> None:
        if item not in self.parent:
            self.parent[item] = item
            self.members[item] = [item]

    def find(self, item: T) -> T:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: T, b: T) -> T:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra].extend(self.members.pop(rb))
        return ra

    def groups(self) -> list[list[T]]:
        return [list(m) for m in self.members.values()]


def _key(a: T, b: T) -> tuple[T, T]:
    return (a, b) if a <= b else (b, a)


def cluster_pairs(
    items: Iterable[T],
    scored_pairs: Iterable[tuple[T, T, float]],
    *,
    link_weight: float,
    score: Callable[[T, T], float] | None = None,
    veto_weight: float = VETO_WEIGHT,
    same: Iterable[tuple[T, T]] = (),
    different: Iterable[tuple[T, T]] = (),
    pair_key: Callable[[T, T], Hashable] | None = None,
) -> Clusters[T]:
    """Group ``items`` into people.

    ``scored_pairs`` are (a, b, match weight) for the pairs compared; those at or above
    ``link_weight`` may link. ``score`` scores a pair not compared yet (to check a join);
    ``same`` and ``different`` are handlers' answers. ``pair_key`` gives the key a pair is
    remembered by, the same whichever way round (default: the ordered tuple; ``vigil link``
    numbers its records and uses one integer, half the memory again).
    """
    _key_of = pair_key or _key
    clusters: Clusters[T] = Clusters()
    for item in items:
        clusters.add(item)
    # Pairs are keyed in order, (smaller, larger): a tuple costs a quarter of a frozenset's
    # memory, and a million-record file has tens of millions of pairs.
    known: dict[Hashable, float] = {}
    links: list[tuple[float, T, T]] = []
    for a, b, weight in scored_pairs:
        known[_key_of(a, b)] = weight
        if weight >= link_weight and a != b:
            links.append((weight, a, b))
    cannot = {_key_of(a, b) for a, b in different}
    for a, b in same:
        clusters.add(a)
        clusters.add(b)
        if _key_of(a, b) not in cannot:
            clusters.union(a, b)

    def pair_weight(a: T, b: T) -> float | None:
        key = _key_of(a, b)
        if key in cannot:
            return -float("inf")
        if key in known:
            return known[key]
        if score is None:
            return None
        weight = score(a, b)
        known[key] = weight
        return weight

    def may_join(ra: T, rb: T) -> bool:
        left, right = clusters.members[ra], clusters.members[rb]
        checks = len(left) * len(right)
        for a in left:
            for b in right:
                key = _key_of(a, b)
                if checks > MAX_CROSS_CHECKS and key not in known and key not in cannot:
                    continue
                weight = pair_weight(a, b)
                if weight is not None and weight < veto_weight:
                    return False
        return True

    links.sort(key=lambda link: -link[0])
    for _weight, a, b in links:
        ra, rb = clusters.find(a), clusters.find(b)
        if ra != rb and may_join(ra, rb):
            clusters.union(ra, rb)
    return clusters
