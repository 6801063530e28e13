"""Where each identification flag comes from: the agency and system that hold the reports or
markers behind a repeat or vulnerable banner, and which ones they are.

A handler told "repeat victim" must be able to say why, and a supervisor reviewing the call
must see which system said so. Everything here is drawn from the identification itself, so it
shows only what the user may see (the look-up already left out what they may not).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from vigil.identify.rules import IdentificationRules
from vigil.services.identification import Identification, MarkerSummary, ReportSummary

FLAG_NAMES = ("repeat_caller", "repeat_victim", "repeat_location", "vulnerable")


@dataclass(frozen=True)
class FlagSource:
    """One piece of evidence for a flag: what it is and who holds it."""

    what: str
    held_by: str


def _in_window(report: ReportSummary, start: str) -> bool:
    """Whether the report falls on or after ``start`` (a month-only report: in its month)."""
    day = report.when[:10]  # "YYYY-MM-DD", or "YYYY-MM" for open data
    return day >= start[:len(day)]


def _report(report: ReportSummary, holders: dict[str, str]) -> FlagSource:
    role = f", as {report.role}" if report.role else ""
    return FlagSource(what=f"{report.reference} ({report.when}): "
                           f"{report.detailed_type_label}{role}",
                      held_by=holders.get(report.source_name, report.source_name))


def flag_sources(result: Identification, rules: IdentificationRules | None = None
                 ) -> dict[str, list[FlagSource]]:
    """For each raised flag, the reports or markers behind it with the system and agency
    holding each (the latest reports in the look-back window; every vulnerability marker)."""
    rules = rules or IdentificationRules()
    flags = result.flags
    raised = [n for n in FLAG_NAMES if getattr(flags, n)]
    if not raised:
        return {}
    holders = result.source_holders
    start = (result.as_of - timedelta(days=rules.look_back_days)).strftime("%Y-%m-%d")
    evidence: dict[str, list[FlagSource]] = {}
    reports = [_report(r, holders) for p in result.people for r in p.history.latest
               if _in_window(r, start) and {"caller", "victim"} & set(r.role.split(", "))]
    if not reports:  # the latest few are not the caller's own: say which systems count them
        reports = [FlagSource(what=f"{c.last_12_months} report(s) in 12 months",
                              held_by=holders.get(name, name))
                   for p in result.people for name, c in p.history.by_source
                   if c.last_12_months]
    for name in ("repeat_caller", "repeat_victim"):
        if getattr(flags, name):
            evidence[name] = reports
    if flags.repeat_location and result.location is not None:
        evidence["repeat_location"] = [_report(r, holders) for r in result.location.latest
                                       if _in_window(r, start)] or [
            FlagSource(what=f"{c.last_12_months} report(s) at this address in 12 months",
                       held_by=holders.get(name, name))
            for name, c in result.location.by_source if c.last_12_months]
    if flags.vulnerable:
        evidence["vulnerable"] = _markers(result, rules, holders)
    return evidence


def _markers(result: Identification, rules: IdentificationRules,
             holders: dict[str, str]) -> list[FlagSource]:
    """One line per kind of marker and system: the latest with its note, and how many
    earlier (every recorded call adds its own markers, so they repeat)."""
    kinds = set(rules.vulnerable_marker_kinds)
    latest: dict[tuple[str, str], tuple[MarkerSummary, int]] = {}
    for person in result.people:
        for marker in person.markers:
            if marker.kind not in kinds:
                continue
            key = (marker.label, marker.source_name)
            kept, count = latest.get(key, (marker, 0))
            if marker.recorded_at > kept.recorded_at:
                kept = marker
            latest[key] = (kept, count + 1)
    lines = []
    for (label, source), (marker, count) in latest.items():
        earlier = f", and {count - 1} earlier" if count > 1 else ""
        lines.append(FlagSource(
            what=f"{label}{': ' + marker.note if marker.note else ''} "
                 f"(recorded {marker.recorded_at:%Y-%m-%d}{earlier})",
            held_by=holders.get(source, source)))
    return lines
