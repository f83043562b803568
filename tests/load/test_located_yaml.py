"""The YAML loader: positions, and everything it refuses to read."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from credcheck import CredcheckError
from credcheck.limits import Limits
from credcheck.load.located_yaml import LList, LMap, _plain_scalar, load_yaml


def load(text: str | bytes, **kwargs: object) -> object:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return load_yaml(data, "f.yaml", **kwargs)  # type: ignore[arg-type]


def error(text: str | bytes, **kwargs: object) -> str:
    """The one located problem the loader reports, as `FILE:LINE:COL: message`."""
    with pytest.raises(CredcheckError) as caught:
        load(text, **kwargs)
    assert len(caught.value.problems) == 1
    return str(caught.value.problems[0])


# --- positions -----------------------------------------------------------------

DOC = """\
title: x
sources:
  - id: nis
    name: NIS
claims:
  - {id: c1, text: t}
"""


def test_marks_are_one_based_line_and_column() -> None:
    tree = load(DOC)
    assert isinstance(tree, LMap)
    assert str(tree.mark) == "f.yaml:1:1"
    assert str(tree.key_mark("title")) == "f.yaml:1:1"
    assert str(tree.value_mark("title")) == "f.yaml:1:8"
    assert str(tree["sources"][0].value_mark("name")) == "f.yaml:4:11"
    assert str(tree["claims"][0].value_mark("text")) == "f.yaml:6:20"


def test_containers_are_marked_where_they_start_not_where_they_end() -> None:
    tree = load(DOC)
    assert str(tree.value_mark("sources")) == "f.yaml:3:3"
    assert isinstance(tree["sources"], LList)
    assert str(tree["sources"].item_mark(0)) == "f.yaml:3:5"
    assert str(tree["claims"].item_mark(0)) == "f.yaml:6:5"


def test_values_are_plain_python() -> None:
    assert load("a: 1\nb: 1.5\nc: true\nd: ~\ne: [x, 'y']\n") == {"a": 1, "b": 1.5, "c": True, "d": None, "e": ["x", "y"]}


def test_dates_stay_text() -> None:
    assert load("as_of: 2026-11-20\n") == {"as_of": "2026-11-20"}


def test_keys_stay_text_so_on_and_yes_are_not_booleans() -> None:
    tree = load("on: 1\nyes: 2\nNo: off\n")
    assert list(tree) == ["on", "yes", "No"]  # type: ignore[call-overload]
    assert tree["No"] is False  # type: ignore[index]  # values still resolve as YAML 1.1


def test_safe_tags_are_allowed() -> None:
    assert load("x: !!str 5\ny: !!int '7'\nz: !!float 1\n") == {"x": "5", "y": 7, "z": 1.0}


def test_a_bad_safe_tag_value_is_located() -> None:
    assert error("x: !!int abc\n") == "f.yaml:1:4: 'abc' is not a valid !!int"


# --- duplicate keys ------------------------------------------------------------

def test_duplicate_key_names_the_line_of_both() -> None:
    assert error("a: 1\nb: 2\na: 3\n") == (
        "f.yaml:3:1: duplicate key 'a' (first defined at line 1); YAML would silently keep only the last"
    )


def test_duplicate_key_in_a_nested_mapping() -> None:
    assert error("claims:\n  - id: a\n    text: t\n    id: b\n").startswith(
        "f.yaml:4:5: duplicate key 'id' (first defined at line 2)"
    )


# --- tags ----------------------------------------------------------------------

@pytest.mark.parametrize("text, tag", [
    ("x: !!python/object:os.system {}\n", "tag:yaml.org,2002:python/object:os.system"),
    ("x: !!python/object/apply:os.system ['ls']\n", "tag:yaml.org,2002:python/object/apply:os.system"),
    ("x: !!python/name:os.system ''\n", "tag:yaml.org,2002:python/name:os.system"),
    ("x: !!binary aGk=\n", "tag:yaml.org,2002:binary"),
    ("x: !!set {a, b}\n", "tag:yaml.org,2002:set"),
    ("x: !!timestamp 2026-01-01\n", "tag:yaml.org,2002:timestamp"),
    ("x: !custom 1\n", "!custom"),
    ("x: !!map [1]\n", "tag:yaml.org,2002:map"),
])
def test_unsafe_and_unknown_tags_are_refused(text: str, tag: str) -> None:
    assert error(text) == f"f.yaml:1:4: YAML tag '{tag}' is not allowed (credcheck reads plain data only)"


# --- bytes, empty and null documents -------------------------------------------

def test_non_utf8_bytes_are_reported_where_they_are() -> None:
    assert error(b"a: 1\nb: caf\xe9\n") == "f.yaml:2:7: not valid UTF-8 (byte 0xe9); save the file as UTF-8"


def test_a_utf8_bom_is_allowed() -> None:
    assert load(b"\xef\xbb\xbfa: 1\n") == {"a": 1}


def test_control_characters_are_located_in_characters_not_bytes() -> None:
    assert error("a: cafés\nb: x\x01\n") == "f.yaml:2:5: character U+0001 is not allowed in YAML (control characters are not allowed); is this a binary file?"


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_an_empty_file_is_an_error(text: str) -> None:
    assert error(text) == "f.yaml:1:1: the file is empty: expected a YAML mapping"


@pytest.mark.parametrize("text", ["~\n", "null\n", "---\n", "--- ~\n", "---\n...\n"])
def test_a_null_document_is_an_error(text: str) -> None:
    assert error(text) == "f.yaml:1:1: the document is null: expected a YAML mapping"


def test_multiple_documents_are_an_error() -> None:
    assert error("a: 1\n---\nb: 2\n") == "f.yaml:2:1: expected a single YAML document, found another ('---')"


def test_syntax_errors_are_located() -> None:
    assert error("a: [1, 2\n") == ("f.yaml:2:1: YAML syntax error: did not find expected ',' or ']' (while parsing a flow "
                                   "sequence); reading stopped here, nothing after it was checked")


def test_keys_must_be_plain_scalars() -> None:
    assert error("{[1]: 2}\n") == "f.yaml:1:2: mapping keys must be plain scalars"


# --- aliases, merges and limits ------------------------------------------------

def billion_laughs(levels: int = 9) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    names = "abcdefghijklmnop"
    for prev, name in zip(names, names[1:levels]):
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_quickly() -> None:
    started = time.perf_counter()
    message = error(billion_laughs())
    assert time.perf_counter() - started < 1.0
    assert message == "f.yaml:7:8: aliases expanding to too many values (an alias bomb?): over the limit aliases=1,000,000 (raise it with --limit aliases=N)"


def test_a_few_aliases_are_fine() -> None:
    assert load("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}


def test_alias_expansion_limit_is_configurable() -> None:
    assert error(billion_laughs(3), limits=Limits(max_alias_nodes=50)).endswith(
        "aliases expanding to too many values (an alias bomb?): over the limit aliases=50 (raise it with --limit aliases=N)"
    )


@pytest.mark.parametrize("text, where", [("a: &x [*x]\n", "1:8"), ("a: &x {b: *x}\n", "1:11")])
def test_a_recursive_alias_is_refused(text: str, where: str) -> None:
    assert error(text) == f"f.yaml:{where}: alias *x refers to a node that contains it"


def test_an_unknown_alias_is_refused() -> None:
    assert error("a: *nope\n") == "f.yaml:1:4: unknown alias *nope"


def test_depth_limit() -> None:
    assert load("[[[1]]]", limits=Limits(max_depth=3)) == [[[1]]]
    assert error("[[[[1]]]]", limits=Limits(max_depth=3)) == "f.yaml:1:4: nesting of 4 levels: over the limit depth=3 (raise it with --limit depth=N)"


def test_very_deep_nesting_is_refused_quickly_with_default_limits() -> None:
    started = time.perf_counter()
    assert "nesting" in error("[" * 100_000 + "]" * 100_000)
    assert time.perf_counter() - started < 1.0


def test_string_length_limit() -> None:
    small = Limits(max_string=10)
    assert load("a: '1234567890'\n", limits=small) == {"a": "1234567890"}
    assert error("a: '12345678901'\n", limits=small) == "f.yaml:1:4: a string of 11 characters: over the limit string=10 (raise it with --limit string=N)"


def test_item_limit() -> None:
    assert error("a: [1, 2, 3]\n", limits=Limits(max_items=2)) == "f.yaml:1:11: a list this long: over the limit list-items=2 (raise it with --limit list-items=N)"


def test_file_size_limit() -> None:
    assert error("a: 1\n", limits=Limits(max_file_bytes=4)) == "f.yaml:1:1: a file of 5 bytes: over the limit file-size=4 (raise it with --limit file-size=N)"


def test_merge_keys_fill_what_the_mapping_does_not_set() -> None:
    tree = load("base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\n")
    assert tree["d"] == {"x": 1, "y": 3}  # type: ignore[index]
    assert str(tree["d"].value_mark("x")) == "f.yaml:1:14"  # type: ignore[index]  # where x was written


def test_merge_of_a_list_of_mappings_prefers_the_first() -> None:
    tree = load("b1: &b1 {x: 1}\nb2: &b2 {y: 2, x: 9}\nd:\n  <<: [*b1, *b2]\n")
    assert tree["d"] == {"x": 1, "y": 2}  # type: ignore[index]


def test_merge_needs_a_mapping() -> None:
    assert error("d:\n  <<: 5\n") == "f.yaml:2:3: '<<' merge needs a mapping or a list of mappings"


def test_a_quoted_merge_key_is_an_ordinary_key() -> None:
    assert load("'<<': 1\n") == {"<<": 1}


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"\A[-+]?[0-9_]{0,4}(\.[0-9_]{0,4})?([eE][-+]?[0-9]{1,2})?\Z") | st.text("0123456789.٣²+-_", max_size=6))
def test_plain_numbers_resolve_as_pyyaml_resolves_them(text: str) -> None:
    """The shortcut for plain decimals must give what YAML 1.1 gives (type included): `010` is octal."""
    if not text or text[0] not in "0123456789+-.":
        return
    try:
        expected = yaml.safe_load(text)
    except yaml.YAMLError:
        return
    got = _plain_scalar(text)
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        assert type(got) is type(expected) and (got == expected or got != got)
    elif isinstance(expected, str):
        assert got == expected



@pytest.mark.parametrize("text", ["-2.5", "+2.5", "-0.0", "-7", "+7", "-0", "+0", "-01.5", "-010", "-0x1F", "-1_0",
                                  "+", "-.5", "-1.", "+-1", "--1", "-1e3"])
def test_signed_numbers_resolve_as_pyyaml_resolves_them(text: str) -> None:
    """`-2.5` is read without YAML 1.1's number patterns (compiling them took 0.4 ms of every run), to the same value."""
    expected = yaml.safe_load(text)
    got = _plain_scalar(text)
    assert type(got) is type(expected) and got == expected and str(got) == str(expected)


def test_signed_decimals_need_no_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    from credcheck.load import located_yaml

    class Unused:
        def match(self, text: str) -> None:
            raise AssertionError(f"a number pattern was used for {text!r}")

    monkeypatch.setattr(located_yaml, "_INT", Unused())
    monkeypatch.setattr(located_yaml, "_FLOAT", Unused())
    assert [_plain_scalar(t) for t in ("-2.5", "+12", "-0", "7", "0.45")] == [-2.5, 12, 0, 7, 0.45]

# --- skipping a top-level value (a rubric's examples when scoring) ---------------------

SKIPPABLE = """\
name: r
examples:
  sources:
    - {id: s, name: S, type: wire_service}
  claims:
    - id: c
      text: "quoted: text"
      reports: [{source: s}]
      expect: {credibility: 3}
after: [1, 2.5, {x: y}]
"""


def test_a_skipped_value_is_parsed_but_left_out() -> None:
    full = load(SKIPPABLE)
    skipped = load(SKIPPABLE, skip=frozenset({"examples"}))
    assert isinstance(skipped, LMap) and "examples" not in skipped and "examples" not in skipped.marks
    assert {k: v for k, v in full.items() if k != "examples"} == dict(skipped)  # type: ignore[union-attr]
    assert skipped.value_mark("after") == full.value_mark("after")  # type: ignore[union-attr]


@pytest.mark.parametrize("examples", [
    "examples: &e [1]\nafter: *e\n",                       # an anchor a later alias needs
    "base: &b {x: 1}\nexamples: [*b]\n",                    # an alias
    "examples: [!!str 1]\n",                                 # a tag
    "examples: [1]\nexamples: [2]\n",                        # the key twice
    "examples: {a: 1, a: 2}\n",                              # a duplicate key inside
    "examples: [" + "[" * 70 + "]" * 70 + "]\n",             # too deep
    "examples: ['" + "x" * 300 + "']\n",                     # too long a string
    "examples: [" + ", ".join("1" for _ in range(30)) + "]\n",  # too many items
])
def test_what_the_full_composer_would_judge_is_composed_in_full(examples: str) -> None:
    """Anchors, aliases, tags, limits and duplicate keys: the full loader decides, as without skipping."""
    limits = Limits(max_string=200, max_items=20)

    def outcome(**skip: object) -> object:
        try:
            tree = load(examples, limits=limits, **skip)
        except CredcheckError as exc:
            return str(exc.problems[0])
        return {k: v for k, v in tree.items() if k != "examples"}  # type: ignore[union-attr]

    assert outcome(skip=frozenset({"examples"})) == outcome()


def test_a_syntax_error_in_a_skipped_value_is_reported_where_it_is() -> None:
    text = "examples:\n  claims:\n    - id: [unclosed\nname: r\n"
    assert error(text, skip=frozenset({"examples"})) == error(text)


def test_a_yaml_syntax_error_does_not_hide_the_mistakes_before_it(tmp_path: Path) -> None:
    from credcheck import load_claims, load_rubric
    path = tmp_path / "claims.yaml"
    path.write_text('sources:\n  - {id: w, name: W, type: wire_servce}\nclaims:\n  - id: a\n    text: One.\n'
                    '    evidence: [{type: imagry}]\n  - id: b\n    text: "unclosed\n')
    with pytest.raises(CredcheckError) as caught:
        load_claims(path, load_rubric("default"))
    found = [str(p).replace(f"{tmp_path}/", "") for p in caught.value.problems]
    assert [line.split(": ", 2)[:2] for line in found] == [
        ["claims.yaml:2:28", "sources[0].type"], ["claims.yaml:6:23", "claims[0].evidence[0].type"],
        ["claims.yaml:9:1", "YAML syntax error"]]
    assert found[-1].endswith("; reading stopped here, nothing after it was checked")
