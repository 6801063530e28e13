"""The engine on a real database: Splink agrees with Vigil's scorer, training writes a model,
the demo seed and every write keep the blocking index current."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from sqlalchemy import func, select

from vigil.bootstrap import Container
from vigil.domain.access import Actor
from vigil.identify.features import features_of
from vigil.identify.index import index_person_record, reindex_all, stored_features
from vigil.identify.lookup import find_candidates
from vigil.identify.model import Model, default_model
from vigil.identify.score import score_pair
from vigil.identify.spec import untrained_model
from vigil.identify.train import splink_match_weights, train_with_splink
from vigil.services.demo import seed_demo
from vigil.services.identification import CallerDetails
from vigil.services.reference import ensure_reference_data
from vigil.store.identify_tables import BlockingKey, RecordFeatures
from vigil.store.models import PersonRecord, PersonRecordPhone


@pytest.fixture
def demo(container: Container, tmp_path: Path) -> Container:
    """A small synthetic demo (no open data), seeded and indexed."""
    seed_demo(container.uow(Actor.system("test")), seed=11, people=200,
              open_data_dir=tmp_path / "no-open-data", force_name="Nowhere")
    return container


def _all_features(container: Container) -> dict[int, dict[str, object]]:
    with container.session_factory() as session:
        ids = list(session.scalars(select(PersonRecord.id)))
        return stored_features(session, ids)


def test_splink_gives_the_same_match_weight_as_vigils_scorer(demo: Container) -> None:
    features = _all_features(demo)
    ids = sorted(features)
    model = default_model()
    weights = splink_match_weights(model, [features[i] for i in ids], [str(i) for i in ids])
    assert len(weights) >= 500
    levels_seen: set[tuple[str, str]] = set()
    for (left, right), splink_weight in weights.items():
        score = score_pair(model, features[int(left)], features[int(right)])
        assert math.isclose(score.match_weight, splink_weight, abs_tol=1e-9), (left, right)
        levels_seen |= {(f.comparison, f.level) for f in score.fields}
    # The pairs exercise most levels, not just exact agreement.
    assert len(levels_seen) >= 25


def test_training_with_splink_writes_a_model_that_loads(demo: Container, tmp_path: Path
                                                        ) -> None:
    features = _all_features(demo)
    ids = sorted(features)
    model = train_with_splink(untrained_model(), [features[i] for i in ids],
                              [str(i) for i in ids], max_pairs=1e5)
    path = tmp_path / "model.json"
    model.save(path)
    loaded = Model.load(path)
    assert loaded.trained["records"] == len(ids)
    assert 0 < loaded.probability_two_random_records_match < 1
    exact = loaded.comparison("date_of_birth").levels[1]
    assert exact.m is not None and exact.u is not None and exact.weight > 5
    guard, different = loaded.comparison("given_name").levels[-2:]
    assert guard.is_guard and guard.label == "different, in one household"
    assert not different.is_guard and different.m is not None and different.weight < 0


def test_the_demo_seed_indexes_every_person_record(demo: Container) -> None:
    with demo.session_factory() as session:
        records = session.scalar(select(func.count(PersonRecord.id)))
        indexed = session.scalar(select(func.count(RecordFeatures.person_record_id)))
        keyed = session.scalar(select(func.count(func.distinct(BlockingKey.person_record_id))))
    assert records == indexed
    # Only records with too little to block on (a suspect known by a first name) have none.
    assert keyed is not None and keyed >= records * 0.9


def test_a_record_is_found_by_a_lookup_in_the_same_transaction_it_was_written(
        container: Container) -> None:
    caller = CallerDetails(given_name="Bill", family_name="Oduya", date_of_birth="1971-02-03",
                           phones=("07700 900456",))
    with container.session_factory() as session:
        sources = ensure_reference_data(session)
        record = PersonRecord(source_id=sources["vigil"].id, source_key="CALL-1",
                              given_name="William", family_name="Oduya",
                              date_of_birth="1971-02-03")
        record.phones.append(PersonRecordPhone(number="+447700900456"))
        session.add(record)
        index_person_record(session, record)
        found = find_candidates(session, features_of(caller.as_details()),
                                model=default_model())
        assert [c.record_id for c in found] == [record.id]
        assert found[0].score.match_probability > 0.99


def test_reindex_rebuilds_keys_for_records_written_without_them(container: Container) -> None:
    with container.session_factory() as session:
        sources = ensure_reference_data(session)
        session.add(PersonRecord(source_id=sources["council-cases"].id, source_key="C-9",
                                 given_name="Ada", family_name="Lovelace",
                                 date_of_birth="1815-12-10", postcode="LE1 1AA"))
        session.commit()
        assert session.scalar(select(func.count(BlockingKey.id))) == 0
        assert reindex_all(session) == 1
        session.commit()
        assert session.scalar(select(func.count(BlockingKey.id))) > 0


def test_splink_agrees_with_the_scorer_on_the_guard_rule_and_the_newer_levels() -> None:
    """Every pair of a small crafted set (Splink compares all of them), chosen so that the
    conditional given-name guard, the birth-date slip, the year-alone, the transposed-with-slips
    and the misspelt-nickname levels all occur."""
    from dataclasses import replace

    from vigil.identify.features import PersonDetails

    home = {"address": "Flat 2, 14 Kings Road, Leicester", "postcode": "LE1 5WW",
            "phones": ("0116 496 0123",)}
    people = [
        PersonDetails(given_name="Amanda", family_name="Miah", date_of_birth="2000-10-14",
                      **home),  # type: ignore[arg-type]
        PersonDetails(given_name="Jade", family_name="Miah", date_of_birth="2000-10-14",
                      **home),  # type: ignore[arg-type]
        PersonDetails(given_name="Priya", family_name="Shah", date_of_birth="2000-10-14",
                      **home),  # type: ignore[arg-type]
        PersonDetails(given_name="Gareth", family_name="Lloyd", postcode="LE5 3BB"),
        PersonDetails(given_name="Julie", family_name="Osei", date_of_birth="1958-03-26"),
        PersonDetails(given_name="Julie", family_name="Osei", date_of_birth="1953-03-26"),
        PersonDetails(given_name="Julie", family_name="Osei", date_of_birth="1958"),
        PersonDetails(given_name="Julie", family_name="Osei", date_of_birth="1958-11-02"),
        PersonDetails(given_name="Nicholas", family_name="Delacruz", date_of_birth="1918-08-23"),
        PersonDetails(given_name="Delacrus", family_name="Nichollas", date_of_birth="1918-08-23"),
        PersonDetails(given_name="Becky", family_name="Adams", date_of_birth="1972-12-01",
                      **home),  # type: ignore[arg-type]
        PersonDetails(given_name="Rebbecca", family_name="Adams", date_of_birth="1972-12-01",
                      **home),  # type: ignore[arg-type]
        PersonDetails(given_name="John", family_name="Carter", date_of_birth="1958-02-11",
                      **home),  # type: ignore[arg-type]
        PersonDetails(given_name="John", family_name="Carter", date_of_birth="1968-02-11",
                      **home),  # type: ignore[arg-type]
    ]
    features = [features_of(p) for p in people]
    ids = [str(n) for n in range(len(features))]
    model = replace(default_model(), blocking_rules=("1=1",))
    weights = splink_match_weights(model, features, ids)
    assert len(weights) == len(ids) * (len(ids) - 1) // 2
    seen: set[tuple[str, str]] = set()
    for (left, right), splink_weight in weights.items():
        score = score_pair(model, features[int(left)], features[int(right)])
        assert math.isclose(score.match_weight, splink_weight, abs_tol=1e-9), (left, right)
        seen |= {(f.comparison, f.level) for f in score.fields}
    assert {("given_name", "different, in one household"), ("given_name", "different"),
            ("given_name", "transposed, with spelling slips"),
            ("given_name", "nickname or short form"),
            ("date_of_birth", "one typing slip apart, under ten years"),
            ("date_of_birth", "same year, one gives only the year"),
            ("date_of_birth", "years more than one apart")} <= seen


def test_splink_agrees_with_the_scorer_on_the_address_parts_of_the_no_guards_model() -> None:
    """``--no-guards`` compares house number, street, locality and postcode apart, and weighs
    names, streets and localities that agree by how rare they are in the data (Splink's term
    frequencies, worked out by Splink from the same records and by Vigil's
    ``with_term_frequencies``)."""
    from dataclasses import replace

    from vigil.identify.features import PersonDetails

    rows = [("Jack", "Ryan", "14", "Kings Road", "Leicester", "LE1 5WW"),
            ("Jack", "Ryan", "14", "Kings Rd", "Leicester", "LE1 5WX"),
            ("Jack", "Ryan", "41", "Kngs Road", "Leicestr", "LE1 6AA"),
            ("Jack", "Carter", "2", "Carslaw Street", "Croydon", "2118"),
            ("Amira", "Carter", "23", "Carslaw Street", "Croyfon", "2181"),
            ("Amira", "Osei", "2", "Popplewell Place", "Taigum", "2118"),
            ("Amira", "Osei", "", "Popplewell Place, Condor", "Taigum", "2118"),
            ("Ryan", "Jack", "14", "Kings Road", "Leicester", "LE1 5WW")]
    features = [features_of(PersonDetails(given_name=given, family_name=family,
                                          address=f"{house} {street}, {town}",
                                          postcode=postcode or None))
                for given, family, house, street, town, postcode in rows]
    base = untrained_model(guards=False)
    # Any m and u will do: the test is that the SQL and the Python pick the same levels and
    # that both adjust them alike.
    model = replace(base, blocking_rules=("1=1",), comparisons=tuple(
        replace(c, levels=tuple(lv if lv.is_null else replace(
            lv, m=0.9 / (n + 1), u=0.5 / (n + 2) ** 2) for n, lv in enumerate(c.levels)))
        for c in base.comparisons))
    weights = splink_match_weights(model, features, [str(n) for n in range(len(features))])
    assert len(weights) == 28
    with_tables = model.with_term_frequencies(features)
    seen: set[tuple[str, str]] = set()
    for (left, right), splink_weight in weights.items():
        a, b = features[int(left)], features[int(right)]
        score = score_pair(with_tables, a, b)
        assert math.isclose(score.match_weight, splink_weight, abs_tol=1e-9), (left, right)
        seen |= {(f.comparison, f.level) for f in score.fields}
    for name in ("house_number", "street", "locality", "postcode"):
        assert (name, "exact") in seen and (name, "different") in seen
    assert ("street", "Jaro-Winkler >= 0.92") in seen
    assert ("street", "the other record's house name") in seen
    assert ("house_number", "one typing slip apart") in seen
    assert ("postcode", "one typing slip apart") in seen and ("postcode", "same district") in seen
    # The adjustment made a difference, and Splink made the same one: its weights are not
    # those of the model without tables.
    assert score_pair(with_tables, features[5], features[6]).match_weight != \
        score_pair(model, features[5], features[6]).match_weight
    assert any(not math.isclose(score_pair(model, features[int(x)], features[int(y)])
                                .match_weight, w, abs_tol=1e-6) for (x, y), w in weights.items())
