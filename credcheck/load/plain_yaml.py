"""YAML files that are almost always valid (a rubric, a lexicon) to plain values, without positions.

Every run reads its rubric and lexicon, and a valid one never needs the
position of any of its values: only a mistake is reported at FILE:LINE:COL.
This reader builds plain dicts, lists and scalars from the C parser's
events, as located_yaml.load_yaml resolves them, in three quarters of the time
(the default rubric and its lexicon: 1.9 ms instead of 2.6).
It gives up (raises fast.Fallback) at anything the located reader would act
on or report: a syntax error, an anchor, alias, tag or merge key, a key that
is not plain text or is given twice, a limit reached, bytes that are not
UTF-8, a document that is not one mapping. The caller then reads the file
again with the located reader, which alone reports problems
(tests/load/test_plain_yaml.py holds the two readers to the same values).
"""
from __future__ import annotations

from typing import Any

from credcheck.limits import Limits
from credcheck.load.fast import Fallback, libyaml_parser
from credcheck.load.located_yaml import _plain_scalar
import yaml

_Scalar = yaml.ScalarEvent
_MapStart = yaml.MappingStartEvent
_MapEnd = yaml.MappingEndEvent
_SeqStart = yaml.SequenceStartEvent
_SeqEnd = yaml.SequenceEndEvent
# Deeper than this (rubrics nest 8 levels at most) is left to the located reader, which reads
# any depth the limits allow without recursion.
_DEPTH = 32


def read_plain(data: bytes, limits: Limits, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The one mapping `data` holds, as plain values; Fallback at anything unusual.

    Top-level keys in `skip` are left out, as load_yaml leaves them: their
    values are parsed and checked as the rest, then dropped.
    """
    parser = libyaml_parser(data, limits.max_file_bytes)
    try:
        nxt = parser.get_event
        nxt()  # StreamStart
        if type(nxt()) is not yaml.DocumentStartEvent:
            raise Fallback  # an empty file
        first = nxt()
        if type(first) is not _MapStart:
            raise Fallback  # a null document, a scalar or a list
        root = _Reader(nxt, limits).value(first, 0)
        if type(nxt()) is not yaml.DocumentEndEvent or type(nxt()) is not yaml.StreamEndEvent:
            raise Fallback  # a second document
    except yaml.YAMLError:
        raise Fallback from None
    finally:
        parser.dispose()
    for key in skip:
        root.pop(key, None)
    return root


class _Reader:
    """Each method reads one value from its first event on, consuming its events."""

    __slots__ = ("nxt", "max_string", "max_items", "max_depth")

    def __init__(self, nxt: Any, limits: Limits):
        self.nxt = nxt
        self.max_string, self.max_items, self.max_depth = limits.max_string, limits.max_items, min(limits.max_depth, _DEPTH)

    def value(self, ev: Any, depth: int) -> Any:
        """The value `ev` starts, `depth` containers down."""
        cls = type(ev)
        if cls is _Scalar:
            if ev.anchor is not None or ev.tag is not None or len(ev.value) > self.max_string:
                raise Fallback
            return _plain_scalar(ev.value) if ev.implicit[0] else ev.value
        if ev.anchor is not None or ev.tag is not None or depth >= self.max_depth:
            raise Fallback  # an alias (it has an anchor), a tag, or too deep
        if cls is _MapStart:
            return self.mapping(depth + 1)
        if cls is _SeqStart:
            return self.sequence(depth + 1)
        raise Fallback  # pragma: no cover - the parser emits nothing else here

    def mapping(self, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        nxt, value, max_string = self.nxt, self.value, self.max_string
        while True:
            ev = nxt()
            if type(ev) is not _Scalar:
                if type(ev) is _MapEnd:
                    return out
                raise Fallback  # a mapping, a list or an alias as a key
            key = ev.value  # its text, as the located reader keeps it (`on:` is "on")
            if ev.anchor is not None or ev.tag is not None or len(key) > max_string or key == "<<" or key in out:
                raise Fallback  # a merge key, or a key given twice
            out[key] = value(nxt(), depth)

    def sequence(self, depth: int) -> list[Any]:
        out: list[Any] = []
        nxt, value, max_items = self.nxt, self.value, self.max_items
        while True:
            ev = nxt()
            if type(ev) is _SeqEnd:
                return out
            out.append(value(ev, depth))
            if len(out) > max_items:
                raise Fallback
