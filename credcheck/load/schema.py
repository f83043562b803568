"""A small declarative schema: one definition validates files and emits JSON Schema.

Each type checks a located value (from yamlload, or plain JSON values) and
returns the converted value, or INVALID after recording a located problem.
"""
from __future__ import annotations

import math
import unicodedata
from typing import Any, Callable, Mapping

from credcheck.errors import Mark, Problems, did_you_mean, one_of
from credcheck.record import Record, field
from credcheck.load.located_yaml import LList, LMap

INVALID: Any = object()


class Ctx:
    """Where a value sits: its file position and its dotted path.

    A child's are worked out when first asked for, which is when a problem is
    reported: validation makes a context for every value of a file, and almost
    none is ever asked.
    """

    __slots__ = ("_mark", "_path", "_parent", "_container", "_key")

    def __init__(self, mark: Mark | None, path: str) -> None:
        self._mark, self._path, self._parent = mark, path, None

    def child(self, container: Any, key: str | int, label: str | None = None) -> "Ctx":
        child = Ctx(None, "")
        child._parent, child._container, child._key = self, container, (key, label)
        return child

    @property
    def mark(self) -> Mark | None:
        if self._parent is not None:
            self._resolve()
        return self._mark

    @property
    def path(self) -> str:
        if self._parent is not None:
            self._resolve()
        return self._path

    def _resolve(self) -> None:
        parent, (key, label) = self._parent, self._key
        self._mark = value_mark(self._container, key) or parent.mark
        self._path = join_path(parent.path, label if label is not None else key)
        self._parent = self._container = None

    def __repr__(self) -> str:
        return f"Ctx({self.mark!r}, {self.path!r})"


def join_path(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def value_mark(container: Any, key: str | int) -> Mark | None:
    if isinstance(container, LMap) and key in container.marks:
        return container.value_mark(key)  # type: ignore[arg-type]
    if isinstance(container, LList) and isinstance(key, int) and key < len(container.marks):
        return container.item_mark(key)
    return None


def key_mark(container: Any, key: str) -> Mark | None:
    if isinstance(container, LMap) and key in container.marks:
        return container.key_mark(key)
    return None


def describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"string '{shown}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class Type(Record):
    doc = ""  # not a field here: each type declares its own, after its options

    def check(self, value: Any, ctx: Ctx, problems: Problems) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def _fail(self, ctx: Ctx, problems: Problems, message: str) -> Any:
        problems.add(ctx.mark, ctx.path, message)
        return INVALID


class Str(Type):
    """Text. Integers are accepted and kept as their text (`id: 7`)."""

    nonempty: bool = True
    doc: str = ""

    def check(self, value: Any, ctx: Ctx, problems: Problems) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            return self._fail(ctx, problems, f"expected text, got {describe(value)}")
        if self.nonempty and not value.strip():
            return self._fail(ctx, problems, "must not be empty")
        return value

    def json_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": ["string", "integer"]}
        if self.nonempty:
            out["minLength"] = 1
        return _doc(out, self.doc)


class Id(Str):
    """An identifier or a name compared for identity (ids, references, owners).

    Normalised to Unicode NFC, so `café` typed on two keyboards (one precomposed
    character, or `e` plus a combining accent) is one id, not two that look alike.
    """

    def check(self, value: Any, ctx: Ctx, problems: Problems) -> Any:
        value = Str.check(self, value, ctx, problems)  # not super(): this runs for every id of a million claims
        if value is INVALID or value.isascii():
            return value
        return unicodedata.normalize("NFC", value)


class Num(Type):
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    doc: str = ""

    def check(self, value: Any, ctx: Ctx, problems: Problems) -> Any:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if ok and self.integer and not (isinstance(value, int) or float(value).is_integer()):
            ok = False
        if not ok or (isinstance(value, float) and not math.isfinite(value)):
            kind = "a whole number" if self.integer else "a number"
            return self._fail(ctx, problems, f"expected {kind}, got {describe(value)}")
        if too_large(value):
            return self._fail(ctx, problems, too_large_message(value))
        if self.minimum is not None and value < self.minimum:
            return self._fail(ctx, problems, f"must be at least {_fmt(self.minimum)}, got {_fmt(value)}")
        if self.maximum is not None and value > self.maximum:
            return self._fail(ctx, problems, f"must be at most {_fmt(self.maximum)}, got {_fmt(value)}")
        return int(value) if self.integer else value

    def json_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "integer" if self.integer else "number"}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        return _doc(out, self.doc)


# Numbers in rubrics are points, weights and counts. One beyond this bound is a mistake, and
# arithmetic on it goes wrong: an int of 400 digits cannot become a float, and weights
# of 1e308 add up to infinity.
MAX_NUMBER = 10**15


def too_large(value: int | float) -> bool:
    return abs(value) > MAX_NUMBER


def too_large_message(value: int | float) -> str:
    shown = f"{value:g}" if isinstance(value, float) else (str(value) if abs(value) < 10**30 else f"of {len(str(abs(value))):,} digits")
    return f"number {shown} is too large (at most {MAX_NUMBER:,} either way)"


class Bool(Type):
    doc: str = ""

    def check(self, value: Any, ctx: Ctx, problems: Problems) -> Any:
        if not isinstance(value, bool):
            return self._fail(ctx, problems, f"expected true or false, got {describe(value)}")
        return value

    def json_schema(self) -> dict[str, Any]:
        return _doc({"type": "boolean"}, self.doc)


class Enum(Type):
    """One of a fixed set of words; `choices` may be computed (e.g. from the rubric)."""

    choices: tuple[str, ...] = ()
    what: str = "value"
    doc: str = ""

    def check(self, value: Any, ctx: Ctx, problems: Problems) -> Any:
        if isinstance(value, str) and value in self.choices:
            return value
        hint = did_you_mean(value, self.choices)
        return self._fail(ctx, problems, f"unknown {self.what} {_show(value)}{hint}; expected one of: {one_of(self.choices)}")

    def json_schema(self) -> dict[str, Any]:
        return _doc({"enum": list(self.choices)}, self.doc)


class ListOf(Type):
    item: Type = field(default_factory=Str)
    unique: bool = False
    doc: str = ""

    def check(self, value: Any, ctx: Ctx, problems: Problems) -> Any:
        if value is None:
            return []
        if not isinstance(value, list):
            return self._fail(ctx, problems, f"expected a list, got {describe(value)}")
        out = []
        seen: dict[Any, int] = {}
        for i, item in enumerate(value):
            sub = ctx.child(value, i)
            got = self.item.check(item, sub, problems)
            if got is INVALID:
                continue
            if self.unique and isinstance(got, str):
                if got in seen:
                    problems.add(sub.mark, sub.path, f"'{got}' is listed twice")
                    continue
                seen[got] = i
            out.append(got)
        return out

    def json_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "array", "items": self.item.json_schema()}
        if self.unique:
            out["uniqueItems"] = True
        return _doc(out, self.doc)


class Field(Record):
    type: Type
    required: bool = False
    default: Any = None
    doc: str = ""


class Obj(Type):
    """A mapping with known keys; unknown keys are errors with a 'did you mean'."""

    fields: Mapping[str, Field] = field(default_factory=dict)
    what: str = "mapping"
    doc: str = ""
    extra: Type | None = None  # type of any key not in fields (None: unknown keys are errors)
    # keys an earlier version of the format had -> what to write instead (sqlfluff's removed.py)
    removed: Mapping[str, str] = field(default_factory=dict)

    def check(self, value: Any, ctx: Ctx, problems: Problems) -> Any:
        if not isinstance(value, dict):
            return self._fail(ctx, problems, f"expected a {self.what} (key: value pairs), got {describe(value)}")
        out: dict[str, Any] = {}
        for key, item in value.items():
            spec = self.fields.get(key)
            if spec is None:
                if key in self.removed:
                    problems.add(key_mark(value, key) or ctx.mark, join_path(ctx.path, key),
                                 f"'{key}' is from an earlier rubric format: {self.removed[key]}")
                    continue
                if self.extra is not None:
                    got = self.extra.check(item, ctx.child(value, key), problems)
                    if got is not INVALID:
                        out[key] = got
                    continue
                problems.add(key_mark(value, key) or ctx.mark, join_path(ctx.path, key),
                             f"unknown key '{key}' in {self.what}{did_you_mean(key, self.fields)}")
                continue
            got = spec.type.check(item, ctx.child(value, key), problems)
            if got is not INVALID:
                out[key] = got
        for name, spec in self.fields.items():
            if name in value:
                continue
            if spec.required:
                problems.add(ctx.mark, join_path(ctx.path, name), f"missing required key '{name}' in {self.what}")
            else:
                out[name] = spec.default() if callable(spec.default) else spec.default
        return out

    def json_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": "object",
            "properties": {name: _doc(f.type.json_schema(), f.doc) for name, f in self.fields.items()},
            "additionalProperties": self.extra.json_schema() if self.extra is not None else False,
        }
        required = [name for name, f in self.fields.items() if f.required]
        if required:
            out["required"] = required
        return _doc(out, self.doc)


class MapOf(Type):
    """A mapping from keys of one type to values of another (a rubric table)."""

    key: Type = field(default_factory=Str)
    value: Type = field(default_factory=Str)
    what: str = "table"
    doc: str = ""

    def check(self, value: Any, ctx: Ctx, problems: Problems) -> Any:
        if not isinstance(value, dict):
            return self._fail(ctx, problems, f"expected a {self.what} (key: value pairs), got {describe(value)}")
        out: dict[Any, Any] = {}
        for key, item in value.items():
            kctx = Ctx(key_mark(value, key) or ctx.mark, join_path(ctx.path, key))
            k = self.key.check(key, kctx, problems)
            v = self.value.check(item, ctx.child(value, key), problems)
            if k is not INVALID and v is not INVALID:
                out[k] = v
        return out

    def json_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "object", "additionalProperties": self.value.json_schema()}
        key_schema = self.key.json_schema()
        if "enum" in key_schema:
            out["propertyNames"] = {"enum": [str(k) for k in key_schema["enum"]]}
        elif "pattern" in key_schema:
            out["propertyNames"] = {"pattern": key_schema["pattern"]}
        return _doc(out, self.doc)


class IntKey(Type):
    """A mapping key that must be a whole number (keys are read as text)."""

    minimum: int = 0
    doc: str = ""

    def check(self, value: Any, ctx: Ctx, problems: Problems) -> Any:
        try:
            number = int(str(value))
        except ValueError:
            return self._fail(ctx, problems, f"expected a whole number as key, got {_show(value)}")
        if number < self.minimum:
            return self._fail(ctx, problems, f"must be at least {self.minimum}, got {number}")
        return number

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": "^[0-9]+$"}


class Any_(Type):
    """Anything; checked later by code that knows more (rule conditions)."""

    json: Mapping[str, Any] = field(default_factory=dict)
    convert: Callable[[Any, Ctx, Problems], Any] | None = None
    doc: str = ""

    def check(self, value: Any, ctx: Ctx, problems: Problems) -> Any:
        return self.convert(value, ctx, problems) if self.convert else value

    def json_schema(self) -> dict[str, Any]:
        return _doc(dict(self.json), self.doc)


def _doc(schema: dict[str, Any], doc: str) -> dict[str, Any]:
    if doc and "description" not in schema:
        schema["description"] = doc
    return schema


def _fmt(number: float) -> str:
    return f"{number:g}"


def _show(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else describe(value)

