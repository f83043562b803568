"""The fast path for well-formed claims files: parser events or JSON values straight to Claim and Source.

Most large inputs are machine-written and valid. Checking them through the
located schema (schema.Obj over LMap/LList trees) costs more than scoring
them, so this module converts the contract's shapes (contract.py) directly,
and gives up - raises Fallback - at the first thing it does not expect: an
unknown or duplicate key, a value of the wrong type, an anchor, alias, tag or
merge key, a limit reached, a syntax error. The caller then runs the full
located checker, which alone reports problems: messages and positions are the
same whichever path ran, and a valid file gives the same values either way
(tests/load/test_fast.py holds the two paths to that).

Each shape's keys are read by functions made once per file from the
contract: a key the contract declares is read here as every other key of its
kind, so a file using a new field stays on this path.
"""
from __future__ import annotations

import gc
import re
import sys
import unicodedata
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence

from credcheck.errors import Problems
from credcheck.lazyre import LazyPattern
from credcheck.limits import Limits
from credcheck.load import contract
from credcheck.load.contract import DATE_CHECKS, Key, Shape, Vocabulary, words_of
from credcheck.load.located_yaml import _plain_scalar
from credcheck.load.references import check_claims, check_sources
from credcheck.model import Claim, Pos, Source
from credcheck.record import _MISSING
from credcheck.record import fields as record_fields
import yaml

try:
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml: always the full path
    _CParser = None  # type: ignore[assignment,misc]

# A plain scalar that starts with none of these is text (see located_yaml._plain_scalar).
_MAYBE_TYPED = frozenset("yYnNtTfFoO0123456789+-.~")
# Deepest container in a valid claims file: root > claims > claim > reports > report > via.
_DEPTH = 6
# The Limits fields this module enforces; a new limit must be handled here too (a test checks).
CHECKED_LIMITS = frozenset({"max_file_bytes", "max_string", "max_depth", "max_alias_nodes", "max_items",
                            "max_claims", "max_reports"})

_Scalar = yaml.ScalarEvent
_MapStart = yaml.MappingStartEvent
_MapEnd = yaml.MappingEndEvent
_SeqStart = yaml.SequenceStartEvent
_SeqEnd = yaml.SequenceEndEvent


FORMATS = ("yaml", "json", "jsonl")
_SUFFIXES = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}
Progress = Callable[[int, float], None]  # (claims read so far, fraction of the file read)
PROGRESS_EVERY = 1024  # claims between two progress calls: the callback may be slow (a terminal)


def detect_format(name: str, explicit: str | None = None) -> str:
    """yaml, json or jsonl: as asked, else by the file's extension (YAML when in doubt, and for stdin)."""
    if explicit:
        return explicit
    dot = name.rfind(".")
    return _SUFFIXES.get(name[dot:].lower(), "yaml") if dot > 0 else "yaml"


class Fallback(Exception):
    """The input needs the full, located checker: it may hold a mistake."""


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector off while millions of small, acyclic objects are built.

    Every full collection walks all live objects, so with 100,000 claims in
    memory collections cost about a fifth of a run and free nothing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Parsed:
    """One file's contents, converted: top-level text fields, sources and claims in file order."""

    __slots__ = ("title", "as_of", "sources", "claims")

    def __init__(self, title: Any = None, as_of: Any = None, sources: list[Source] | None = None,
                 claims: list[Claim] | None = None):
        self.title, self.as_of, self.sources, self.claims = title, as_of, sources, claims


def read_yaml(data: bytes, file: str, kind: str, vocabulary: Vocabulary, limits: Limits,
              progress: Progress | None = None) -> Parsed:
    """One well-formed YAML claims ("claims") or sources ("sources") file, converted; Fallback otherwise."""
    parsed = YamlReader(data, file, vocabulary, limits, progress).read(kind)
    check_counts(parsed.claims or (), limits)
    return parsed


# --- a YAML claims file read in shares (render/shares.py) ---
#
# A claims file whose last top-level key is `claims:`, a block-style list, can
# be cut at the start of any of its items: each share after the first is then
# read as a file of its own, `claims:` and the share's lines, put back on their
# own line numbers by blank lines so that every position is the file's. The
# cuts are only candidates; each share proves its own when read: a cut inside
# a quoted or flow value leaves a share that does not parse, an alias to an
# anchor of another share, or anything else unusual, is a Fallback (the file
# is then read whole), and the shares are checked as a whole before scoring.

# Each line pattern starts at the newline before its line: a search for a leading literal runs
# in C ten times faster than one for `^` in multi-line mode (0.02 against 0.22 s over 45 MB).
_CLAIMS_LINE = rb"claims:[ \t]*(?:#[^\n]*)?\r?\n"
_CLAIMS_FIRST_LINE = LazyPattern(re.compile, _CLAIMS_LINE)
_CLAIMS_KEY = LazyPattern(re.compile, rb"\n" + _CLAIMS_LINE)
# Blank and comment lines, then the first item: its indentation is every item's.
_FIRST_ITEM = LazyPattern(re.compile, rb"(?:[ \t]*(?:#[^\n]*)?\r?\n)*( *)-[ \r\n]")
# After the list, a line starting at column 0 with anything but a dash (an item, or a
# second document that the shares then refuse), a comment or a blank: not cut.
_TOP_LEVEL = LazyPattern(re.compile, rb"\n[^ \r\n#-]")
_ITEM_ENDS = (b" ", b"\r", b"\n")  # what follows the dash of an item

YamlItems = tuple[int, bytes]  # where the claims list's first item starts, the bytes that start each item


def yaml_items(data: bytes) -> YamlItems | None:
    """Where the items of a YAML claims file's claims list start, if the list is block-style and
    ends the file; None for any other layout. Read once, for yaml_claims_estimate and yaml_claim_cuts."""
    end = _after_claims_key(data, 0)
    if end is None or _after_claims_key(data, end) is not None or _TOP_LEVEL.search(data, end - 1):
        return None
    first = _FIRST_ITEM.match(data, end)
    if first is None:
        return None
    return first.start(1), b"\n" + first.group(1) + b"-"


def _after_claims_key(data: bytes, pos: int) -> int | None:
    """Where the line after the first `claims:` key at column 0 from `pos` (a line start) starts."""
    if pos == 0 and (found := _CLAIMS_FIRST_LINE.match(data)) is not None:
        return found.end()
    found = _CLAIMS_KEY.search(data, max(pos - 1, 0))
    return None if found is None else found.end()


def yaml_claims_estimate(data: bytes, items: YamlItems) -> int:
    """About how many claims a YAML claims file holds: lines starting an item of its list."""
    return 1 + data.count(items[1], items[0])


def yaml_claim_cuts(data: bytes, items: YamlItems, shares: int) -> list[int]:
    """Offsets of the lines at which to cut a YAML claims file into `shares` parts holding
    about as many claims each (fewer if the items run out)."""
    start, item = items
    cuts: list[int] = []
    for k in range(1, shares):
        at = max(cuts[-1] if cuts else start, start + (len(data) - start) * k // shares)
        while (found := data.find(item, at)) != -1 and data[found + len(item):found + len(item) + 1] not in _ITEM_ENDS:
            at = found + 1  # '--' or '---' at the items' indentation: not an item
        if found == -1:
            break
        cuts.append(found + 1)
    return cuts


def read_yaml_share(data: bytes, start: int, end: int | None, file: str, vocabulary: Vocabulary,
                    limits: Limits, progress: Progress | None = None) -> Parsed:
    """The part of a YAML claims file between two cuts (yaml_claim_cuts; the first from 0),
    converted as read_yaml converts a whole file; Fallback if it is not a list of claims."""
    if start == 0:
        return read_yaml(data[:end], file, "claims", vocabulary, limits, progress)
    line = data.count(b"\n", 0, start)  # lines before the share: `claims:` goes on the last of them
    share = read_yaml(b"\n" * (line - 1) + b"claims:\n" + data[start:end], file, "claims", vocabulary, limits, progress)
    return Parsed(sources=[], claims=share.claims)


def check_counts(claims: Sequence[Claim], limits: Limits) -> None:
    """Fallback over the claims or reports limit: the located checker names the claim too many."""
    if len(claims) > limits.max_claims or count_reports(claims) > limits.max_reports:
        raise Fallback


def count_reports(claims: Sequence[Claim]) -> int:
    return sum(len(c.reports) for c in claims)


def check_references(sources: list[Source], claims: Sequence[Claim]) -> dict[str, Source]:
    """The source table, or Fallback when a cross-reference is wrong (the full path says where)."""
    table = check_source_table(sources)
    check_claim_references(claims, table)
    return table


def check_source_table(sources: list[Source]) -> dict[str, Source]:
    """The table of sources by id; Fallback on a duplicate id or a wrong derived_from."""
    problems = Problems()
    table = check_sources(sources, problems)
    if problems:
        raise Fallback
    return table


def check_claim_references(claims: Sequence[Claim], table: dict[str, Source]) -> None:
    """Fallback on a duplicate claim id, or a report naming, relaying or disowning an unknown source."""
    problems = Problems()
    check_claims(claims, table, problems)
    if problems:
        raise Fallback


def _nfc(text: str) -> str:
    """An id as the located checker keeps it (schema.Id normalises to NFC): Fallback if it is not NFC already."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    raise Fallback


# How each key of a shape is read: key -> (at, read), `at` the index of the model field it fills
# among the model's fields, which gets read(value). Without one, the value is checked and dropped
# (JSON), or (YAML) read(event, values) fills what it fills itself: a value and its position,
# or nothing for a key checked, then dropped.
Readers = dict[str, tuple[int | None, Callable[..., Any]]]


def _blank(model: Any) -> tuple[list[Any], dict[str, int]]:
    """The model's field values before a mapping is read (each field's default: the contract's,
    a test holds them to it), and each field's index. Model values are then built positionally:
    cheaper than by keyword, for ~400,000 values in a 100,000-claim file."""
    fields = record_fields(model)
    if any(f.factory is not _MISSING for f in fields):
        raise TypeError(f"{model.__name__}: a loaded value's defaults are plain values, shared by every value read")
    return [f.default for f in fields], {f.name: i for i, f in enumerate(fields)}


def _text_of(max_string: int, nonempty: bool, nfc: bool) -> Callable[[Any], str]:
    """schema.Str (and schema.Id, `nfc`) on a scalar's value: text, or a whole number kept as its text."""
    def text(value: Any) -> str:
        if type(value) is str:
            if len(value) > max_string or nonempty and (not value or value.isspace()):
                raise Fallback
            if nfc and not value.isascii() and not unicodedata.is_normalized("NFC", value):
                raise Fallback  # the located checker normalises it (schema.Id), so both paths agree
            # An id is interned: one string per source id, however many reports and lists name it.
            return sys.intern(value) if nfc else value
        if type(value) is int:
            return str(value)
        raise Fallback
    return text


def _word_of(choices: frozenset[str]) -> Callable[[Any], str]:
    # Each word read is the one string kept for it: a million claims' stances, access and
    # types are then shared strings, not one per report (~0.5 GB).
    kept = {w: w for w in choices}

    def word(value: Any) -> str:
        found = kept.get(value) if type(value) is str else None
        if found is None:
            raise Fallback
        return found
    return word


def _flag(value: Any) -> bool:
    if type(value) is not bool:
        raise Fallback
    return value


def _count(value: Any) -> int:
    if type(value) is not int or value < 0:
        raise Fallback
    return value


def _dated(text: Callable[[Any], str], valid: Callable[[str], bool]) -> Callable[[Any], str]:
    def dated(value: Any) -> str:
        value = text(value)
        if not valid(value):
            raise Fallback
        return value
    return dated


def _value_reader(key: Key, vocabulary: Vocabulary, max_string: int) -> Callable[[Any], Any] | None:
    """What reads a scalar value of this key's kind (YAML's resolved, or JSON's decoded); None for the others."""
    kind = key.kind
    if kind in ("id", "text", "note"):
        return _text_of(max_string, kind != "note", kind == "id")
    if kind == "word":
        words = words_of(key, vocabulary)
        return _text_of(max_string, True, False) if words is None else _word_of(frozenset(words))
    if kind == "flag":
        return _flag
    if kind == "count":
        return _count
    if kind in DATE_CHECKS:
        return _dated(_text_of(max_string, True, False), DATE_CHECKS[kind])
    return None


# --- YAML: parser events to values ---------------------------------------------------------

def libyaml_parser(data: bytes, max_bytes: int) -> Any:
    """libyaml's event parser over `data` (bytes: libyaml decodes them itself, positions as for
    text); Fallback without libyaml, over `max_bytes`, or for bytes that are not UTF-8."""
    if _CParser is None or len(data) > max_bytes:
        raise Fallback
    if not data.isascii():
        try:
            data.decode("utf-8")  # strict, as located_yaml.decode_utf8; libyaml alone would take UTF-16 too
        except UnicodeDecodeError:
            raise Fallback from None
    return _CParser(data)


class YamlReader:
    """Reads one YAML claims or sources file from the C parser's events, without building a tree.

    Each method consumes the events of one value, whose first event it is given.
    """

    def __init__(self, data: bytes, file: str, vocabulary: Vocabulary, limits: Limits, progress: Progress | None = None):
        if limits.max_depth < _DEPTH:
            raise Fallback
        self._parser = libyaml_parser(data, limits.max_file_bytes)
        self.file = file
        self.vocabulary = vocabulary
        self.max_string = limits.max_string
        self.max_items = limits.max_items
        self.next: Callable[[], Any] = self._parser.get_event
        self.size = max(1, len(data))
        self.progress = progress
        self.count = 0
        self.claim = self._records_of(contract.CLAIM)
        self.source = self._records_of(contract.SOURCE)

    def read(self, kind: str) -> Parsed:
        """The whole document; `kind` is "claims" or "sources". Fallback on anything unusual."""
        on_claim = self._report_progress if self.progress is not None else None
        try:
            return self._document(kind, on_claim)
        except yaml.YAMLError:
            raise Fallback from None
        finally:
            self._parser.dispose()
            # The mapping readers refer back to this reader (a cycle): dropped, the parser and the
            # file's bytes are freed now, not by the cyclic collector, which a run keeps paused.
            del self.claim, self.source

    def _document(self, kind: str, on_claim: Callable[[Claim], Any] | None) -> Parsed:
        nxt = self.next
        nxt()  # StreamStart
        if type(nxt()) is not yaml.DocumentStartEvent:
            raise Fallback  # an empty file
        out = Parsed()
        root = nxt()
        if kind == "sources" and type(root) is _SeqStart:  # a bare list of sources
            _plain_node(root)
            out.sources = self._list(self.source)
        else:
            self._top(root, kind, out, on_claim)
        if type(nxt()) is not yaml.DocumentEndEvent or type(nxt()) is not yaml.StreamEndEvent:
            raise Fallback  # a second document
        return out

    def _top(self, ev: Any, kind: str, out: Parsed, on_claim: Callable[[Claim], Any] | None) -> None:
        if type(ev) is not _MapStart:
            raise Fallback
        _plain_node(ev)
        nxt = self.next
        shape = contract.CLAIMS_FILE if kind == "claims" else contract.SOURCES_FILE
        allowed = shape.names
        seen: set[str] = set()
        while True:
            key = self._key(nxt(), seen, allowed)
            if key is None:
                break
            ev = nxt()
            if key == "sources":
                out.sources = self._list_or_null(ev, self.source)
            elif key == "claims":
                out.claims = self._list_or_null(ev, self.claim, on_claim)
            else:
                setattr(out, key, self._text(ev))
        if not shape.required <= seen:
            raise Fallback
        if out.sources is None:
            out.sources = []
        if out.claims is None:
            out.claims = []

    def _report_progress(self, claim: Claim) -> None:
        self.count += 1
        if self.count % PROGRESS_EVERY == 0 and self.progress is not None:
            self.progress(self.count, min(1.0, self._parser.peek_event().start_mark.index / self.size))

    # -- containers --

    def _key(self, ev: Any, seen: set[str], allowed: Any) -> str | None:
        """The next key of a mapping, or None at its end."""
        cls = type(ev)
        if cls is _MapEnd:
            return None
        if cls is not _Scalar or ev.anchor is not None or ev.tag is not None:
            raise Fallback
        key = ev.value
        if key in seen or key not in allowed:
            raise Fallback  # duplicate, unknown, or a merge key '<<'
        seen.add(key)
        return key

    def _list(self, item: Callable[[Any], Any], sink: Callable[[Any], Any] | None = None) -> list[Any]:
        """Items until the end of a sequence whose start was consumed."""
        nxt = self.next
        items: list[Any] = []
        append = items.append
        while True:
            ev = nxt()
            if type(ev) is _SeqEnd:
                break
            value = item(ev)
            append(value)
            if sink is not None:
                sink(value)
        if len(items) > self.max_items:
            raise Fallback
        return items

    def _list_or_null(self, ev: Any, item: Callable[[Any], Any], sink: Callable[[Any], Any] | None = None) -> list[Any]:
        if type(ev) is _SeqStart:
            _plain_node(ev)
            return self._list(item, sink)
        if self._scalar(ev) is None:
            return []  # `reports:` with nothing after it: an empty list (schema.ListOf)
        raise Fallback

    def _texts(self, ev: Any, unique: bool, ids: bool) -> tuple[tuple[str, ...], tuple[Pos, ...]]:
        """A list of texts (`via`, `derived_from`, `tags`) and where each item is."""
        if type(ev) is not _SeqStart:
            if self._scalar(ev) is None:
                return (), ()
            raise Fallback
        _plain_node(ev)
        nxt, file, text, intern = self.next, self.file, self._text, sys.intern
        items: list[str] = []
        marks: list[Pos] = []
        while True:
            ev = nxt()
            if type(ev) is _SeqEnd:
                break
            items.append(intern(_nfc(text(ev))) if ids else text(ev))  # one string per id, however many lists name it
            m = ev.start_mark
            marks.append((file, m.line + 1, m.column + 1))
        if unique and len(set(items)) != len(items) or len(items) > self.max_items:
            raise Fallback
        return tuple(items), tuple(marks)

    # -- scalars --

    def _scalar(self, ev: Any) -> Any:
        """A scalar's value as located_yaml resolves it (only untagged, unanchored scalars)."""
        if type(ev) is not _Scalar or ev.anchor is not None or ev.tag is not None:
            raise Fallback
        text = ev.value
        if len(text) > self.max_string:
            raise Fallback
        if ev.implicit[0] and (not text or text[0] in _MAYBE_TYPED):
            return _plain_scalar(text)
        return text

    def _text(self, ev: Any, nonempty: bool = True) -> str:
        """schema.Str: text, or a whole number kept as its text."""
        value = self._scalar(ev)
        if type(value) is not str:
            if type(value) is not int:
                raise Fallback
            value = str(value)
        if nonempty and (not value or value.isspace()):
            raise Fallback
        return value

    def _pos(self, ev: Any) -> Pos:
        m = ev.start_mark
        return (self.file, m.line + 1, m.column + 1)

    # -- the contract's mappings --

    def _records_of(self, shape: Shape) -> Callable[[Any], Any]:
        """A function reading one mapping of `shape` (from its first event) into its model value.

        Keys not given take the model's defaults, which are the contract's (a test holds them to it).
        """
        blank, index = _blank(shape.model)
        readers: Readers = {key.name: self._reader(key, index) for key in shape.keys}
        required, model, nxt = shape.required, shape.model, self.next

        def record(ev: Any) -> Any:
            if type(ev) is not _MapStart:
                raise Fallback
            _plain_node(ev)
            values = blank.copy()
            seen: set[str] = set()
            while True:
                ev = nxt()
                if type(ev) is _MapEnd:
                    break
                if type(ev) is not _Scalar or ev.anchor is not None or ev.tag is not None:
                    raise Fallback
                key = ev.value
                entry = readers.get(key)
                if entry is None or key in seen:
                    raise Fallback  # unknown, a duplicate, or a merge key '<<'
                seen.add(key)
                at, read = entry
                if at is None:
                    read(nxt(), values)
                else:
                    values[at] = read(nxt())
            if not required <= seen:
                raise Fallback
            return model(*values)

        return record

    def _reader(self, key: Key, index: dict[str, int]) -> tuple[int | None, Callable[..., Any]]:
        """How one key's value is read, from its first event (see Readers)."""
        kind, file = key.kind, self.file
        field = None if key.field is None else index[key.field]
        pos = None if key.pos is None else index[key.pos]
        if kind in ("ids", "texts"):
            texts, unique = self._texts, kind == "ids"
            if pos is None and field is not None:
                return field, lambda ev: texts(ev, unique, unique)[0]

            def read_placed_list(ev: Any, values: list[Any]) -> None:
                items, marks = texts(ev, unique, unique)
                if field is not None:
                    values[field] = items
                if pos is not None:
                    values[pos] = marks
            return None, read_placed_list
        if kind == "record":
            assert key.shape is not None
            read = self._records_of(key.shape)
        elif kind == "records":
            assert key.shape is not None
            item, items = self._records_of(key.shape), self._list_or_null
            read = lambda ev: tuple(items(ev, item))  # noqa: E731
        else:
            convert = _value_reader(key, self.vocabulary, self.max_string)
            if convert is None:
                raise ValueError(f"{key.name}: unknown kind '{kind}'")
            read = self._scalar_reader(convert)
        if pos is not None:
            def read_placed(ev: Any, values: list[Any]) -> None:
                values[field] = read(ev)  # type: ignore[index]
                m = ev.start_mark
                values[pos] = (file, m.line + 1, m.column + 1)  # type: ignore[index]
            return None, read_placed
        if field is None:
            return None, lambda ev, values: read(ev)  # checked, then dropped
        return field, read

    def _scalar_reader(self, convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """convert() of a scalar's value as located_yaml resolves it (self._scalar, inline: it runs for every value)."""
        max_string = self.max_string

        def read(ev: Any) -> Any:
            if type(ev) is not _Scalar or ev.anchor is not None or ev.tag is not None:
                raise Fallback
            text = ev.value
            if len(text) > max_string:
                raise Fallback
            if ev.implicit[0] and (not text or text[0] in _MAYBE_TYPED):
                return convert(_plain_scalar(text))
            return convert(text)
        return read


def _plain_node(ev: Any) -> None:
    """Containers with an anchor or a tag go the full way (aliases and tags are checked there)."""
    if ev.anchor is not None or ev.tag is not None:
        raise Fallback


# --- JSON: decoded values to values ----------------------------------------------------------

class JsonConverter:
    """Converts decoded JSON values (dicts, lists, str, int...) the way the located schema would.

    JSON carries no positions, so `pos` fields stay empty here; when anything
    is off, the located JSON reader (json_input) runs the full checker instead.
    """

    def __init__(self, vocabulary: Vocabulary, limits: Limits):
        self.vocabulary = vocabulary
        self.max_string = limits.max_string
        self.max_items = limits.max_items
        self.max_file_bytes = limits.max_file_bytes
        self.claim = self._records_of(contract.CLAIM)
        self.source = self._records_of(contract.SOURCE)

    def document(self, value: Any, kind: str) -> Parsed:
        """A decoded document, converted; its claims list is emptied as it goes (see claims)."""
        out, claims = self.head(value, kind)
        if kind == "claims":
            out.claims = self.claims(claims)
        return out

    def head(self, value: Any, kind: str) -> tuple[Parsed, Any]:
        """(the title, date and sources converted; the claims list as decoded, for `claims`)."""
        out = Parsed()
        if kind == "sources" and type(value) is list:
            out.sources = self.items(value, self.source)
            out.claims = []
            return out, None
        shape = contract.CLAIMS_FILE if kind == "claims" else contract.SOURCES_FILE
        if type(value) is not dict or not value.keys() <= set(shape.names) or not shape.required <= value.keys():
            raise Fallback
        if "title" in value:
            out.title = self.text(value["title"])
        if "as_of" in value:
            out.as_of = self.text(value["as_of"])
        out.sources = self.items(value.get("sources"), self.source)
        if kind != "claims":
            out.claims = []
            return out, None
        claims = value.get("claims")
        if claims is not None and (type(claims) is not list or len(claims) > self.max_items):
            raise Fallback
        return out, claims

    def claims(self, decoded: list[Any] | None, start: int = 0, end: int | None = None) -> list[Claim]:
        """decoded[start:end] converted to claims, each item set to None once converted.

        Each decoded item is freed as soon as it is converted, so the claims are built
        in the memory it leaves: freed all at once at the end, the decoded document
        would leave holes all over the heap, which forked scoring workers then write
        into and copy page by page (measured: 0.5 s of a 100,000-claim run in two processes).
        """
        out: list[Claim] = []
        if decoded is None:
            return out
        claim = self.claim
        for i in range(start, len(decoded) if end is None else end):
            item = decoded[i]
            decoded[i] = None
            out.append(claim(item))
        return out

    def items(self, value: Any, convert: Callable[[Any], Any]) -> list[Any]:
        if value is None:
            return []
        if type(value) is not list or len(value) > self.max_items:
            raise Fallback
        return list(map(convert, value))

    def item_tuple(self, value: Any, convert: Callable[[Any], Any]) -> tuple[Any, ...]:
        if not value:
            if value is None or value == []:
                return ()
            raise Fallback
        if type(value) is not list or len(value) > self.max_items:
            raise Fallback
        return tuple(map(convert, value))

    def text(self, value: Any, nonempty: bool = True) -> str:
        kind = type(value)
        if kind is str:
            if len(value) > self.max_string or nonempty and (not value or value.isspace()):
                raise Fallback
            return value
        if kind is int:
            return str(value)
        raise Fallback

    def texts(self, value: Any, unique: bool, ids: bool = False) -> tuple[str, ...]:
        if value is None:
            return ()
        if type(value) is not list or len(value) > self.max_items:
            raise Fallback
        if ids and len(value) > 8 and set(map(type, value)) == {str}:  # a long list of ids: checked in C
            if max(map(len, value)) > self.max_string or "" in map(str.strip, value):
                raise Fallback
            # Interned: thousands of sources each naming the same thousands of ids then share
            # one string per id, once the decoded document is freed.
            items = tuple(map(sys.intern, map(_nfc, value)))
        else:
            text = self.text
            items = tuple([_nfc(text(v)) for v in value] if ids else [text(v) for v in value])
        if unique and len(set(items)) != len(items):
            raise Fallback
        return items

    # -- the contract's mappings --

    def _records_of(self, shape: Shape) -> Callable[[Any], Any]:
        """A function converting one decoded mapping of `shape` into its model value.

        Keys not given take the model's defaults, which are the contract's (a test holds them to it).
        """
        blank, index = _blank(shape.model)
        readers: Readers = {key.name: (None if key.field is None else index[key.field], self._reader(key))
                            for key in shape.keys}
        required, model = shape.required, shape.model

        def record(d: Any) -> Any:
            if type(d) is not dict or not required <= d.keys():
                raise Fallback
            values = blank.copy()
            for key, value in d.items():
                entry = readers.get(key)
                if entry is None:
                    raise Fallback  # a key the contract does not know
                at, read = entry
                if at is None:
                    read(value)  # checked, then dropped
                else:
                    values[at] = read(value)
            return model(*values)

        return record

    def _reader(self, key: Key) -> Callable[[Any], Any]:
        """What reads one key's value (JSON carries no positions: `pos` fields stay empty)."""
        kind = key.kind
        if kind in ("ids", "texts"):
            texts, unique = self.texts, kind == "ids"
            return lambda value: texts(value, unique, unique)
        if kind == "record":
            assert key.shape is not None
            return self._records_of(key.shape)
        if kind == "records":
            assert key.shape is not None
            item, items = self._records_of(key.shape), self.item_tuple
            return lambda value: items(value, item)
        convert = _value_reader(key, self.vocabulary, self.max_string)
        if convert is None:
            raise ValueError(f"{key.name}: unknown kind '{kind}'")
        return convert
