"""Lexicons: the words language signals and `credcheck extract` look for, in YAML.

A lexicon is a file teams edit (rubrics/lexicons/language.yaml is the bundled
one), validated like a rubric (every problem at once, FILE:LINE:COL), then
compiled once into regular expressions. Entries are phrases, never regular
expressions: matching is case-insensitive and whole-word ("may" never matches
"dismay"), the words of a phrase match across any whitespace, and a trailing
`*` matches any word ending ("claim*": claim, claims, claimed).
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, Mapping

from credcheck import resources
from credcheck.errors import CredcheckError, Mark, Problems, did_you_mean, one_of, reading
from credcheck.lazyre import LazyPattern
from credcheck.limits import RUBRIC_LIMITS, Limits, exists, is_file, read_limited
from credcheck.record import Record, field
from credcheck.rubric.confine import RubricFolders
from credcheck.load.schema import INVALID, Ctx, Field, ListOf, MapOf, Obj, Str, Type
from credcheck.load.fast import Fallback
from credcheck.load.located_yaml import LMap, load_yaml
from credcheck.load.plain_yaml import read_plain

_WORD_CHARS = re.compile(r"^[^\s*]+\*?$")
# What almost every entry is: words one space apart, only the last one may end in '*'.
_PLAIN_PHRASE = re.compile(r"[^\s*]+(?: [^\s*]+)*\*?\Z")
_TEXT = Str()


class Phrase(Type):
    """A lexicon entry: words, the last may end in `*`; nothing else is special."""

    doc: str = "a word or phrase; a trailing * matches any word ending"

    def check(self, value: Any, ctx: Ctx, problems: Problems) -> Any:
        if type(value) is str and _PLAIN_PHRASE.match(value):
            return value  # what the checks below return for it (the bundled lexicon checks in 0.6 ms, not 1.0)
        text = _TEXT.check(value, ctx, problems)
        if text is INVALID:
            return INVALID
        words = text.split()
        for i, word in enumerate(words):
            if not _WORD_CHARS.match(word) or (word.endswith("*") and i != len(words) - 1):
                return self._fail(ctx, problems, f"'{text}': '*' may only end the last word of a phrase")
            if word == "*":
                return self._fail(ctx, problems, f"'{text}': a '*' needs a word before it")
        return " ".join(words)

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "minLength": 1, "description": self.doc}


def _phrases(doc: str) -> Field:
    return Field(ListOf(Phrase(), unique=True), default=list, doc=doc)


SIGNALS = Obj({
    "hedging": _phrases("the writer does not vouch for it: reportedly, allegedly, may, suggests"),
    "vague_attribution": _phrases("someone unnamed stands behind it: sources say, it is believed"),
    "absolutes": _phrases("certainty the evidence rarely supports: never, unmistakable"),
    "loaded": _phrases("words that argue rather than report: exodus, brazen"),
}, what="signals section")

SPECIFICITY = Obj({
    "number_words": _phrases("numbers written as words (digits are always numbers)"),
    "units": _phrases("units after a number: km, percent, battalions"),
    "months": _phrases("month names (a date needs a day, a year or 'in/since...' with them)"),
    "weekdays": _phrases("weekday names"),
    "places": _phrases("named places below the country level"),
    "place_nouns": _phrases("after a capitalised name they make a place: 'Jilin province'"),
    "person_titles": _phrases("before a capitalised name they make a person: 'General Pak'"),
}, what="specificity section")

NOT_CHECKABLE = Obj({
    "prescriptive": _phrases("what someone should do, not what is: must, should, calls for"),
    "meta": _phrases("the text talking about itself or its sourcing: this article, we, declined to comment"),
    "opinion": _phrases("judgement words: after 'is', or two of them, they make a sentence with no detail opinion"),
    "interpretation": _phrases("phrases that interpret rather than report: signals, underscores, a sign of"),
    "analysis": _phrases("abstract nouns of analysis: as the subject, a sentence with no detail is opinion (factors, implications)"),
    "scenario": _phrases("what might happen: scenario, in this case (conditionals and modal verbs are known words)"),
    "background": _phrases("commonplaces: one of the most, in the world, widely used"),
}, what="not_checkable section")

EXTRACTION = Obj({
    "boilerplate": _phrases("page furniture, matched against a whole line; 'Copyright ...' matches any line starting so"),
    "abbreviations": Field(ListOf(Str(), unique=True), default=list, doc="a full stop after these does not end a sentence"),
    "reporting_verbs": _phrases("verbs that attribute: say, claim, suggest"),
    "attribution_markers": _phrases("phrases that introduce who says so: according to, including"),
    "anaphora": _phrases("words pointing back ('these accounts'): the noun after them is not a new source"),
    "not_checkable": Field(NOT_CHECKABLE, default=dict),
    "source_types": Field(MapOf(Str(), ListOf(Phrase(), unique=True), "source type table"), default=dict,
                          doc="source type -> phrases naming a source of that type"),
}, what="extraction section")

LEXICON = Obj({
    "name": Field(Str(), doc="the lexicon's name (default: the file name)"),
    "version": Field(Str(), doc="the lexicon's version; quote it ('1.0')"),
    "description": Field(Str(), doc="one line on what this lexicon is for"),
    "signals": Field(SIGNALS, default=dict),
    "specificity": Field(SPECIFICITY, default=dict),
    "extraction": Field(EXTRACTION, default=dict),
}, what="lexicon")


# --- compiling ------------------------------------------------------------------

def phrase_pattern(phrase: str) -> str:
    """The regex body of one phrase: escaped words, any whitespace between, `*` as a word ending."""
    parts = []
    for word in phrase.split():
        star = word.endswith("*")
        body = re.escape(word[:-1] if star else word).replace("'", "['\u2019]")  # either apostrophe
        parts.append(body + (r"[\w'\u2019-]*" if star else ""))
    return r"\s+".join(parts)


def alternation(phrases: tuple[str, ...]) -> str:
    """Phrases as one case-insensitive group, longest first so 'sources say' beats 'sources'."""
    ordered = sorted(phrases, key=lambda p: (-len(p.rstrip("*")), p))
    return "(?i:" + "|".join(phrase_pattern(p) for p in ordered) + ")"


def compile_phrases(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """Whole-word, case-insensitive matcher for a list of phrases (None when the list is empty)."""
    if not phrases:
        return None
    return re.compile(r"(?<![\w'\u2019])" + alternation(phrases) + r"(?![\w'\u2019])")


def compile_boilerplate(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """A whole line equal to an entry, or starting with one that ends in '...'."""
    if not phrases:
        return None
    exact = [p for p in phrases if not p.endswith("...")]
    prefix = [p[:-3].rstrip() for p in phrases if p.endswith("...")]
    options = []
    if exact:
        options.append(alternation(tuple(exact)) + r"[\s.!:]*")
    if prefix:
        options.append(alternation(tuple(prefix)) + r"(?![\w]).*")
    return re.compile(r"^\W*(?:" + "|".join(options) + r")$", re.DOTALL)


_TOKEN = re.compile(r"[\w'\u2019]+")


def lowered(text: str) -> str:
    """`text` in lower case with straight apostrophes, offset for offset (for the rare letter whose
    lower case is longer, such as 'İ', each word is lowered on its own and padded back)."""
    low = text.lower()
    if len(low) != len(text):
        low = _TOKEN.sub(lambda m: m.group(0).lower()[:len(m.group(0))].ljust(len(m.group(0)), "_"), text)
    return low.replace("\u2019", "'")


def word_set(low: str) -> set[str]:
    return set(_TOKEN.findall(low))


def word_starts(low: str) -> dict[str, list[int]]:
    """Where each word of a lowered text starts: a whole-word occurrence, as the patterns'
    edges see one (\\w is what str.isalnum says, and the apostrophe), is a token equal to it."""
    starts: dict[str, list[int]] = {}
    for m in _TOKEN.finditer(low):
        starts.setdefault(m[0], []).append(m.start())
    return starts


class Index(Record, eq=False):
    """The words a list of phrases can start with, so a text is tried only where one occurs.

    Matching at those word starts finds exactly what a scan of the whole text
    finds (every phrase starts with a word character after a non-word one),
    at a fraction of the cost: most sentences hold no marker at all.
    """

    pattern: re.Pattern[str]
    words: frozenset[str]
    prefixes: tuple[str, ...]  # first words written with a trailing '*'
    scan_all: bool  # a phrase starts with a non-word character: scan the whole text

    def starts(self, word: str) -> bool:
        return word in self.words or any(word.startswith(p) for p in self.prefixes)

    def finditer(self, text: str, offsets: list[int] | None) -> Iterator[re.Match[str]]:
        """Matches at `offsets` (word starts that can begin a phrase), or anywhere when scan_all."""
        if self.scan_all or offsets is None:
            return self.pattern.finditer(text)
        return matches_at(self.pattern, text, offsets)


def matches_at(pattern: re.Pattern[str], text: str, offsets: list[int]) -> Iterator[re.Match[str]]:
    """What pattern.finditer(text) finds, tried only at `offsets` (sorted): where a match can start."""
    end = -1
    for offset in offsets:
        if offset >= end:
            m = pattern.match(text, offset)
            if m is not None:
                end = m.end()
                yield m


def phrase_index(phrases: tuple[str, ...], pattern: re.Pattern[str] | None = None) -> Index | None:
    """An Index over `phrases` (matched with `pattern`, default: the phrases' own whole-word pattern,
    compiled when a text first holds one of their first words)."""
    if not phrases:
        return None
    pattern = pattern or LazyPattern(compile_phrases, phrases)
    words, prefixes, scan_all = set(), set(), False
    for phrase in phrases:
        first = phrase.split()[0].lower().replace("\u2019", "'")
        m = _TOKEN.match(first)
        if m is None:
            scan_all = True
        elif first.endswith("*") and m.end() == len(first) - 1:
            prefixes.add(m.group(0))
        else:
            words.add(m.group(0))
    return Index(pattern, frozenset(words), tuple(sorted(prefixes)), scan_all)


class Specific(Record):
    """One kind of checkable detail, and what a text must hold before its pattern is worth running."""

    kind: str
    pattern: re.Pattern[str]
    words: frozenset[str] = frozenset()  # any of these words
    digits: bool = False  # or any digit
    chars: str = ""  # or any of these characters
    starts: frozenset[str] = frozenset()  # a match can start at these words (lower case) ...
    capitals: bool = False  # ... or at a capitalised word (places: 'Jilin province'); and always at a digit

    def finditer(self, text: str, offsets: list[int]) -> Iterator[re.Match[str]]:
        return matches_at(self.pattern, text, offsets)


class Lexicon(Record, eq=False):
    """A validated lexicon with every pattern compiled once."""

    name: str
    version: str
    file: str
    sha256: str
    words: Mapping[str, tuple[str, ...]]  # "signals.hedging" -> phrases, for documentation and tests
    hedging: re.Pattern[str] | None
    vague_attribution: re.Pattern[str] | None
    absolutes: re.Pattern[str] | None
    loaded: re.Pattern[str] | None
    specifics: tuple[Specific, ...]  # kinds: date, unit, number, place, person, tried in this order
    boilerplate: re.Pattern[str] | None
    abbreviations: frozenset[str]
    reporting_verbs: re.Pattern[str] | None
    attribution_markers: re.Pattern[str] | None
    anaphora: re.Pattern[str] | None
    prescriptive: re.Pattern[str] | None
    meta: re.Pattern[str] | None
    opinion: re.Pattern[str] | None
    interpretation: re.Pattern[str] | None
    analysis: re.Pattern[str] | None
    scenario: re.Pattern[str] | None
    background: re.Pattern[str] | None
    source_types: tuple[tuple[str, re.Pattern[str]], ...]
    source_type_marks: Mapping[str, Mark] = field(default_factory=dict)
    indexes: Mapping[str, Index] = field(default_factory=dict)  # signal family -> its word index


_DIGITS = r"\d+(?:[.,]\d+)*"
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
# Capitalised words that are no name: "The city" is not a place, "In March" no person.
_NOT_NAMES = ("The|A|An|This|That|These|Those|It|Its|Their|His|Her|Our|One|Each|Every|Some|Any|No|In|On|At|By|"
              "For|From|Of|And|But|Or|As|If|When|While|After|Before|Since|Although|However|Many|Most|Several|Other")
_NAME = rf"(?!(?:{_NOT_NAMES})\b)[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*)*"


_DATE_LEADS = ("in", "since", "until", "till", "by", "during", "from", "through", "last", "early", "late", "mid",
               "this", "next")


def _first_words(*lists: tuple[str, ...]) -> frozenset[str]:
    return frozenset(m.group(0) for phrases in lists for p in phrases
                     if (m := _TOKEN.match(p.lower().replace("\u2019", "'"))) is not None)


def _specific_patterns(spec: Mapping[str, tuple[str, ...]]) -> tuple[Specific, ...]:
    """Patterns for checkable detail, each compiled when a text first holds its kind's trigger
    (start-up pays only for the kinds it meets, and writing every pattern took 0.2-0.3 ms).

    Kinds are tried in this order and a span found by an earlier kind is not
    counted again: '12 March 2026' is a date, not also the numbers 12 and 2026.
    """
    kinds = ("date", *(("unit",) if spec.get("units") else ()), "number", "place",
             *(("person",) if spec.get("person_titles") else ()))
    get = spec.get
    months_days = _first_words(get("months", ()), get("weekdays", ()))
    numbers, titles_ = _first_words(get("number_words", ())), _first_words(get("person_titles", ()))
    places_, nouns_ = _first_words(get("places", ())), _first_words(get("place_nouns", ()))
    triggers = {  # what each kind's pattern needs in the text before it can match, and where a match can start
        "date": dict(digits=True, words=months_days, starts=months_days | frozenset(_DATE_LEADS)),
        "unit": dict(digits=True, words=numbers, starts=numbers),
        "number": dict(digits=True, words=numbers, starts=numbers),
        "place": dict(chars="\u00b0", words=places_ | nouns_, starts=places_ | nouns_, capitals=True),
        "person": dict(words=titles_, starts=titles_),
    }
    return tuple(Specific(kind, LazyPattern(_specific_pattern, (kind, spec)), **triggers[kind])  # type: ignore[arg-type]
                 for kind in kinds)


def _specific_pattern(kind_and_spec: tuple[str, Mapping[str, tuple[str, ...]]]) -> re.Pattern[str]:
    kind, spec = kind_and_spec
    return re.compile(r"(?<![\w'\u2019])(?:" + dict(_specific_bodies(spec))[kind] + r")(?![\w'\u2019])")


def _specific_bodies(spec: Mapping[str, tuple[str, ...]]) -> list[tuple[str, str]]:
    """(kind, the regex body of its pattern), in the order kinds are tried. The shapes are here;
    the words come from the lexicon."""
    def words(key: str) -> str | None:
        return alternation(spec[key]) if spec.get(key) else None

    # a month needs its capital: "May 2026" is a date, "may" a hedge, "march" a verb
    months = f"(?=[A-Z]){words('months')}" if spec.get("months") else None
    weekdays, units = words("weekdays"), words("units")
    number_words, places, nouns, titles = words("number_words"), words("places"), words("place_nouns"), words("person_titles")
    out: list[tuple[str, str]] = []
    dates = [r"\d{4}-\d{2}-\d{2}", r"\d{1,2}/\d{1,2}/\d{2,4}", r"(?<![\d.,])(?:19|20)\d{2}(?![\d.,]\d)"]
    if months:
        dates[:0] = [rf"{_ORDINAL}\s+(?:of\s+)?{months}(?:,?\s+\d{{4}})?",
                     rf"{months}\s+{_ORDINAL}(?:,?\s+\d{{4}})?",
                     rf"{months}(?:\s+of)?\s+\d{{4}}",
                     rf"(?i:{'|'.join(_DATE_LEADS)}-?)\s+{months}(?:\s+\d{{4}})?"]
    if weekdays:
        dates.append(weekdays)
    out.append(("date", "|".join(dates)))
    amount = _DIGITS + (f"|{number_words}" if number_words else "")
    if units:
        spelled = rf"|{number_words}(?:\s+|-){units}" if number_words else ""  # 'two battalions', not 'twobattalions'
        out.append(("unit", rf"(?:{_DIGITS}|{_ORDINAL})(?:\s*|-){units}{spelled}"))
    out.append(("number", amount + r"|\d+(?:st|nd|rd|th)"))
    place = [r"\d+(?:\.\d+)?\s*\u00b0\s*[NSEW]?"]
    if nouns:  # before the gazetteer, so 'Yanggu county' is found whole
        place += [rf"{_NAME}\s+{nouns}", rf"{nouns}\s+of\s+{_NAME}"]
    if places:
        place.append(places)
    out.append(("place", "|".join(place)))
    if titles:
        out.append(("person", rf"{titles}\.?\s+{_NAME}"))
    return out


def _lazy(build: Any, phrases: tuple[str, ...]) -> Any:
    return LazyPattern(build, phrases) if phrases else None


def build_lexicon(data: Mapping[str, Any], tree: Any, file: str, sha256: str) -> Lexicon:
    signals = {k: tuple(v) for k, v in (data.get("signals") or {}).items()}
    spec = {k: tuple(v) for k, v in (data.get("specificity") or {}).items()}
    ext = data.get("extraction") or {}
    nc = {k: tuple(v) for k, v in (ext.get("not_checkable") or {}).items()}
    types = {k: tuple(v) for k, v in (ext.get("source_types") or {}).items()}
    marks: dict[str, Mark] = {}
    table = _get(tree, "extraction", "source_types")
    if isinstance(table, LMap):
        marks = {key: table.key_mark(key) for key in table.marks}
    words: dict[str, tuple[str, ...]] = {}
    for section, values in (("signals", signals), ("specificity", spec), ("not_checkable", nc)):
        words.update({f"{section}.{k}": v for k, v in values.items()})
    words.update({f"source_types.{k}": v for k, v in types.items()})
    for key in ("boilerplate", "reporting_verbs", "attribution_markers", "anaphora"):
        words[f"extraction.{key}"] = tuple(ext.get(key) or ())
    signal = {family: _lazy(compile_phrases, signals.get(family, ()))
              for family in ("hedging", "vague_attribution", "absolutes", "loaded")}
    return Lexicon(
        name=data.get("name") or Path(file).stem,
        version=str(data.get("version") or "unversioned"),
        file=file,
        sha256=sha256,
        words=words,
        hedging=signal["hedging"],
        vague_attribution=signal["vague_attribution"],
        absolutes=signal["absolutes"],
        loaded=signal["loaded"],
        specifics=_specific_patterns(spec),
        boilerplate=_lazy(compile_boilerplate, tuple(ext.get("boilerplate") or ())),
        abbreviations=frozenset(a.lower().rstrip(".") for a in ext.get("abbreviations") or ()),
        reporting_verbs=_lazy(compile_phrases, tuple(ext.get("reporting_verbs") or ())),
        attribution_markers=_lazy(compile_phrases, tuple(ext.get("attribution_markers") or ())),
        anaphora=_lazy(compile_phrases, tuple(ext.get("anaphora") or ())),
        prescriptive=_lazy(compile_phrases, nc.get("prescriptive", ())),
        meta=_lazy(compile_phrases, nc.get("meta", ())),
        opinion=_lazy(compile_phrases, nc.get("opinion", ())),
        interpretation=_lazy(compile_phrases, nc.get("interpretation", ())),
        analysis=_lazy(compile_phrases, nc.get("analysis", ())),
        scenario=_lazy(compile_phrases, nc.get("scenario", ())),
        background=_lazy(compile_phrases, nc.get("background", ())),
        source_types=tuple((t, _lazy(compile_phrases, v)) for t, v in types.items() if v),
        source_type_marks=marks,
        indexes={family: index for family, pattern in signal.items()
                 if (index := phrase_index(signals.get(family, ()), pattern)) is not None},
    )


def _get(tree: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(tree, dict):
            return None
        tree = tree.get(key)
    return tree


# --- finding and loading --------------------------------------------------------

DEFAULT = "language"


def lexicon_dirs(near: Path | None = None) -> tuple[Path, ...]:
    """Where lexicon names are looked up: beside the rubric that names them, ./rubrics/lexicons, then bundled."""
    dirs = [near / "lexicons"] if near is not None else []
    dirs += [Path("rubrics") / "lexicons", resources.rubrics_dir() / "lexicons"]
    return tuple(dict.fromkeys(dirs))


def find_lexicon(spec: str, near: Path | None = None) -> Path:
    """A path as given (relative to `near`, the naming rubric's folder, when there is one), else NAME.yaml."""
    candidate = Path(spec)
    if candidate.suffix in (".yaml", ".yml") or "/" in spec or "\\" in spec:
        for path in ((near / candidate) if near is not None and not candidate.is_absolute() else None, candidate):
            if path is not None and (is_file(path, spec, "lexicon") or exists(path)):
                return path
        raise CredcheckError.single(None, "", f"lexicon file '{spec}' not found")
    names: list[str] = []
    for folder in lexicon_dirs(near):
        path = folder / f"{spec}.yaml"
        if is_file(path, spec, "lexicon"):
            return path
        if folder.is_dir():
            names += [p.stem for p in sorted(folder.glob("*.yaml"))]
    names = list(dict.fromkeys(names))
    raise CredcheckError.single(None, "", f"unknown lexicon '{spec}'{did_you_mean(spec, names)}; available: {one_of(names) or 'none'}")


def load_lexicon(spec: str | Path = DEFAULT, near: Path | None = None, folders: RubricFolders | None = None) -> Lexicon:
    """Find, read, validate (every problem at once) and compile a lexicon; cached per file content.

    A lexicon a rubric names (`folders`: that rubric's) must lie in the rubric folders
    (confine.py) and is read with the rubric's limits (rubric-size); one named on the
    command line is read with the default rubric limits.
    """
    path = spec if isinstance(spec, Path) else find_lexicon(spec, near)
    if folders is not None:
        folders.admit(path, str(spec), "lexicon", None, "")
    limits = folders.limits if folders is not None else RUBRIC_LIMITS
    try:
        data = read_limited(path, limits.max_file_bytes, "rubric-size", "a lexicon")
    except OSError as exc:
        raise CredcheckError.single(None, "", f"cannot read lexicon {path}: {exc.strerror}") from None
    with reading(str(path)):
        return _compiled(str(path), data, limits, folders is None or folders.positions)


@lru_cache(maxsize=16)
def _compiled(file: str, data: bytes, limits: Limits = RUBRIC_LIMITS, positions: bool = True) -> Lexicon:
    """The lexicon in `data`, checked and compiled. Without `positions` (for a rubric read without them,
    model.py) it is first read plain, and has no source_type_marks: only `extract` reports them, and it
    reads with positions. At anything off it is read with them, which alone reports problems."""
    if not positions:
        try:
            tree = read_plain(data, limits)
        except Fallback:
            pass
        else:
            problems = Problems()
            checked = LEXICON.check(tree, Ctx(Mark(file, 1, 1), ""), problems)
            if not problems:
                return build_lexicon(checked, tree, file, hashlib.sha256(data).hexdigest())
    tree = load_yaml(data, file, limits)
    problems = Problems()
    if not isinstance(tree, LMap):
        raise CredcheckError.single(Mark(file, 1, 1), "", "a lexicon must be a YAML mapping")
    checked = LEXICON.check(tree, Ctx(Mark(file, 1, 1), ""), problems)
    problems.raise_if_any()
    return build_lexicon(checked, tree, file, hashlib.sha256(data).hexdigest())


def check_source_types(lexicon: Lexicon, known: tuple[str, ...]) -> None:
    """Every source type the lexicon guesses must be one the rubric defines."""
    problems = Problems()
    for stype, _ in lexicon.source_types:
        if stype not in known:
            problems.add(lexicon.source_type_marks.get(stype), f"extraction.source_types.{stype}",
                         f"unknown source type '{stype}'{did_you_mean(stype, known)}; the rubric defines: {one_of(known)}")
    problems.raise_if_any()
