"""Records: frozen, slotted value classes declared like dataclasses (start-up: see record.py)."""
from __future__ import annotations

import copy
import inspect
import pickle
from typing import Any, ClassVar

import pytest

from credcheck.record import FrozenError, Record, field, fields, replace


class Point(Record):
    """A docstring is kept."""

    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    note: Any = field(default=None, repr=False, compare=False)
    KIND: ClassVar[str] = "point"


class Point3(Point):
    z: int = 0


class Token(Record, eq=False):
    value: str


def test_fields_defaults_and_factories() -> None:
    p = Point(1)
    assert (p.x, p.y, p.tags, p.extra, p.note) == (1, 0, (), {}, None)
    assert Point(1).extra is not p.extra  # a fresh dict each time
    assert [f.name for f in fields(Point)] == ["x", "y", "tags", "extra", "note"]
    assert Point.KIND == "point" and Point.__doc__ == "A docstring is kept."
    assert Point(1, 2, ("a",), {"k": 1}, "n") == Point(x=1, y=2, tags=("a",), extra={"k": 1}, note="n")
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]


def test_frozen_and_slotted() -> None:
    p = Point(1)
    with pytest.raises(FrozenError):
        p.x = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del p.y
    assert not hasattr(p, "__dict__") and Point.__slots__ == ("x", "y", "tags", "extra", "note")


def test_equality_hash_and_repr_follow_the_compared_fields() -> None:
    assert Point(1, note="a") == Point(1, note="b")
    assert hash(Point(1, tags=("t",), extra=None)) == hash(Point(1, tags=("t",), extra=None))  # type: ignore[arg-type]
    assert Point(1) != Point(2) and Point(1) != Point3(1) and Point(1) != (1, 0)
    assert repr(Point(1, note="hidden")) == "Point(x=1, y=0, tags=(), extra={})"
    assert Token("a") != Token("a") and len({Token("a"), Token("a")}) == 2


def test_inheritance_adds_fields_after_the_base() -> None:
    p = Point3(1, z=3)
    assert [f.name for f in fields(p)] == ["x", "y", "tags", "extra", "note", "z"]
    assert Point3.__slots__ == ("z",) and (p.x, p.z) == (1, 3)


def test_pickle_copy_and_replace() -> None:
    p = Point3(1, 2, ("a",), {"k": [1]}, "n", 3)
    assert pickle.loads(pickle.dumps(p)) == p
    assert copy.deepcopy(p) == p and copy.deepcopy(p).extra is not p.extra
    q = replace(p, y=5)
    assert (q.y, q.z, type(q)) == (5, 3, Point3) and p.y == 2
    with pytest.raises(TypeError, match="no field w"):
        replace(p, w=1)


def test_a_field_without_default_after_one_with_is_refused() -> None:
    with pytest.raises(TypeError, match="without a default follows one with a default"):
        class Bad(Record):  # noqa: F841
            a: int = 1
            b: int


def test_records_of_one_shape_share_their_init_code_under_their_own_names() -> None:
    """Start-up: an __init__ is compiled once per shape (how many fields, which have a factory),
    then given each class's field names and defaults (record.py)."""
    class Pair(Record):
        left: int
        right: str = "r"
        notes: list[str] = field(default_factory=list)

    class Span(Record):
        start: int
        end: str = "e"
        marks: list[str] = field(default_factory=list)

    assert Pair.__init__.__code__.co_names == Span.__init__.__code__.co_names  # one compiled code, renamed
    assert Pair(1) == Pair(left=1, right="r", notes=[]) and Span(2).end == "e"
    assert Pair(1).notes is not Pair(1).notes and Span(start=3, marks=["m"]).marks == ["m"]
    with pytest.raises(TypeError, match="start"):
        Pair(start=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="left"):
        Pair()  # type: ignore[call-arg]
    assert list(inspect.signature(Span).parameters) == ["start", "end", "marks"]
