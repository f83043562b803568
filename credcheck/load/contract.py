"""The claims and sources files' contract (CONTRACT.md sections 1 and 7.1), declared once.

Every mapping a claims or sources file holds is a Shape: its keys, what each
key's value must be (a Key's kind), whether it is required, what the model
value gets when it is absent, and which model field it fills. Everything that
reads or describes these files is made from these declarations: the located
checker's schema (located.py), the YAML and JSON fast paths (fast.py) and the
JSON Schemas in schemas/ (`credcheck schema claims`); a test holds them, and
the model values' defaults, to it.

Adding an optional field is one Key here and the model field it fills;
files that use it stay on the fast path.
"""
from __future__ import annotations

from credcheck import dates
from credcheck.domains import URL_PATTERN, valid_url
from typing import Any, Sequence

from credcheck.model import (ACCESS, LETTERS, OUTCOME_STATUSES, STANCES, Claim, Evidence, Outcome, Report, Source,
                             TrackRecord)
from credcheck.record import Record

# What a key's value may be (each reader converts every kind the same way):
KINDS = {
    "id": "an identifier, a reference or an owner: text (a whole number is kept as its text), in Unicode NFC",
    "text": "text, not empty (a whole number is kept as its text)",
    "note": "free text, may be empty",
    "word": "one word of a vocabulary",
    "ids": "a list of ids, each once",
    "texts": "a list of texts",
    "flag": "true or false",
    "count": "a whole number, 0 or more",
    "date": "a date, YYYY-MM-DD",
    "published": "a date, YYYY-MM-DD, or an ISO 8601 date-time",
    "url": "a web address with a scheme and a host",
    "record": "a mapping of another shape",
    "records": "a list of mappings of another shape",
}
LIST_KINDS = frozenset(("ids", "texts", "records"))
# Vocabularies that come from the rubric in use, named by a Key's `words`; any other `words` is the vocabulary itself.
RUBRIC_WORDS = ("source_types", "evidence_types")


class Key(Record):
    """One key of a mapping in a claims or sources file."""

    name: str
    kind: str  # one of KINDS
    required: bool = False
    default: Any = None  # what the model field gets when the key is absent
    words: tuple[str, ...] | str = ()  # a "word": its vocabulary, or one of RUBRIC_WORDS
    what: str = ""  # a "word": what its messages call it ("stance")
    shape: "Shape | None" = None  # a "record" or "records": the mapping's shape
    into: str | None = ""  # the model field it fills ("": the key's name; None: checked, then dropped)
    pos: str | None = None  # the model field keeping where the value (or each item of a list) starts
    doc: str = ""

    @property
    def field(self) -> str | None:
        return self.name if self.into == "" else self.into


class Shape(Record):
    """A mapping: its keys, and the model value it becomes."""

    what: str  # as messages call it ("report")
    keys: tuple[Key, ...]
    model: Any = None  # the Record class it becomes; None for a file's top level

    def key(self, name: str) -> Key:
        return next(k for k in self.keys if k.name == name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.keys)

    @property
    def required(self) -> frozenset[str]:
        return frozenset(k.name for k in self.keys if k.required)

    @property
    def defaults(self) -> dict[str, Any]:
        """The model fields of the keys not given, as the contract fills them."""
        return {k.field: k.default for k in self.keys if k.field is not None and not k.required}


TRACK_RECORD = Shape("track record", (
    Key("right", "count", required=True, doc="resolved claims on which this source's lines were right"),
    Key("wrong", "count", required=True, doc="resolved claims on which this source's lines were wrong"),
), TrackRecord)

SOURCE = Shape("source", (
    Key("id", "id", required=True, pos="pos", doc="unique across all sources"),
    Key("name", "text", required=True, doc="who the source is, in words"),
    Key("type", "word", required=True, words="source_types", what="source type", doc="a source type the rubric defines"),
    Key("reliability", "word", words=LETTERS, what="reliability", doc="analyst's A-F rating; overrides the type default"),
    Key("owner", "id", doc="sources with one owner are not independent of each other"),
    Key("derived_from", "ids", default=(), pos="derived_pos", doc="sources this one republishes"),
    Key("track_record", "record", shape=TRACK_RECORD,
        doc="resolved claims this source's lines got right and wrong (credcheck track-record writes it)"),
    Key("note", "note", into=None, doc="free text for the analyst"),
), Source)

REPORT = Shape("report", (
    Key("source", "id", required=True, pos="pos", doc="an id from sources"),
    Key("stance", "word", default="supports", words=STANCES, what="stance"),
    Key("access", "word", default="unknown", words=ACCESS, what="access"),
    Key("via", "ids", default=(), pos="via_pos", doc="sources this report relays"),
    Key("published", "published", doc="when it was published: YYYY-MM-DD or an ISO 8601 date-time"),
    Key("url", "url", doc="where it was published"),
    Key("excerpt", "text", doc="the words as published"),
    Key("independent_of", "ids", default=(), pos="independent_pos",
        doc="sources this report did not copy (overrules the copies credcheck infers)"),
    Key("note", "note", into=None, doc="free text for the analyst"),
), Report)

EVIDENCE = Shape("evidence item", (
    Key("type", "word", required=True, words="evidence_types", what="evidence type", doc="an evidence type the rubric defines"),
    Key("verified", "flag", default=False),
    Key("note", "note", doc="what it is, who checked it"),
), Evidence)

OUTCOME = Shape("outcome", (
    Key("status", "word", required=True, words=OUTCOME_STATUSES, what="outcome status",
        doc="unresolved is the same as no outcome"),
    Key("date", "date", doc="when it was resolved (YYYY-MM-DD)"),
    Key("note", "note", doc="how it was resolved"),
), Outcome)

CLAIM = Shape("claim", (
    Key("id", "id", required=True, pos="pos", doc="unique across claims"),
    Key("text", "text", required=True, doc="the assertion, in one sentence"),
    Key("tags", "texts", default=()),
    Key("reports", "records", default=(), shape=REPORT, doc="who reports the claim"),
    Key("evidence", "records", default=(), shape=EVIDENCE, doc="what could verify it"),
    Key("judgment", "text", doc="the brief's wording of the key judgment"),
    Key("key", "flag", default=False, doc="a key judgment, for the brief's bottom line"),
    Key("draft", "flag", default=False, doc="written by credcheck extract; removed once an analyst has reviewed the claim"),
    Key("outcome", "record", shape=OUTCOME, doc="set once the claim is resolved"),
), Claim)

CLAIMS_FILE = Shape("claims file", (
    Key("title", "text", doc="used in the brief heading"),
    Key("as_of", "text", doc="date of the assessment (YYYY-MM-DD)"),
    Key("sources", "records", default=(), shape=SOURCE),
    Key("claims", "records", required=True, shape=CLAIM),
))

SOURCES_FILE = Shape("sources file", (
    Key("sources", "records", required=True, shape=SOURCE),
))

SHAPES = (SOURCE, TRACK_RECORD, REPORT, EVIDENCE, CLAIM, OUTCOME)


class Vocabulary(Record):
    """The words a rubric defines for a claims file: its source and evidence types.

    None accepts any word (the JSON Schema of a rubric's examples, whose rubric is not known).
    """

    source_types: tuple[str, ...] | None
    evidence_types: tuple[str, ...] | None

    @classmethod
    def of(cls, words: Any) -> "Vocabulary":
        """A Vocabulary, or one made from anything with source_types and evidence_types (a Rubric)."""
        if isinstance(words, Vocabulary):
            return words
        return cls.of_words(words.source_types, words.evidence_types)

    @classmethod
    def of_words(cls, source_types: Sequence[str] | None, evidence_types: Sequence[str] | None) -> "Vocabulary":
        return cls(_words(source_types), _words(evidence_types))


def _words(words: Sequence[str] | None) -> tuple[str, ...] | None:
    return None if words is None else tuple(words)


def words_of(key: Key, vocabulary: Vocabulary) -> tuple[str, ...] | None:
    """The words a "word" key accepts (None: any text)."""
    if isinstance(key.words, str):
        return getattr(vocabulary, key.words)
    return key.words


# --- dates and addresses: text of a checked form -----------------------------------------------

DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
PUBLISHED_PATTERN = dates.PATTERN
EXPECTED = {"date": "a date YYYY-MM-DD",
            "published": "a date YYYY-MM-DD or an ISO 8601 date-time (2026-11-18T08:30:00Z)",
            "url": "a web address with a scheme and a host (https://example.org/...)"}


def is_date(text: str) -> bool:
    """YYYY-MM-DD, a day that exists."""
    return len(text) == 10 and is_published(text)


def is_published(text: str) -> bool:
    """YYYY-MM-DD, or an ISO 8601 date-time (`T` or a space between the two) of a day and time that exist:
    what dates.parse reads, so every date a file holds can be compared (the clock, copies)."""
    return dates.valid(text)


# The kinds whose value is text of a form, each with its check and the JSON Schema pattern of that form.
DATE_CHECKS = {"date": is_date, "published": is_published, "url": valid_url}
PATTERNS = {"date": DATE_PATTERN, "published": PUBLISHED_PATTERN, "url": URL_PATTERN}
