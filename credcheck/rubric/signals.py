"""Language signals: what a claim's wording says about how far its writer vouches for it.

Four families of markers (hedging, vague attribution, absolutes, loaded
words) and checkable detail (numbers, dates, units, named places and
people), found with a lexicon's precompiled patterns (see lexicon.py). Pure
and deterministic: the same text and lexicon always give the same signals.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import AbstractSet, Any, Iterator, NamedTuple

from credcheck.rubric.lexicon import Index, Lexicon, lowered, word_starts
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
    specifics: tuple[tuple[str, str], ...] | None = ()  # (kind, text as written); None: not listed (details=False)
    checkable: bool = False  # the text holds some checkable detail, listed or not

    @property
    def specific_kinds(self) -> tuple[str, ...]:
        found = {kind for kind, _ in self.specifics or ()}
        return tuple(k for k in SPECIFIC_KINDS if k in found)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {family: list(getattr(self, family)) for family in FAMILIES}
        if self.specifics is not None:
            out["specifics"] = [{"kind": kind, "text": text} for kind, text in self.specifics]
        out["checkable"] = self.checkable
        return out


def signals(text: str, lexicon: Lexicon, details: bool = True) -> Signals:
    """Every signal in `text` (cached: claims often repeat wording).

    With `details` False, the checkable details are not listed, only whether
    there is one (`checkable`): listing them is half the cost of reading a
    text, and a rubric that gives them no weight needs only that one fact.
    """
    return _signals(text, lexicon, details)


NONE = Signals()  # most sentences: no marker and no checkable detail
_NONE_UNLISTED = Signals(specifics=None)  # the same, details not looked for


@lru_cache(maxsize=8192)
def _signals(text: str, lexicon: Lexicon, details: bool) -> Signals:
    low = lowered(text)
    vocab = _vocabulary(lexicon)
    starts = word_starts(low)
    roles = vocab.roles(starts.keys())
    if not roles and not vocab.scan_all and not vocab.has_chars(text):
        return NONE if details else _NONE_UNLISTED  # no pattern can match without a word of the lexicon, a digit or a sign
    where: dict[str, list[int]] = {}
    for word, role in roles.items():
        for family in role.families:
            where.setdefault(family, []).extend(starts[word])
    markers = bool(where) or vocab.scan_all
    detail = _Details(text, roles, vocab, starts)
    if details:
        specifics, dates = detail.listed()
        checkable = bool(specifics)
    else:  # dates only where a marker may sit inside one; then any detail at all
        specifics = None
        dates = detail.dates() if markers else []
        checkable = bool(dates) or detail.any()
    if not markers:
        return Signals(specifics=specifics, checkable=True) if checkable else NONE if details else _NONE_UNLISTED
    for found_at in where.values():
        found_at.sort()
    found = {family: _distinct(lexicon.indexes.get(family), text, where.get(family, []), dates) for family in FAMILIES}
    return Signals(specifics=specifics, checkable=checkable, **found)


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

    def roles(self, words: AbstractSet[str]) -> dict[str, Role]:
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


def _distinct(index: Index | None, text: str, offsets: list[int], skip: list[tuple[int, int]]) -> tuple[str, ...]:
    """Distinct matches, normalised; none inside `skip` spans ('May' in 'in May 2026' is a date, not a hedge)."""
    if index is None or (not offsets and not index.scan_all):
        return ()
    seen: dict[str, None] = {}
    for m in index.finditer(text, offsets):
        if not _overlaps(m.start(), m.end(), skip):
            seen.setdefault(normalise(m.group(0)), None)
    return tuple(seen)


class _Details:
    """The checkable details of one text: numbers, dates, units, named places and people.

    Each kind's pattern is tried only when the text holds one of its triggers
    (a digit starting a word, one of its words, one of its signs), and only
    where one of its matches can start (a digit, a word it starts with, a
    capital), which finds what a scan of the whole text would, several times faster.
    """

    def __init__(self, text: str, roles: dict[str, Role], vocab: _Vocabulary, starts: dict[str, list[int]]):
        self.text = text
        self.vocab = vocab
        self.starts = starts
        self.triggered: set[int] = set()
        self.start_words: dict[int, list[str]] = {}
        maybe_digit = False
        for word, role in roles.items():
            self.triggered.update(role.triggers)
            for k in role.starts:
                self.start_words.setdefault(k, []).append(word)
            maybe_digit = maybe_digit or role.digit
        self.digits = [m.start() for m in _DIGIT_START.finditer(text)] if maybe_digit else []
        self._capitals: list[int] | None = None

    def matches(self, k: int) -> Iterator[re.Match[str]]:
        """The matches of the k-th kind (none when the text holds none of its triggers)."""
        specific, text = self.vocab.specifics[k], self.text
        if not ((specific.digits and self.digits) or k in self.triggered
                or (specific.chars and any(c in text for c in specific.chars))):
            return iter(())
        offsets = list(self.digits)
        for word in self.start_words.get(k, ()):
            offsets.extend(self.starts[word])
        if specific.capitals:
            if self._capitals is None:
                self._capitals = [m.start() for m in _CAPITAL_START.finditer(text)]
            offsets.extend(self._capitals)
        return specific.finditer(text, sorted(set(offsets)))

    def listed(self) -> tuple[tuple[tuple[str, str], ...], list[tuple[int, int]]]:
        """(kind, text) for each detail, and the date spans; a span counts once, for the first kind that finds it."""
        taken: list[tuple[int, int]] = []
        found: list[tuple[int, str, str]] = []
        dates: list[tuple[int, int]] = []
        for k, specific in enumerate(self.vocab.specifics):
            kind = specific.kind
            for m in self.matches(k):
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

    def dates(self) -> list[tuple[int, int]]:
        """The date spans, as listed() finds them (dates are the first kind: nothing is taken before them)."""
        return [m.span() for k, s in enumerate(self.vocab.specifics) if s.kind == "date" for m in self.matches(k)]

    def any(self) -> bool:
        """Whether listed() would find a detail: the first match of any kind is always counted."""
        return any(next(self.matches(k), None) is not None for k in range(len(self.vocab.specifics)))


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
    elif not sig.checkable:
        out.append("no number, no date, no named place or person")
    return out
