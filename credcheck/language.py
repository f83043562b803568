"""Language signals: what a claim's wording says about how far its writer vouches for it.

Four families of markers (hedging, vague attribution, absolutes, loaded
words) and checkable detail (numbers, dates, units, named places and
people), found with a lexicon's precompiled patterns (see lexicon.py). Pure
and deterministic: the same text and lexicon always give the same signals.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .lexicon import Lexicon

FAMILIES = ("hedging", "vague_attribution", "absolutes", "loaded")
SPECIFIC_KINDS = ("date", "number", "unit", "place", "person")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Signals:
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
    specifics, dates = _specifics(text, lexicon)
    found = {family: _distinct(getattr(lexicon, family), text, dates) for family in FAMILIES}
    return Signals(specifics=specifics, **found)


def _distinct(pattern: re.Pattern[str] | None, text: str, skip: list[tuple[int, int]]) -> tuple[str, ...]:
    """Distinct matches, normalised; none inside `skip` spans ('May' in 'in May 2026' is a date, not a hedge)."""
    if pattern is None:
        return ()
    seen: dict[str, None] = {}
    for m in pattern.finditer(text):
        if not _overlaps(m.start(), m.end(), skip):
            seen.setdefault(normalise(m.group(0)), None)
    return tuple(seen)


def _specifics(text: str, lexicon: Lexicon) -> tuple[tuple[tuple[str, str], ...], list[tuple[int, int]]]:
    """(kind, text) for each piece of checkable detail; a span counts once, for the first kind that finds it."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, str, str]] = []
    dates: list[tuple[int, int]] = []
    for kind, pattern in lexicon.specifics:
        for m in pattern.finditer(text):
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
