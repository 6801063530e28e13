"""Reading data.police.uk street-level files: every bad line is named, nothing is guessed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.street_files import HEADER_LINE, asb_line, crime_line, write_street_file
from vigil.sources.police_uk import read_street_file
from vigil.sources.problems import InvalidFile


def test_a_good_file_gives_every_row_with_its_line_number(tmp_path: Path) -> None:
    path = write_street_file(tmp_path, "f.csv", [asb_line(), crime_line(), asb_line()])
    rows = read_street_file(path)
    assert [r.line for r in rows] == [2, 3, 4]
    assert [r.is_asb for r in rows] == [True, False, True]
    assert rows[0].month.isoformat() == "2021-06-01"
    assert rows[0].crime_id is None and rows[1].crime_id == "abc123"
    assert rows[0].latitude == pytest.approx(52.63635)


def test_identical_asb_rows_stay_separate_rows(tmp_path: Path) -> None:
    rows = read_street_file(write_street_file(tmp_path, "f.csv", [asb_line()] * 3))
    assert len(rows) == 3


def test_a_location_with_a_quoted_comma_is_one_field(tmp_path: Path) -> None:
    path = write_street_file(tmp_path, "f.csv", [asb_line(location='"On or near Park, The"')])
    assert read_street_file(path)[0].location == "On or near Park, The"


def test_a_wrong_header_is_rejected_naming_what_is_missing(tmp_path: Path) -> None:
    path = write_street_file(tmp_path, "f.csv", [asb_line()],
                             header=HEADER_LINE.replace("Latitude", "Lat"))
    with pytest.raises(InvalidFile) as caught:
        read_street_file(path)
    [problem] = caught.value.problems
    assert problem.line == 1
    assert "missing: Latitude" in problem.message and "unexpected: Lat" in problem.message


def test_every_bad_line_is_listed_at_once(tmp_path: Path) -> None:
    path = write_street_file(tmp_path, "f.csv", [
        asb_line(),
        asb_line(lat="152.6"),           # line 3: not in the UK
        asb_line(lon="west"),            # line 4: not a number
        asb_line(month="2021-13"),       # line 5: no such month
        asb_line(),
    ])
    with pytest.raises(InvalidFile) as caught:
        read_street_file(path)
    lines = {p.line: p.message for p in caught.value.problems}
    assert set(lines) == {3, 4, 5}
    assert "Latitude 152.6 is outside the United Kingdom" in lines[3]
    assert "Longitude 'west' is not a number" in lines[4]
    assert "Month '2021-13'" in lines[5]


def test_a_truncated_last_line_is_reported_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("\n".join([HEADER_LINE, asb_line(), asb_line()[:40]]), encoding="utf-8")
    with pytest.raises(InvalidFile) as caught:
        read_street_file(path)
    [problem] = caught.value.problems
    assert problem.line == 3 and "cut short" in problem.message


def test_a_line_cut_inside_quotes_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text(HEADER_LINE + "\n" + asb_line() + '\n,2021-06,"Leicestershire Pol',
                    encoding="utf-8")
    with pytest.raises(InvalidFile) as caught:
        read_street_file(path)
    assert caught.value.problems[-1].line == 3


def test_a_file_that_is_not_utf8_is_rejected_at_the_right_line(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    body = "\n".join([HEADER_LINE, asb_line(), asb_line(location="On or near Caf\xe9 Row")])
    path.write_bytes(body.encode("latin-1"))
    with pytest.raises(InvalidFile) as caught:
        read_street_file(path)
    [problem] = caught.value.problems
    assert problem.line == 3 and "not UTF-8" in problem.message


def test_an_empty_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(InvalidFile, match="empty"):
        read_street_file(path)


def test_rows_with_no_location_keep_no_point(tmp_path: Path) -> None:
    path = write_street_file(tmp_path, "f.csv", [asb_line(lon="", lat="", location="No location",
                                                          lsoa="", lsoa_name="")])
    [row] = read_street_file(path)
    assert row.latitude is None and row.longitude is None and row.lsoa_code is None


def test_a_point_with_only_one_coordinate_is_rejected(tmp_path: Path) -> None:
    path = write_street_file(tmp_path, "f.csv", [asb_line(lat="")])
    with pytest.raises(InvalidFile, match="both be given"):
        read_street_file(path)
