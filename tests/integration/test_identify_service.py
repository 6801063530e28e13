"""``identify`` and match feedback: history, flags from configuration, access, audit."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from vigil.bootstrap import Container
from vigil.domain.access import Actor, AgencyKind, PermissionDenied, Role
from vigil.identify.index import index_person_record, reindex_all
from vigil.identify.rules import IdentificationRules
from vigil.services.demo import seed_demo
from vigil.services.flag_sources import flag_sources
from vigil.services.identification import (
    CallerDetails,
    InvalidCaller,
    identify,
    record_match_feedback,
)
from vigil.services.reference import ensure_reference_data
from vigil.store.models import (
    Address,
    Agency,
    AuditEntry,
    DemoTruth,
    Incident,
    IncidentPerson,
    PersonRecord,
    PersonRecordPhone,
    User,
    VulnerabilityMarker,
)

NOW = datetime(2024, 6, 1, 12, tzinfo=UTC)


def make_actor(container: Container, username: str, *, role: Role, agency: str) -> Actor:
    """A signed-in user (not the system, which sees everything)."""
    with container.session_factory() as session:
        ensure_reference_data(session)
        found = session.scalars(select(Agency).where(Agency.code == agency)).one()
        user = User(username=username, full_name=username.title(), password_hash="x",
                    agency_id=found.id, role=role.value)
        session.add(user)
        session.commit()
        return Actor(user_id=user.id, username=username, agency_id=found.id,
                     agency_kind=AgencyKind(found.kind), role=role)


@dataclass
class Store:
    """Writes person records with their incidents, indexed in the same transaction."""

    container: Container
    count: int = 0

    def record(self, *, given: str, family: str, dob: str | None = None,
               phones: tuple[str, ...] = (), address: str | None = None,
               postcode: str | None = None, source: str = "vigil",
               reports: tuple[tuple[int, str], ...] = (), marker: str | None = None,
               address_id: int | None = None) -> int:
        """A record; ``reports`` are (days before NOW, role) of incidents it took part in."""
        with self.container.session_factory() as session:
            sources = ensure_reference_data(session)
            self.count += 1
            record = PersonRecord(source_id=sources[source].id, source_key=f"R{self.count}",
                                  given_name=given, family_name=family, date_of_birth=dob,
                                  address_text=address, postcode=postcode,
                                  address_id=address_id)
            record.phones.extend(PersonRecordPhone(number=p) for p in phones)
            if marker:
                record.markers.append(VulnerabilityMarker(kind=marker, note="noted"))
            session.add(record)
            for days, role in reports:
                when = NOW - timedelta(days=days)
                self.count += 1
                incident = Incident(
                    reference=f"INC-{self.count}", source_id=sources[source].id,
                    source_key=f"INC-{self.count}", occurred_at=when,
                    occurred_month=date(when.year, when.month, 1), time_precision="exact",
                    category="personal", detailed_type="noise", status="open",
                    address_id=address_id)
                session.add(incident)
                session.flush()
                session.add(IncidentPerson(incident_id=incident.id,
                                           person_record_id=record.id, role=role))
            index_person_record(session, record)
            session.commit()
            return record.id

    def address(self) -> int:
        with self.container.session_factory() as session:
            address = Address(house="14", street="Kings Road", town="Leicester",
                              postcode="LE1 5WW", uprn="100012345")
            session.add(address)
            session.commit()
            return address.id


@pytest.fixture
def store(container: Container) -> Store:
    return Store(container)


@pytest.fixture(autouse=True)
def users(container: Container) -> None:
    global HANDLER, PARTNER, ANALYST
    HANDLER = make_actor(container, "handler", role=Role.CALL_HANDLER, agency="force")
    PARTNER = make_actor(container, "partner", role=Role.PARTNER_ASB_OFFICER,
                         agency="city-council")
    ANALYST = make_actor(container, "analyst", role=Role.ANALYST, agency="force")


HANDLER = PARTNER = ANALYST = Actor.system()


def look_up(container: Container, caller: CallerDetails, *, actor: Actor | None = None,
            rules: IdentificationRules | None = None, reason: str = "ASB call"):  # type: ignore[no-untyped-def]
    return identify(container.uow(actor or HANDLER), caller=caller, reason=reason,
                    rules=rules or IdentificationRules(), as_of=NOW)


ALICE = CallerDetails(given_name="Alice", family_name="Okoro", date_of_birth="1984-09-21",
                      phones=("07700 900777",))


def test_a_caller_is_found_in_every_source_with_history_by_window(store: Store,
                                                                  container: Container
                                                                  ) -> None:
    store.record(given="Alice", family="Okoro", dob="1984-09-21", phones=("+447700900777",),
                 reports=((5, "caller"), (100, "caller"), (500, "victim")))
    store.record(given="ALICE", family="OKORO", dob="1984-09-21", source="council-cases",
                 marker="mental_health")
    result = look_up(container, ALICE)
    assert len(result.people) == 1
    person = result.people[0]
    assert {r.source_code for r in person.records} == {"vigil", "council-cases"}
    assert person.history.counts.last_30_days == 1
    assert person.history.counts.last_12_months == 2
    assert person.history.counts.ever == 3
    assert dict(person.history.by_source)["Vigil incident log"].ever == 3
    assert [m.source_name for m in person.markers] == ["City Council ASB case list"]
    assert result.flags.repeat_caller and result.flags.vulnerable
    assert not result.flags.repeat_victim  # two in 12 months; the rule needs three
    # Where each flag comes from: the system and the agency that keeps it.
    evidence = flag_sources(result)
    assert {s.held_by for s in evidence["vulnerable"]} == {
        "City Council ASB case list, City Council (demo)"}
    assert evidence["repeat_caller"] and all(
        s.held_by.startswith("Vigil incident log, ") for s in evidence["repeat_caller"])
    assert any("given name: exact" in reason for reason in
               [r for rec in person.records for r in
                [f"{f.comparison.replace('_', ' ')}: {f.level}" for f in rec.reasons]])


def test_the_flags_follow_the_configured_thresholds(store: Store, container: Container,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    store.record(given="Alice", family="Okoro", dob="1984-09-21",
                 reports=((5, "caller"), (100, "caller")))
    assert not look_up(container, ALICE).flags.repeat_victim
    monkeypatch.setenv("VIGIL_IDENTIFY_REPEAT_VICTIM_REPORTS", "2")
    flags = look_up(container, ALICE, rules=IdentificationRules()).flags
    assert flags.repeat_victim
    assert any("rule: 2 or more" in reason for reason in flags.reasons)
    monkeypatch.setenv("VIGIL_IDENTIFY_REPEAT_CALLER_REPORTS", "5")
    assert not look_up(container, ALICE, rules=IdentificationRules()).flags.repeat_caller


def test_a_repeat_location_counts_reports_at_the_address_from_anyone(store: Store,
                                                                    container: Container
                                                                    ) -> None:
    home = store.address()
    store.record(given="Tom", family="Reid", address_id=home,
                 reports=((3, "caller"), (40, "caller"), (90, "caller")))
    caller = CallerDetails(given_name="Nadia", family_name="Bello",
                           address="14 Kings Rd, Leicester", postcode="le15ww")
    result = look_up(container, caller)
    assert result.people == []
    assert result.location is not None and result.location.counts.last_12_months == 3
    assert result.flags.repeat_location and not result.flags.repeat_caller
    # A UPRN names the address whatever the spelling or postcode typed beside it.
    by_uprn = look_up(container, replace(caller, address="The Old Forge", postcode="LE2 1AA",
                                         uprn="100012345"))
    assert by_uprn.location_address == "14, Kings Road, Leicester, LE1 5WW"
    assert by_uprn.flags.repeat_location


def test_a_rejected_pair_never_links_again_and_a_confirmed_one_always_does(
        store: Store, container: Container) -> None:
    alice = store.record(given="Alice", family="Okoro", dob="1984-09-21")
    # Her sister-in-law's record: a different given name, so never a match by itself.
    weak = store.record(given="Grace", family="Okoro", phones=("+447700900777",))
    result = look_up(container, ALICE)
    assert [r.record_id for r in result.people[0].records] == [alice]
    record_match_feedback(container.uow(HANDLER), caller=ALICE, record_id=alice,
                          verdict="different", reason="different person: asked her")
    record_match_feedback(container.uow(HANDLER), caller=ALICE, record_id=weak,
                          verdict="same", reason="she confirmed the number")
    again = look_up(container, ALICE)
    ids = [r.record_id for p in again.people + again.possible for r in p.records]
    assert alice not in ids
    assert [r.record_id for r in again.people[0].records] == [weak]
    assert again.people[0].records[0].feedback == "same"


def test_a_faint_namesake_is_a_possible_match_and_never_adds_to_the_callers_history(
        store: Store, container: Container) -> None:
    """Nothing vetoes "Jon Smith, born 1980, LE1 2AB" against the caller, but nothing makes him
    the caller either: his reports must not count towards the caller's repeat flags."""
    mine = store.record(given="John", family="Smith", dob="1980-01-01",
                        address="10 High Street, Leicester", postcode="LE1 1AA",
                        reports=((10, "caller"),))
    namesake = store.record(given="Jon", family="Smith", dob="1980", postcode="LE1 2AB",
                            reports=((5, "caller"), (20, "caller"), (40, "caller")))
    found = look_up(container, CallerDetails(
        given_name="John", family_name="Smith", date_of_birth="1980-01-01",
        address="10 High Street, Leicester", postcode="LE1 1AA"))
    assert [[r.record_id for r in p.records] for p in found.people] == [[mine]]
    assert found.people[0].history.counts.ever == 1
    assert [[r.record_id for r in p.records] for p in found.possible] == [[namesake]]
    assert not found.flags.repeat_victim


def test_a_father_and_son_of_one_name_are_asked_about_when_no_birthday_is_given(
        store: Store, container: Container) -> None:
    home = {"address": "10 Jarrom Street, Leicester", "postcode": "LE5 2JB"}
    father = [store.record(given="Darren", family="Newton", dob="1960-06-24",
                           reports=((days, "caller"),), **home) for days in (10, 40)]
    son = [store.record(given="Darren", family="Newton", dob="1991-02-11",
                        reports=((days, "caller"),), **home) for days in (20, 50)]
    caller = CallerDetails(given_name="Darren", family_name="Newton", **home)
    vague = look_up(container, caller)
    assert vague.people == [] and not vague.flags.repeat_caller
    assert sorted(sorted(r.record_id for r in p.records) for p in vague.possible) == \
        sorted([father, son])
    assert all("ask the caller's date of birth" in p.note for p in vague.possible)
    # Once the handler has asked and confirmed the father for these details, he is the match.
    record_match_feedback(container.uow(HANDLER), caller=caller, record_id=father[0],
                          verdict="same", reason="asked: born 1960")
    told = look_up(container, caller)
    assert [p.records[0].record_id in father for p in told.people] == [True]
    assert [sorted(r.record_id for r in p.records) for p in told.possible] == [son]
    precise = look_up(container, CallerDetails(given_name="Darren", family_name="Newton",
                                               date_of_birth="24/06/1960", **home))
    assert [sorted(r.record_id for r in p.records) for p in precise.people] == [father]
    assert precise.people[0].history.counts.ever == 2


def test_partners_never_see_police_only_records(store: Store, container: Container) -> None:
    store.record(given="Alice", family="Okoro", dob="1984-09-21", source="crime-records",
                 reports=((5, "victim"),))
    assert look_up(container, ALICE, actor=HANDLER).people
    assert look_up(container, ALICE, actor=PARTNER).people == []


def test_every_lookup_is_audited_with_the_user_and_the_reason(store: Store,
                                                             container: Container) -> None:
    alice = store.record(given="Alice", family="Okoro", dob="1984-09-21")
    look_up(container, ALICE, reason="Call about noise from number 12")
    with container.session_factory() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "identify")).one()
    assert entry.username == "handler"
    assert entry.reason == "Call about noise from number 12"
    assert entry.detail["matched_records"] == [alice]


def test_a_lookup_needs_a_reason_and_something_to_look_up(container: Container) -> None:
    with pytest.raises(InvalidCaller) as error:
        look_up(container, CallerDetails(), reason=" ")
    assert set(error.value.problems) == {"reason", "caller"}


def test_roles_without_the_people_permission_cannot_identify(container: Container) -> None:
    with pytest.raises(PermissionDenied):
        look_up(container, ALICE, actor=ANALYST)


def test_twins_and_fathers_and_sons_in_the_demo_are_never_one_person(container: Container,
                                                                     tmp_path: Path) -> None:
    seed_demo(container.uow(Actor.system("test")), seed=5, people=400,
              open_data_dir=tmp_path / "none", force_name="Nowhere")
    with container.session_factory() as session:
        rows = session.execute(
            select(PersonRecord, DemoTruth.true_person_key, DemoTruth.note)
            .join(DemoTruth, DemoTruth.person_record_id == PersonRecord.id)
            .where(DemoTruth.note.contains("twin of") | DemoTruth.note.contains("same name"))
        ).all()
        truth = dict(session.execute(select(DemoTruth.person_record_id,
                                            DemoTruth.true_person_key)).all())
        callers = [(CallerDetails(given_name=r.given_name, family_name=r.family_name,
                                  date_of_birth=r.date_of_birth, address=r.address_text,
                                  postcode=r.postcode,
                                  phones=tuple(p.number for p in r.phones)), key)
                   for r, key, _ in rows if r.date_of_birth and len(r.date_of_birth) == 10]
    assert len(callers) >= 10
    for caller, key in callers[:40]:
        result = look_up(container, caller)
        for person in result.people:
            found = {truth[r.record_id] for r in person.records}
            assert found == {key}, (caller, found)


def test_an_address_is_found_by_its_dwelling_key_and_one_without_a_key_still_is(
        store: Store, container: Container) -> None:
    """Addresses carry the engine's reading of them (``flat|house|street``), set on every
    write; one written by SQL outside the app has none, is still found, and gets one at the
    next reindex."""
    home = store.address()
    with container.session_factory() as session:
        assert session.get(Address, home).dwelling_key == "|14|kings road"  # type: ignore[union-attr]
        # Another flat in the same postcode, written behind the app's back.
        session.execute(Address.__table__.insert().values(  # type: ignore[attr-defined]
            flat="2", house="14", street="Kings Road", town="Leicester", postcode="LE1 5WW"))
        session.commit()
        flat = session.scalars(select(Address.id).where(Address.flat == "2")).one()
    store.record(given="Tom", family="Reid", address_id=flat,
                 reports=((3, "caller"), (40, "caller"), (90, "caller")))
    caller = CallerDetails(given_name="Nadia", family_name="Bello",
                           address="Flat 2, 14 Kings Rd, Leicester", postcode="LE1 5WW")
    result = look_up(container, caller)
    assert result.location_address == "Flat 2, 14, Kings Road, Leicester, LE1 5WW"
    assert result.location is not None and result.location.counts.last_12_months == 3
    # The caller at number 14 itself is not the flat's neighbour's history.
    whole = look_up(container, replace(caller, address="14 Kings Rd, Leicester"))
    assert whole.location is not None and whole.location.counts.ever == 0
    with container.session_factory() as session:
        reindex_all(session)
        session.commit()
        assert session.get(Address, flat).dwelling_key == "2|14|kings road"  # type: ignore[union-attr]


def test_the_callers_address_is_found_in_the_index_not_among_all_of_the_postcode(
        container: Container) -> None:
    """Each way of finding the caller's address is a range of an index: by UPRN, and by the
    postcode with the dwelling key (or without one). Read through the postcode alone, every
    address of the postcode (189 at p99 at a million people) was a page of the table."""
    from sqlalchemy import text

    from vigil.services.identification_reads import CALLER_ADDRESS_SQL

    with container.engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            pytest.skip("the planner's choice on PostgreSQL depends on the tables' statistics")
        plan = [row[3] for row in connection.execute(
            text("EXPLAIN QUERY PLAN " + CALLER_ADDRESS_SQL),
            {"uprn": "1", "postcode": "LE1 5WW", "key": "|14|kings road"})]
    assert "SEARCH addresses USING INDEX sqlite_autoindex_addresses_1 (uprn=?)" in plan
    assert plan.count("SEARCH addresses USING INDEX ix_addresses_postcode_dwelling_key "
                      "(postcode=? AND dwelling_key=?)") == 2, plan
