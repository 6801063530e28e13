"""Importing data.police.uk files into the store, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.street_files import asb_line, crime_line, write_street_file
from vigil.bootstrap import Container
from vigil.domain.access import Actor
from vigil.services.imports import ImportReport, import_police_uk
from vigil.store.models import AuditEntry, CrimeRecord, ImportedFile, Incident, Lsoa

SOURCE_ASB_ROWS_BY_MONTH = {  # from ../shared/data/police-uk/SOURCE.md
    "2019-12": 785, "2020-01": 915, "2020-02": 831, "2020-03": 1063, "2020-04": 1736,
    "2020-05": 1256, "2020-06": 1453, "2020-07": 1365, "2020-08": 1399, "2020-09": 1157,
    "2020-10": 899, "2020-11": 930, "2020-12": 742, "2021-01": 681, "2021-02": 676,
    "2021-03": 888, "2021-04": 957, "2021-05": 884, "2021-06": 1128, "2021-07": 1073,
    "2021-08": 860, "2021-09": 865, "2021-10": 786, "2021-11": 716, "2021-12": 618,
    "2022-01": 726, "2022-02": 727, "2022-03": 887, "2022-04": 882, "2022-05": 1006,
    "2022-06": 888, "2022-07": 1067, "2022-08": 994, "2022-09": 772, "2022-10": 752,
}


def run_import(container: Container, files: list[Path], *, open_data_dir: Path,
               keep_crimes: bool = True) -> ImportReport:
    return import_police_uk(container.uow(Actor.system("test")), files=files,
                            keep_crimes=keep_crimes, open_data_dir=open_data_dir,
                            force_name="Leicestershire")


def count(container: Container, model: type) -> int:
    with container.session_factory() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_asb_rows_become_incidents_of_that_month_and_crimes_are_kept(
        container: Container, tmp_path: Path) -> None:
    path = write_street_file(tmp_path, "2021-06-leicestershire-street.csv",
                             [asb_line(), crime_line(), asb_line(), asb_line()])
    report = run_import(container, [path], open_data_dir=tmp_path / "none")
    assert report.files[0].incidents_added == 3 and report.files[0].crimes_added == 1
    with container.session_factory() as session:
        incidents = session.scalars(select(Incident).order_by(Incident.id)).all()
        assert [i.occurred_month for i in incidents] == [date(2021, 6, 1)] * 3
        assert {i.time_precision for i in incidents} == {"month"}
        assert incidents[0].reference == "PUK-2021-06-leicestershire-2"
        assert incidents[0].lsoa_code == "E01013648"
        # Without the ONS files the LSOA still exists, named as the file names it.
        assert session.get(Lsoa, "E01013648").name == "Leicester 038B"  # type: ignore[union-attr]
    assert count(container, CrimeRecord) == 1


def test_reimporting_a_file_adds_nothing(container: Container, tmp_path: Path) -> None:
    path = write_street_file(tmp_path, "2021-06-x-street.csv", [asb_line()] * 4 + [crime_line()])
    run_import(container, [path], open_data_dir=tmp_path)
    again = run_import(container, [path], open_data_dir=tmp_path)
    assert again.files[0].incidents_added == 0 and again.files[0].already_present == 4
    assert count(container, Incident) == 4
    assert count(container, CrimeRecord) == 1


def test_skip_crimes_imports_only_asb(container: Container, tmp_path: Path) -> None:
    path = write_street_file(tmp_path, "f.csv", [asb_line(), crime_line()])
    run_import(container, [path], open_data_dir=tmp_path, keep_crimes=False)
    assert count(container, Incident) == 1 and count(container, CrimeRecord) == 0


def test_a_bad_file_writes_nothing_and_the_good_ones_still_import(
        container: Container, tmp_path: Path) -> None:
    good = write_street_file(tmp_path, "good.csv", [asb_line(), asb_line()])
    bad = write_street_file(tmp_path, "bad.csv", [asb_line(), asb_line(lat="x"), crime_line()])
    report = run_import(container, [bad, good], open_data_dir=tmp_path)
    [rejected] = report.rejected
    assert rejected.file_name == "bad.csv"
    assert [p.line for p in rejected.error.problems] == [3]  # type: ignore[union-attr]
    with container.session_factory() as session:
        keys = set(session.scalars(select(Incident.source_key)))
        assert keys == {"good.csv:2", "good.csv:3"}
        assert session.scalars(select(ImportedFile.file_name)).all() == ["good.csv"]
    assert count(container, CrimeRecord) == 0


def test_each_imported_file_is_audited(container: Container, tmp_path: Path) -> None:
    path = write_street_file(tmp_path, "f.csv", [asb_line()])
    run_import(container, [path], open_data_dir=tmp_path)
    with container.session_factory() as session:
        [entry] = session.scalars(select(AuditEntry)).all()
        assert (entry.action, entry.object_id, entry.username) == ("import", "f.csv", "test")
        assert entry.detail["incidents_added"] == 1


@pytest.mark.open_data
def test_the_real_leicestershire_files_import_every_asb_row_once(
        container: Container, open_data_dir: Path) -> None:
    files = sorted((open_data_dir / "police-uk").glob("*-street.csv"))
    report = run_import(container, files, open_data_dir=open_data_dir, keep_crimes=False)
    assert not report.rejected
    by_month = {f"{m:%Y-%m}": n for m, n in report.added_by_month().items()}
    assert by_month == SOURCE_ASB_ROWS_BY_MONTH
    assert sum(by_month.values()) == 33_364
    with container.session_factory() as session:
        in_store = Counter(
            f"{m:%Y-%m}" for m in session.scalars(select(Incident.occurred_month))
        )
        assert dict(in_store) == SOURCE_ASB_ROWS_BY_MONTH
        # Every LSOA the files name has a point and a population from the ONS files.
        lsoas = session.scalars(select(Lsoa)).all()
        assert all(lsoa.latitude is not None and lsoa.population for lsoa in lsoas)
        leicestershire = [lsoa for lsoa in lsoas if lsoa.police_force == "Leicestershire"]
        assert len(leicestershire) == 611
        assert all(lsoa.neighbourhood_id is not None for lsoa in leicestershire)
    again = run_import(container, files, open_data_dir=open_data_dir, keep_crimes=False)
    assert sum(again.added_by_month().values()) == 0
    assert count(container, Incident) == 33_364
