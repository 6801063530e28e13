"""Small data.police.uk street-level files for tests, written the way the real ones are."""

from __future__ import annotations

from pathlib import Path

HEADER_LINE = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
               "LSOA name,Crime type,Last outcome category,Context")


def asb_line(*, month: str = "2021-06", lon: str = "-1.133170", lat: str = "52.636350",
             location: str = "On or near Granby Street", lsoa: str = "E01013648",
             lsoa_name: str = "Leicester 038B") -> str:
    return (f",{month},Leicestershire Police,Leicestershire Police,{lon},{lat},{location},"
            f"{lsoa},{lsoa_name},Anti-social behaviour,,")


def crime_line(*, month: str = "2021-06", crime_id: str = "abc123") -> str:
    return (f"{crime_id},{month},Leicestershire Police,Leicestershire Police,-1.135,52.634,"
            "On or near Market Place,E01013648,Leicester 038B,Shoplifting,"
            "Investigation complete; no suspect identified,")


def write_street_file(directory: Path, name: str, lines: list[str], *,
                      header: str = HEADER_LINE) -> Path:
    path = directory / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path
