"""Language signals: what a claim's wording says about how far its writer vouches for it.

Four families of markers (hedging, vague attribution, absolutes, loaded
words) and checkable detail (numbers, dates, units, named places and
people), found with a lexicon's precompiled patterns (see lexicon.py). Pure
and deterministic: the same text and lexicon always give the same signals.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple

from credcheck.rubric.lexicon import Index, Lexicon, lowered, word_set
from credcheck.record import Record

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


NONE = Signals()  # most sentences: no marker and no checkable detail


@lru_cache(maxsize=8192)
def _signals(text: str, lexicon: Lexicon) -> Signals:
    low = lowered(text)
    vocab = _vocabulary(lexicon)
    roles = vocab.roles(word_set(low))
    if not roles and not vocab.scan_all and not vocab.has_chars(text):
        return NONE  # no pattern of the lexicon can match without one of its words, a digit or a sign
    offsets = _Offsets(low)
    specifics, dates = _specifics(text, roles, vocab, offsets)
    where: dict[str, list[int]] = {}
    for word, role in roles.items():
        for family in role.families:
            where.setdefault(family, []).extend(offsets(word))
    if not where and not vocab.scan_all:
        return Signals(specifics=specifics) if specifics else NONE
    for found_at in where.values():
        found_at.sort()
    found = {family: _distinct(lexicon.indexes.get(family), text, where.get(family, []), dates) for family in FAMILIES}
    return Signals(specifics=specifics, **found)


class Role(NamedTuple):
    """What one (lower-case) word can do for a lexicon's patterns."""

    families: tuple[str, ...]  # signal families with a phrase that can start at it
    triggers: tuple[int, ...]  # kinds of detail (indexes into lexicon.specifics) worth trying when it occurs
    starts: tuple[int, ...]  # kinds of detail a match can start at it
    digit: bool  # it holds a digit (a number, date or unit may start there)


class _Vocabulary:
    """A lexicon's words, each looked up once: a text is then read in one pass over its distinct words
    (most of which do nothing) instead of one pass per family and kind of detail."""

    MAX_WORDS = 200_000  # a bound for endless vocabularies

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self.specifics = lexicon.specifics
        # a phrase starting with a non-word character, or a kind of detail triggered by a sign ('°'):
        # matches are possible without any of the lexicon's words
        self.scan_all = any(index.scan_all for index in lexicon.indexes.values())
        self.chars = "".join(s.chars for s in lexicon.specifics)
        self._seen: set[str] = set()  # words looked up
        self._roles: dict[str, Role] = {}  # those of them with a role

    def has_chars(self, text: str) -> bool:
        return any(c in text for c in self.chars)

    def roles(self, words: set[str]) -> dict[str, Role]:
        """Of `words`, those with a role, and their roles (set operations in C: most words have none)."""
        new = words - self._seen
        if new:
            if len(self._seen) > self.MAX_WORDS:
                self._seen.clear()
                self._roles.clear()
            for word in new:
                role = self._role(word)
                if role is not None:
                    self._roles[word] = role
            self._seen |= new
        roles = self._roles
        return {word: roles[word] for word in words & roles.keys()}

    def _role(self, word: str) -> Role | None:
        families = tuple(f for f, index in self.lexicon.indexes.items() if index.starts(word))
        triggers = tuple(k for k, s in enumerate(self.specifics) if word in s.words)
        starts = tuple(k for k, s in enumerate(self.specifics) if word in s.starts)
        # \d is a Unicode decimal digit, as str.isdecimal; a digit that starts a number starts a word
        digit = any(c.isdecimal() for c in word)
        if families or triggers or starts or digit:
            return Role(families, triggers, starts, digit)
        return None


@lru_cache(maxsize=16)  # keyed by the lexicon object itself (held, so never mistaken for another); lexicons are
def _vocabulary(lexicon: Lexicon) -> _Vocabulary:  # cached per file (lexicon._compiled): few per process
    return _Vocabulary(lexicon)


class _Offsets:
    """Where each word occurs as a whole word in one lowered text, found once per word."""

    __slots__ = ("low", "found")

    def __init__(self, low: str):
        self.low = low
        self.found: dict[str, list[int]] = {}

    def __call__(self, word: str) -> list[int]:
        hit = self.found.get(word)
        if hit is None:
            hit = self.found[word] = _offsets(self.low, word)
        return hit


def _offsets(low: str, word: str) -> list[int]:
    """Where `word` occurs as a whole word in `low` (str.find is far cheaper than walking every word)."""
    found = []
    n, size, i = len(word), len(low), low.find(word)
    while i >= 0:
        before = low[i - 1] if i else " "
        after = low[i + n] if i + n < size else " "
        if not _word_char(before) and not _word_char(after):
            found.append(i)
        i = low.find(word, i + 1)
    return found


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


def _specifics(text: str, roles: dict[str, Role], vocab: _Vocabulary,
               offsets_of: _Offsets) -> tuple[tuple[tuple[str, str], ...], list[tuple[int, int]]]:
    """(kind, text) for each piece of checkable detail; a span counts once, for the first kind that finds it.

    Each kind's pattern is tried only when the text holds one of its triggers
    (a digit starting a word, one of its words, one of its signs), and only
    where one of its matches can start (a digit, a word it starts with, a
    capital), which finds what a scan of the whole text would, several times faster.
    """
    triggered: set[int] = set()
    start_words: dict[int, list[str]] = {}
    maybe_digit = False
    for word, role in roles.items():
        triggered.update(role.triggers)
        for k in role.starts:
            start_words.setdefault(k, []).append(word)
        maybe_digit = maybe_digit or role.digit
    digits = [m.start() for m in _DIGIT_START.finditer(text)] if maybe_digit else []
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, str, str]] = []
    dates: list[tuple[int, int]] = []
    capitals: list[int] | None = None
    for k, specific in enumerate(vocab.specifics):
        if not ((specific.digits and digits) or k in triggered or (specific.chars and any(c in text for c in specific.chars))):
            continue
        offsets = list(digits)
        for word in start_words.get(k, ()):
            offsets.extend(offsets_of(word))
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
    if not found:
        return (), dates
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
