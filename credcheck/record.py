"""Frozen value classes, declared like dataclasses, without their start-up cost.

Python 3.11's `@dataclass(frozen=True)` compiles six methods per class with
`exec` when its module is imported: about 0.35 ms a class, and credcheck
declares some fifty, so 15 ms of every run's start-up went there. A Record
has one method of its own, its `__init__` (as fast as a dataclass's), whose
code is compiled once for all Records of its shape; equality, hashing, repr,
pickling and immutability are shared code in the base class.

    class Report(Record):
        source: str
        stance: str = "supports"
        via: tuple[str, ...] = ()
        extra: dict[str, Any] = field(default_factory=dict)

Records are slotted; `class X(Record, eq=False)` compares by identity.
"""
from __future__ import annotations

from types import CodeType, FunctionType
from typing import Any, Callable, TypeVar

try:
    from typing import dataclass_transform  # tells type checkers a Record is dataclass-like (3.11+)
except ImportError:  # pragma: no cover - Python 3.10
    def dataclass_transform(**_: Any) -> Callable[[Any], Any]:
        return lambda cls: cls

R = TypeVar("R", bound="Record")
_MISSING: Any = object()


class FrozenError(AttributeError):
    """Raised on assigning to or deleting a field of a Record."""


class Field:
    __slots__ = ("name", "default", "factory", "repr", "compare")

    def __init__(self, default: Any = _MISSING, factory: Any = _MISSING, repr: bool = True, compare: bool = True):
        self.name, self.default, self.factory, self.repr, self.compare = "", default, factory, repr, compare

    def with_default(self, name: str) -> "Field":
        copy = Field(self.default, self.factory, self.repr, self.compare)
        copy.name = name
        return copy


def field(*, default: Any = _MISSING, default_factory: Callable[[], Any] = _MISSING,
          repr: bool = True, compare: bool = True) -> Any:
    """A field's options, as dataclasses.field takes them."""
    return Field(default, default_factory, repr, compare)


# Compiled code of __init__ by shape: (number of fields, indexes of the fields a factory fills).
_INIT_CODE: dict[tuple[int, tuple[int, ...]], CodeType] = {}


def _init_code(count: int, made: tuple[int, ...]) -> CodeType:
    """The code of an __init__ of `count` fields (those at `made` filled by a factory when not given).

    Each field's slot is set through its own descriptor (`_set_N`, filled in once the class and its
    slots exist), 2.5 times quicker than object.__setattr__(self, NAME, value), which looks the
    descriptor up by name each time: a Report of 11 fields is built in 1.1 us instead of 2.8.
    Compiled once per shape, then given each class's field names (`_init`): compiling every
    class's own source cost ~0.1 ms a class, most of what declaring a Record costs.
    """
    code = _INIT_CODE.get((count, made))
    if code is None:
        body = [f"_set_{i}(self, _factory_{i}() if _{i} is _MISSING else _{i})" if i in made else f"_set_{i}(self, _{i})"
                for i in range(count)]
        params = ", ".join(["self", *(f"_{i}" for i in range(count))])
        names: dict[str, Any] = {}
        exec(f"def __init__({params}):\n    " + ("\n    ".join(body) or "pass") + "\n", names)  # noqa: S102 - numbered names only
        code = _INIT_CODE[(count, made)] = names["__init__"].__code__
    return code


def _init(fields: tuple[Field, ...], first_default: int, names: dict[str, Any]) -> Callable[..., None]:
    """__init__ for these fields: parameters named after them, defaults as declared. `names` are its
    globals: each factory now, each `_set_N` once the class exists."""
    made = tuple(i for i, f in enumerate(fields) if f.factory is not _MISSING)
    names["_MISSING"] = _MISSING
    for i in made:
        names[f"_factory_{i}"] = fields[i].factory
    code = _init_code(len(fields), made).replace(co_varnames=("self", *(f.name for f in fields)))
    defaults = tuple(_MISSING if f.factory is not _MISSING else f.default for f in fields[first_default:])
    return FunctionType(code, names, "__init__", defaults or None)


def _slot_setter(cls: type, name: str) -> Any:
    """The __set__ of the slot that holds field `name` (the class's own, or a base's)."""
    for klass in cls.__mro__:
        slot = klass.__dict__.get(name)
        if slot is not None:
            return slot.__set__
    raise TypeError(f"{cls.__name__}: no slot for field '{name}'")  # pragma: no cover - every field has one


@dataclass_transform(field_specifiers=(field,), frozen_default=True)
class RecordMeta(type):
    def __new__(mcls, name: str, bases: tuple[type, ...], ns: dict[str, Any], eq: bool = True) -> RecordMeta:
        if ns.get("__record_base__"):
            return super().__new__(mcls, name, bases, ns)
        fields: dict[str, Field] = {}
        for base in reversed(bases):
            fields.update(getattr(base, "__record_fields__", {}))
        own = []
        for fname, annotation in ns.get("__annotations__", {}).items():
            if "ClassVar" in str(annotation):  # a class constant, as for dataclasses
                continue
            value = ns.pop(fname, _MISSING)  # a class attribute of the same name would hide the slot
            if isinstance(value, Field):
                spec = value.with_default(fname)
            else:
                spec = Field(default=value)
                spec.name = fname
            if fname not in fields:
                own.append(fname)
            fields[fname] = spec
        ns["__slots__"] = tuple(own)
        ordered = tuple(fields.values())
        first_default = _last_default(ordered)
        if any(f.default is _MISSING and f.factory is _MISSING for f in ordered[first_default:]):
            raise TypeError(f"{name}: a field without a default follows one with a default")
        names: dict[str, Any] = {}
        if "__init__" not in ns:
            ns["__init__"] = _init(ordered, first_default, names)
        if not eq:
            ns.setdefault("__eq__", object.__eq__)
            ns.setdefault("__hash__", object.__hash__)
        cls = super().__new__(mcls, name, bases, ns)
        for i, f in enumerate(ordered):  # the slots exist now: __init__ sets each through its descriptor
            names[f"_set_{i}"] = _slot_setter(cls, f.name)
        cls.__record_fields__ = fields  # type: ignore[attr-defined]
        cls.__record_compared__ = tuple(f.name for f in ordered if f.compare)  # type: ignore[attr-defined]
        return cls


def _last_default(fields: tuple[Field, ...]) -> int:
    """Index of the first field with a default (len when none has one)."""
    for i, f in enumerate(fields):
        if f.default is not _MISSING or f.factory is not _MISSING:
            return i
    return len(fields)


class Record(metaclass=RecordMeta):
    __record_base__ = True
    __slots__ = ()
    __record_fields__: dict[str, Field]
    __record_compared__: tuple[str, ...]

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenError(f"cannot assign to field '{name}'")

    def __delattr__(self, name: str) -> None:
        raise FrozenError(f"cannot delete field '{name}'")

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in self.__record_fields__.values() if f.repr)
        return f"{type(self).__qualname__}({shown})"

    def _compared(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__record_compared__)

    def __eq__(self, other: Any) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self is other or self._compared() == other._compared()

    def __hash__(self) -> int:
        return hash(self._compared())

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), tuple(getattr(self, name) for name in self.__record_fields__)


def fields(record: Record | type[Record]) -> tuple[Field, ...]:
    return tuple(record.__record_fields__.values())


def replace(record: R, **changes: Any) -> R:
    """A copy of `record` with some fields changed (dataclasses.replace)."""
    unknown = set(changes) - set(record.__record_fields__)
    if unknown:
        raise TypeError(f"{type(record).__name__} has no field {', '.join(sorted(unknown))}")
    values = {name: changes.get(name, getattr(record, name)) for name in record.__record_fields__}
    return type(record)(**values)
