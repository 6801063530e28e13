"""Identify a caller at the point of report: who they are in every connected source, their ASB
history, their vulnerability markers, and the repeat and vulnerable flags.

``identify`` is read-only apart from its audit record; ``record_match_feedback`` stores a
handler's answer about a possible match (a rejected pair never links again, a confirmed one
always does).
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vigil.domain.access import Actor, NotFound, Permission, PermissionDenied
from vigil.domain.incidents import Category, DetailedType
from vigil.domain.people import VulnerabilityKind
from vigil.domain.problems import FieldProblems
from vigil.domain.risk import RiskLevel
from vigil.identify.compiled import compiled
from vigil.identify.features import Features, PersonDetails, features_of
from vigil.identify.lookup import Candidate, find_candidates
from vigil.identify.model import Model, load_model
from vigil.identify.normalise import full_date, lenient_date_of_birth
from vigil.identify.rules import IdentificationRules
from vigil.identify.score import FieldAgreement, probability_of
from vigil.services.identification_reads import (
    ADDRESS,
    CALLER_ADDRESS_SQL,
    HOLDER,
    LATEST,
    MARKER,
    PEOPLE,
    HistoryRow,
    ShownRecord,
    caller_address_params,
    caller_addresses,
    history_rows,
    instant,
    month,
    one_line,
)
from vigil.store.identify_tables import MatchFeedback
from vigil.store.models import Incident, PersonRecord
from vigil.store.repositories import record_scope
from vigil.store.together import Together
from vigil.store.uow import UnitOfWork

SAME, DIFFERENT = "same", "different"
REPORTING_ROLES = ("caller", "victim")
NOT_ASSESSED = "Not assessed"
# Risk levels from the most to the least serious, then incidents without an assessment.
RISK_ORDER = {RiskLevel.HIGH.label: 0, RiskLevel.MEDIUM.label: 1, RiskLevel.STANDARD.label: 2,
              NOT_ASSESSED: 3}


class InvalidCaller(FieldProblems):
    """The look-up cannot run; ``problems`` maps each field to what is wrong."""


@dataclass(frozen=True)
class CallerDetails:
    """What the handler has typed so far. Any field may be empty."""

    given_name: str | None = None
    family_name: str | None = None
    date_of_birth: str | None = None
    phones: tuple[str, ...] = ()
    email: str | None = None
    address: str | None = None
    postcode: str | None = None
    uprn: str | None = None

    def as_details(self) -> PersonDetails:
        return PersonDetails(given_name=self.given_name, family_name=self.family_name,
                             date_of_birth=self.date_of_birth, phones=self.phones,
                             email=self.email, address=self.address, postcode=self.postcode,
                             uprn=self.uprn)


@dataclass(frozen=True)
class Counts:
    last_30_days: int = 0
    last_12_months: int = 0
    ever: int = 0


@dataclass(frozen=True)
class ReportSummary:
    reference: str
    when: str
    category_label: str
    detailed_type_label: str
    source_name: str
    role: str
    location_text: str


@dataclass(frozen=True)
class History:
    """ASB reports, counted by window, source, category and risk level (the level the call's
    risk assessment gave; "Not assessed" for incidents without one), with the latest few."""

    counts: Counts
    as_caller_or_victim: Counts
    by_source: list[tuple[str, Counts]]
    by_category: list[tuple[str, Counts]]
    latest: list[ReportSummary]
    by_risk_level: list[tuple[str, Counts]] = field(default_factory=list)


@dataclass(frozen=True)
class MarkerSummary:
    kind: str
    label: str
    note: str
    source_name: str
    recorded_at: datetime


@dataclass(frozen=True)
class MatchedRecord:
    record_id: int
    source_code: str
    source_name: str
    name: str
    date_of_birth: str | None
    address: str | None
    postcode: str | None
    match_probability: float
    match_weight: float
    reasons: list[FieldAgreement]
    feedback: str | None


@dataclass(frozen=True)
class MatchedPerson:
    """One person the caller may be: their records in every source, history and markers."""

    status: str  # "match" or "possible"
    match_probability: float
    records: list[MatchedRecord]
    address: str | None
    history: History
    markers: list[MarkerSummary]
    note: str = ""


@dataclass(frozen=True)
class Flags:
    repeat_caller: bool = False
    repeat_victim: bool = False
    repeat_location: bool = False
    vulnerable: bool = False
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Identification:
    subject: str
    as_of: datetime
    people: list[MatchedPerson]
    possible: list[MatchedPerson]
    location: History | None
    location_address: str | None
    flags: Flags
    candidates_compared: int
    elapsed_ms: float
    # When a flag is raised: each source's name with the agency that keeps it, for saying
    # where the flag comes from (read in the same transaction, so no second look-up is needed).
    source_holders: dict[str, str] = field(default_factory=dict)


@cache
def _model_at(path: Path | None) -> Model:
    return load_model(path)


_RULES: dict[tuple[Any, ...], IdentificationRules] = {}
_RULE_VARIABLES = tuple(f"VIGIL_IDENTIFY_{name.upper()}"
                        for name in IdentificationRules.model_fields)


def default_rules() -> IdentificationRules:
    """The configured rules, read once per configuration: building the settings reads the
    environment and ``.env``, which costs more than a whole lookup's scoring."""
    try:
        env_file = os.stat(".env").st_mtime_ns
    except OSError:
        env_file = None
    key = (env_file, tuple(os.environ.get(name) for name in _RULE_VARIABLES))
    rules = _RULES.get(key)
    if rules is None:
        if len(_RULES) > 16:
            _RULES.clear()
        rules = _RULES[key] = IdentificationRules()
    return rules


def prepare_for_lookups(rules: IdentificationRules | None = None) -> None:
    """Get a long-running process ready to identify callers: load and compile the model now
    rather than in the first call, then move everything alive so far out of the garbage
    collector's way (``gc.freeze``). A full collection otherwise walks those objects about
    once every few thousand look-ups, stopping that look-up for tens of milliseconds; frozen,
    a look-up's collections walk only what it made."""
    rules = rules or default_rules()
    compiled(_model_at(rules.model_path))
    gc.collect()
    gc.freeze()


def subject_of(features: Features) -> str:
    """A caller's details as a feedback subject: the digest of what identifies them."""
    core = {k: features[k] for k in ("given", "family", "dob", "dob_year", "phones", "email",
                                     "postcode", "addr_key", "uprn")}
    digest = hashlib.sha256(json.dumps(core, sort_keys=True).encode()).hexdigest()[:32]
    return f"details:{digest}"


def _visible_records(session: Session, actor: Actor, ids: Sequence[int], *,
                     known_to_exist: bool = False) -> set[int]:
    """The records of ``ids`` the actor may see. Ids from the blocking index or feedback
    (``known_to_exist``: their rows cascade away with the record) need no query for police."""
    if actor.is_police and known_to_exist:
        return set(ids)
    return set(session.scalars(
        select(PersonRecord.id).where(PersonRecord.id.in_(ids), record_scope(actor))))


_LATEST_MONTH = select(func.max(Incident.occurred_month))


def reference_time(session: Session, now: datetime | None = None) -> datetime:
    """"Now" for the look-back windows: the present, or the end of the latest month with an
    incident when the data stops earlier (a historic demo still shows its repeats)."""
    return _window_end(session.connection().scalar(_LATEST_MONTH), now)


def _window_end(latest: date | None, now: datetime | None = None) -> datetime:
    now = now or datetime.now(UTC)
    if latest is None:
        return now
    month_end = (latest.replace(day=28) + timedelta(days=4)).replace(day=1)
    end = datetime(month_end.year, month_end.month, 1, tzinfo=UTC)
    return min(now, end)


def identify(uow: UnitOfWork, *, caller: CallerDetails, reason: str,
             rules: IdentificationRules | None = None, model: Model | None = None,
             as_of: datetime | None = None) -> Identification:
    """Find the caller in every source the user may see, with history, markers and flags.

    Needs the ``view_people`` permission and a reason (both audited with every look-up).
    Partner users never see police-only records or incidents.
    """
    started = time.perf_counter()
    if not uow.actor.can(Permission.VIEW_PEOPLE):
        raise PermissionDenied("identifying callers needs the view_people permission")
    problems: dict[str, str] = {}
    if not reason.strip():
        problems["reason"] = "say why you are looking this person up"
    features = features_of(caller.as_details())
    if not any(features[k] for k in ("given", "family", "phones", "email", "uprn",
                                     "postcode", "addr_key")):
        problems["caller"] = "give at least a name, phone, e-mail, postcode or address"
    if problems:
        raise InvalidCaller(problems)
    rules = rules or default_rules()
    model = model or _model_at(rules.model_path)
    subject = subject_of(features)
    with uow:
        session, actor = uow.session, uow.actor
        # One statement: blocked records, the records confirmed for these details, their
        # features, what is shown of them and any answer a handler gave about them; sent
        # with the statement finding the caller's stored address (one round trip on
        # PostgreSQL, which plans the rest of the look-up's statements once).
        together = Together(session, plan_once=True)
        where = caller_address_params(uprn=features["uprn"], postcode=features["postcode"],
                                      addr_key=features["addr_key"])
        address_rows = together.add(CALLER_ADDRESS_SQL, where) if where else None
        candidates = find_candidates(
            session, features, model=model, subject=subject,
            keep_above=rules.possible_probability, together=together,
            visible=lambda ids: _visible_records(session, actor, ids, known_to_exist=True))
        feedback = {c.record_id: c.feedback for c in candidates if c.feedback}
        confirmed = {r for r, v in feedback.items() if v == SAME}
        kept = [c for c in candidates if feedback.get(c.record_id) != DIFFERENT and (
            c.record_id in confirmed
            or c.score.match_probability >= rules.possible_probability)]
        ambiguous = _ambiguous(model, kept, candidates, confirmed=confirmed, rules=rules)
        compatible = _Compatible(model)
        sure, unsure = _vouched(_people(
            compatible, [c for c in kept if c.record_id not in ambiguous],
            confirmed=confirmed), confirmed=confirmed, rules=rules)
        groups = [(group, False) for group in sure + _people(compatible, unsure,
                                                             confirmed=confirmed)]
        groups += [(group, True) for group in _people(
            compatible, [c for c in kept if c.record_id in ambiguous], confirmed=confirmed)]
        addresses = (caller_addresses(address_rows.rows, features["addr_key"])
                     if address_rows else [])
        # One statement: every matched record's incidents and markers, the address's, the
        # latest month with data (where the windows end) and who holds each source; sent with
        # the one reading what is shown of the matched records.
        rows, shown = history_rows(session, actor, record_ids=[c.record_id for c in kept],
                                   address_ids=[a.id for a in addresses])
        now = as_of or _window_end(month(next(r.occurred_month for r in rows
                                              if r.part == LATEST)))
        by_record: dict[int | None, list[HistoryRow]] = defaultdict(list)
        for row in rows:
            if row.part == PEOPLE or row.part == MARKER:
                by_record[row.record_id].append(row)
        people = [_person(group, shown=shown, rows=by_record, rules=rules, now=now,
                          confirmed=confirmed, ambiguous=is_ambiguous)
                  for group, is_ambiguous in groups
                  if any(c.record_id in shown for c in group)]  # none deleted since
        if features["dob_year"] is None:
            people = _two_people_of_one_name(people)
        people.sort(key=lambda p: -p.match_probability)
        matched = [p for p in people if p.status == "match"]
        location_address, location = None, None
        if addresses:
            location_address = one_line(addresses[0])
            location = _summarise([r for r in rows if r.part == ADDRESS], now=now, rules=rules)
        flags = _flags(matched, location, rules)
        holders = (_holders([r for r in rows if r.part == HOLDER])
                   if flags.repeat_caller or flags.repeat_victim or flags.repeat_location
                   or flags.vulnerable else {})
        uow.commit_read(
            action="identify", object_type="caller", object_id=subject, reason=reason.strip(),
            detail={"matched_records": sorted(r.record_id for p in matched for r in p.records),
                    "possible_records": sorted(r.record_id for p in people
                                               if p.status != "match" for r in p.records),
                    "candidates": len(candidates),
                    "flags": [n for n in ("repeat_caller", "repeat_victim",
                                          "repeat_location", "vulnerable")
                              if getattr(flags, n)]})  # a read: its audit entry is the only write
    return Identification(
        subject=subject, as_of=now, people=matched,
        possible=[p for p in people if p.status != "match"], location=location,
        location_address=location_address, flags=flags, candidates_compared=len(candidates),
        elapsed_ms=(time.perf_counter() - started) * 1000, source_holders=holders)


def _holders(rows: list[Any]) -> dict[str, str]:
    """Each source's name, with the agency that keeps it ("open data" for none), from the
    ``h`` rows of :func:`history_rows`."""
    return {r.source_name: f"{r.source_name}, {r.location_text}" if r.location_text
            else f"{r.source_name} (open data)" for r in rows}


class _Compatible:
    """Whether two candidate records may be one person (no guard vetoes the pair), for one
    look-up: records alike in every guarded column are one kind, numbered, and each pair of
    kinds is checked once across the look-up's calls of :func:`_people` (the second call
    splits records the first one already compared)."""

    def __init__(self, model: Model) -> None:
        scorer = compiled(model)
        self._columns, self._vetoed = scorer.guard_columns, scorer.vetoed
        self._kind_of: dict[int, int] = {}  # by id() of a features object
        self._kinds: dict[tuple[Any, ...], int] = {}
        self._features: list[Features] = []
        self._verdicts: dict[tuple[int, int], bool] = {}

    def kind(self, features: Features) -> int:
        # Candidates whose stored features are the same share one features object.
        found = self._kind_of.get(id(features))
        if found is None:
            signature = tuple(tuple(v) if isinstance(v, list) else v
                              for v in (features[k] for k in self._columns))
            found = self._kinds.get(signature)
            if found is None:
                found = self._kinds[signature] = len(self._features)
                self._features.append(features)
            self._kind_of[id(features)] = found
        return found

    def __call__(self, a: int, b: int) -> bool:
        if a == b:
            return True
        pair = (a, b) if a < b else (b, a)
        verdict = self._verdicts.get(pair)
        if verdict is None:
            verdict = self._verdicts[pair] = not self._vetoed(self._features[a],
                                                              self._features[b])
        return verdict


def _people(compatible: _Compatible, kept: list[Candidate], *, confirmed: set[int]
            ) -> list[list[Candidate]]:
    """Split the caller's candidate records into people, best first: a record joins the first
    group none of whose records it contradicts (so a father and son of one name, when the
    caller gave no date of birth, come back as two people, never one)."""
    groups: list[tuple[list[Candidate], set[int]]] = []
    for candidate in sorted(kept, key=lambda c: (-c.score.match_weight, c.record_id)):
        kind = compatible.kind(candidate.features)
        for members, kinds in groups:
            if all(compatible(kind, other) for other in kinds) or (
                    candidate.record_id in confirmed
                    and all(m.record_id in confirmed for m in members)):
                members.append(candidate)
                kinds.add(kind)
                break
        else:
            groups.append(([candidate], {kind}))
    return [members for members, _ in groups]


def _vouched(groups: list[list[Candidate]], *, confirmed: set[int],
             rules: IdentificationRules) -> tuple[list[list[Candidate]], list[Candidate]]:
    """Keep in a matched person only the records that match the caller (or a handler
    confirmed): a record the caller resembles only faintly (a namesake in the same street
    with nothing else in common) must not add its reports to the caller's history just
    because nothing vetoes it. The others are returned apart, to be shown as possible
    matches. (Letting in also the records that match a matching record found a few more true
    pairs and twice as many wrong ones: bench/identify_demo.py --answer service.)"""
    sure: list[list[Candidate]] = []
    unsure: list[Candidate] = []
    for group in groups:
        strong = [c for c in group if c.record_id in confirmed
                  or c.score.match_probability >= rules.match_probability]
        if not strong:
            sure.append(group)  # a possible person as a whole: shown as such
            continue
        sure.append(strong)
        ids = {c.record_id for c in strong}
        unsure += [c for c in group if c.record_id not in ids]
    return sure, unsure


def _ambiguous(model: Model, kept: list[Candidate], candidates: list[Candidate], *,
               confirmed: set[int], rules: IdentificationRules) -> set[int]:
    """Kept records that lack a given name or a date of birth and match, just as well, a record
    that is surely not the caller: a father's record without a date of birth may be his son's.
    Such a record is only a possible match, for the handler to confirm."""
    # The records surely not the caller, each distinct stored features once (candidates with
    # the same stored features share one features object).
    others = list({id(c.features): c.features
                   for c in [c for c in candidates if c.score.vetoed][:100]}.values())
    found: set[int] = set()
    if not others:
        return found
    score = compiled(model).score_or_bound
    verdicts: dict[int, bool] = {}  # by the kept record's features object

    def alike(f: Features, g: Features) -> bool:
        # One pass: a pair a guard vetoes stops at the guarded comparisons when even its
        # best could not be a match.
        _levels, weight, vetoed, _whole = score(f, g, rules.match_probability)
        return not vetoed and probability_of(weight) >= rules.match_probability

    for candidate in kept:
        f = candidate.features
        if candidate.record_id in confirmed or (f["given"] and f["dob_year"]):
            continue
        if id(f) not in verdicts:
            verdicts[id(f)] = any(alike(f, g) for g in others)
        if verdicts[id(f)]:
            found.add(candidate.record_id)
    return found


def _person(group: list[Candidate], *, shown: dict[int, ShownRecord],
            rows: dict[int | None, list[HistoryRow]], rules: IdentificationRules, now: datetime,
            confirmed: set[int], ambiguous: bool = False) -> MatchedPerson:
    matched: list[MatchedRecord] = []
    for c in group:
        row = shown.get(c.record_id)
        if row is None:
            continue  # deleted since it was found
        probability = 1.0 if c.record_id in confirmed else c.score.match_probability
        matched.append(MatchedRecord(
            record_id=c.record_id, source_code=row.source_code, source_name=row.source_name,
            name=" ".join(p for p in (row.given_name, row.family_name) if p) or "(no name)",
            date_of_birth=row.date_of_birth, address=row.address_text, postcode=row.postcode,
            match_probability=probability, match_weight=c.score.match_weight,
            reasons=list(c.score.fields), feedback=c.feedback))
    best = max(r.match_probability for r in matched)
    ids = {r.record_id for r in matched}
    address = next((r.address for r in sorted(matched, key=lambda r: -r.match_probability)
                    if r.address), None)
    mine = [r for record_id in ids for r in rows.get(record_id, ())]
    return MatchedPerson(
        status="match" if best >= rules.match_probability and not ambiguous else "possible",
        match_probability=best, records=matched, address=address,
        note=("These records have no date of birth or given name, and match someone else in "
              "the same household as well: ask the caller." if ambiguous else ""),
        history=_summarise([r for r in mine if r.part != MARKER], now=now, rules=rules),
        markers=_markers([r for r in mine if r.part == MARKER]))


TWO_PEOPLE_NOTE = ("Two people of this name match (born on different dates, e.g. a father and "
                   "son at one address): ask the caller's date of birth.")


def _established_birthday(person: MatchedPerson) -> str | None:
    """The full date of birth at least two of the person's records agree on, if any."""
    days = Counter(day for r in person.records if r.date_of_birth
                   and (day := full_date(lenient_date_of_birth(r.date_of_birth))))
    day, count = next(iter(days.most_common(1)), (None, 0))
    return day if count >= 2 else None


def _two_people_of_one_name(people: list[MatchedPerson]) -> list[MatchedPerson]:
    """A caller who gave no date of birth, matching two people whose records each agree on a
    different birthday (a father and son of one name at one address), is one of them, but
    which is the caller's to say: both become possible matches, so neither's reports count
    towards a flag. People split for another reason (one record typed with a wrong year) stay
    as they are. A person whose records a handler confirmed for these details stays the
    match, and the others are the possible ones."""
    matches = [p for p in people if p.status == "match"]
    born = {id(p): _established_birthday(p) for p in matches}
    if len({day for day in born.values() if day}) < 2:
        return people
    confirmed = {id(p) for p in matches if any(r.feedback == SAME for r in p.records)}
    return [replace(p, status="possible", note=p.note or TWO_PEOPLE_NOTE)
            if born.get(id(p)) and id(p) not in confirmed else p for p in people]


def _when(incident: Any) -> datetime:
    """When an incident happened, in UTC without a zone: its exact time, or the first of its
    month."""
    at = instant(incident.occurred_at)
    if at is not None:
        return at
    first = month(incident.occurred_month)
    assert first is not None  # every incident has its month
    return datetime(first.year, first.month, 1)


class _Windows:
    """Where the look-back windows start and end: the last 30 days (``recent``) and the last
    12 months (``year``) up to ``now``, in UTC without a zone."""

    def __init__(self, now: datetime, rules: IdentificationRules) -> None:
        self.now = now.astimezone(UTC).replace(tzinfo=None) if now.tzinfo else now
        self.recent = self.now - timedelta(days=rules.recent_days)
        self.year = self.now - timedelta(days=rules.look_back_days)


_RISK_LABELS = {level.value: level.label for level in RiskLevel}
_CATEGORY_LABELS = {category.value: category.label for category in Category}


def _risk_label(level: str | None) -> str:
    if not level:
        return NOT_ASSESSED
    return _RISK_LABELS.get(level) or str(level).capitalize()


def _category_label(category: str | None) -> str:
    if not category:
        return "Not recorded"
    return _CATEGORY_LABELS.get(category) or Category(category).label


def _summarise(rows: list[Any], *, now: datetime, rules: IdentificationRules) -> History:
    """Counts and latest reports from incident rows of :func:`history_rows` (an incident may
    come once per role or record: it counts once). One pass over the incidents: each one's
    windows worked out once and added to its source's, category's and level's counts."""
    incidents: dict[int, Any] = {}
    roles: dict[int, set[str]] = {}
    for row in rows:
        incidents[row.incident_id] = row
        if row.role:
            found = roles.get(row.incident_id)
            if found is None:
                roles[row.incident_id] = {row.role}
            else:
                found.add(row.role)
    windows = _Windows(now, rules)
    end, recent, year = windows.now, windows.recent, windows.year
    total, reporting = [0, 0, 0], [0, 0, 0]
    by_source: dict[str, list[int]] = {}
    by_category: dict[str, list[int]] = {}
    by_level: dict[str, list[int]] = {}
    dated: list[tuple[datetime, int]] = []
    no_roles: set[str] = set()
    for key, r in incidents.items():
        t = _when(r)
        if t > end:
            a = b = c = 0
        else:
            a, b, c = int(t >= recent), int(t >= year), 1
            dated.append((t, key))
        for table, name in ((by_source, r.source_name),
                            (by_category, _category_label(r.category)),
                            (by_level, _risk_label(r.risk_level))):
            counts = table.get(name)
            if counts is None:
                table[name] = [a, b, c]
            else:
                counts[0] += a
                counts[1] += b
                counts[2] += c
        total[0] += a
        total[1] += b
        total[2] += c
        if not roles.get(key, no_roles).isdisjoint(REPORTING_ROLES):
            reporting[0] += a
            reporting[1] += b
            reporting[2] += c
    dated.sort(key=lambda pair: pair[0], reverse=True)
    return History(
        counts=Counts(*total), as_caller_or_victim=Counts(*reporting),
        by_source=sorted(((k, Counts(*v)) for k, v in by_source.items()),
                         key=lambda kv: -kv[1].ever),
        by_category=sorted(((k, Counts(*v)) for k, v in by_category.items()),
                           key=lambda kv: -kv[1].ever),
        by_risk_level=sorted(((k, Counts(*v)) for k, v in by_level.items()),
                             key=lambda kv: (RISK_ORDER.get(kv[0], 4), kv[0])),
        latest=[_report(incidents[key], roles.get(key, no_roles))
                for _, key in dated[:rules.latest_reports]])


def _report(row: Any, roles: set[str]) -> ReportSummary:
    return ReportSummary(
        reference=row.reference,
        when=_report_time(row),
        category_label=_category_label(row.category),
        detailed_type_label=_type_label(row.detailed_type), source_name=row.source_name,
        role=", ".join(sorted(roles)), location_text=row.location_text)


def _report_time(row: Any) -> str:
    """When a report happened as shown: the minute, or the month when no time is known."""
    at = instant(row.occurred_at)
    if at is not None:
        return at.strftime("%Y-%m-%d %H:%M")
    first = month(row.occurred_month)
    return first.strftime("%Y-%m") if first else ""


def _type_label(value: str) -> str:
    try:
        return DetailedType(value).label
    except ValueError:
        return value.replace("_", " ").capitalize()


def _markers(rows: list[Any]) -> list[MarkerSummary]:
    """Marker rows of :func:`history_rows`, newest first, each kind, note and source once."""
    seen: set[tuple[str, str, str]] = set()
    markers: list[MarkerSummary] = []
    for row in sorted(rows, key=lambda r: instant(r.occurred_at) or datetime.min,
                      reverse=True):
        kind, note, source_name = row.category, row.location_text or "", row.source_name
        recorded = instant(row.occurred_at)
        assert recorded is not None  # a marker always has its time
        if (kind, note, source_name) in seen:
            continue
        seen.add((kind, note, source_name))
        try:
            label = VulnerabilityKind(kind).label
        except ValueError:
            label = kind.replace("_", " ").capitalize()
        markers.append(MarkerSummary(kind=kind, label=label, note=note,
                                     source_name=source_name,
                                     recorded_at=recorded.replace(tzinfo=UTC)))
    return markers


def _flags(people: list[MatchedPerson], location: History | None,
           rules: IdentificationRules) -> Flags:
    reasons: list[str] = []
    calls = sum(p.history.as_caller_or_victim.last_12_months for p in people)
    months = round(rules.look_back_days / 30.4)
    repeat_caller = bool(people) and calls >= rules.repeat_caller_reports
    if repeat_caller:
        reasons.append(f"Repeat caller: {calls} earlier report(s) in {months} months "
                       f"(rule: {rules.repeat_caller_reports} or more)")
    repeat_victim = bool(people) and calls >= rules.repeat_victim_reports
    if repeat_victim:
        reasons.append(f"Repeat victim: {calls} reports as caller or victim in {months} months "
                       f"(rule: {rules.repeat_victim_reports} or more)")
    at_address = location.counts.last_12_months if location else 0
    repeat_location = at_address >= rules.repeat_location_reports
    if repeat_location:
        reasons.append(f"Repeat location: {at_address} reports at this address in {months} "
                       f"months (rule: {rules.repeat_location_reports} or more)")
    kinds = set(rules.vulnerable_marker_kinds)
    markers = [m for p in people for m in p.markers if m.kind in kinds]
    if markers:
        reasons.append("Vulnerable: " + "; ".join(sorted({f"{m.label} ({m.source_name})"
                                                          for m in markers})))
    return Flags(repeat_caller=repeat_caller, repeat_victim=repeat_victim,
                 repeat_location=repeat_location, vulnerable=bool(markers), reasons=reasons)


def record_match_feedback(uow: UnitOfWork, *, caller: CallerDetails, record_id: int,
                          verdict: str, reason: str = "") -> None:
    """Store a handler's answer: the caller is (``same``) or is not (``different``) the person
    of ``record_id``. The latest answer stands; a ``different`` pair never links again and a
    ``same`` one always does. Audited."""
    if not uow.actor.can(Permission.VIEW_PEOPLE):
        raise PermissionDenied("answering about matches needs the view_people permission")
    if verdict not in (SAME, DIFFERENT):
        raise InvalidCaller({"verdict": f"must be {SAME!r} or {DIFFERENT!r}"})
    subject = subject_of(features_of(caller.as_details()))
    with uow:
        session = uow.session
        if not _visible_records(session, uow.actor, [record_id]):
            raise NotFound(f"no person record {record_id}")
        existing = session.scalar(select(MatchFeedback).where(
            MatchFeedback.subject == subject, MatchFeedback.person_record_id == record_id))
        if existing is None:
            existing = MatchFeedback(subject=subject, person_record_id=record_id)
            session.add(existing)
        existing.verdict = verdict
        existing.user_id = uow.actor.user_id
        existing.username = uow.actor.username
        existing.reason = reason.strip()
        existing.at = datetime.now(UTC)
        uow.audit.record(action=f"match_{verdict}", object_type="person_record",
                         object_id=record_id, reason=reason.strip(),
                         detail={"subject": subject})
        uow.commit()
