"""Homes and phone numbers for synthetic people: unique addresses, postcodes, UPRNs, numbers."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

from vigil.demo.area import Street, Zone, offset

_POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# Ofcom's numbers for drama: no real line will ever have them.
DRAMA_MOBILE_PREFIX = "07700900"
DRAMA_LANDLINE_PREFIXES: dict[str, tuple[str, ...]] = {
    "real": ("0116496", "0115496", "0114496", "0121496", "0113496", "0117496"),
    "synthetic": ("01632960", "0116496", "0115496", "0121496"),
}


_POSTCODE_TRIES = 50


@dataclass(frozen=True, slots=True)
class DemoAddress:
    """One home. ``key`` is how the demo refers to it before it has a database id."""

    key: str
    flat: str | None
    house: str
    street: str
    town: str
    postcode: str
    uprn: str | None
    latitude: float
    longitude: float
    lsoa_code: str


@cache
def _street_weights(streets: int) -> list[float]:
    """Cumulative weights of a zone's streets, busiest first (worked out once per length)."""
    return list(accumulate(1 / (k + 1) ** 0.7 for k in range(streets)))


class AddressBook:
    """Hands out homes on the streets of each zone: unique, with shared postcodes per street."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self.addresses: list[DemoAddress] = []
        self._taken: set[tuple[str, str, str, str | None]] = set()
        self._postcodes: dict[tuple[str, str, int], str] = {}
        self._postcodes_used: set[str] = set()
        self._uprns: set[str] = set()

    def new_home(self, zone: Zone, *, street: Street | None = None,
                 near_house: int | None = None) -> DemoAddress:
        """A new address in ``zone``; next door to ``near_house`` on ``street`` if given."""
        rng = self._rng
        if street is None:
            # Most people live on the zone's busier streets, so neighbours share a street.
            street = rng.choices(zone.streets, cum_weights=_street_weights(len(zone.streets)))[0]
        for attempt in range(200):
            if near_house is not None and attempt < 20:
                number = max(1, near_house + rng.choice((-2, -1, 1, 2)))
                flat = None
            else:
                number = rng.randint(1, 40 if attempt < 100 else 400)
                flat = str(rng.randint(1, 12)) if rng.random() < 0.2 else None
            key = (zone.code, street.name, str(number), flat)
            if key not in self._taken:
                break
        self._taken.add(key)
        lat, lon = offset((street.latitude, street.longitude),
                          north_km=rng.gauss(0, 0.05), east_km=rng.gauss(0, 0.05))
        address = DemoAddress(
            key=f"A{len(self.addresses) + 1:05d}", flat=flat, house=str(number),
            street=street.name, town=zone.town,
            postcode=self._postcode(zone, street.name, number),
            uprn=self._uprn() if rng.random() < 0.88 else None,
            latitude=lat, longitude=lon, lsoa_code=zone.code,
        )
        self.addresses.append(address)
        return address

    def _postcode(self, zone: Zone, street: str, number: int) -> str:
        group = (zone.code, street, number // 30)
        if group not in self._postcodes:
            # A district holds only 9 x 20 x 20 unit postcodes. A big demo can use them all, so
            # after a few tries a postcode is shared, as neighbouring streets' often are.
            for _ in range(_POSTCODE_TRIES):
                letters = "".join(self._rng.choice(_POSTCODE_LETTERS) for _ in range(2))
                postcode = f"{zone.postcode_district} {self._rng.randint(1, 9)}{letters}"
                if postcode not in self._postcodes_used:
                    break
            self._postcodes_used.add(postcode)
            self._postcodes[group] = postcode
        return self._postcodes[group]

    def _uprn(self) -> str:
        while True:
            uprn = str(self._rng.randrange(10**11, 10**12))
            if uprn not in self._uprns:
                self._uprns.add(uprn)
                return uprn


class PhoneBook:
    """Unique phone numbers from Ofcom's drama ranges.

    Mobiles come from 07700 900000-900999; only when more than 1,000 are needed does it go on
    into 07700 901000 and beyond, which is outside the drama range (and past 07700 999999, for
    the biggest demos, into 0780 0100000 and beyond).
    """

    def __init__(self, rng: random.Random, *, kind: str) -> None:
        self._rng = rng
        self._mobiles = [f"{DRAMA_MOBILE_PREFIX}{n:03d}" for n in range(1000)]
        rng.shuffle(self._mobiles)
        self._overflow = 1000
        self._landlines = [
            prefix + f"{n:0{11 - len(prefix)}d}"
            for prefix in DRAMA_LANDLINE_PREFIXES[kind] for n in range(1000)
        ]
        # Keep the local range first, shuffled within each range.
        for start in range(0, len(self._landlines), 1000):
            block = self._landlines[start:start + 1000]
            rng.shuffle(block)
            self._landlines[start:start + 1000] = block
        self._landlines.reverse()

    def mobile(self) -> str:
        if self._mobiles:
            return self._mobiles.pop()
        self._overflow += 1
        if self._overflow < 100_000:
            return f"077009{self._overflow:05d}"
        # Past 07700 999999 (a demo of over 100,000 people): still eleven digits, so that the
        # numbers stay valid UK mobiles, from 0780 0100000 on.
        return f"078{self._overflow:08d}"

    def landline(self) -> str | None:
        return self._landlines.pop() if self._landlines else None
