"""The plain YAML reader (rubrics, lexicons): the located reader's values, or Fallback at anything unusual."""
from __future__ import annotations

from pathlib import Path

import pytest

from credcheck.limits import RUBRIC_LIMITS, Limits
from credcheck.load.fast import Fallback
from credcheck.load.located_yaml import load_yaml
from credcheck.load.plain_yaml import read_plain
from credcheck.resources import rubrics_dir
from conftest import plain

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = [rubrics_dir() / "default.yaml", rubrics_dir() / "lexicons" / "language.yaml"]


def same_as_located(data: bytes, skip: frozenset[str] = frozenset(), limits: Limits = RUBRIC_LIMITS) -> None:
    expected = plain(load_yaml(data, "f.yaml", limits, skip=skip))
    got = read_plain(data, limits, skip)
    assert repr(got) == repr(expected)  # the repr tells 1 from 1.0 and True from 1


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
@pytest.mark.parametrize("skip", [frozenset(), frozenset({"examples"})], ids=["all", "skip-examples"])
def test_the_bundled_files_read_as_the_located_reader_reads_them(path: Path, skip: frozenset[str]) -> None:
    same_as_located(path.read_bytes(), skip)


def test_every_rubric_and_lexicon_it_reads_reads_as_located() -> None:
    """Every YAML file of the repository's rubrics and tests the plain reader takes, it reads to the located values."""
    taken = 0
    for path in sorted([*(ROOT / "rubrics").rglob("*.yaml"), *(ROOT / "tests").rglob("*.yaml")]):
        data = path.read_bytes()
        try:
            read_plain(data, RUBRIC_LIMITS)
        except Fallback:
            continue
        same_as_located(data)
        taken += 1
    assert taken >= 20


SCALARS = """\
plain: text
quoted: "yes"
single: '7'
empty:
tilde: ~
flags: [yes, No, on, OFF, true, False]
numbers: [7, -2.5, +3, 0.45, 010, 0x1F, 1_000, 1e3, 6.02e+23, .inf, -.Inf, .nan]
dates: [2026-11-01, 2026-11-01T10:00:00Z]
keys: {on: 1, 'no': 2, 3: three, null: 4}
nested: {a: [{b: [1, {c: d}]}], e: []}
block: |
  two
  lines
folded: >
  one
  line
unicode: "caf\\u00e9 \u2014 \u00fcber"
"""


def test_scalars_resolve_as_the_located_reader_resolves_them() -> None:
    same_as_located(SCALARS.encode("utf-8"))


def test_a_utf8_bom_is_read() -> None:
    same_as_located(b"\xef\xbb\xbfa: 1\n")


def test_skipped_keys_are_left_out() -> None:
    assert read_plain(b"a: 1\nexamples: [{x: 1}]\nb: 2\n", RUBRIC_LIMITS, frozenset({"examples"})) == {"a": 1, "b": 2}


GIVES_UP = {
    "syntax error": b"a: [1, 2\n",
    "tab": b"a:\n\t- 1\n",
    "anchor and alias": b"a: &x 1\nb: *x\n",
    "anchored mapping": b"a: &x {b: 1}\n",
    "merge key": b"base: {a: 1}\nother: {<<: {b: 2}}\n",
    "tag": b"a: !!str 1\n",
    "non-specific tag": b"a: ! 1\n",
    "unsafe tag": b"a: !!python/name:os.system x\n",
    "duplicate key": b"a: 1\nb: 2\na: 3\n",
    "duplicate nested key": b"a: {b: 1, b: 2}\n",
    "duplicate skipped key": b"examples: 1\nexamples: 2\n",
    "alias in a skipped value": b"a: &x 1\nexamples: [*x]\n",
    "mapping as a key": b"? {a: 1}\n: 2\n",
    "list as a key": b"? [a]\n: 2\n",
    "empty file": b"",
    "comment only": b"# nothing\n",
    "null document": b"~\n",
    "scalar document": b"text\n",
    "list document": b"- 1\n",
    "two documents": b"a: 1\n---\nb: 2\n",
    "not UTF-8": b"a: caf\xe9\n",
    "UTF-16": "a: 1\n".encode("utf-16"),
    "control character": b"a: \x07\n",
}


@pytest.mark.parametrize("data", GIVES_UP.values(), ids=GIVES_UP.keys())
def test_gives_up_on_what_the_located_reader_acts_on_or_reports(data: bytes) -> None:
    with pytest.raises(Fallback):
        read_plain(data, RUBRIC_LIMITS, frozenset({"examples"}))


@pytest.mark.parametrize("data, limits", [
    (b"a: " + b"x" * 11 + b"\n", Limits(max_string=10)),
    (b"key-of-eleven: 1\n", Limits(max_string=10)),
    (b"a: [1, 2, 3]\n", Limits(max_items=2)),
    (b"a: {b: {c: 1}}\n", Limits(max_depth=2)),
    (b"a: 1\n", Limits(max_file_bytes=4)),
    (b"a: " + b"[" * 40 + b"]" * 40 + b"\n", Limits(max_depth=1000)),  # deeper than it reads without recursion
], ids=["string", "key", "items", "depth", "file size", "very deep"])
def test_gives_up_at_a_limit(data: bytes, limits: Limits) -> None:
    with pytest.raises(Fallback):
        read_plain(data, limits)


def test_reads_up_to_a_limit() -> None:
    same_as_located(b"a: {b: [1, 2]}\n", limits=Limits(max_depth=3, max_items=2, max_string=2))
