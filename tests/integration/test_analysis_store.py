"""Analysis on the store (SQLite and PostgreSQL): what each user may see, areas and periods,
repeats by resolved person, priorities with their reasons, and the ``vigil analyse`` files."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from vigil.analysis import reports
from vigil.bootstrap import Container
from vigil.domain.access import Actor, AgencyKind, Role
from vigil.services.analysis import AnalysisRequest, load_study
from vigil.services.incidents import InvalidQuery
from vigil.services.reference import ensure_reference_data
from vigil.store.models import (
    Agency,
    AuditEntry,
    Incident,
    IncidentPerson,
    Lsoa,
    Neighbourhood,
    Person,
    PersonRecord,
    User,
    VulnerabilityMarker,
)

# Ids far above any the sequences hand out, so explicit inserts never collide on PostgreSQL.
ANALYST = Actor(user_id=9101, username="analyst", agency_id=None,
                agency_kind=AgencyKind.POLICE, role=Role.ANALYST)
PARTNER = Actor(user_id=9102, username="partner", agency_id=None,
                agency_kind=AgencyKind.COUNCIL, role=Role.PARTNER_ASB_OFFICER)
FORCE = "Leicestershire"
PARK_LANE = (52.6300, -1.1300)
ABBEY_ROAD = (52.6500, -1.1500)


@pytest.fixture
def seeded(container: Container) -> Container:
    """Castle (two LSOAs) and Abbey (one): at Park Lane five calls in Oct 2022 (one more
    police-only) and three in Oct 2021; in Abbey two open-data incidents in Sep 2022. One
    resolved person is the victim in three Park Lane calls and is vulnerable."""
    with container.session_factory() as session:
        sources = ensure_reference_data(session)
        agencies = {a.code: a.id for a in session.scalars(select(Agency))}
        for actor, agency in ((ANALYST, "force"), (PARTNER, "city-council")):
            assert actor.role is not None
            session.add(User(id=actor.user_id, username=actor.username, full_name="Test",
                             password_hash="-", agency_id=agencies[agency],
                             role=actor.role.value))
        lsoa_points = {"E01000010": PARK_LANE, "E01000011": (52.634, -1.125),
                       "E01000020": ABBEY_ROAD}
        for code, name in (("E02000001", "Castle"), ("E02000002", "Abbey")):
            area = Neighbourhood(code=code, name=name, local_authority_code="E06000016",
                                 local_authority_name="Leicester")
            session.add(area)
            session.flush()
            for lsoa, (lat, lon) in lsoa_points.items():
                if lsoa[-2] == code[-1]:
                    session.add(Lsoa(code=lsoa, name=f"{name} {lsoa[-1]}", population=1500,
                                     latitude=lat, longitude=lon, police_force=FORCE,
                                     local_authority_code="E06000016",
                                     local_authority_name="Leicester",
                                     neighbourhood_id=area.id))
        person = Person()
        session.add(person)
        session.flush()

        def incident(ref: str, *, when: datetime | date, point: tuple[float, float], lsoa: str,
                     source: str = "vigil", police_only: bool = False) -> Incident:
            exact = isinstance(when, datetime)
            month = (when.date() if isinstance(when, datetime) else when).replace(day=1)
            row = Incident(reference=ref, source_id=sources[source].id, source_key=ref,
                           occurred_at=when if exact else None, occurred_month=month,
                           time_precision="exact" if exact else "month", latitude=point[0],
                           longitude=point[1], location_text="On or near Park Lane"
                           if point == PARK_LANE else "On or near Abbey Road",
                           lsoa_code=lsoa, category="personal", detailed_type="noise",
                           status="open", police_only=police_only)
            session.add(row)
            session.flush()
            return row

        start = datetime(2022, 10, 3, 21, 0, tzinfo=UTC)
        for k in range(5):
            row = incident(f"PL-{k}", when=start + timedelta(days=k), point=PARK_LANE,
                           lsoa="E01000010")
            record = PersonRecord(source_id=sources["vigil"].id, source_key=f"PL-{k}/victim",
                                  given_name="Ann", family_name="Smith",
                                  person_id=person.id if k < 3 else None)
            if k == 0:
                record.markers.append(VulnerabilityMarker(kind="lives_alone"))
            session.add(record)
            session.flush()
            session.add(IncidentPerson(incident_id=row.id, person_record_id=record.id,
                                       role="victim"))
        incident("SECRET", when=start, point=PARK_LANE, lsoa="E01000010", police_only=True)
        for k in range(3):
            incident(f"OLD-{k}", when=datetime(2021, 10, 5 + k, tzinfo=UTC), point=PARK_LANE,
                     lsoa="E01000010")
        for k in range(2):
            incident(f"OPEN-{k}", when=date(2022, 9, 1), point=ABBEY_ROAD, lsoa="E01000020",
                     source="police-uk")
        session.commit()
    return container


def _study(container: Container, actor: Actor = ANALYST, **request: str) -> reports.Study:
    values = {"month_from": "2022-01", "month_to": "2022-10", **request}
    return load_study(container.uow(actor), AnalysisRequest(**values), force_name=FORCE)


def test_an_analyst_counts_every_incident_and_a_partner_never_the_police_only_one(seeded):
    assert int(_study(seeded).frame.in_period.sum()) == 8
    assert int(_study(seeded, PARTNER).frame.in_period.sum()) == 7


def test_an_area_limits_the_incidents_and_the_rates_use_its_population(seeded):
    study = _study(seeded, area="neighbourhood:E02000002")
    assert study.area_label == "Abbey"
    assert int(study.frame.in_period.sum()) == 2
    report = reports.volume_report(study, level="neighbourhood")
    [row] = report.rows
    assert (row.name, row.population, row.incidents) == ("Abbey", 1500, 2)
    assert row.rate_per_1000 == pytest.approx(2 * 1000 / 1500 * 12 / 10)
    # the comparison is the whole force: 8 incidents over 4,500 residents in 10 months
    assert report.comparison_rate == pytest.approx(8 * 1000 / 4500 * 12 / 10)


def test_every_problem_with_the_request_is_reported_at_once_by_field(seeded):
    with pytest.raises(InvalidQuery) as error:
        _study(seeded, month_from="2022-13", area="neighbourhood:E02999999",
               category="loud")
    assert set(error.value.problems) == {"from", "area", "category"}
    assert "E02999999" in error.value.problems["area"]


def test_repeat_victims_count_resolved_people_and_say_how_many_records_are_unresolved(seeded):
    report = reports.repeats_report(_study(seeded))
    [repeat] = report.victims.repeats
    assert repeat.count == 3 and repeat.key.startswith("person:")
    assert report.victims.distinct == 3  # the person, and two unresolved records
    assert "3 of 5" in report.keyed_by_note
    [place] = report.places.repeats[:1]
    assert (place.label, place.count) == ("On or near Park Lane", 6)


def test_park_lane_tops_castles_priorities_with_its_reasons(seeded):
    ranked = reports.priority_report(_study(seeded, month_from="2022-10"))
    top = ranked["E02000001"][0]
    assert top.label == "On or near Park Lane"
    assert top.repeat_victims == 1 and top.vulnerable_victims == 1
    assert top.last_year == 3
    assert any("vulnerable victim" in reason for reason in top.reasons)
    assert top.score == 6 * 1 + 1 * 3 + 1 * 5 + 3 * 0.5


def test_near_repeats_use_days_when_every_time_is_exact(seeded):
    exact = reports.near_repeat_report(_study(seeded, area="neighbourhood:E02000001"),
                                       permutations=19, seed=1)
    assert exact.table.time_unit == "days"
    with_open_data = reports.near_repeat_report(_study(seeded), permutations=19, seed=1)
    assert with_open_data.table.time_unit == "months"


def test_each_analysis_is_audited(seeded):
    _study(seeded, area="neighbourhood:E02000002")
    with seeded.session_factory() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "analyse")).one()
    assert entry.detail["area"] == "neighbourhood:E02000002"
    assert entry.detail["incidents"] == 2


def test_vigil_analyse_writes_csv_geojson_and_png_with_the_attribution(
        seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from vigil.cli import app

    monkeypatch.setenv("VIGIL_DATABASE_URL", seeded.settings.database_url)
    monkeypatch.setenv("VIGIL_FORCE_NAME", FORCE)
    runner = CliRunner()
    for command in (["hotspots", "--permutations", "99", "--seed", "1"], ["trends"],
                    ["priorities"]):
        result = runner.invoke(app, ["analyse", *command, "--from", "2022-01", "--to",
                                     "2022-10", "--out", str(tmp_path)])
        assert result.exit_code == 0, result.output
    with (tmp_path / "hotspots.csv").open() as handle:
        cells = list(csv.DictReader(handle))
    assert sum(int(c["count"]) for c in cells) == 8
    geojson = json.loads((tmp_path / "hotspots.geojson").read_text())
    assert "Open Government Licence" in geojson["attribution"]
    assert (tmp_path / "trends.png").read_bytes()[:4] == b"\x89PNG"
    assert "Open Government Licence" in (tmp_path / "ATTRIBUTION.txt").read_text()
    bad = runner.invoke(app, ["analyse", "trends", "--from", "2022-13", "--area", "lsoa:X",
                              "--out", str(tmp_path)])
    assert bad.exit_code == 1
    assert "--from" in bad.output and "--area" in bad.output
