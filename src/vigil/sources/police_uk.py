"""data.police.uk street-level CSV files: read and check them, line by line.

ASB rows carry no Crime ID and no outcome, and identical ASB rows are separate incidents, so a row
is known by its file and line, never by its content.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from vigil.sources.problems import InvalidFile, Problem

HEADER = (
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
)
ASB_CRIME_TYPE = "Anti-social behaviour"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# Generous bounds around the United Kingdom (with the Channel Islands): a point outside is wrong.
UK_LATITUDE = (49.0, 61.5)
UK_LONGITUDE = (-9.0, 2.5)


@dataclass(frozen=True)
class StreetRow:
    """One row of a street-level file, with the line it was read from."""

    line: int
    crime_id: str | None
    month: date
    reported_by: str
    falls_within: str
    longitude: float | None
    latitude: float | None
    location: str
    lsoa_code: str | None
    lsoa_name: str | None
    crime_type: str
    last_outcome: str | None
    context: str | None

    @property
    def is_asb(self) -> bool:
        return self.crime_type == ASB_CRIME_TYPE


def read_street_file(path: Path) -> list[StreetRow]:
    """Read a whole file, or raise :class:`InvalidFile` listing every bad line."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise InvalidFile(path, [Problem(line, f"is not UTF-8 text (byte {raw[error.start]:#04x} "
                                               f"at offset {error.start})")]) from error
    if not text.strip():
        raise InvalidFile(path, [Problem(1, "the file is empty; expected a header line")])

    problems: list[Problem] = []
    rows: list[StreetRow] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as error:
        raise InvalidFile(path, [Problem(1, f"unreadable header: {error}")]) from error
    if tuple(h.strip() for h in header) != HEADER:
        raise InvalidFile(path, [Problem(1, _header_problem(header))])

    line = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(Problem(reader.line_num, f"unreadable CSV ({error}); "
                                                      "is the line cut short?"))
            break
        start_line = line + 1
        line = reader.line_num
        if not fields:
            continue
        row = _parse_row(start_line, fields, problems)
        if row is not None:
            rows.append(row)
    if problems:
        raise InvalidFile(path, problems)
    return rows


def _header_problem(header: list[str]) -> str:
    found = [h.strip() for h in header]
    missing = [h for h in HEADER if h not in found]
    unexpected = [h for h in found if h not in HEADER]
    parts = ["the header is not a data.police.uk street-level header"]
    if missing:
        parts.append(f"missing: {', '.join(missing)}")
    if unexpected:
        parts.append(f"unexpected: {', '.join(unexpected)}")
    if not missing and not unexpected:
        parts.append(f"columns out of order; expected {', '.join(HEADER)}")
    return "; ".join(parts)


def _parse_row(line: int, fields: list[str], problems: list[Problem]) -> StreetRow | None:
    if len(fields) != len(HEADER):
        problems.append(Problem(line, f"expected {len(HEADER)} fields, found {len(fields)}"
                                      + (" (the line is cut short)" if len(fields) < len(HEADER)
                                         else "")))
        return None
    (crime_id, month_text, reported_by, falls_within, lon_text, lat_text, location, lsoa_code,
     lsoa_name, crime_type, outcome, context) = (f.strip() for f in fields)
    before = len(problems)
    month_match = _MONTH.match(month_text)
    month = None
    if not month_match or not 1 <= int(month_match.group(2)) <= 12:
        problems.append(Problem(line, f"Month {month_text!r} is not YYYY-MM"))
    else:
        month = date(int(month_match.group(1)), int(month_match.group(2)), 1)
    longitude = _coordinate(line, "Longitude", lon_text, UK_LONGITUDE, problems)
    latitude = _coordinate(line, "Latitude", lat_text, UK_LATITUDE, problems)
    if (longitude is None) != (latitude is None) and len(problems) == before:
        problems.append(Problem(line, "Longitude and Latitude must both be given or both empty"))
    if not crime_type:
        problems.append(Problem(line, "Crime type is empty"))
    if len(problems) > before or month is None:
        return None
    return StreetRow(
        line=line, crime_id=crime_id or None, month=month, reported_by=reported_by,
        falls_within=falls_within, longitude=longitude, latitude=latitude, location=location,
        lsoa_code=lsoa_code or None, lsoa_name=lsoa_name or None, crime_type=crime_type,
        last_outcome=outcome or None, context=context or None,
    )


def _coordinate(line: int, name: str, text: str, bounds: tuple[float, float],
                problems: list[Problem]) -> float | None:
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        problems.append(Problem(line, f"{name} {text!r} is not a number"))
        return None
    low, high = bounds
    if not math.isfinite(value) or not low <= value <= high:
        problems.append(Problem(line, f"{name} {text} is outside the United Kingdom "
                                      f"({low} to {high})"))
        return None
    return value
