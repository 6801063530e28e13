"""The analyst's use cases: check the permission, read the study area's incidents through the
actor-restricted store, and hand them to :mod:`vigil.analysis.reports`.

An analysis request names a period (``YYYY-MM`` months, inclusive; by default the last twelve
months of data), an area and a category. Areas are written:

- ``force`` (the default): the LSOAs of the force (every LSOA held when none is marked with
  the force's name; open-data points just over the boundary are then left out);
- ``la:CODE``: the LSOAs of a local authority (``E06000016``; the name also works);
- ``neighbourhood:CODE[,CODE…]``: the LSOAs of those neighbourhoods;
- ``lsoa:CODE[,CODE…]``: those LSOAs.

Every problem with the request is reported at once, by field (``InvalidQuery``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from vigil.analysis.frame import Area
from vigil.analysis.load import count_incidents, load_areas, load_frame
from vigil.analysis.reports import Study
from vigil.analysis.trends import month_date, month_number
from vigil.domain.access import Permission
from vigil.domain.incidents import Category
from vigil.services.incidents import NOT_RECORDED, InvalidQuery, parse_month, require
from vigil.store import repositories as repo
from vigil.store.uow import UnitOfWork

DEFAULT_MONTHS = 12
MAX_MONTHS = 120
AREA_KINDS = ("force", "la", "neighbourhood", "lsoa")


@dataclass(frozen=True)
class AnalysisRequest:
    """The raw values of an analysis form or command line."""

    month_from: str | None = None
    month_to: str | None = None
    area: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class StudyArea:
    label: str
    lsoas: tuple[str, ...]
    restrict: bool
    """Whether incidents must be in these LSOAs (False for the whole force)."""


def force_area(areas: dict[str, Area], force_name: str) -> StudyArea:
    """The force's LSOAs; every LSOA (and incidents anywhere) when none names the force."""
    inside = tuple(sorted(c for c, a in areas.items() if a.police_force == force_name))
    if inside:
        return StudyArea(force_name, inside, restrict=True)
    return StudyArea("Whole area held", tuple(sorted(areas)), restrict=False)


def _resolve_area(text: str, areas: dict[str, Area], problems: dict[str, str], *,
                  force_name: str) -> StudyArea:
    text = text.strip()
    if not text or text.lower() == "force":
        return force_area(areas, force_name)
    kind, _, value = text.partition(":")
    kind = kind.strip().lower()
    codes = [c.strip() for c in value.split(",") if c.strip()]
    if kind not in AREA_KINDS[1:] or not codes:
        problems["area"] = ("write force, la:CODE, neighbourhood:CODE[,CODE…] or "
                            "lsoa:CODE[,CODE…]")
        return StudyArea("", (), restrict=True)
    if kind == "lsoa":
        unknown = [c for c in codes if c not in areas]
        chosen = [c for c in codes if c in areas]
        label = f"LSOA {', '.join(codes)}" if len(codes) < 4 else f"{len(codes)} LSOAs"
    elif kind == "la":
        wanted = {c.lower() for c in codes}
        chosen = [a.code for a in areas.values()
                  if a.local_authority.lower() in wanted
                  or a.local_authority_name.lower() in wanted]
        found = {a.local_authority.lower() for a in areas.values() if a.code in chosen} | {
            a.local_authority_name.lower() for a in areas.values() if a.code in chosen}
        unknown = [c for c in codes if c.lower() not in found]
        names = sorted({areas[c].local_authority_name for c in chosen})
        label = ", ".join(names) or text
    else:
        chosen = [a.code for a in areas.values() if a.neighbourhood in codes]
        found = {areas[c].neighbourhood for c in chosen}
        unknown = [c for c in codes if c not in found]
        names = sorted({areas[c].neighbourhood_name for c in chosen})
        label = ", ".join(names) or text
    if unknown:
        problems["area"] = f"unknown {kind} code(s): {', '.join(unknown)}"
    return StudyArea(label, tuple(sorted(chosen)), restrict=True)


def _period(request: AnalysisRequest, latest: date | None,
            problems: dict[str, str]) -> tuple[date, date]:
    start = parse_month(request.month_from, "from", problems)
    end = parse_month(request.month_to, "to", problems)
    end = end or latest or date.today().replace(day=1)
    start = start or month_date(month_number(end) - DEFAULT_MONTHS + 1)
    if start > end:
        problems["to"] = "must be the same as or after the month from"
    elif month_number(end) - month_number(start) >= MAX_MONTHS:
        problems["from"] = f"the period is at most {MAX_MONTHS} months"
    return start, end


def _category(value: str | None, problems: dict[str, str]) -> tuple[str | None, str]:
    value = (value or "").strip() or None
    if value is None:
        return None, "all categories"
    if value not in {c.value for c in Category} | {NOT_RECORDED}:
        problems["category"] = f"{value!r} is not a category"
        return None, ""
    return value, "category not recorded" if value == NOT_RECORDED else value


def load_study(uow: UnitOfWork, request: AnalysisRequest, *, force_name: str) -> Study:
    """The incidents the user may see for ``request``; raises ``InvalidQuery`` listing every
    problem with the period, area and category at once."""
    require(uow, Permission.VIEW_INCIDENTS)
    with uow:
        problems: dict[str, str] = {}
        areas = load_areas(uow.session)
        start, end = _period(request, repo.latest_incident_month(uow.session, uow.actor),
                             problems)
        area = _resolve_area(request.area or "", areas, problems, force_name=force_name)
        category, category_label = _category(request.category, problems)
        if problems:
            raise InvalidQuery(problems)
        frame = load_frame(uow.session, uow.actor, period_first=start, period_last=end,
                           lsoa_codes=area.lsoas if area.restrict else None,
                           category=category, areas=areas)
        force = force_area(areas, force_name)
        force_incidents = count_incidents(
            uow.session, uow.actor, month_from=start, month_to=end,
            lsoa_codes=force.lsoas if force.restrict else None, category=category)
        uow.audit.record(action="analyse", object_type="incidents", reason="analysis",
                         detail={"from": f"{start:%Y-%m}", "to": f"{end:%Y-%m}",
                                 "area": request.area or "force",
                                 "category": category or "all",
                                 "incidents": len(frame), "people": len(frame.people.person)})
        uow.commit()
        return Study(area_label=area.label, lsoas=area.lsoas, category_label=category_label,
                     frame=frame, force_incidents=force_incidents,
                     force_population=sum(areas[c].population for c in force.lsoas))
