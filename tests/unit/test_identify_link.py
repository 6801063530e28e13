"""``vigil link``: a CSV of person records clustered into people; bad input reported by line."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from vigil.cli import app

HEADER = "record_id,source,given_name,family_name,date_of_birth,phone,email,address,postcode\n"
ROWS = [
    "a1,vigil,William,Carter,1958-02-11,07700 900111,,\"14 Kings Road, Leicester\",LE1 5WW",
    "a2,council,Bill,CARTER,1958-02-11,,,14 Kings Rd,le15ww",
    "a3,vigil,Bill,Carter,,07700900111,,,LE1 5WW",
    "b1,vigil,William,Carter,1986-07-30,07700 900222,,\"14 Kings Road, Leicester\",LE1 5WW",
    "b2,housing,Will,Carter,1986-07-30,07700900222,,,LE1 5WW",
    "t1,vigil,Amanda,Miah,2000-10-14,,,\"21 Conkers Close, Leicester\",LE3 5WP",
    "t2,vigil,Jade,Miah,2000-10-14,,,\"21 Conkers Close, Leicester\",LE3 5WP",
]


def run(tmp_path: Path, text: str) -> tuple[int, str, Path]:
    source = tmp_path / "in.csv"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(app, ["link", str(source), "--out", str(out)])
    return result.exit_code, result.output, out


def test_link_clusters_records_into_people_without_chaining(tmp_path: Path) -> None:
    code, output, out = run(tmp_path, HEADER + "\n".join(ROWS) + "\n")
    assert code == 0, output
    with out.open() as handle:
        rows = list(csv.DictReader(handle))
    assert [r["record_id"] for r in rows] == [r.split(",")[0] for r in ROWS]
    person = {r["record_id"]: r["person_id"] for r in rows}
    assert person["a1"] == person["a2"]
    assert person["b1"] == person["b2"]
    assert person["a1"] != person["b1"]  # father and son: a3 (no date) cannot bridge them
    assert person["t1"] != person["t2"]  # twins
    probability = {r["record_id"]: r["match_probability"] for r in rows}
    assert float(probability["a1"]) > 0.99
    assert probability["t1"] == ""  # alone in its cluster


def test_a_file_without_a_record_id_column_is_refused(tmp_path: Path) -> None:
    code, output, _ = run(tmp_path, "id,given_name\n1,Ann\n")
    assert code == 1
    assert "line 1: there is no record_id column" in output


def test_duplicate_ids_and_bad_dates_are_reported_by_line(tmp_path: Path) -> None:
    text = HEADER + "x,,Ann,Lee,1970-02-30,,,,\nx,,Ann,Lee,,,,,\n,,Bo,Lee,31/12/1999,,,,\n"
    code, output, out = run(tmp_path, text)
    assert code == 1
    assert "line 2: date_of_birth" in output and "day 30" in output
    assert "line 3: record_id 'x' is already on line 2" in output
    assert "line 4: record_id is empty" in output
    assert not out.exists()


def test_extra_columns_are_ignored_and_empty_fields_allowed(tmp_path: Path) -> None:
    code, output, out = run(tmp_path, "record_id,notes\nr1,hello\nr2,\n")
    assert code == 0, output
    assert out.read_text().splitlines()[1].startswith("r1,P")
