"""Language signals: what a claim's wording says about how far its writer vouches for it.

Four families of markers (hedging, vague attribution, absolutes, loaded
words) and checkable detail (numbers, dates, units, named places and
people), found with a lexicon's precompiled patterns (see lexicon.py). Pure
and deterministic: the same text and lexicon always give the same signals.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterator

from .lexicon import Index, Lexicon, lowered, word_set
from .record import Record

FAMILIES = ("hedging", "vague_attribution", "absolutes", "loaded")
SPECIFIC_KINDS = ("date", "number", "unit", "place", "person")
_SPACE = re.compile(r"\s+")
_DIGIT_START = re.compile(r"(?<![\w'\u2019])\d")  # where a number, date or unit can start
_CAPITAL_START = re.compile(r"(?<![\w'\u2019])[A-Z]")  # where a name can start


class Signals(Record):
    """Distinct markers per family, in order of first appearance, as written (lower case)."""

    hedging: tuple[str, ...] = ()
    vague_attribution: tuple[str, ...] = ()
    absolutes: tuple[str, ...] = ()
    loaded: tuple[str, ...] = ()
    specifics: tuple[tuple[str, str], ...] = ()  # (kind, text as written)

    @property
    def specific_kinds(self) -> tuple[str, ...]:
        found = {kind for kind, _ in self.specifics}
        return tuple(k for k in SPECIFIC_KINDS if k in found)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {family: list(getattr(self, family)) for family in FAMILIES}
        out["specifics"] = [{"kind": kind, "text": text} for kind, text in self.specifics]
        return out


def signals(text: str, lexicon: Lexicon) -> Signals:
    """Every signal in `text` (cached: claims often repeat wording)."""
    return _signals(text, lexicon)


@lru_cache(maxsize=8192)
def _signals(text: str, lexicon: Lexicon) -> Signals:
    low = lowered(text)
    words = word_set(low)
    specifics, dates = _specifics(text, low, words, lexicon)
    starters = lexicon.starters(words)  # usually empty or a word or two: most sentences hold no marker
    where: dict[str, list[int]] = {}
    for word, families in starters.items():
        offsets = list(_offsets(low, word))
        for family in families:
            where.setdefault(family, []).extend(offsets)
    for offsets in where.values():
        offsets.sort()
    found = {family: _distinct(lexicon.indexes.get(family), text, where.get(family, []), dates) for family in FAMILIES}
    return Signals(specifics=specifics, **found)


def _offsets(low: str, word: str) -> Iterator[int]:
    """Where `word` occurs as a whole word in `low` (str.find is far cheaper than walking every word)."""
    n, i = len(word), low.find(word)
    while i >= 0:
        before = low[i - 1] if i else " "
        after = low[i + n] if i + n < len(low) else " "
        if not _word_char(before) and not _word_char(after):
            yield i
        i = low.find(word, i + 1)


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_'"  # what the patterns' \w and apostrophe edges count as inside a word


def _distinct(index: Index | None, text: str, offsets: list[int], skip: list[tuple[int, int]]) -> tuple[str, ...]:
    """Distinct matches, normalised; none inside `skip` spans ('May' in 'in May 2026' is a date, not a hedge)."""
    if index is None or (not offsets and not index.scan_all):
        return ()
    seen: dict[str, None] = {}
    for m in index.finditer(text, offsets):
        if not _overlaps(m.start(), m.end(), skip):
            seen.setdefault(normalise(m.group(0)), None)
    return tuple(seen)


def _specifics(text: str, low: str, words: set[str], lexicon: Lexicon) -> tuple[tuple[tuple[str, str], ...], list[tuple[int, int]]]:
    """(kind, text) for each piece of checkable detail; a span counts once, for the first kind that finds it.

    Each kind's pattern is tried only where one of its matches can start (a
    digit, a word it starts with, a capital), which finds what a scan of the
    whole text would, several times faster.
    """
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, str, str]] = []
    dates: list[tuple[int, int]] = []
    digits = [m.start() for m in _DIGIT_START.finditer(text)]
    capitals: list[int] | None = None
    for specific in lexicon.specifics:
        if not specific.may_occur(text, words, bool(digits)):
            continue
        offsets = list(digits)
        for word in specific.starts & words:
            offsets.extend(_offsets(low, word))
        if specific.capitals:
            if capitals is None:
                capitals = [m.start() for m in _CAPITAL_START.finditer(text)]
            offsets.extend(capitals)
        kind = specific.kind
        for m in specific.finditer(text, sorted(set(offsets))):
            if _overlaps(m.start(), m.end(), taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), kind, _SPACE.sub(" ", m.group(0))))
            if kind == "date":
                dates.append((m.start(), m.end()))
    seen: dict[tuple[str, str], None] = {}
    for _, kind, value in sorted(found):
        seen.setdefault((kind, value), None)
    return tuple(seen), dates


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def normalise(phrase: str) -> str:
    """'Sources   Say' -> 'sources say'; curly apostrophes become straight."""
    return _SPACE.sub(" ", phrase).strip().lower().replace("\u2019", "'")


def describe(sig: Signals) -> list[str]:
    """Short phrases for reasons and comments: "hedged: 'reportedly'", "no number, no date"."""
    out = []
    labels = {"hedging": "hedged", "vague_attribution": "vague attribution", "absolutes": "absolute", "loaded": "loaded"}
    for family in FAMILIES:
        words = getattr(sig, family)
        if words:
            out.append(f"{labels[family]}: " + ", ".join(f"'{w}'" for w in words))
    if sig.specifics:
        out.append("specific: " + ", ".join(f"{kind} '{text}'" for kind, text in sig.specifics))
    else:
        out.append("no number, no date, no named place or person")
    return out
