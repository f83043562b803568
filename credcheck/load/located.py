"""The located checker: claims and sources files read with every value's position, every problem reported.

The schema is made from the contract (contract.py) with a rubric's
vocabulary. Claims are converted one by one as the parser completes them, so
a large file never holds its whole YAML tree. A value that fails its check is
left out (its problem is recorded) and conversion goes on, so one run reports
every problem of a file; cross-references are checked afterwards
(references.py), when every source is known.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from credcheck.errors import Mark, Problems
from credcheck.limits import DEFAULT_LIMITS, Limits, exceeded
from credcheck.load import contract
from credcheck.load.contract import DATE_CHECKS, EXPECTED, KINDS, PATTERNS, Key, Shape, Vocabulary, words_of
from credcheck.load.fast import PROGRESS_EVERY, Parsed, Progress
from credcheck.load.located_yaml import LList, LMap, load_yaml
from credcheck.load.schema import (INVALID, Bool, Ctx, Enum, Field, Id, ListOf, Num, Obj, Str, Type, describe,
                                   value_mark)
from credcheck.model import Claim, Pos, Source
from credcheck.record import Record

# --- the schema, from the contract ------------------------------------------------------------

class Schemas(Record):
    """The claims-file schema for one rubric's vocabulary (source and evidence types)."""

    source: Obj
    report: Obj
    evidence: Obj
    claim: Obj
    claims_file: Obj
    sources_file: Obj


def schemas(source_types: Sequence[str] | None, evidence_types: Sequence[str] | None) -> Schemas:
    """None for a vocabulary accepts any word (the JSON Schema of rubric examples, whose rubric is unknown)."""
    vocabulary = Vocabulary.of_words(source_types, evidence_types)
    claim = schema_of(contract.CLAIM, vocabulary)
    report, evidence = (claim.fields[name].type.item for name in ("reports", "evidence"))  # type: ignore[attr-defined]
    return Schemas(schema_of(contract.SOURCE, vocabulary), report, evidence, claim,
                   schema_of(contract.CLAIMS_FILE, vocabulary), schema_of(contract.SOURCES_FILE, vocabulary))


def schema_of(shape: Shape, vocabulary: Vocabulary) -> Obj:
    return Obj({key.name: Field(type_of(key, vocabulary), key.required, _schema_default(key), key.doc)
                for key in shape.keys}, what=shape.what)


def _schema_default(key: Key) -> Any:
    return list if key.kind in ("ids", "texts", "records") and not key.required else key.default


def type_of(key: Key, vocabulary: Vocabulary) -> Type:
    """The schema type that checks one key's value."""
    kind = key.kind
    if kind == "word":
        words = words_of(key, vocabulary)
        return Str() if words is None else Enum(words, key.what)
    if kind in ("record", "records"):
        assert key.shape is not None
        record = schema_of(key.shape, vocabulary)
        return record if kind == "record" else ListOf(record)
    simple = _SIMPLE.get(kind)
    if simple is None:
        raise ValueError(f"{key.name}: unknown kind '{kind}' (kinds: {', '.join(KINDS)})")
    return simple()


class DateText(Str):
    """Text of a checked form (contract.DATE_CHECKS), kept as written: a date, a date-time, an address."""

    kind: str = "date"  # "date", "published" or "url"

    def check(self, value: Any, ctx: Ctx, problems: Problems) -> Any:
        value = Str.check(self, value, ctx, problems)
        if value is INVALID or DATE_CHECKS[self.kind](value):
            return value
        return self._fail(ctx, problems, f"expected {EXPECTED[self.kind]}, got '{value}'")

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": PATTERNS[self.kind]}


_SIMPLE: dict[str, Callable[[], Type]] = {
    "id": Id,
    "text": Str,
    "note": lambda: Str(nonempty=False),
    "ids": lambda: ListOf(Id(), unique=True),
    "texts": lambda: ListOf(Str()),
    "flag": Bool,
    "count": lambda: Num(0, integer=True),
    "date": lambda: DateText(kind="date"),
    "published": lambda: DateText(kind="published"),
    "url": lambda: DateText(kind="url"),
}


# --- checked values to model values -----------------------------------------------------------

def convert_source(raw: Any, index: int, schema: Obj, problems: Problems, file: str, mark: Mark | None = None) -> Source | None:
    data = schema.check(raw, _item_ctx(raw, file, f"sources[{index}]", mark), problems)
    if data is INVALID or "id" not in data:
        return None
    # A value that failed its check is absent from `data` (its problem is already
    # recorded); keep the source anyway, so a typo in its type is one problem and
    # not also an "unknown source" at every report that names it.
    return make(contract.SOURCE, data, raw, {"name": data["id"], "type": "unknown"})


def convert_claim(raw: Any, index: int, s: Schemas, problems: Problems, file: str, mark: Mark | None = None) -> Claim | None:
    data = s.claim.check(raw, _item_ctx(raw, file, f"claims[{index}]", mark), problems)
    if data is INVALID:
        return None
    # A claim with a missing id or text is already a problem; keep it so its reports are checked too.
    return make(contract.CLAIM, data, raw, {"id": f"#{index}", "text": ""})


def make(shape: Shape, data: dict[str, Any], raw: Any, stand_ins: dict[str, Any] | None = None) -> Any:
    """The model value of a checked mapping, with the positions of its raw (located) mapping.

    A value that failed its check is absent from `data`: an optional one takes
    its default, a required one its stand-in, or, without one, the mapping is
    left out (None), as a report without a valid source is.
    """
    values: dict[str, Any] = {}
    for key in shape.keys:
        name = key.name
        if name in data:
            value = _value(key, data[name], raw.get(name) if isinstance(raw, dict) else None)
        elif key.required:
            if stand_ins is None or name not in stand_ins:
                return None
            value = stand_ins[name]
        else:
            value = key.default
        if key.field is not None:
            values[key.field] = value
        if key.pos is not None:
            values[key.pos] = _positions(raw, name) if key.kind == "ids" else _pos(raw, name)
    return shape.model(**values)


def _value(key: Key, value: Any, raw: Any) -> Any:
    kind = key.kind
    if kind == "records":
        assert key.shape is not None
        # ListOf left out the items that are not mappings, so the i-th value is the i-th mapping
        nodes = [item for item in raw if isinstance(item, dict)] if isinstance(raw, list) else []
        made = (make(key.shape, item, nodes[i] if i < len(nodes) else None) for i, item in enumerate(value))
        return tuple(m for m in made if m is not None)
    if kind == "record":
        assert key.shape is not None
        return None if value is None else make(key.shape, value, raw)
    if kind in ("ids", "texts"):
        return tuple(value)
    return value


def _pos(container: Any, key: Any) -> Pos | None:
    mark = value_mark(container, key)
    return (mark.file, mark.line, mark.col) if mark else None


def _positions(raw: Any, key: str) -> tuple[Pos, ...]:
    items = raw.get(key) if isinstance(raw, dict) else None
    if isinstance(items, LList):
        return tuple((f, line, col) for f, line, col in items.marks)
    return ()


def _item_ctx(item: Any, file: str, path: str, mark: Mark | None = None) -> Ctx:
    if isinstance(item, (LMap, LList)):
        return Ctx(item.mark, path)
    return Ctx(mark or (Mark(file, 1, 1) if file else None), path)


# --- reading a file -----------------------------------------------------------------------------

class Reader:
    """Reads one file, converting list items as they complete."""

    def __init__(self, s: Schemas, problems: Problems, limits: Limits = DEFAULT_LIMITS, progress: Progress | None = None):
        self.s = s
        self.problems = problems
        self.limits = limits
        self.reports = 0
        self.progress = progress

    def read(self, data: bytes, file: str, kind: str, fmt: str = "yaml") -> tuple[Any, list[Source], list[Claim]]:
        if fmt != "yaml":
            # Imported for JSON input only: the json package and its patterns cost a YAML run ~2 ms of start-up.
            from credcheck.load.json_input import StoppedReading, load_located
            try:
                tree = load_located(data, file, fmt, kind, self.limits)
            except StoppedReading as stop:  # check what was read before it (YAML does so as it parses)
                if stop.partial is not None:
                    _apply_hooks(stop.partial, self._hooks(file, kind, [], [], 0))
                raise
            return self.read_tree(tree, file, kind)
        sources: list[Source] = []
        claims: list[Claim] = []
        lines = data.count(b"\n") + 1 if self.progress is not None else 1
        hooks = self._hooks(file, kind, sources, claims, lines)
        tree = load_yaml(data, file, self.limits, hooks)
        return self._finish(tree, file, kind, hooks, sources, claims)

    def read_tree(self, tree: Any, file: str, kind: str) -> tuple[Any, list[Source], list[Claim]]:
        """As read, for a located tree loaded whole (JSON; a reference loader in the tests)."""
        sources: list[Source] = []
        claims: list[Claim] = []
        hooks = self._hooks(file, kind, sources, claims, 0)  # read already: progress is all reading
        _apply_hooks(tree, hooks)
        return self._finish(tree, file, kind, hooks, sources, claims)

    def read_parsed(self, data: bytes, file: str, kind: str, fmt: str = "yaml") -> Parsed:
        """The file as the fast path gives it: title, date, sources and claims."""
        tree, sources, claims = self.read(data, file, kind, fmt)
        title = tree.get("title") if isinstance(tree, dict) else None
        as_of = tree.get("as_of") if isinstance(tree, dict) else None
        return Parsed(title, as_of, sources, claims)

    def _hooks(self, file: str, kind: str, sources: list[Source], claims: list[Claim],
               lines: int) -> dict[str, Callable[[Any, int, Mark], Any]]:
        problems, s = self.problems, self.s

        def on_source(raw: Any, index: int, mark: Mark | None = None) -> None:
            src = convert_source(raw, index, s.source, problems, file, mark)
            if src is not None:
                sources.append(src)

        def on_claim(raw: Any, index: int, mark: Mark | None = None) -> None:
            if index >= self.limits.max_claims:
                raise exceeded("claims", f"more than {self.limits.max_claims:,} claims", self.limits.max_claims, mark)
            claim = convert_claim(raw, index, s, problems, file, mark)
            if claim is not None:
                claims.append(claim)
                self.reports += len(claim.reports)
                if self.reports > self.limits.max_reports:
                    raise exceeded("reports", f"more than {self.limits.max_reports:,} reports", self.limits.max_reports, mark)
            if self.progress is not None and index % PROGRESS_EVERY == 0 and mark is not None:
                self.progress(index, min(1.0, mark.line / lines) if lines else 1.0)

        hooks: dict[str, Callable[[Any, int, Mark], Any]] = {"sources": on_source}
        if kind == "claims":
            hooks["claims"] = on_claim
        return hooks

    def _finish(self, tree: Any, file: str, kind: str, hooks: dict[str, Callable[[Any, int, Mark], Any]],
                sources: list[Source], claims: list[Claim]) -> tuple[Any, list[Source], list[Claim]]:
        if kind == "sources" and isinstance(tree, LList):  # a bare list of sources is fine too
            for i, raw in enumerate(tree):
                hooks["sources"](raw, i, tree.item_mark(i))
            return tree, sources, claims
        self._check_top(tree, file, kind)
        return tree, sources, claims

    def _check_top(self, tree: Any, file: str, kind: str) -> None:
        schema = self.s.claims_file if kind == "claims" else self.s.sources_file
        if not isinstance(tree, LMap):
            self.problems.add(Mark(file, 1, 1), "", f"expected a {schema.what} (a YAML mapping with {', '.join(schema.fields)})")
            return
        top = Obj({k: (Field(_Checked(), f.required) if k in ("sources", "claims") else f)
                   for k, f in schema.fields.items()}, what=schema.what)
        top.check(tree, Ctx(Mark(file, 1, 1), ""), self.problems)


def _apply_hooks(tree: Any, hooks: dict[str, Callable[[Any, int, Mark], Any]]) -> None:
    """What load_yaml's item hooks do while parsing (in file order), for a tree read whole."""
    if not isinstance(tree, LMap):
        return
    for key, items in tree.items():
        hook = hooks.get(key)
        if hook is not None and isinstance(items, LList):
            for i, raw in enumerate(items):
                hook(raw, i, items.item_mark(i))


class _Checked(ListOf):
    """The lists whose items the reader has already converted: only the list itself is checked."""

    def check(self, value: Any, ctx: Ctx, problems: Problems) -> Any:
        if value is not None and not isinstance(value, list):
            problems.add(ctx.mark, ctx.path, f"expected a list, got {describe(value)}")
        return value
