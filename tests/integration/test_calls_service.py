"""Recording a call: one transaction for incident, people, assessment, task and audit; every
gap at once with nothing written; the next look-up finds the caller; flags raise the level."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select, update

from tests.integration.test_identify_service import make_actor
from vigil.bootstrap import Container
from vigil.domain.access import Actor, PermissionDenied, Role
from vigil.domain.risk import DEFAULT_QUESTIONNAIRE, Answer, AnswerStatus, RiskLevel
from vigil.services import calls as calls_service
from vigil.services.call_views import view_call
from vigil.services.calls import InvalidCall, NewCall, PersonIn, record_call
from vigil.services.identification import CallerDetails, identify
from vigil.services.reference import ensure_reference_data
from vigil.store.call_detail_tables import ReferenceCounter
from vigil.store.call_tables import CallTask, RiskAssessment
from vigil.store.models import (
    Address,
    AuditEntry,
    Incident,
    IncidentPerson,
    Lsoa,
    Neighbourhood,
    PersonRecord,
)

NOW = datetime(2026, 11, 26, 10, tzinfo=UTC)
LOWEST = {q.key: Answer(AnswerStatus.ANSWERED, min(q.options, key=lambda o: o.score).value)
          for q in DEFAULT_QUESTIONNAIRE.questions}
THRIVE = {k: "noted" for k in ("threat", "harm", "risk", "investigation", "vulnerability",
                               "engagement")}


def a_call(**changes: object) -> NewCall:
    fields: dict[str, object] = dict(
        caller=PersonIn(given_name="Winifred", family_name="Okonkwo-Hale",
                        date_of_birth="12/03/1948", phone="07700 900123",
                        address="14 Kings Road, Leicester", postcode="le1 5ww"),
        category="nuisance", detailed_type="noise", description="Loud music every night",
        answers=LOWEST, thrive=THRIVE)
    fields.update(changes)
    return NewCall(**fields)  # type: ignore[arg-type]


def count(container: Container, table: type) -> int:
    with container.session_factory() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def test_a_saved_call_is_found_by_the_next_lookup(container: Container) -> None:
    handler = make_actor(container, "handler", role=Role.CALL_HANDLER, agency="force")
    saved = record_call(container.uow(handler), call=a_call(), now=NOW)
    assert saved.reference == "VGL-2026-000001" and saved.level is RiskLevel.STANDARD
    assert saved.due_at == NOW + timedelta(days=7)
    found = identify(container.uow(handler), reason="next call", as_of=NOW + timedelta(hours=1),
                     caller=CallerDetails(given_name="Winnie", family_name="Okonkwo Hale",
                                          postcode="LE1 5WW"))
    assert found.people and found.flags.repeat_caller
    with container.session_factory() as session:
        task = session.scalars(select(CallTask)).one()
        assessment = session.scalars(select(RiskAssessment)).one()
        audit = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "record_call")).one()
    assert task.description == "Neighbourhood contact within 7 days"
    assert assessment.answers["threats"]["status"] == "answered"
    assert assessment.thrive["harm"] == "noted"
    assert audit.object_id == saved.reference and audit.username == "handler"


def test_a_second_call_from_the_same_caller_is_raised_as_a_repeat(container: Container
                                                                  ) -> None:
    handler = make_actor(container, "handler", role=Role.CALL_HANDLER, agency="force")
    record_call(container.uow(handler), call=a_call(), now=NOW - timedelta(minutes=30))
    second = record_call(container.uow(handler), call=a_call(), now=NOW)
    assert second.reference == "VGL-2026-000002"
    assert second.level is RiskLevel.MEDIUM and "repeat_caller" in second.flags
    assert second.raised_by == ("Raised from standard to medium: repeat caller or victim",)
    assert second.due_at == NOW + timedelta(hours=72)


def test_every_gap_is_listed_and_nothing_is_written(container: Container) -> None:
    handler = make_actor(container, "handler", role=Role.CALL_HANDLER, agency="force")
    answers = dict(LOWEST)
    del answers["threats"]
    answers["age"] = Answer(AnswerStatus.DECLINED)
    call = a_call(caller=PersonIn(phone="12"), category="", detailed_type="",
                  description=" ", answers=answers, thrive={}, occurred_at="yesterday")
    with pytest.raises(InvalidCall) as error:
        record_call(container.uow(handler), call=call, now=NOW)
    problems = error.value.problems
    assert {"caller.family_name", "caller.phone", "place_address", "category",
            "detailed_type", "description", "occurred_at", "answers.threats", "answers.age",
            "thrive.harm"} <= set(problems)
    assert count(container, Incident) == 0 and count(container, PersonRecord) == 0


def test_a_partner_cannot_record_calls(container: Container) -> None:
    partner = make_actor(container, "partner", role=Role.PARTNER_ASB_OFFICER,
                         agency="city-council")
    with pytest.raises(PermissionDenied):
        record_call(container.uow(partner), call=a_call(), now=NOW)
    assert count(container, Incident) == 0


def test_a_known_address_gives_the_incident_its_lsoa(container: Container) -> None:
    with container.session_factory() as session:
        ensure_reference_data(session)
        session.add(Lsoa(code="E01000001", name="Castle 1"))
        session.flush()
        session.add(Address(house="14", street="Kings Road", town="Leicester",
                            postcode="LE1 5WW", lsoa_code="E01000001"))
        session.commit()
    handler = make_actor(container, "handler", role=Role.CALL_HANDLER, agency="force")
    saved = record_call(container.uow(handler), call=a_call(place_address="14 Kings Rd"),
                        now=NOW)
    same_postcode = record_call(container.uow(handler), now=NOW, call=a_call(
        place_address="", place_postcode="LE1 5WW", caller=PersonIn(family_name="Hale")))
    unknown = record_call(container.uow(handler), now=NOW, call=a_call(
        place_address="99 Nowhere Lane", place_postcode="LE2 1AA"))
    with container.session_factory() as session:
        places = {r: (lsoa, address_id is not None) for r, lsoa, address_id in session.execute(
            select(Incident.reference, Incident.lsoa_code, Incident.address_id)).all()}
    assert places == {saved.reference: ("E01000001", True),
                      same_postcode.reference: ("E01000001", False),
                      unknown.reference: (None, False)}


def test_two_handlers_saving_at_the_same_moment_both_get_a_reference_of_their_own(
        container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both threads take a reference, then dawdle inside their transaction: with a reference
    read from the latest incident both would take the same one and the second would fail."""
    handlers = [make_actor(container, name, role=Role.CALL_HANDLER, agency="force")
                for name in ("first", "second")]
    resolve = calls_service.resolve_place

    def slow_resolve(*args: object, **kwargs: object) -> object:
        time.sleep(0.5)
        return resolve(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(calls_service, "resolve_place", slow_resolve)
    start = threading.Barrier(2)
    saved: dict[str, str] = {}
    failures: list[BaseException] = []

    def save(actor: Actor) -> None:
        try:
            start.wait(timeout=10)
            saved[actor.username] = record_call(container.uow(actor), call=a_call(),
                                                now=NOW).reference
        except BaseException as error:  # reported below, with the other thread's result
            failures.append(error)

    threads = [threading.Thread(target=save, args=(actor,)) for actor in handlers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert sorted(saved.values()) == ["VGL-2026-000001", "VGL-2026-000002"]
    assert count(container, Incident) == 2


def test_references_go_on_after_calls_recorded_before_the_counter(container: Container
                                                                  ) -> None:
    handler = make_actor(container, "handler", role=Role.CALL_HANDLER, agency="force")
    first = record_call(container.uow(handler), call=a_call(), now=NOW)
    with container.session_factory() as session:  # as if the counter had never been kept
        session.execute(delete(ReferenceCounter))
        session.commit()
    second = record_call(container.uow(handler), call=a_call(), now=NOW)
    next_year = record_call(container.uow(handler), call=a_call(),
                            now=datetime(2027, 1, 1, 9, tzinfo=UTC))
    assert (first.reference, second.reference, next_year.reference) == (
        "VGL-2026-000001", "VGL-2026-000002", "VGL-2027-000001")


def a_force_area(container: Container) -> None:
    """Two neighbourhoods of one LSOA each, about 2 km apart, in Leicester."""
    with container.session_factory() as session:
        ensure_reference_data(session)
        for code, name, lat, lon in (("E02000001", "Castle", 52.6340, -1.1330),
                                     ("E02000002", "Belgrave", 52.6530, -1.1250)):
            neighbourhood = Neighbourhood(code=code, name=name, local_authority_code="E06",
                                          local_authority_name="Leicester")
            session.add(neighbourhood)
            session.flush()
            session.add(Lsoa(code=f"E01{code[3:]}", name=f"{name} 1", latitude=lat,
                             longitude=lon, neighbourhood_id=neighbourhood.id))
        session.commit()


def test_a_point_on_the_map_places_the_incident_in_the_nearest_area(container: Container
                                                                     ) -> None:
    a_force_area(container)
    handler = make_actor(container, "handler", role=Role.CALL_HANDLER, agency="force")
    saved = record_call(container.uow(handler), now=NOW, call=a_call(
        place_latitude="52.6512", place_longitude="-1.1262"))
    with container.session_factory() as session:
        incident = session.scalars(select(Incident)).one()
    assert (incident.latitude, incident.longitude) == (52.6512, -1.1262)
    assert incident.lsoa_code == "E01000002"
    summary = view_call(container.uow(handler), reference=saved.reference)
    assert (summary.lsoa_name, summary.neighbourhood) == ("Belgrave 1", "Belgrave")
    assert summary.place == "Map point 52.65120, -1.12620"  # not the caller's home address


def test_a_point_alone_is_enough_to_say_where(container: Container) -> None:
    a_force_area(container)
    handler = make_actor(container, "handler", role=Role.CALL_HANDLER, agency="force")
    record_call(container.uow(handler), now=NOW, call=a_call(
        caller=PersonIn(family_name="Hale"), place_latitude="52.634",
        place_longitude="-1.133"))
    with container.session_factory() as session:
        incident = session.scalars(select(Incident)).one()
    assert incident.lsoa_code == "E01000001"
    assert incident.location_text == "Map point 52.63400, -1.13300"


@pytest.mark.parametrize(("latitude", "longitude", "field", "words"), [
    ("north", "-1.13", "place_latitude", "is not a number"),
    ("52.63", "", "place_longitude", "give both"),
    ("95", "-1.13", "place_latitude", "between -90 and 90"),
    ("53.48", "-2.24", "place_latitude", "outside the force area"),  # Manchester
    ("-1.133", "52.634", "place_latitude", "look swapped"),
])
def test_bad_or_distant_coordinates_are_refused_naming_the_field(
        container: Container, latitude: str, longitude: str, field: str, words: str) -> None:
    a_force_area(container)
    handler = make_actor(container, "handler", role=Role.CALL_HANDLER, agency="force")
    with pytest.raises(InvalidCall) as error:
        record_call(container.uow(handler), now=NOW, call=a_call(
            place_latitude=latitude, place_longitude=longitude))
    assert words in error.value.problems[field]
    assert count(container, Incident) == 0


def test_witnesses_and_suspects_are_saved_in_their_roles_and_found_by_the_next_lookup(
        container: Container) -> None:
    handler = make_actor(container, "handler", role=Role.CALL_HANDLER, agency="force")
    saved = record_call(container.uow(handler), now=NOW, call=a_call(
        witnesses=(PersonIn(given_name="Desmond", family_name="Achterberg",
                            phone="07700 900456"), PersonIn()),
        suspects=(PersonIn(nickname="Spider", description="Tall, red hoodie, about 17"),
                  PersonIn(given_name="Kyle", family_name="Brennan-Fox",
                           date_of_birth="2008"))))
    with container.session_factory() as session:
        roles = sorted((role, name or "") for role, name in session.execute(
            select(IncidentPerson.role, PersonRecord.family_name)
            .join(PersonRecord, IncidentPerson.person_record_id == PersonRecord.id)))
    assert roles == [("caller", "Okonkwo-Hale"), ("suspect", ""), ("suspect", "Brennan-Fox"),
                     ("victim", "Okonkwo-Hale"), ("witness", "Achterberg")]
    found = identify(container.uow(handler), reason="next call", as_of=NOW,
                     caller=CallerDetails(given_name="Des", family_name="Achterburg",
                                          phones=("+447700900456",)))
    assert [r.name for p in found.people for r in p.records] == ["Desmond Achterberg"]
    suspect = identify(container.uow(handler), reason="next call", as_of=NOW,
                       caller=CallerDetails(given_name="Kyle", family_name="Brennan Fox"))
    assert suspect.people or suspect.possible
    summary = view_call(container.uow(handler), reference=saved.reference)
    shown = [(p.role, p.name, p.nickname, p.description) for p in summary.people]
    assert shown[0][:2] == ("caller, victim", "Winifred Okonkwo-Hale")
    assert ("witness", "Desmond Achterberg", "", "") in shown
    assert ("suspect", "(name not known)", "Spider", "Tall, red hoodie, about 17") in shown


def test_witnesses_and_suspects_are_checked_like_callers_and_nothing_is_written(
        container: Container) -> None:
    handler = make_actor(container, "handler", role=Role.CALL_HANDLER, agency="force")
    with pytest.raises(InvalidCall) as error:
        record_call(container.uow(handler), now=NOW, call=a_call(
            witnesses=(PersonIn(given_name="Desmond", phone="12"),),
            suspects=(PersonIn(), PersonIn(date_of_birth="31/02/1990"))))
    problems = error.value.problems
    assert set(problems) == {"witnesses.0.family_name", "witnesses.0.phone",
                             "suspects.1.family_name", "suspects.1.date_of_birth"}
    assert "nickname or a description" in problems["suspects.1.family_name"]
    assert count(container, Incident) == 0 and count(container, PersonRecord) == 0


def test_an_area_of_another_force_in_the_open_data_is_not_the_force_area(
        container: Container) -> None:
    a_force_area(container)
    with container.session_factory() as session:
        session.execute(update(Lsoa).values(police_force="Leicestershire"))
        session.add(Lsoa(code="E01019479", name="Bolsover 001B", latitude=53.2873,
                         longitude=-1.2857, police_force="Derbyshire"))
        session.commit()
    handler = make_actor(container, "handler", role=Role.CALL_HANDLER, agency="force")
    in_bolsover = a_call(place_latitude="53.2870", place_longitude="-1.2850")
    with pytest.raises(InvalidCall) as error:
        record_call(container.uow(handler), now=NOW, call=in_bolsover,
                    force_name="Leicestershire")
    assert "outside the force area" in error.value.problems["place_latitude"]
    record_call(container.uow(handler), now=NOW, call=a_call(
        place_latitude="52.6345", place_longitude="-1.1335"), force_name="Leicestershire")
    with container.session_factory() as session:
        assert session.scalars(select(Incident.lsoa_code)).all() == ["E01000001"]
