"""The general mechanisms behind the campaign's fixes, each tested on its own (tests/corpus/campaign.yaml
drives them through the command line): one safe console, one place that locates what no check foresaw,
the lone-surrogate check of JSON text, bounded hints, byte-sized template accounting."""
from __future__ import annotations

import io
import json
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples
from credcheck.errors import CredcheckError, did_you_mean, located, reading
from credcheck.load.json_input import lone_surrogate_escape
from credcheck.render.console import console
from credcheck.render.safe_text import json_escape, terminal_safe, visible
from credcheck.render.sandbox import char_bytes, deep_footprint, footprint

PACKAGE = Path(__file__).resolve().parents[2] / "credcheck"


# --- one text-safety step for every terminal view -----------------------------------------------------

def test_every_rich_console_is_made_by_the_safe_factory() -> None:
    makers = [path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")
              if re.search(r"\b(?:Safe)?Console\(", path.read_text(encoding="utf-8"))]
    assert makers == ["render/console.py"]


def test_the_safe_console_shows_what_a_renderer_forgot() -> None:
    from rich.table import Table
    from rich.text import Text
    raw_text = "x\x1b[2J\x1b]8;;http://evil\x1b\\y \u202eabc \u200bz\rw"
    out = io.StringIO()
    safe = console(file=out, force_terminal=True, width=200)
    safe.print(Text(raw_text, style="bold"))  # a renderer that forgot one_line
    table = Table()  # in a table the column is sized on the raw text: what does not fit is cut, never raw
    table.add_column("raw")
    table.add_row(Text(raw_text))
    safe.print(table)
    text = out.getvalue()
    for raw in ("\x1b[2J", "\x1b]8", "\u202e", "\u200b", "\r"):
        assert raw not in text
    assert "{U+001B}[2J" in text and "{U+202E}abc" in text and "{U+200B}z" in text
    assert "\x1b[1m" in text  # rich's own styles are not text: they pass


def test_line_breaks_stay_and_everything_else_unsafe_is_shown() -> None:
    assert terminal_safe("a\nb") == "a\nb"
    assert terminal_safe("a\tb\x7f\u2028\udc00") == "a{U+0009}b{U+007F}{U+2028}{U+DC00}"


def test_lone_surrogates_are_shown_and_escaped() -> None:
    assert visible("x\udc00y") == "x{U+DC00}y"
    assert json.loads(json_escape(json.dumps("x\udc00y", ensure_ascii=False))) == "x\udc00y"


# --- one place that locates what no check foresaw -------------------------------------------------------

def test_an_unforeseen_exception_is_blamed_on_the_input_in_hand() -> None:
    try:
        with reading("outer.yaml"):
            with reading("inner.yaml"):
                raise OverflowError("int too large to convert to float")
    except OverflowError as exc:
        problem = located(exc)
    assert problem is not None
    assert str(problem) == ("inner.yaml: credcheck cannot process this input (OverflowError: int too large to convert "
                            "to float); please report it (CREDCHECK_DEBUG=1 shows where)")


def test_a_path_the_system_refuses_names_the_path_and_a_plain_bug_stays_a_bug() -> None:
    assert str(located(OSError(36, "File name too long", "aaaa.yaml"))) == "aaaa.yaml: File name too long"
    assert located(BrokenPipeError(32, "Broken pipe")) is None  # no input caused it
    assert located(ValueError("no input in hand")) is None
    error = CredcheckError.single(None, "", "as it was")
    assert located(error) is error


def test_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREDCHECK_DEBUG", "1")
    try:
        with reading("f.yaml"):
            raise KeyError("x")
    except KeyError as exc:
        assert located(exc) is None


# --- JSON text escaping a lone surrogate ------------------------------------------------------------------

PIECES = ["a", "\\\\", "\\ud800", "\\udbff", "\\udc00", "\\udfff", "\\ud83d", "\\ude00", "\\u0041", "\\uD83D", "\\uDE00",
          "\\n", "u", "d", "800"]


@settings(max_examples=examples(500), deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12))
def test_lone_surrogate_escapes_are_found_exactly(pieces: list[str]) -> None:
    literal = '"' + "".join(pieces) + '"'
    decoded = json.loads(literal)
    assert lone_surrogate_escape(literal) == bool(re.search("[\ud800-\udfff]", decoded)), literal


# --- hints are bounded ----------------------------------------------------------------------------------

@pytest.mark.slow  # 300 hints among 4,902 ids; hints everyday: tests/load/test_validation.py, test_hostile_limits.py
def test_hints_in_a_large_vocabulary_find_typos_at_either_end_quickly() -> None:
    ids = [f"source-{i:05d}" for i in range(4900)] + ["yonhap", "kcna"]
    start = time.perf_counter()
    hints = [did_you_mean(word, ids) for word in ["sourse-01234", "source-01234x", "xource-04000", "yonhapp"] * 75]
    assert time.perf_counter() - start < 5  # 300 hints: each against a bounded set, not all 4,902 ids
    assert hints[:4] == [" (did you mean 'source-01234'?)", " (did you mean 'source-01234'?)",
                         " (did you mean 'source-04000'?)", " (did you mean 'yonhap'?)"]


# --- a template's values are counted in bytes ---------------------------------------------------------------

def test_characters_and_items_are_counted_as_stored() -> None:
    assert [char_bytes(t) for t in ("ascii" * 10, "é" * 50, "한" * 50, "😀" * 50)] == [1, 1, 2, 4]
    assert footprint("😀" * 10) == 40 and footprint([1] * 10) == 80 and footprint(10**100) == 0


def test_the_text_of_a_container_counts_shared_items_each_time_and_stops_early() -> None:
    big = "a" * 1000
    assert deep_footprint([big] * 3, 10**9) >= 3000
    start = time.perf_counter()
    assert deep_footprint([[big] * 1000] * 1000, 100_000) > 100_000  # a million items: stops near the budget
    assert time.perf_counter() - start < 1
