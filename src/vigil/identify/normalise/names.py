"""Names: case, accents, punctuation, titles, nicknames and short forms, double-barrelled
family names and phonetic keys.

The nickname table is the ``nicknames`` package's hand-curated list (Apache-2.0, about 2,700
pairs of English names) with Vigil's own supplement for names common in the UK that it lacks
(``identify/data/nicknames_extra.csv``).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache
from importlib import resources

import jellyfish

TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "doctor", "prof", "professor", "rev", "reverend",
    "sir", "dame", "lady", "lord", "fr", "father", "sister", "cllr", "capt", "sgt", "pc",
})
SUFFIXES = frozenset({"jr", "jnr", "junior", "sr", "snr", "senior", "ii", "iii", "iv", "esq"})
_NOT_LETTERS = re.compile(r"[^a-z\s-]")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower case, accents removed (``Zoë`` -> ``zoe``, ``Łukasz`` -> ``lukasz``)."""
    text = text.replace("ł", "l").replace("Ł", "L").replace("ø", "o").replace("Ø", "O")
    text = text.replace("ß", "ss").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def name_tokens(text: str | None) -> list[str]:
    """The words of a name, folded, without titles, suffixes or punctuation.

    Apostrophes and full stops join (``O'Brien`` -> ``obrien``); hyphens and spaces separate.
    """
    if not text:
        return []
    folded = fold(text).replace("'", "").replace("’", "").replace(".", " ")
    folded = _NOT_LETTERS.sub(" ", folded).replace("-", " ")
    words = [w for w in _SPACES.split(folded) if w]
    while words and words[0] in TITLES:
        words = words[1:]
    while words and words[-1] in SUFFIXES:
        words = words[:-1]
    return words


def given_name_key(text: str | None) -> str | None:
    """The given name compared: its first word (``Mary-Ann`` -> ``mary``, ``Mr J.`` -> ``j``)."""
    words = name_tokens(text)
    return words[0] if words else None


def family_name_parts(text: str | None) -> list[str]:
    """The parts of a family name (``Smith-Jones`` and ``Smith Jones`` -> ``[smith, jones]``)."""
    return name_tokens(text)


def family_name_key(text: str | None) -> str | None:
    """The family name compared: its parts run together (``Smith-Jones`` -> ``smithjones``)."""
    parts = family_name_parts(text)
    return "".join(parts) or None


def phonetic_key(word: str | None) -> str | None:
    """Metaphone of a folded word (``smith`` and ``smyth`` -> ``SM0``); ``None`` for none."""
    if not word:
        return None
    return jellyfish.metaphone(word) or None


@cache
def _nickname_groups() -> dict[str, frozenset[str]]:
    """Each name -> the formal names it may stand for (itself included)."""
    from nicknames import NickNamer

    groups: dict[str, set[str]] = {}

    def add(formal: str, short: str) -> None:
        formal, short = fold(formal.strip()), fold(short.strip())
        if formal and short and formal != short:
            groups.setdefault(short, set()).add(formal)

    for formal, nicknames in NickNamer.default_lookup().items():
        for short in nicknames:
            add(formal, short)
    extra = resources.files("vigil.identify").joinpath("data/nicknames_extra.csv")
    with extra.open(encoding="utf-8") as handle:
        for row in csv.DictReader(line for line in handle if not line.startswith("#")):
            add(row["formal"], row["short"])
    return {name: frozenset(formal) for name, formal in groups.items()}


@cache
def known_names() -> frozenset[str]:
    """Every name the nickname table knows, short or formal."""
    groups = _nickname_groups()
    return frozenset(groups).union(*groups.values())


# A name shorter than this is not corrected: short names lie one slip from too many others.
SLIP_MIN_LENGTH = 5
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _one_slip(word: str) -> set[str]:
    """Every string one typing slip from ``word``: a letter dropped, doubled or wrong, or two
    neighbours swapped."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
            | {a + c + b for a, b in splits for c in _LETTERS}) - {word}


# ... nor one that many known names lie one slip from.
SLIP_MAX_CANDIDATES = 2


@cache
def spellings_of(given: str) -> tuple[str, ...]:
    """The known names an unknown one may be a typing slip of (``rebbecca`` -> ``rebecca``,
    ``thmas`` -> ``thomas`` or ``tomas``): those one slip away, when there are at most
    :data:`SLIP_MAX_CANDIDATES`; none for a known name or a short one. Twins' names are both
    real names, so neither is ever read as a slip of the other."""
    known = known_names()
    if given in known or len(given) < SLIP_MIN_LENGTH:
        return ()
    candidates = _one_slip(given) & known
    return tuple(sorted(candidates)) if len(candidates) <= SLIP_MAX_CANDIDATES else ()


def name_forms(given: str | None) -> list[str]:
    """The name and the formal names it may be short for, sorted: two given names are the
    same person's when their forms overlap (``bill`` and ``william`` share ``william``; ``bill``
    and ``will`` share it too). A name that is a typing slip of one known name has that name's
    forms too (``rebbecca`` shares ``rebecca`` with ``becky``)."""
    if not given:
        return []
    groups = _nickname_groups()
    forms = {given} | groups.get(given, frozenset())
    for corrected in spellings_of(given):
        forms |= {corrected} | groups.get(corrected, frozenset())
    return sorted(forms)


def nickname_pairs() -> int:
    """How many (short form, formal name) pairs the table holds."""
    return sum(len(v) for v in _nickname_groups().values())
