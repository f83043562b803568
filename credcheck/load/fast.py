"""The fast path for well-formed claims files: parser events or JSON values straight to Claim and Source.

Most large inputs are machine-written and valid. Checking them through the
located schema (schema.Obj over LMap/LList trees) costs more than scoring
them, so this module converts the shapes the contract defines directly, and
gives up - raises Fallback - at the first thing it does not expect: an
unknown or duplicate key, a value of the wrong type, an anchor, alias, tag or
merge key, a limit reached, a syntax error. The caller then runs the full
located checker, which alone reports problems: messages and positions are the
same whichever path ran, and a valid file gives the same values either way
(tests/test_fast_loading.py holds the two paths to that).
"""
from __future__ import annotations

import gc
import sys
import unicodedata
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence

from credcheck.errors import Problems
from credcheck.model import ACCESS, STANCES, Claim, Evidence, Pos, Report, Source
from credcheck.pyyaml import yaml
from credcheck.load.located_yaml import Limits, _plain_scalar

try:
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml: always the full path
    _CParser = None  # type: ignore[assignment,misc]

# Closed vocabularies as word -> the one string kept for it: a claim's stance, access and
# evidence types are then shared strings, not one per report (a million claims: ~0.5 GB).
LETTERS = {w: w for w in "ABCDEF"}
_STANCES = {w: w for w in STANCES}
_ACCESS = {w: w for w in ACCESS}
# A plain scalar that starts with none of these is text (see yamlload._plain_scalar).
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


def read_fast(data: bytes, file: str, fmt: str, kind: str, vocab: "Vocabulary", limits: Limits,
              progress: Progress | None = None) -> "Parsed":
    """One well-formed claims ("claims") or sources ("sources") file, converted; Fallback otherwise."""
    if fmt == "yaml":
        parsed = YamlReader(data, file, vocab, limits, progress).read(kind)
    else:
        from credcheck.load.json_input import read_fast as read_json  # jsonload builds on this module
        parsed = read_json(data, fmt, kind, JsonConverter(vocab, limits), progress)
    _accept(parsed, limits)
    return parsed


def _accept(parsed: "Parsed", limits: Limits) -> None:
    """Leave to the located checker what it alone reports or normalises.

    Over the claims or reports limit: it names the claim too many. An id,
    reference or owner not in Unicode NFC: it normalises them (schema.Id), so
    both paths give the same table of sources.
    """
    claims = parsed.claims or ()
    if over_limits(len(claims), count_reports(claims), limits):
        raise Fallback
    accept_normalised(parsed)


def count_reports(claims: Sequence[Claim]) -> int:
    return sum(len(c.reports) for c in claims)


def over_limits(claims: int, reports: int, limits: Limits) -> bool:
    return claims > limits.max_claims or reports > limits.max_reports


def accept_normalised(parsed: "Parsed") -> None:
    """Fallback unless every id, reference and owner is in Unicode NFC (see _accept)."""
    for src in parsed.sources or ():
        if not _nfc(src.id) or src.owner is not None and not _nfc(src.owner) or not all(map(_nfc, src.derived_from)):
            raise Fallback
    for claim in parsed.claims or ():
        if not _nfc(claim.id):
            raise Fallback
        for report in claim.reports:
            if not _nfc(report.source) or report.via and not all(map(_nfc, report.via)):
                raise Fallback


def _nfc(text: str) -> bool:
    return text.isascii() or unicodedata.is_normalized("NFC", text)


class Vocabulary:
    """The words a rubric defines, each mapped to the one string kept for it (see LETTERS)."""

    __slots__ = ("source_types", "evidence_types")

    def __init__(self, source_types: Sequence[str], evidence_types: Sequence[str]):
        self.source_types = {w: w for w in source_types}
        self.evidence_types = {w: w for w in evidence_types}

    @classmethod
    def of(cls, source_types: Sequence[str], evidence_types: Sequence[str]) -> "Vocabulary":
        return cls(source_types, evidence_types)


class Parsed:
    """One file's contents, converted: top-level text fields, sources and claims in file order."""

    __slots__ = ("title", "as_of", "sources", "claims")

    def __init__(self, title: Any = None, as_of: Any = None, sources: list[Source] | None = None,
                 claims: list[Claim] | None = None):
        self.title, self.as_of, self.sources, self.claims = title, as_of, sources, claims


def check_references(sources: list[Source], claims: Sequence[Claim]) -> dict[str, Source]:
    """The source table, or Fallback when a cross-reference is wrong (the full path says where)."""
    table = check_source_table(sources)
    check_claim_references(claims, table)
    return table


def check_source_table(sources: list[Source]) -> dict[str, Source]:
    """The table of sources by id; Fallback on a duplicate id or a wrong derived_from."""
    from credcheck.load.claims import check_sources  # claims imports this module
    problems = Problems()
    table = check_sources(sources, problems)
    if problems:
        raise Fallback
    return table


def check_claim_references(claims: Sequence[Claim], table: dict[str, Source]) -> None:
    """Fallback on a duplicate claim id, or a report naming or relaying an unknown source."""
    from credcheck.load.claims import check_claims
    problems = Problems()
    check_claims(claims, table, problems)
    if problems:
        raise Fallback


# --- YAML: parser events to values ---------------------------------------------------------

class YamlReader:
    """Reads one YAML claims or sources file from the C parser's events, without building a tree.

    Each method consumes the events of one value, whose first event it is given.
    """

    def __init__(self, data: bytes, file: str, vocab: Vocabulary, limits: Limits, progress: Progress | None = None):
        if _CParser is None or limits.max_depth < _DEPTH or len(data) > limits.max_file_bytes:
            raise Fallback
        if not data.isascii():
            try:
                data.decode("utf-8")  # strict, as yamlload.decode_utf8; libyaml alone would take UTF-16 too
            except UnicodeDecodeError:
                raise Fallback from None
        self.file = file
        self.vocab = vocab
        self.max_string = limits.max_string
        self.max_items = limits.max_items
        self._parser = _CParser(data)  # bytes: libyaml decodes them itself, positions as for text
        self.next: Callable[[], Any] = self._parser.get_event
        self.size = max(1, len(data))
        self.progress = progress
        self.count = 0

    def read(self, kind: str) -> Parsed:
        """The whole document; `kind` is "claims" or "sources". Fallback on anything unusual."""
        on_claim = self._report_progress if self.progress is not None else None
        try:
            return self._document(kind, on_claim)
        except yaml.YAMLError:
            raise Fallback from None
        finally:
            self._parser.dispose()

    def _document(self, kind: str, on_claim: Callable[[Claim], Any] | None) -> Parsed:
        nxt = self.next
        nxt()  # StreamStart
        if type(nxt()) is not yaml.DocumentStartEvent:
            raise Fallback  # an empty file
        out = Parsed()
        root = nxt()
        if kind == "sources" and type(root) is _SeqStart:  # a bare list of sources
            _plain_node(root)
            out.sources = self._list(self._source)
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
        allowed = ("title", "as_of", "sources", "claims") if kind == "claims" else ("sources",)
        seen: set[str] = set()
        while True:
            key = self._key(nxt(), seen, allowed)
            if key is None:
                break
            ev = nxt()
            if key == "sources":
                out.sources = self._list_or_null(ev, self._source)
            elif key == "claims":
                out.claims = self._list_or_null(ev, self._claim, on_claim)
            else:
                setattr(out, key, self._text(ev))
        if kind == "claims" and "claims" not in seen or kind == "sources" and "sources" not in seen:
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

    def _key(self, ev: Any, seen: set[str], allowed: tuple[str, ...]) -> str | None:
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

    def _texts(self, ev: Any, unique: bool) -> tuple[tuple[str, ...], tuple[Pos, ...]]:
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
            items.append(intern(text(ev)))  # one string per id, however many lists name it
            m = ev.start_mark
            marks.append((file, m.line + 1, m.column + 1))
        if unique and len(set(items)) != len(items) or len(items) > self.max_items:
            raise Fallback
        return tuple(items), tuple(marks)

    # -- scalars --

    def _scalar(self, ev: Any) -> Any:
        """A scalar's value as yamlload resolves it (only untagged, unanchored scalars)."""
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
        if nonempty and not value.strip():
            raise Fallback
        return value

    def _word(self, ev: Any, choices: dict[str, str]) -> str:
        """schema.Enum: one of a fixed set of words (the string kept for it)."""
        value = self._scalar(ev)
        word = choices.get(value) if type(value) is str else None
        if word is None:
            raise Fallback
        return word

    def _bool(self, ev: Any) -> bool:
        """schema.Bool: true or false."""
        value = self._scalar(ev)
        if type(value) is not bool:
            raise Fallback
        return value

    def _pos(self, ev: Any) -> Pos:
        m = ev.start_mark
        return (self.file, m.line + 1, m.column + 1)

    # -- the contract's mappings --

    def _mapping(self, ev: Any) -> None:
        if type(ev) is not _MapStart:
            raise Fallback
        _plain_node(ev)

    def _source(self, ev: Any) -> Source:
        self._mapping(ev)
        nxt = self.next
        seen: set[str] = set()
        id_ = name = type_ = reliability = owner = pos = None
        derived: tuple[str, ...] = ()
        derived_pos: tuple[Pos, ...] = ()
        while True:
            key = self._key(nxt(), seen, _SOURCE_KEYS)
            if key is None:
                break
            ev = nxt()
            if key == "id":
                id_, pos = self._text(ev), self._pos(ev)
            elif key == "name":
                name = self._text(ev)
            elif key == "type":
                type_ = self._word(ev, self.vocab.source_types)
            elif key == "reliability":
                reliability = self._word(ev, LETTERS)
            elif key == "owner":
                owner = self._text(ev)
            elif key == "derived_from":
                derived, derived_pos = self._texts(ev, unique=True)
            else:  # note
                self._text(ev, nonempty=False)
        if id_ is None or name is None or type_ is None:
            raise Fallback
        return Source(id_, name, type_, reliability, owner, derived, pos, derived_pos)

    def _claim(self, ev: Any) -> Claim:
        self._mapping(ev)
        nxt = self.next
        seen: set[str] = set()
        id_ = text = pos = judgment = None
        tags: tuple[str, ...] = ()
        reports: list[Report] = []
        evidence: list[Evidence] = []
        marks = {"key": False, "draft": False}
        while True:
            key = self._key(nxt(), seen, _CLAIM_KEYS)
            if key is None:
                break
            ev = nxt()
            if key == "id":
                id_, pos = self._text(ev), self._pos(ev)
            elif key == "text":
                text = self._text(ev)
            elif key == "reports":
                reports = self._list_or_null(ev, self._report)
            elif key == "evidence":
                evidence = self._list_or_null(ev, self._evidence)
            elif key == "judgment":
                judgment = self._text(ev)
            elif key in marks:  # key, draft
                marks[key] = self._bool(ev)
            else:  # tags
                tags = self._texts(ev, unique=False)[0]
        if id_ is None or text is None:
            raise Fallback
        return Claim(id_, text, tags, tuple(reports), tuple(evidence), pos, judgment, marks["key"], marks["draft"])

    def _report(self, ev: Any) -> Report:
        self._mapping(ev)
        nxt = self.next
        seen: set[str] = set()
        source = pos = None
        stance, access = "supports", "unknown"
        via: tuple[str, ...] = ()
        via_pos: tuple[Pos, ...] = ()
        while True:
            key = self._key(nxt(), seen, _REPORT_KEYS)
            if key is None:
                break
            ev = nxt()
            if key == "source":
                source, pos = sys.intern(self._text(ev)), self._pos(ev)  # one string per source id
            elif key == "stance":
                stance = self._word(ev, _STANCES)
            elif key == "access":
                access = self._word(ev, _ACCESS)
            elif key == "via":
                via, via_pos = self._texts(ev, unique=True)
            else:  # note
                self._text(ev, nonempty=False)
        if source is None:
            raise Fallback
        return Report(source, stance, access, via, pos, via_pos)

    def _evidence(self, ev: Any) -> Evidence:
        self._mapping(ev)
        nxt = self.next
        seen: set[str] = set()
        type_ = note = None
        verified = False
        while True:
            key = self._key(nxt(), seen, _EVIDENCE_KEYS)
            if key is None:
                break
            ev = nxt()
            if key == "type":
                type_ = self._word(ev, self.vocab.evidence_types)
            elif key == "verified":
                verified = self._bool(ev)
            else:  # note
                note = self._text(ev, nonempty=False)
        if type_ is None:
            raise Fallback
        return Evidence(type_, verified, note)


_SOURCE_KEYS = ("id", "name", "type", "reliability", "owner", "derived_from", "note")
_CLAIM_KEYS = ("id", "text", "tags", "reports", "evidence", "judgment", "key", "draft")
_REPORT_KEYS = ("source", "stance", "access", "via", "note")
_EVIDENCE_KEYS = ("type", "verified", "note")


def _plain_node(ev: Any) -> None:
    """Containers with an anchor or a tag go the full way (aliases and tags are checked there)."""
    if ev.anchor is not None or ev.tag is not None:
        raise Fallback


# --- JSON: decoded values to values ----------------------------------------------------------

class JsonConverter:
    """Converts decoded JSON values (dicts, lists, str, int...) the way the located schema would.

    JSON carries no positions, so `pos` fields stay empty here; when anything
    is off, the located JSON reader (jsonload) runs the full checker instead.
    """

    def __init__(self, vocab: Vocabulary, limits: Limits):
        self.vocab = vocab
        self.max_string = limits.max_string
        self.max_items = limits.max_items
        self.max_file_bytes = limits.max_file_bytes

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
        allowed = _TOP_KEYS if kind == "claims" else _SOURCES_FILE_KEYS
        if type(value) is not dict or not value.keys() <= allowed or (kind == "claims" and "claims" not in value) \
                or (kind == "sources" and "sources" not in value):
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
            if len(value) > self.max_string or nonempty and not value.strip():
                raise Fallback
            return value
        if kind is int:
            return str(value)
        raise Fallback

    def texts(self, value: Any, unique: bool) -> tuple[str, ...]:
        if value is None:
            return ()
        if type(value) is not list or len(value) > self.max_items:
            raise Fallback
        if len(value) > 8 and set(map(type, value)) == {str}:  # a long list of texts: checked in C
            if max(map(len, value)) > self.max_string or "" in map(str.strip, value):
                raise Fallback
            # Interned: thousands of sources each naming the same thousands of ids then share
            # one string per id, once the decoded document is freed.
            items = tuple(map(sys.intern, value))
        else:
            text = self.text
            items = tuple([text(v) for v in value])
        if unique and len(set(items)) != len(items):
            raise Fallback
        return items

    def word(self, value: Any, choices: dict[str, str]) -> str:
        word = choices.get(value) if type(value) is str else None
        if word is None:
            raise Fallback
        return word

    def source(self, d: Any) -> Source:
        if type(d) is not dict or not d.keys() <= _SOURCE_KEYSET or "id" not in d or "name" not in d or "type" not in d:
            raise Fallback
        text = self.text
        if "note" in d:
            text(d["note"], False)
        reliability = d.get("reliability")
        owner = d.get("owner")
        return Source(
            text(d["id"]), text(d["name"]), self.word(d["type"], self.vocab.source_types),
            None if "reliability" not in d else self.word(reliability, LETTERS),
            None if "owner" not in d else text(owner),
            self.texts(d.get("derived_from"), True),
        )

    def claim(self, d: Any) -> Claim:
        if type(d) is not dict or not d.keys() <= _CLAIM_KEYSET or "id" not in d or "text" not in d:
            raise Fallback
        return Claim(
            self.text(d["id"]), self.text(d["text"]), self.texts(d.get("tags"), False),
            self.item_tuple(d.get("reports"), self.report), self.item_tuple(d.get("evidence"), self.evidence), None,
            self.text(d["judgment"]) if "judgment" in d else None, self.flag(d, "key"), self.flag(d, "draft"),
        )

    def flag(self, d: dict[str, Any], name: str) -> bool:
        """An optional true/false field (schema.Bool with default false)."""
        value = d.get(name, False)
        if type(value) is not bool:
            raise Fallback
        return value

    def report(self, d: Any) -> Report:
        if type(d) is not dict or "source" not in d or not d.keys() <= _REPORT_KEYSET:
            raise Fallback
        if len(d) == 1:  # the common {"source": id}
            return Report(sys.intern(self.text(d["source"])))  # one string per source id, however many reports name it
        if "note" in d:
            self.text(d["note"], False)
        return Report(
            sys.intern(self.text(d["source"])),
            self.word(d["stance"], _STANCES) if "stance" in d else "supports",
            self.word(d["access"], _ACCESS) if "access" in d else "unknown",
            self.texts(d.get("via"), True),
        )

    def evidence(self, d: Any) -> Evidence:
        if type(d) is not dict or "type" not in d or not d.keys() <= _EVIDENCE_KEYSET:
            raise Fallback
        verified = d.get("verified", False)
        if type(verified) is not bool:
            raise Fallback
        note = d.get("note")
        return Evidence(self.word(d["type"], self.vocab.evidence_types), verified,
                        None if "note" not in d else self.text(note, False))


_TOP_KEYS = frozenset(("title", "as_of", "sources", "claims"))
_SOURCES_FILE_KEYS = frozenset(("sources",))
_SOURCE_KEYSET = frozenset(_SOURCE_KEYS)
_CLAIM_KEYSET = frozenset(_CLAIM_KEYS)
_REPORT_KEYSET = frozenset(_REPORT_KEYS)
_EVIDENCE_KEYSET = frozenset(_EVIDENCE_KEYS)
