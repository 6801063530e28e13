"""The candidate search: one statement for keys, features, feedback and shown columns; pairs a
guard vetoes are only bounded when they could never be kept, and the bound is never below the
real weight."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from tests.integration.test_identify_service import make_actor
from vigil.bootstrap import Container
from vigil.domain.access import Actor, Role
from vigil.identify.features import features_of
from vigil.identify.index import index_person_record, stored_features
from vigil.identify.lookup import find_candidates
from vigil.identify.model import default_model
from vigil.services.demo import seed_demo
from vigil.services.identification import CallerDetails, identify, record_match_feedback
from vigil.services.reference import ensure_reference_data
from vigil.store.models import PersonRecord, PersonRecordPhone


def test_bounded_candidates_are_vetoed_and_never_weigh_more_than_their_bound(
        container: Container, tmp_path: Path) -> None:
    seed_demo(container.uow(Actor.system("test")), seed=11, people=150,
              open_data_dir=tmp_path / "no-open-data", force_name="Nowhere")
    model = default_model()
    bounded = full = found_self = 0
    with container.session_factory() as session:
        ids = list(session.scalars(select(PersonRecord.id).order_by(PersonRecord.id)))[:120]
        for record_id, caller in stored_features(session, ids).items():
            everything = {c.record_id: c for c in find_candidates(session, caller, model=model)}
            pruned = find_candidates(session, caller, model=model, keep_above=0.5)
            assert {c.record_id for c in pruned} == set(everything)
            for candidate in pruned:
                exact = everything[candidate.record_id].score
                assert not everything[candidate.record_id].bounded
                if candidate.bounded:
                    bounded += 1
                    assert exact.vetoed and candidate.score.vetoed
                    assert exact.match_weight <= candidate.score.match_weight
                    assert candidate.score.match_probability < 0.5
                else:
                    full += 1
                    assert candidate.score == exact
            # The caller's own record, when its keys find it, is never bounded.
            assert not any(c.bounded for c in pruned if c.record_id == record_id)
            found_self += any(c.record_id == record_id for c in pruned)
    assert bounded > 50 and full > 100 and found_self > 100


def test_a_household_member_the_handler_confirmed_is_scored_in_full(
        container: Container) -> None:
    handler = make_actor(container, "handler", role=Role.CALL_HANDLER, agency="force")
    caller = CallerDetails(given_name="Alice", family_name="Okoro", phones=("07700 900777",),
                           address="14 Kings Road, Leicester", postcode="LE1 5WW")
    with container.session_factory() as session:
        sources = ensure_reference_data(session)
        record = PersonRecord(source_id=sources["vigil"].id, source_key="R1",
                              given_name="Grace", family_name="Okoro",
                              address_text="14 Kings Road, Leicester", postcode="LE1 5WW")
        record.phones.append(PersonRecordPhone(number="+447700900777"))
        session.add(record)
        index_person_record(session, record)
        session.commit()
        grace = record.id
        # Her sister-in-law: one household, another given name. A guard vetoes the pair.
        found = find_candidates(session, features_of(caller.as_details()),
                                model=default_model(), keep_above=0.5)
        assert [c.bounded for c in found if c.record_id == grace] == [True]
    record_match_feedback(container.uow(handler), caller=caller, record_id=grace,
                          verdict="same", reason="she says it is her")
    result = identify(container.uow(handler), caller=caller, reason="ASB call")
    shown = result.people[0].records[0]
    assert shown.record_id == grace and shown.feedback == "same"
    # Every comparison's level is shown, not only the guarded ones.
    assert ({f.comparison for f in shown.reasons}
            == {c.name for c in default_model().comparisons})
