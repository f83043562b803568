"""YAML to plain values with positions, from the C parser's event stream.

PyYAML's composer builds a node graph that costs far more time and memory
than the data itself, and its constructor silently keeps the last of two
duplicate keys. Reading events directly keeps each value's position, rejects
duplicate keys and unsafe tags, bounds alias expansion, depth and string
length, and lets a caller convert large sequences item by item.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from credcheck.errors import STOPPED, CredcheckError, Mark
from credcheck.lazyre import LazyPattern
from credcheck.limits import DEFAULT_LIMITS, Limits, exceeded
import yaml

try:  # the C parser is ~10x faster; fall back to pure Python where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


class LMap(dict):
    """A mapping that remembers where it and each of its entries came from.

    `marks[key]` is (file, key_line, key_col, value_line, value_col), 1-based.
    """

    __slots__ = ("file", "line", "col", "marks", "size")

    def key_mark(self, key: str) -> Mark:
        f, kl, kc, _, _ = self.marks[key]
        return Mark(f, kl, kc)

    def value_mark(self, key: str) -> Mark:
        f, _, _, vl, vc = self.marks[key]
        return Mark(f, vl, vc)

    @property
    def mark(self) -> Mark:
        return Mark(self.file, self.line, self.col)


class LList(list):
    """A sequence that remembers where it and each item came from."""

    __slots__ = ("file", "line", "col", "marks", "size")

    def item_mark(self, index: int) -> Mark:
        f, line, col = self.marks[index]
        return Mark(f, line, col)

    @property
    def mark(self) -> Mark:
        return Mark(self.file, self.line, self.col)


# YAML 1.1 plain-scalar resolution, as yaml.safe_load does it, except that
# timestamps stay text (dates are labels here, not values to compute with).
_NULL = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"))
_FALSE = frozenset(("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"))
# Compiled only for numbers that are not plain decimals (see _plain_decimal).
_INT: re.Pattern[str] = LazyPattern(re.compile,  # type: ignore[assignment]
    r"""^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"""
)
_FLOAT: re.Pattern[str] = LazyPattern(re.compile,  # type: ignore[assignment]
    r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"""
    r"""|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"""
)
_SAFE_TAGS = {
    "tag:yaml.org,2002:str": "str",
    "tag:yaml.org,2002:int": "int",
    "tag:yaml.org,2002:float": "float",
    "tag:yaml.org,2002:bool": "bool",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:map": "map",
    "tag:yaml.org,2002:seq": "seq",
    "!": "str",
}
_constructor = yaml.constructor.SafeConstructor()


# Longer digit strings stay text: Python refuses to convert ints of over 4,300 digits.
_MAX_NUMBER_CHARS = 1000


def _plain_scalar(text: str) -> Any:
    if text in _NULL:
        return None
    first = text[0]
    if first in "yYnNtTfFoO":
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    if first in "0123456789+-." and len(text) <= _MAX_NUMBER_CHARS:
        decimal = _plain_decimal(text)
        if decimal is not None:
            return decimal
        try:
            if _INT.match(text):
                return _constructor.construct_yaml_int(yaml.ScalarNode("", text))
            if _FLOAT.match(text):
                return _constructor.construct_yaml_float(yaml.ScalarNode("", text))
        except ValueError:  # '0b_' or '0x_' fit YAML 1.1's int pattern but hold no digits
            return text
    return text


def _plain_decimal(text: str) -> int | float | None:
    """`7`, `100`, `0.45`, `-2.5`: what YAML 1.1 makes of them, without its constructor (~10 us a
    number) or its patterns (compiling them cost 0.4 ms of a run whose rubric holds one `-2.5`).

    Only ASCII digits after an optional sign, and no leading zero on an integer (`010` is octal in YAML 1.1).
    """
    if not text.isascii():
        return None
    digits = text[1:] if text[0] in "+-" else text
    if digits.isdigit():
        return int(text) if digits[0] != "0" or len(digits) == 1 else None
    whole, dot, fraction = digits.partition(".")
    if dot and whole.isdigit() and fraction.isdigit():
        return float(text)
    return None


def _tagged_scalar(kind: str, text: str, mark: Mark) -> Any:
    if kind == "str":
        return text
    value = _plain_scalar(text)
    ok = {
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "bool": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
    }.get(kind, lambda v: False)
    if not ok(value):
        raise CredcheckError.single(mark, "", f"'{text}' is not a valid !!{kind}")
    return float(value) if kind == "float" else value


def _char_at(text: str, line: int, column: int) -> str:
    """The character at a 0-based line and column, or ''."""
    start = 0
    for _ in range(line):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    return text[start + column:start + column + 1]


def decode_utf8(data: bytes, file: str) -> str:
    """Strict UTF-8 (a BOM is allowed); a bad byte is reported where it is."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise CredcheckError.single(
            Mark(file, line, col), "",
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


ItemHook = Callable[[Any, int, Mark], Any]  # (item, index, where the item starts)


class _Composer:
    """Builds LMap/LList/scalars from events; iterative so depth is bounded by Limits."""

    def __init__(self, file: str, limits: Limits, item_hooks: dict[str, ItemHook] | None,
                 skip: frozenset[str] = frozenset()):
        self.file = file
        self.limits = limits
        self.hooks = item_hooks or {}
        self.skip = skip
        self.skipped: set[str] = set()
        self.anchors: dict[str, Any] = {}
        self.open_anchors: set[str] = set()
        self.expanded = 0

    def mark(self, m: Any) -> Mark:
        return Mark(self.file, m.line + 1, m.column + 1)

    def fail(self, m: Any, message: str) -> None:
        raise CredcheckError.single(self.mark(m), "", message)

    def over(self, m: Any, name: str, what: str, value: int) -> None:
        raise exceeded(name, what, value, self.mark(m))

    def compose(self, text: str) -> Any:
        loader = None
        try:
            loader = _Loader(text)  # the pure-Python reader checks characters here already
            return self._compose(loader)
        except yaml.reader.ReaderError as exc:
            bad = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
            index = max(text.find(bad), 0)  # exc.position counts bytes or characters, by parser
            line = text.count("\n", 0, index) + 1
            where = Mark(self.file, line, index - (text.rfind("\n", 0, index) + 1) + 1)
            raise CredcheckError.single(
                where, "", f"character U+{ord(bad):04X} is not allowed in YAML ({exc.reason}); is this a binary file?") from None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = Mark(self.file, mark.line + 1, mark.column + 1) if mark else Mark(self.file, 1, 1)
            context = f" ({exc.context})" if exc.context else ""
            if mark and _char_at(text, mark.line, mark.column) == "\t":
                context += "; that is a tab: YAML indents with spaces only"
            raise CredcheckError.single(where, "", f"YAML syntax error: {exc.problem}{context}{STOPPED}") from None
        except yaml.YAMLError as exc:  # pragma: no cover - every other parser error is marked
            raise CredcheckError.single(Mark(self.file, 1, 1), "", f"YAML error: {exc}") from None
        finally:
            if loader is not None:
                loader.dispose()

    def _compose(self, loader: Any) -> Any:
        get = loader.get_event
        get()  # StreamStart
        event = get()
        if isinstance(event, yaml.StreamEndEvent):
            raise CredcheckError.single(Mark(self.file, 1, 1), "", "the file is empty: expected a YAML mapping")
        root = self._document(get, event)
        event = get()
        if not isinstance(event, yaml.StreamEndEvent):
            self.fail(event.start_mark, "expected a single YAML document, found another ('---')")
        return root

    def _document(self, get: Callable[[], Any], start: Any) -> Any:
        limits = self.limits
        # stack entries: [container, is_map, pending_key, pending_key_mark, anchor, hook, count, merges, start_mark]
        stack: list[list[Any]] = []
        result: Any = None
        done = False
        while not done:
            event = get()
            cls = type(event)
            value: Any
            if cls is yaml.ScalarEvent:
                m = event.start_mark
                text = event.value
                if len(text) > limits.max_string:
                    self.over(m, "string", f"a string of {len(text):,} characters", limits.max_string)
                tag = event.tag
                if tag is None and event.implicit[0]:
                    value = _plain_scalar(text)
                elif tag is None or tag == "!":
                    value = text
                else:
                    kind = _SAFE_TAGS.get(tag)
                    if kind is None or kind in ("map", "seq"):
                        self.fail(m, f"YAML tag '{tag}' is not allowed (credcheck reads plain data only)")
                    value = _tagged_scalar(kind, text, self.mark(m))
                size = 1
                if event.anchor:
                    self.anchors[event.anchor] = (value, 1)
            elif cls is yaml.MappingStartEvent or cls is yaml.SequenceStartEvent:
                m = event.start_mark
                tag = event.tag
                is_map = cls is yaml.MappingStartEvent
                if tag is not None and tag != "!" and _SAFE_TAGS.get(tag) != ("map" if is_map else "seq"):
                    self.fail(m, f"YAML tag '{tag}' is not allowed (credcheck reads plain data only)")
                if len(stack) >= limits.max_depth:
                    self.over(m, "depth", f"nesting of {len(stack) + 1} levels", limits.max_depth)
                node = LMap() if is_map else LList()
                node.file, node.line, node.col = self.file, m.line + 1, m.column + 1
                node.marks = {} if is_map else []
                node.size = 1
                if event.anchor:
                    self.open_anchors.add(event.anchor)
                hook = None
                if len(stack) == 1 and not is_map and stack[0][1]:
                    hook = self.hooks.get(stack[0][2])
                stack.append([node, is_map, None, None, event.anchor, hook, 0, None, m])
                continue
            elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
                frame = stack.pop()
                value = frame[0]
                m = frame[8]  # a container sits where it starts, not where its last scalar was
                if frame[1] and frame[7]:
                    self._merge(value, frame[7])
                size = value.size
                if frame[4]:
                    self.open_anchors.discard(frame[4])
                    self.anchors[frame[4]] = (value, size)
            elif cls is yaml.AliasEvent:
                name = event.anchor
                if name in self.open_anchors:
                    self.fail(event.start_mark, f"alias *{name} refers to a node that contains it")
                if name not in self.anchors:
                    self.fail(event.start_mark, f"unknown alias *{name}")
                value, size = self.anchors[name]
                self.expanded += size
                if self.expanded > limits.max_alias_nodes:
                    self.over(event.start_mark, "aliases", "aliases expanding to too many values (an alias bomb?)",
                              limits.max_alias_nodes)
                m = event.start_mark
            elif cls is yaml.DocumentEndEvent:
                continue
            else:  # pragma: no cover - the parser emits nothing else inside a document
                self.fail(event.start_mark, f"unexpected YAML event {cls.__name__}")

            if not stack:
                result = value
                done = True
                continue
            frame = stack[-1]
            parent = frame[0]
            parent.size += size
            if frame[1]:
                if frame[2] is None and frame[3] is None:
                    self._take_key(frame, value, event, m)
                    if self.skip and len(stack) == 1 and frame[2] in self.skip:
                        self._skip_value(get, frame[2])
                        frame[2] = frame[3] = None
                else:
                    key, km = frame[2], frame[3]
                    frame[2] = frame[3] = None
                    if key == "<<" and km[2]:
                        if frame[7]:  # YAML allows one merge key a mapping; a second would silently win or lose
                            raise CredcheckError.single(Mark(self.file, km[0], km[1]), "", "a second '<<' merge key in one "
                                                        "mapping; merge several mappings with one list: '<<: [*a, *b]'")
                        frame[7] = [(value, km)]
                        continue
                    parent[key] = value
                    parent.marks[key] = (self.file, km[0], km[1], m.line + 1, m.column + 1)
            else:
                frame[6] += 1
                if frame[6] > limits.max_items:
                    self.over(m, limits.ITEMS_LIMIT, "a list this long", limits.max_items)
                if frame[5] is not None:
                    value = frame[5](value, len(parent), self.mark(m))
                parent.append(value)
                parent.marks.append((self.file, m.line + 1, m.column + 1))
        if get().__class__ is not yaml.DocumentEndEvent:  # pragma: no cover
            pass
        if result is None:
            raise CredcheckError.single(self.mark(start.start_mark), "", "the document is null: expected a YAML mapping")
        return result

    def _skip_value(self, get: Callable[[], Any], key: str) -> None:
        """Read the value of top-level `key` without building it (the parser still
        checks its syntax). Anything the full composer would act on in it (an
        anchor, alias or tag, a key twice, a limit reached) means composing all."""
        if key in self.skipped:
            raise _ComposeAll
        self.skipped.add(key)
        limits = self.limits
        frames: list[list[Any]] = []  # [keys seen (a mapping) or None (a list), values so far]
        while True:
            event = get()
            cls = type(event)
            if getattr(event, "anchor", None) is not None or getattr(event, "tag", None) is not None:
                raise _ComposeAll
            is_key = bool(frames) and frames[-1][0] is not None and frames[-1][1] % 2 == 0
            if cls is yaml.ScalarEvent:
                if len(event.value) > limits.max_string:
                    raise _ComposeAll
                if is_key:
                    if event.value in frames[-1][0]:
                        raise _ComposeAll
                    frames[-1][0].add(event.value)
            elif cls is yaml.MappingStartEvent or cls is yaml.SequenceStartEvent:
                if is_key or len(frames) + 2 > limits.max_depth:
                    raise _ComposeAll
                frames.append([set() if cls is yaml.MappingStartEvent else None, 0])
                continue
            elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
                frames.pop()
            else:  # an alias
                raise _ComposeAll
            if not frames:
                return
            frames[-1][1] += 1
            if frames[-1][0] is None and frames[-1][1] > limits.max_items:
                raise _ComposeAll

    def _take_key(self, frame: list[Any], key: Any, event: Any, m: Any) -> None:
        if isinstance(key, (LMap, LList)) or type(event) is yaml.AliasEvent:
            self.fail(m, "mapping keys must be plain scalars")
        text = event.value  # keys keep their text: `on:` is "on", not True
        is_merge = text == "<<" and event.tag is None and bool(event.implicit[0])
        if not is_merge and text in frame[0]:
            first = frame[0].marks[text]
            self.fail(m, f"duplicate key '{text}' (first defined at line {first[1]}); YAML would silently keep only the last")
        frame[2] = text
        frame[3] = (m.line + 1, m.column + 1, is_merge)

    def _merge(self, target: LMap, merges: list[tuple[Any, tuple[int, int, bool]]]) -> None:
        """`<<: *base` fills keys the mapping does not set itself."""
        for value, km in merges:
            sources = value if isinstance(value, LList) else [value]
            for src in sources:
                if not isinstance(src, LMap):
                    raise CredcheckError.single(Mark(self.file, km[0], km[1]), "", "'<<' merge needs a mapping or a list of mappings")
                for key, item in src.items():
                    if key not in target:
                        target[key] = item
                        target.marks[key] = src.marks[key]


class _ComposeAll(Exception):
    """A skipped value holds something only the full composer may judge."""


def load_yaml(
    data: bytes,
    file: str,
    limits: Limits = DEFAULT_LIMITS,
    item_hooks: dict[str, ItemHook] | None = None,
    skip: frozenset[str] = frozenset(),
) -> Any:
    """Parse one YAML document of `data` into LMap/LList/scalars.

    `item_hooks` maps a top-level key to a function applied to each item of
    the list under it, as soon as the item is complete, so large inputs never
    hold their whole located tree in memory. Top-level keys in `skip` are left
    out: their values are parsed (a syntax error in them still stops the load)
    but not built.
    """
    if len(data) > limits.max_file_bytes:
        raise exceeded("file-size", f"a file of {len(data):,} bytes", limits.max_file_bytes, Mark(file, 1, 1))
    text = decode_utf8(data, file)
    if skip:
        try:
            return _Composer(file, limits, item_hooks, skip).compose(text)
        except _ComposeAll:
            pass
    return _Composer(file, limits, item_hooks).compose(text)
