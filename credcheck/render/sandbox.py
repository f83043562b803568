"""The sandbox a brief template runs in: what a template from another team may do.

Jinja's immutable sandbox already refuses private attributes (`__class__`,
`__globals__`, `_TemplateReference__context`), unsafe callables and changes to
lists and dicts. This module adds what a hostile template would still get:

- An unsafe attribute is an error at once, not an undefined value a template
  could probe with `is defined`.
- Nothing a template builds may outgrow the brief itself: repetition (`*`),
  powers, `%` and `str.format` widths, padding and `replace`, concatenation
  (`+`, `~`) and the size arguments of filters are checked *before* Python
  allocates. This matters beyond memory: the render time limit (SIGALRM) fires
  between bytecodes, never inside one C call such as `9 ** (9 ** 9)`.
- Strings offer only the methods a layout needs; numbers and bytes none.
- Templates load only from the template folders, only template files
  (`.j2`, `.jinja`, `.jinja2`, or the one named on the command line), never
  through a symlink that leads out, never larger than the template-size limit.
- `lipsum`, `cycler`, `joiner` and the `random` filter are gone: a brief needs
  none of them, and output must not change from run to run.
"""
from __future__ import annotations

import re
import sys
import types
from functools import update_wrapper
from pathlib import Path
from typing import Any, Callable, Iterable

import jinja2
from jinja2.compiler import CodeGenerator
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedFormatter, SecurityError

from credcheck.errors import CredcheckError
from credcheck.limits import is_file, read_limited
from credcheck.load.located_yaml import decode_utf8

TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2")
MAX_INT_BITS = 10_000  # about 3,000 digits; Python will not even print an int of over 4,300
STR_METHODS = frozenset("""capitalize casefold center count endswith find format format_map index isalnum
isalpha isascii isdecimal isdigit islower isnumeric isspace istitle isupper join ljust lower lstrip partition
removeprefix removesuffix replace rfind rindex rjust rpartition rsplit rstrip split splitlines startswith strip
swapcase title upper zfill""".split())
# Format-spec width and precision: `{:>999999999}`, `%.999999999f`.
_DICT_ATTRIBUTES = frozenset(dir(dict))
_FORMAT_SPEC = re.compile(r"^(?:.?[<>=^])?[-+ ]?z?#?0?(\d*)[,_]?(?:\.(\d+))?")
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?[a-zA-Z%]")


# What a value a template builds costs in memory, counted before it is built: a character
# 1, 2 or 4 bytes (as CPython stores the string), a list or tuple item 8 (a pointer; the
# items themselves are shared, not copied). Counting characters and items alike let
# `x + x` doubled 25 times make a list of 256 million pointers: 2 GiB from a brief-size
# limit of 256 MiB.
POINTER_BYTES = 8
_EMPTY_STR = sys.getsizeof("")


def char_bytes(text: str) -> int:
    """Bytes per character of a string as CPython stores it (1, 2 or 4; short strings may say more, up to 4)."""
    if not text or text.isascii():
        return 1
    return min(4, max(1, (sys.getsizeof(text) - _EMPTY_STR) // len(text)))


def footprint(value: Any) -> int:
    """The bytes a str, bytes, list or tuple holds (0 for anything else: numbers are bounded by MAX_INT_BITS)."""
    kind = type(value)
    if kind is str:
        return len(value) * char_bytes(value)
    if kind is list or kind is tuple or isinstance(value, (list, tuple)):
        return len(value) * POINTER_BYTES
    if isinstance(value, (bytes, bytearray)):
        return len(value)
    if isinstance(value, str):
        return len(value) * char_bytes(value)
    return 0


def deep_footprint(value: Any, budget: int) -> int:
    """The bytes `value` and everything in it would take as text (a list printed, joined or
    summed), counted until they pass `budget`: shared items count each time they appear,
    as they do once written out (`[s] * 32` of a 256 MiB string prints 8 GiB)."""
    total = 0
    stack: list[Any] = [iter((value,))]
    while stack:
        item = next(stack[-1], _END)
        if item is _END:
            stack.pop()
            continue
        if isinstance(item, str):
            total += len(item) * char_bytes(item) + 4  # quotes and a separator when a container is printed
        elif isinstance(item, (bytes, bytearray)):
            total += len(item) + 4
        elif isinstance(item, dict):
            total += POINTER_BYTES
            stack.append(iter(item.items()))
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += POINTER_BYTES
            stack.append(iter(item))
        else:
            total += POINTER_BYTES  # a number, None, a bool: bounded by MAX_INT_BITS
        if total > budget:
            break
    return total


_END = object()


def joined_footprint(left: Any, right: Any) -> int:
    """The bytes of left + right, for two strings (the wider characters win) or two sequences."""
    if isinstance(left, str) and isinstance(right, str):
        return (len(left) + len(right)) * max(char_bytes(left), char_bytes(right))
    return footprint(left) + footprint(right)


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with every value bounded by `max_chars`."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, *args: Any, max_chars: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.max_chars = max_chars
        self.code_generator_class = _BoundedCodeGenerator
        for name in ("lipsum", "cycler", "joiner"):
            self.globals.pop(name, None)
        self.filters.pop("random", None)
        for name, check in _FILTER_CHECKS.items():
            self.filters[name] = _checked_filter(self.filters[name], check, self)
        for name in _WRITING_FILTERS:
            if name in self.filters:
                self.filters[name] = _checked_filter(self.filters[name], _written_size(self), self)

    # --- attribute access and calls -------------------------------------------------

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`claim.id` on the view model's dicts: the key, looked up directly.

        Jinja tries the attribute first and falls back to the item through an
        AttributeError; for a dict and a name no dict attribute has, the outcome
        is the item (or undefined) either way. A brief makes ~80 such lookups a claim.
        """
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        raise SecurityError(f"access to attribute {attribute!r} of a value of type {type(obj).__name__!r} is not allowed in a template")

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if isinstance(obj, str):
            return attr in STR_METHODS
        return not isinstance(obj, (int, float, complex, bytes, bytearray))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's signature
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):
            name = getattr(__obj, "__name__", "")
            if name == "join" and args and isinstance(args[0], (list, tuple)):
                __self.check_deep(args[0], "a joined string", extra=len(owner) * char_bytes(owner) * len(args[0]))
            width = max([char_bytes(owner), *(char_bytes(a) for a in args if isinstance(a, str))])
            __self.check_count(_str_method_size(owner, name, args) * width, "a string")
        return __self.check_value(super().call(__context, __obj, *args, **kwargs), "a result")

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """`str.format` / `format_map` whose every resolved field spec is checked (Jinja's, bounded)."""
        if not isinstance(value, (types.MethodType, types.BuiltinMethodType)) or value.__name__ not in ("format", "format_map"):
            return None
        text = value.__self__
        if not isinstance(text, str):
            return None
        formatter = _BoundedFormatter(self)
        is_map = value.__name__ == "format_map"

        def wrapper(*args: Any, **kwargs: Any) -> str:
            if is_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                args, kwargs = (), args[0]
            return self.check_value(str(formatter.vformat(text, args, kwargs)), "a formatted string")

        return update_wrapper(wrapper, value)

    # --- operators --------------------------------------------------------------------

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        if operator_ == "*":
            self._check_repeat(left, right)
        elif operator_ == "**" and isinstance(left, int) and isinstance(right, int) and right > 0:
            if max(left.bit_length(), 1) * right > MAX_INT_BITS:
                self.refuse(f"{left} ** {right} (over {MAX_INT_BITS:,} bits)")
        elif operator_ == "%" and isinstance(left, str):
            self._check_percent(left, right)
        elif operator_ == "+":
            self.check_count(joined_footprint(left, right), "a concatenation")
        return self.check_value(self.binop_table[operator_](left, right), "a value")

    def _check_repeat(self, left: Any, right: Any) -> None:
        for seq, count in ((left, right), (right, left)):
            if footprint(seq) and isinstance(count, int):
                self.check_count(footprint(seq) * max(count, 0), "a repetition")
        if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
            self.refuse(f"a product of over {MAX_INT_BITS:,} bits")

    def _check_percent(self, text: str, args: Any) -> None:
        values = args if isinstance(args, tuple) else (args,)
        for value in values:
            self.check_deep(value, "a formatted value")
        for match in _PERCENT_SPEC.finditer(text):
            for part in match.groups():
                if part == "*":
                    if any(isinstance(v, int) and abs(v) > self.max_chars for v in values):
                        self.refuse("a '*' width above the brief-size limit")
                elif part:
                    self.check_count(int(part), "a format width")

    def concat(self, parts: Iterable[Any]) -> str:
        """The `~` operator, bounded (see _BoundedCodeGenerator)."""
        parts = list(parts)
        for part in parts:
            if not isinstance(part, str):
                self.check_deep(part, "a concatenation")
        pieces = [str(p) for p in parts]
        self.check_count(sum(len(p) for p in pieces) * max(map(char_bytes, pieces), default=1), "a concatenation")
        return "".join(pieces)

    # --- helpers --------------------------------------------------------------------

    def check_count(self, size: int, what: str) -> None:
        """Refuse to build something of `size` bytes (see footprint), before it is built.

        The budget is the brief-size limit, read as bytes: for the plain ASCII a
        brief is made of, one byte a character.
        """
        if size > self.max_chars:
            self.refuse(f"{what} of {size:,} bytes (above the brief-size limit)")

    def check_deep(self, value: Any, what: str, extra: int = 0) -> None:
        """Refuse to write out a container whose text would pass the budget (see deep_footprint)."""
        if isinstance(value, (list, tuple, dict, set, frozenset)):
            self.check_count(deep_footprint(value, self.max_chars) + extra, what)

    def writing(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """A filter that writes its value out as text, bounded as the built-in ones are."""
        return _checked_filter(func, _written_size(self), self)

    def check_value(self, value: Any, what: str) -> Any:
        self.check_count(footprint(value), what)
        return value

    def refuse(self, what: str) -> None:
        raise SecurityError(f"{what} is not allowed in a template")


class _BoundedFormatter(SandboxedFormatter):
    def format_field(self, value: Any, format_spec: str) -> Any:
        env: BoundedSandbox = self._env  # type: ignore[assignment]
        env.check_deep(value, "a formatted value")
        match = _FORMAT_SPEC.match(format_spec)
        for part in match.groups() if match else ():
            if part:
                env.check_count(int(part), "a format width")
        return super().format_field(value, format_spec)


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles `a ~ b` to `environment.concat(...)`, so concatenation is bounded too."""

    def visit_Concat(self, node: jinja2.nodes.Concat, frame: Any) -> None:  # noqa: N802 - Jinja's visitor name
        self.write("environment.concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


def _str_method_size(text: str, name: str, args: tuple[Any, ...]) -> int:
    """The size a string method's result would have, for the methods that can grow one."""
    if name in ("center", "ljust", "rjust", "zfill") and args and isinstance(args[0], int):
        return max(args[0], len(text))
    if name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        hits = len(text) + 1 if args[0] == "" else text.count(args[0])
        return len(text) + hits * max(len(args[1]) - len(args[0]), 0)
    return 0


# filter name -> (value, args, kwargs) -> size of the result, checked before the filter runs
def _pad_size(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    width = args[0] if args else kwargs.get("width", 80)
    return max(width, len(str(value))) if isinstance(width, int) else 0


def _indent_size(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    width = args[0] if args else kwargs.get("width", 4)
    text = str(value)
    width = len(width) if isinstance(width, str) else width
    return len(text) + (text.count("\n") + 1) * width if isinstance(width, int) else 0


def _count_size(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    count = args[0] if args else next(iter(kwargs.values()), 0)
    return count if isinstance(count, int) else 0


def _replace_size(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    return _str_method_size(str(value), "replace", tuple(str(a) for a in args[:2]))


def _format_size(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    text = str(value)
    values = args or tuple(kwargs.values())
    sizes = [int(p) for m in _PERCENT_SPEC.finditer(text) for p in m.groups() if p and p != "*"]
    if any(m.group(1) == "*" or m.group(2) == "*" for m in _PERCENT_SPEC.finditer(text)):
        sizes += [abs(v) for v in values if isinstance(v, int)]
    return max(sizes, default=0)


def _list_size(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    return len(value) * POINTER_BYTES if isinstance(value, str) else 0  # 'text' | list: one item a character


# Filters that write their value (and containers in their arguments) out as text, or add
# them up (sum of lists): the text, or the sum, is as large as everything in them.
_WRITING_FILTERS = frozenset("""capitalize e escape forceescape join lower pprint string striptags sum title tojson trim
upper urlencode urlize wordcount wordwrap""".split())


def _written_size(env: "BoundedSandbox") -> Callable[[Any, tuple[Any, ...], dict[str, Any]], int]:
    def size(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
        total = 0
        for item in (value, *args, *kwargs.values()):
            if isinstance(item, (list, tuple, dict, set, frozenset)):
                total += deep_footprint(item, env.max_chars)
        return total
    return size


_FILTER_CHECKS: dict[str, Callable[[Any, tuple[Any, ...], dict[str, Any]], int]] = {
    "list": _list_size,
    "center": _pad_size,
    "indent": _indent_size,
    "batch": _count_size,
    "slice": _count_size,
    "replace": _replace_size,
    "format": _format_size,
}


def _checked_filter(func: Callable[..., Any], size: Callable[..., int], env: BoundedSandbox) -> Callable[..., Any]:
    # Jinja passes eval context or environment first to some filters (pass_* decorators).
    passes = getattr(func, "jinja_pass_arg", None)

    def checked(*args: Any, **kwargs: Any) -> Any:
        rest = args[1:] if passes is not None else args
        if rest:
            env.check_count(size(rest[0], tuple(rest[1:]), kwargs), "a filter result")
        return func(*args, **kwargs)

    update_wrapper(checked, func)
    if passes is not None:
        checked.jinja_pass_arg = passes  # type: ignore[attr-defined]
    return checked


# --- loading --------------------------------------------------------------------------

class TemplateFolder(jinja2.BaseLoader):
    """Templates from one folder: template files only, nothing outside it, nothing too large."""

    def __init__(self, folder: Path, max_bytes: int, allow: tuple[str, ...] = ()):
        self.folder = folder
        self.root = folder.resolve()
        self.max_bytes = max_bytes
        self.allow = allow  # names allowed whatever their suffix: the template named on the command line

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # TemplateNotFound for '..'
        path = self.root.joinpath(*pieces)
        if template not in self.allow and not template.endswith(TEMPLATE_SUFFIXES):
            raise CredcheckError.single(None, "", f"template '{template}' refused: only template files "
                                                  f"({', '.join(TEMPLATE_SUFFIXES)}) can be included, imported or extended")
        if any(piece.startswith(".") for piece in pieces):
            raise CredcheckError.single(None, "", f"template '{template}' refused: hidden files are not templates")
        if not is_file(path, template, "template"):
            raise jinja2.TemplateNotFound(template)
        real = path.resolve()
        if not real.is_relative_to(self.root):
            raise CredcheckError.single(None, "", f"template '{template}' refused: it leads outside its template folder")
        data = read_limited(real, self.max_bytes, "template-size", "a template")
        return decode_utf8(data, str(self.folder / template)), str(self.folder / template), lambda: True
