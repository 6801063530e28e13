"""What an ASB call is about and when it comes in: time of day, day of week, type, description."""

from __future__ import annotations

import calendar
import random
from datetime import UTC, date, datetime, time
from functools import cache
from itertools import accumulate
from zoneinfo import ZoneInfo

from vigil.domain.incidents import Category, DetailedType, IncidentStatus

LONDON = ZoneInfo("Europe/London")

# Share of calls by local hour. ASB calls are few before dawn, climb through the afternoon as
# schools let out and peak between 6pm and 11pm, tailing off after midnight.
HOUR_WEIGHTS: tuple[float, ...] = (
    3.0, 2.2, 1.6, 1.0, 0.7, 0.6, 0.8, 1.2, 1.8, 2.2, 2.6, 3.0,  # 00-11
    3.3, 3.5, 3.8, 4.5, 5.3, 6.2, 7.2, 7.6, 7.5, 7.0, 6.0, 4.5,  # 12-23
)
# Relative call rate by weekday (Monday first): Friday and Saturday nights and Sundays run high.
WEEKDAY_WEIGHTS: tuple[float, ...] = (0.88, 0.86, 0.88, 0.93, 1.12, 1.25, 1.08)

# How often each detailed type is reported. Rowdy behaviour and neighbours dominate, as in every
# force's ASB data.
TYPE_WEIGHTS: dict[DetailedType, float] = {
    DetailedType.ROWDY_BEHAVIOUR: 36,
    DetailedType.NUISANCE_NEIGHBOURS: 22,
    DetailedType.VEHICLE_NUISANCE: 10,
    DetailedType.NOISE: 8,
    DetailedType.STREET_DRINKING: 4,
    DetailedType.LITTERING_DRUGS_PARAPHERNALIA: 4,
    DetailedType.ANIMAL_PROBLEMS: 3,
    DetailedType.TRESPASS: 3,
    DetailedType.FIREWORKS: 2,
    DetailedType.MALICIOUS_COMMUNICATIONS: 3,
    DetailedType.BEGGING_VAGRANCY: 1.5,
    DetailedType.VEHICLE_ABANDONED: 1.5,
    DetailedType.PROSTITUTION_RELATED: 0.5,
    DetailedType.HOAX_CALLS: 0.5,
}

# The national category each type usually falls in, with the chance of it being "personal"
# (aimed at the caller) instead.
_CATEGORY: dict[DetailedType, tuple[Category, float]] = {
    DetailedType.ROWDY_BEHAVIOUR: (Category.NUISANCE, 0.25),
    DetailedType.NUISANCE_NEIGHBOURS: (Category.NUISANCE, 0.6),
    DetailedType.VEHICLE_NUISANCE: (Category.NUISANCE, 0.05),
    DetailedType.NOISE: (Category.NUISANCE, 0.2),
    DetailedType.STREET_DRINKING: (Category.NUISANCE, 0.05),
    DetailedType.LITTERING_DRUGS_PARAPHERNALIA: (Category.ENVIRONMENTAL, 0.0),
    DetailedType.ANIMAL_PROBLEMS: (Category.NUISANCE, 0.2),
    DetailedType.TRESPASS: (Category.ENVIRONMENTAL, 0.2),
    DetailedType.FIREWORKS: (Category.NUISANCE, 0.1),
    DetailedType.MALICIOUS_COMMUNICATIONS: (Category.PERSONAL, 1.0),
    DetailedType.BEGGING_VAGRANCY: (Category.NUISANCE, 0.0),
    DetailedType.VEHICLE_ABANDONED: (Category.ENVIRONMENTAL, 0.0),
    DetailedType.PROSTITUTION_RELATED: (Category.NUISANCE, 0.0),
    DetailedType.HOAX_CALLS: (Category.NUISANCE, 0.0),
}

# Types that happen at the caller's own home (the incident is at their address).
AT_HOME_TYPES = frozenset({DetailedType.NUISANCE_NEIGHBOURS, DetailedType.NOISE,
                           DetailedType.MALICIOUS_COMMUNICATIONS})

_DESCRIPTIONS: dict[DetailedType, tuple[str, ...]] = {
    DetailedType.ROWDY_BEHAVIOUR: (
        "Group of {n} youths shouting and swearing at passers-by on {street}.",
        "About {n} teenagers kicking a football against parked cars on {street}; they ran off "
        "when the caller came out.",
        "Youths on bikes riding at pedestrians and spitting outside the shops on {street}.",
        "Group of {n} drinking and shouting by the bus shelter on {street}; caller feels "
        "intimidated walking past.",
        "Young people knocking on doors and running away along {street}, {when}.",
        "Gang of {n} climbing on the garage roofs behind {street} and throwing stones.",
    ),
    DetailedType.NUISANCE_NEIGHBOURS: (
        "Neighbour playing loud music again {when}; caller has asked them to stop.",
        "Ongoing dispute with the neighbours: shouting and banging on the shared wall {when}.",
        "Neighbour's visitors coming and going all night and arguing in the garden.",
        "Neighbour swore at the caller and threatened to damage their car when asked to move "
        "a bin.",
        "Neighbours' dog barking for hours and shouting through the letterbox at the caller.",
        "Caller says the people next door are deliberately slamming doors and blocking the "
        "path; this has gone on for weeks.",
    ),
    DetailedType.VEHICLE_NUISANCE: (
        "Motorbikes racing up and down {street} without helmets, {when}.",
        "Cars meeting in the car park off {street}, revving engines and doing doughnuts.",
        "Quad bike being ridden on the footpath and across the grass on {street}.",
        "Car parked across the caller's drive again; driver abusive when asked to move.",
    ),
    DetailedType.NOISE: (
        "Loud party with music audible from the end of {street}, {when}.",
        "Repeated loud bass music from a flat on {street}; caller cannot sleep.",
        "Shouting and music from a house on {street} late at night, {when}.",
    ),
    DetailedType.STREET_DRINKING: (
        "{n} adults drinking on the benches on {street} and urinating in doorways.",
        "Street drinkers shouting at shoppers outside the off-licence on {street}.",
    ),
    DetailedType.LITTERING_DRUGS_PARAPHERNALIA: (
        "Needles and small bags left in the alleyway off {street}; children play there.",
        "Laughing-gas canisters and rubbish dumped in the park by {street} after a gathering.",
        "Fly-tipped mattresses and bags blocking the back lane behind {street}.",
    ),
    DetailedType.ANIMAL_PROBLEMS: (
        "Large dog off the lead on {street} running at children; owner not in control.",
        "Dog left barking in a yard on {street} for most of the day.",
    ),
    DetailedType.TRESPASS: (
        "People getting into the empty building on {street} through a broken fence.",
        "Youths climbing into the school grounds off {street} {when}.",
    ),
    DetailedType.FIREWORKS: (
        "Fireworks being let off in the street and aimed at houses on {street}.",
        "Rockets thrown at cars on {street} by a group of {n}.",
    ),
    DetailedType.MALICIOUS_COMMUNICATIONS: (
        "Caller receiving abusive messages on social media from someone they know locally.",
        "Repeated silent calls and threatening texts to the caller's mobile.",
    ),
    DetailedType.BEGGING_VAGRANCY: (
        "Man begging aggressively at the cash machine on {street}.",
        "Rough sleeper's belongings blocking the shop doorway on {street}; caller concerned "
        "for his welfare.",
    ),
    DetailedType.VEHICLE_ABANDONED: (
        "Car with no tax or plates left on {street} for three weeks, windows smashed.",
        "Burnt-out moped dumped on the verge on {street}.",
    ),
    DetailedType.PROSTITUTION_RELATED: (
        "Kerb-crawling on {street} {when}; residents approached.",
    ),
    DetailedType.HOAX_CALLS: (
        "Repeated hoax calls to emergency services traced to a phone box on {street}.",
    ),
}

_STATUSES = (IncidentStatus.OPEN, IncidentStatus.ALLOCATED, IncidentStatus.CLOSED)


def exact_time_in_month(rng: random.Random, month: date) -> datetime:
    """A moment in ``month`` with ASB's evening and weekend peaks; UTC, from UK local time."""
    days, day_weights = _days_of(month.year, month.month)
    day = rng.choices(days, cum_weights=day_weights)[0]
    hour = rng.choices(_HOURS, cum_weights=_HOUR_CUM_WEIGHTS)[0]
    local = datetime.combine(date(month.year, month.month, day),
                             time(hour, rng.randrange(60), rng.randrange(60)), tzinfo=LONDON)
    return local.astimezone(UTC)


# Cumulative weights, worked out once: ``choices`` draws exactly as it would from the weights
# (it accumulates them itself), and the demo draws millions of times at its biggest.
_HOURS = range(24)
_HOUR_CUM_WEIGHTS = list(accumulate(HOUR_WEIGHTS))


@cache
def _days_of(year: int, month: int) -> tuple[range, list[float]]:
    days = calendar.monthrange(year, month)[1]
    return range(1, days + 1), list(accumulate(
        WEEKDAY_WEIGHTS[date(year, month, d).weekday()] for d in range(1, days + 1)))


@cache
def _types_in(month: int) -> tuple[list[DetailedType], list[float]]:
    weights = dict(TYPE_WEIGHTS)
    if month in (10, 11):
        weights[DetailedType.FIREWORKS] *= 8
    types = list(weights)
    return types, list(accumulate(weights[t] for t in types))


def draw_type(rng: random.Random, *, month: date) -> DetailedType:
    """A detailed type from the realistic mix; fireworks cluster around Bonfire Night."""
    types, cum_weights = _types_in(month.month)
    return rng.choices(types, cum_weights=cum_weights)[0]


def category_for(rng: random.Random, detailed_type: DetailedType) -> Category:
    """The national category for a call of ``detailed_type``."""
    usual, personal = _CATEGORY[detailed_type]
    return Category.PERSONAL if rng.random() < personal else usual


def describe(rng: random.Random, *, detailed_type: DetailedType, street: str,
             occurred_at: datetime) -> str:
    """A short description in a call handler's words."""
    local = occurred_at.astimezone(LONDON)
    when = ("late last night" if local.hour < 5 else "this morning" if local.hour < 12
            else "this afternoon" if local.hour < 17 else "this evening")
    template = rng.choice(_DESCRIPTIONS[detailed_type])
    return template.format(n=rng.randint(3, 12), street=street, when=when)


def status_for(rng: random.Random, *, month: date, latest_month: date) -> IncidentStatus:
    """Recent calls are still open or allocated; older ones are nearly all closed."""
    age = (latest_month.year - month.year) * 12 + latest_month.month - month.month
    cum_weights = _STATUS_CUM_WEIGHTS[0 if age <= 0 else 1 if age == 1 else 2]
    return rng.choices(_STATUSES, cum_weights=cum_weights)[0]


_STATUS_CUM_WEIGHTS = tuple(list(accumulate(w)) for w in ((40, 35, 25), (10, 25, 65),
                                                           (0.5, 2, 97.5)))


def reference(year: int, number: int) -> str:
    """The log reference call handlers read out, e.g. ``VGL-2021-004211``."""
    return f"VGL-{year:04d}-{number:06d}"
