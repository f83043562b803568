"""Scoring reads a rubric and its lexicon without positions; anything off is read again with them.

load_rubric(examples=False) first reads a rubric that extends none with the
plain reader (load/plain_yaml.py) and checks it; a problem, or anything the
plain reader gives up on, and the rubric is read again with the located
reader, which alone reports. Both must give the same rubric, and the same
problems.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

import pytest

from credcheck import CredcheckError, Rubric, load_rubric
from credcheck.load.located_yaml import LMap
from credcheck.resources import rubrics_dir
from credcheck.rubric import model
from conftest import plain

from tests.conftest import problem_lines

DEFAULT_TEXT = (rubrics_dir() / "default.yaml").read_text(encoding="utf-8")
LEXICON_TEXT = (rubrics_dir() / "lexicons" / "language.yaml").read_text(encoding="utf-8")
FIELDS = ("name", "version", "description", "criteria", "rules", "credibility_bands", "sha256", "files", "examples",
          "prior", "scale", "confidence", "copies")


def located(path: Path, monkeypatch: pytest.MonkeyPatch) -> Rubric:
    """The rubric as scoring loaded it before: every file read with positions."""
    with monkeypatch.context() as patch:
        patch.setattr(model, "_read_plain", lambda *args: None)
        return load_rubric(path, examples=False)


def assert_same(fast: Rubric, slow: Rubric) -> None:
    for name in FIELDS:
        assert getattr(fast, name) == getattr(slow, name), name
    assert plain(fast.resolved) == plain(slow.resolved)
    language = fast.criteria.get("language")
    if language is not None:
        fast_lexicon, slow_lexicon = language["lexicon"].lexicon, slow.criteria["language"]["lexicon"].lexicon
        assert (fast_lexicon.sha256, fast_lexicon.words, fast_lexicon.file) == \
               (slow_lexicon.sha256, slow_lexicon.words, slow_lexicon.file)


def test_the_default_rubric_is_read_without_positions_when_scoring() -> None:
    rubric = load_rubric("default", examples=False)
    assert type(rubric.resolved) is dict  # not a located LMap: the plain reader read it
    lexicon = rubric.criteria["language"]["lexicon"].lexicon
    assert lexicon.source_type_marks == {}  # read plain too
    assert isinstance(load_rubric("default").resolved, LMap)  # everything else reads with positions


def test_read_without_positions_it_is_the_rubric_read_with_them(monkeypatch: pytest.MonkeyPatch) -> None:
    path = rubrics_dir() / "default.yaml"
    assert_same(load_rubric(path, examples=False), located(path, monkeypatch))


def test_a_lexicon_read_without_positions_does_not_stand_in_for_one_read_with_them() -> None:
    """`extract` reports an unknown source type at its line: scoring's plain read of the same lexicon,
    cached, must not be what it gets."""
    load_rubric("default", examples=False)
    lexicon = load_rubric("default").criteria["language"]["lexicon"].lexicon
    assert lexicon.source_type_marks and all(m.line > 1 for m in lexicon.source_type_marks.values())


UNUSUAL = {
    "anchors and aliases": DEFAULT_TEXT.replace("      A: 0.95 ", "      A: &a 0.95 ").replace(
        "    same_type_factor: 0.8 ", "    same_type_factor: *a "),
    "a tag": DEFAULT_TEXT.replace('version: "2.0.0"', 'version: !!str 2.0.0'),
    "a merge key": DEFAULT_TEXT.replace("  moderate: {lines: 2, decibans: 7.5}", "  moderate: {<<: {lines: 2}, decibans: 7.5}"),
}


@pytest.mark.parametrize("text", UNUSUAL.values(), ids=UNUSUAL.keys())
def test_a_valid_rubric_the_plain_reader_gives_up_on_loads_the_same(
        text: str, rubric_file: Callable[[str, str], Path], monkeypatch: pytest.MonkeyPatch) -> None:
    path = rubric_file("team", text)
    rubric = load_rubric(path, examples=False)
    assert isinstance(rubric.resolved, LMap)  # read again with positions
    assert_same(rubric, located(path, monkeypatch))


def test_a_rubric_that_extends_another_is_read_with_positions(rubric_file: Callable[[str, str], Path]) -> None:
    """A value a rubric inherits is looked up from its own file's folder (a lexicon name): only positions tell which."""
    rubric = load_rubric(rubric_file("team", "extends: default\nprior: -1\n"), examples=False)
    assert isinstance(rubric.resolved, LMap) and rubric.prior == -1


MISTAKES = {
    "a value out of range": DEFAULT_TEXT.replace("      A: 0.95 ", "      A: 1.95 "),
    "an unknown key": DEFAULT_TEXT.replace("  corroboration:\n", "  corroboration:\n    refuting_scael: 1\n"),
    "a rule without reason": DEFAULT_TEXT.replace("    reason: nobody reports this claim, so its truth cannot be judged\n", ""),
    "a syntax error in the examples": DEFAULT_TEXT + "  - id: [unclosed\n",
    "a duplicate key": DEFAULT_TEXT.replace("scale: 1 ", "prior: 1\nscale: 1 "),
    "a bad lexicon": DEFAULT_TEXT.replace("    lexicon: language ", "    lexicon: lexicons/bad.yaml "),
    "a missing lexicon": DEFAULT_TEXT.replace("    lexicon: language ", "    lexicon: lexicons/none.yaml "),
    "extends a missing rubric": "extends: nowhere\n" + DEFAULT_TEXT,
}


@pytest.mark.parametrize("text", MISTAKES.values(), ids=MISTAKES.keys())
def test_a_mistake_is_reported_as_with_positions(text: str, rubric_file: Callable[[str, str], Path], tmp_path: Path) -> None:
    (tmp_path / "lexicons").mkdir()
    (tmp_path / "lexicons" / "bad.yaml").write_text(LEXICON_TEXT.replace("  hedging:\n", "  hedging:\n    - 'a * b'\n", 1),
                                                     encoding="utf-8")
    path = rubric_file("team", text)
    with pytest.raises(CredcheckError) as scoring:
        load_rubric(path, examples=False)
    with pytest.raises(CredcheckError) as checking:
        load_rubric(path)
    reported = problem_lines(scoring.value, tmp_path)
    assert reported == problem_lines(checking.value, tmp_path)
    assert reported and all(re.match(r"(team|lexicons/bad)\.yaml:\d+:\d+: ", line) for line in reported), reported
