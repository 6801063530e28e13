"""Clustering does not chain weak links into giant clusters."""

from __future__ import annotations

from vigil.identify.cluster import cluster_pairs


def groups(clusters: object) -> set[frozenset[str]]:
    return {frozenset(g) for g in clusters.groups()}  # type: ignore[attr-defined]


def test_a_bridge_record_does_not_join_a_father_and_his_son() -> None:
    # B (no date of birth) looks like both A (father) and C (son); A and C are surely different.
    pairs = [("A", "B", 12.0), ("B", "C", 11.0), ("A", "C", -30.0)]
    result = cluster_pairs("ABC", pairs, link_weight=5.0)
    assert groups(result) == {frozenset("AB"), frozenset("C")}


def test_a_chain_of_links_stays_together_when_nothing_contradicts_it() -> None:
    pairs = [("A", "B", 12.0), ("B", "C", 11.0), ("A", "C", 3.0)]
    assert groups(cluster_pairs("ABC", pairs, link_weight=5.0)) == {frozenset("ABC")}


def test_unscored_pairs_are_scored_before_a_join() -> None:
    pairs = [("A", "B", 12.0), ("B", "C", 11.0)]
    result = cluster_pairs("ABC", pairs, link_weight=5.0,
                           score=lambda a, b: -30.0 if {a, b} == {"A", "C"} else 0.0)
    assert groups(result) == {frozenset("AB"), frozenset("C")}


def test_handlers_answers_override_the_scores() -> None:
    pairs = [("A", "B", 12.0), ("C", "D", -2.0)]
    result = cluster_pairs("ABCD", pairs, link_weight=5.0, same=[("C", "D")],
                           different=[("A", "B")])
    assert groups(result) == {frozenset("A"), frozenset("B"), frozenset("CD")}


def test_weak_links_below_the_threshold_never_join() -> None:
    pairs = [(str(i), str(i + 1), 2.0) for i in range(100)]
    result = cluster_pairs([str(i) for i in range(101)], pairs, link_weight=5.0)
    assert len(result.groups()) == 101
