"""Fuzzing through the real CLI: random, mutated and malformed claims, sources, rubrics and templates.

Whatever the input, credcheck scores it (exit 0 or 1) or refuses it (exit 2, every
error line located); an exception escaping the CLI fails the test, as would a hang.
"""
from __future__ import annotations

import pytest

import json
import re
import time
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from credcheck.errors import CredcheckError
from credcheck.score.independence import Tracer, match
from credcheck.model import Report, Source
from credcheck.render.markdown import md_escape
from credcheck.rubric.model import load_rubric
from credcheck.render.safe_text import json_escape, one_line, visible

from .helpers import EXAMPLE, ROOT, assert_scored_or_refused, invoke

pytestmark = pytest.mark.slow  # generated inputs by the thousand: CI runs them

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                                      HealthCheck.data_too_large], print_blob=True)
SOURCE_TYPES = ["news_outlet", "wire_service", "state_media", "unknown", "defector_testimony", "bogus_type"]
IDS = ["a", "b", "c", "nis", "kcna", "조선", "cafe\u0301", "caf\u00e9", "x\u202ey", ""]
# Text that is valid in YAML scalars: anything but surrogates (the emitter escapes the rest).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(), TEXT, st.sampled_from(IDS))
ANY = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3), max_leaves=8)
ID = st.one_of(st.sampled_from(IDS), ANY)


def _maybe(strategy: st.SearchStrategy, odds: int = 4) -> st.SearchStrategy:
    """The right shape, except one time in `odds`: anything at all."""
    return st.integers(1, odds).flatmap(lambda n: ANY if n == 1 else strategy)


SOURCE = st.fixed_dictionaries(
    {"id": ID, "name": _maybe(TEXT), "type": _maybe(st.sampled_from(SOURCE_TYPES))},
    optional={"reliability": _maybe(st.sampled_from("ABCDEFG")), "owner": _maybe(st.sampled_from(["o1", "o2", "Soci\u00e9t\u00e9"])),
              "derived_from": _maybe(st.lists(ID, max_size=3)), "junk": ANY})
REPORT = st.fixed_dictionaries(
    {"source": ID},
    optional={"stance": _maybe(st.sampled_from(["supports", "refutes", "maybe"])),
              "access": _maybe(st.sampled_from(["first_hand", "second_hand", "unknown"])), "via": _maybe(st.lists(ID, max_size=3))})
EVIDENCE = st.fixed_dictionaries({"type": _maybe(st.sampled_from(["imagery", "video", "statistics", "rumour"]))},
                                 optional={"verified": _maybe(st.booleans()), "note": _maybe(TEXT)})
CLAIM = st.fixed_dictionaries(
    {"id": ID, "text": _maybe(TEXT)},
    optional={"tags": _maybe(st.lists(TEXT, max_size=3)), "reports": _maybe(st.lists(_maybe(REPORT), max_size=4)),
              "evidence": _maybe(st.lists(_maybe(EVIDENCE), max_size=3))})
CLAIMS_FILE = st.fixed_dictionaries(
    {"claims": _maybe(st.lists(_maybe(CLAIM), max_size=5))},
    optional={"title": _maybe(TEXT), "as_of": _maybe(TEXT), "sources": _maybe(st.lists(_maybe(SOURCE), max_size=5))})


# Mostly valid files, so the engine and every renderer see random Unicode, relay graphs and cycles too.
POOL = ["nis", "kcna", "yonhap", "조선중앙통신", "cafe\u0301", "caf\u00e9", "rtl-\u05d0\u05d1", "x\u202ey", "e\U0001f600", "a|b`c"]
VALID_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).filter(str.strip)
POOL_ID = st.sampled_from(POOL)
DEFINED = [sid for sid in POOL if sid != "caf\u00e9"]  # 'café' is defined once, as 'cafe' + combining accent (NFC: one id)


@st.composite
def valid_sources(draw) -> list[dict]:
    """Every pool id defined once; derived_from points only back (acyclic), now and then at itself or a later one."""
    out = []
    for i, sid in enumerate(DEFINED):
        src = {"id": sid, "name": draw(VALID_TEXT), "type": draw(st.sampled_from(SOURCE_TYPES[:-1]))}
        if draw(st.booleans()):
            src["reliability"] = draw(st.sampled_from("ABCDEF"))
        if draw(st.booleans()):
            src["owner"] = draw(st.sampled_from(["o1", "o2", "Soci\u00e9t\u00e9", "Socie\u0301te\u0301"]))
        earlier = DEFINED[:i] if draw(st.integers(1, 20)) > 1 else DEFINED
        if earlier and draw(st.booleans()):
            src["derived_from"] = draw(st.lists(st.sampled_from(earlier), unique=True, max_size=3))
        out.append(src)
    return out


VALID_REPORT = st.fixed_dictionaries(
    {"source": POOL_ID},
    optional={"stance": st.sampled_from(["supports", "refutes"]), "access": st.sampled_from(["first_hand", "second_hand", "unknown"]),
              "via": st.lists(POOL_ID, unique=True, max_size=3)})
VALID_CLAIM = st.fixed_dictionaries(
    {"id": VALID_TEXT, "text": VALID_TEXT},
    optional={"tags": st.lists(VALID_TEXT, max_size=2), "reports": st.lists(VALID_REPORT, max_size=5),
              "evidence": st.lists(st.fixed_dictionaries({"type": st.sampled_from(["imagery", "video", "statistics", "testimony"])},
                                                         optional={"verified": st.booleans(), "note": VALID_TEXT}), max_size=3)})
MOSTLY_VALID_FILE = st.fixed_dictionaries(
    {"sources": valid_sources(),
     "claims": st.lists(_maybe(VALID_CLAIM, 30), max_size=6)},
    optional={"title": _maybe(VALID_TEXT, 30), "as_of": st.sampled_from(["2026-11-20", "undated", "\u202e2026"])})


def _write(tmp_path: Path, data: bytes, name: str = "fuzz.yaml") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _check_scored(run_stdout: str, code: int) -> None:
    if code in (0, 1):
        document = json.loads(run_stdout)
        for a in document["assessments"]:
            assert 0 <= a["score"] <= 100 and a["admiralty"][0] in "ABCDEF" and 1 <= a["credibility"]["code"] <= 6


@settings(FUZZ, max_examples=250)
@given(doc=CLAIMS_FILE)
def test_random_claims_documents(tmp_path_factory, doc) -> None:
    data = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode()
    path = _write(tmp_path_factory.mktemp("f"), data)
    run = invoke(["score", path, "--format", "json", "--fail-under", "3"])
    assert_scored_or_refused(run)
    _check_scored(run.stdout, run.code)


INSERTS = [b"\t", b"\x00", b"\xff", b"\xc3", b":", b": ", b"- ", b"[", b"]", b"{", b"}", b"&a ", b"*a", b"*b", b"!!python/object:os.system ",
           b"!!binary ", b"!x ", b"\n", b"\r\n", b"'", b'"', b"<<: *a", b"\n---\n", b"%TAG ! tag:x,1:\n", b"? ", b"|\n", b">-\n", b"#",
           b"\xef\xbb\xbf", b"\xe2\x80\xae", b"\x1b[2J", b"\\", b"0b_", b"9" * 5000, b".nan", b"~", b"null", b"claims:", b"id: x"]


@st.composite
def mutated(draw, base: bytes) -> bytes:
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["truncate", "delete", "insert", "duplicate", "swap", "indent", "flip"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "truncate":
            del data[at:]
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 200))]
        elif op == "insert":
            data[at:at] = draw(st.sampled_from(INSERTS))
        elif op == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        else:
            lines = bytes(data).split(b"\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            if op == "duplicate":
                lines.insert(j, lines[i])
            elif op == "swap":
                lines[i], lines[j] = lines[j], lines[i]
            else:
                lines[i] = b" " * draw(st.integers(0, 7)) + lines[i].lstrip()
            data = bytearray(b"\n".join(lines))
    return bytes(data)


EXAMPLE_BYTES = EXAMPLE.read_bytes()


@settings(FUZZ, max_examples=200)
@given(doc=MOSTLY_VALID_FILE)
def test_mostly_valid_documents_through_every_renderer(tmp_path_factory, doc) -> None:
    folder = tmp_path_factory.mktemp("v")
    path = _write(folder, yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode())
    out = folder / "out.json"
    run = invoke(["score", path, "-q", "--format", "json", "-o", str(out), "--brief", str(folder / "brief.md")])
    assert_scored_or_refused(run)
    if run.code == 0:
        _check_scored(out.read_text(), 0)
        brief = (folder / "brief.md").read_text()
        assert "\u202e" not in brief and "\x1b" not in brief
        table = invoke(["score", path])
        assert table.code == 0 and "\u202e" not in table.stdout


@settings(FUZZ, max_examples=250)
@given(data=mutated(EXAMPLE_BYTES))
def test_mutated_example_file(tmp_path_factory, data) -> None:
    path = _write(tmp_path_factory.mktemp("m"), data)
    run = invoke(["score", path, "--format", "json"])
    assert_scored_or_refused(run)
    _check_scored(run.stdout, run.code)


@settings(FUZZ, max_examples=200)
@given(data=st.binary(max_size=300) | st.text(st.sampled_from("abc-:[]{}&*!|>'\"#%?,\n\t @`~^"), max_size=200).map(str.encode))
def test_junk_bytes(tmp_path_factory, data) -> None:
    path = _write(tmp_path_factory.mktemp("j"), data)
    assert_scored_or_refused(invoke(["validate", path]))


@settings(FUZZ, max_examples=60)
@given(data=mutated(EXAMPLE_BYTES), sources=mutated(b"sources:\n  - {id: extra, name: Extra outlet, type: news_outlet, derived_from: [nis]}\n"))
def test_mutated_sources_file_next_to_claims(tmp_path_factory, data, sources) -> None:
    folder = tmp_path_factory.mktemp("s")
    run = invoke(["score", _write(folder, data), "--sources", _write(folder, sources, "sources.yaml"), "--format", "json"])
    assert_scored_or_refused(run)


DEFAULT_RUBRIC = (ROOT / "rubrics" / "default.yaml").read_bytes()
NUMBERS = [b"0", b"-1", b"100", b"101", b"1e999", b".nan", b"-.inf", b"0x_", b"99999999999999999999", b"'7'", b"[]", b"{}", b"~", b"true",
           b"0", b"1", b"5", b"20", b"50", b"55.5", b"80", b"99", b"100", b"0.5", b"2"]


@st.composite
def mutated_rubric(draw) -> bytes:
    data = draw(mutated(DEFAULT_RUBRIC)) if draw(st.integers(1, 4)) == 1 else DEFAULT_RUBRIC
    numbers = list(re.finditer(rb"(?<=: )-?\d+(\.\d+)?", data))
    for _ in range(draw(st.integers(0, 4)) if numbers else 0):
        m = draw(st.sampled_from(numbers))
        data = data[:m.start()] + draw(st.sampled_from(NUMBERS)) + data[m.end():]
        numbers = list(re.finditer(rb"(?<=: )-?\d+(\.\d+)?", data))
        if not numbers:
            break
    return data


@settings(FUZZ, max_examples=150)
@given(data=mutated_rubric())
def test_mutated_rubrics(tmp_path_factory, data) -> None:
    folder = tmp_path_factory.mktemp("r")
    path = Path(_write(folder, data, "rubric.yaml"))
    try:
        load_rubric(path)
    except CredcheckError:
        pass  # refused: the CLI check below asserts it is located
    run = invoke(["score", str(EXAMPLE), "--rubric", str(path), "--format", "json"])
    assert_scored_or_refused(run)
    _check_scored(run.stdout, run.code)


TEMPLATE_TOKENS = ["{{", "}}", "{%", "%}", "{#", "#}", " brief", ".claims", ".title", ".counts", "[0]", "|", "join", "length", "upper", "md",
                   "code", "center(", "format(", "batch(", "(", ")", "'x'", '"%s"', "*", "**", "~", "+", "9", "100000", " for c in ",
                   " endfor ", " if ", " endif ", " set x = ", " macro m() ", " endmacro ", "m()", " include 'brief.md.j2' ",
                   " extends '_summary.md.j2' ", "__class__", "_x", "self", "loop", "range(", "namespace(", ",", "\n", " ", "x"]


@settings(FUZZ, max_examples=150)
@given(tokens=st.lists(st.sampled_from(TEMPLATE_TOKENS), max_size=30))
def test_random_templates(tmp_path_factory, tokens) -> None:
    folder = tmp_path_factory.mktemp("t")
    template = folder / "t.md.j2"
    template.write_text("".join(tokens))
    started = time.monotonic()
    run = invoke(["score", str(EXAMPLE), "-q", "--format", "md", "--template", str(template), "--limit", "render-seconds=3"])
    assert time.monotonic() - started < 10
    assert_scored_or_refused(run)


# --- properties of the pieces the CLI relies on -------------------------------------------------------------------

ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


@settings(FUZZ, max_examples=400)
@given(text=ANY_TEXT)
def test_escaped_markdown_is_one_cell_showing_exactly_the_text(text) -> None:
    html = MarkdownIt("commonmark").enable("table").enable("strikethrough").render(f"| h |\n|---|\n| {md_escape(text)} |\n")
    cells = re.findall(r"<td>(.*?)</td>", html, re.S)
    assert len(cells) == 1 and html.count("<tr>") == 2, html
    assert not re.search(r"<(?!/?(table|thead|tbody|tr|th|td)>)", html), html  # no tag a user could have made
    import html as html_lib
    assert html_lib.unescape(cells[0]).strip() == one_line(text).strip(" ")


@settings(FUZZ, max_examples=300)
@given(text=ANY_TEXT)
def test_visible_and_json_escape(text) -> None:
    shown = one_line(text)
    assert "\n" not in shown and "\x1b" not in shown and "\u202e" not in shown and "\u200b" not in shown
    assert visible(visible(text)) == visible(text)
    document = json_escape(json.dumps({"t": text}, ensure_ascii=False, indent=2))
    assert json.loads(document) == {"t": text}
    assert not any(ch in document for ch in "\u202e\u2066\u200b\x85\x7f")


def test_no_unsafe_character_is_printable() -> None:
    """visible() and one_line() skip their scan for printable text: that is sound only if
    every character they must show is one str.isprintable() refuses (all of Unicode)."""
    from credcheck.render import safe_text as safetext
    pattern = re.compile(f"[{safetext._UNSAFE_CLASS}]")
    unsafe = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF and pattern.match(chr(c))]
    assert len(unsafe) > 200 and not any(ch.isprintable() for ch in unsafe)


@settings(FUZZ, max_examples=300)
@given(text=ANY_TEXT)
def test_the_printable_shortcuts_change_nothing(text) -> None:
    from credcheck.render import safe_text as safetext
    assert visible(text) == safetext._UNSAFE.sub(safetext._replace, text)
    assert one_line(text) == safetext._UNSAFE.sub(safetext._replace, safetext._SPACE.sub(" ", text))


def _reference_match(originals: list[list[str]]) -> tuple[tuple[int, str], ...]:
    """Kuhn's algorithm exactly as it was before the search skipped dead keys (recursive, fresh `seen` each time)."""
    owner: dict[str, int] = {}

    def augment(report: int, seen: set[str]) -> bool:
        for key in originals[report]:
            if key in seen:
                continue
            seen.add(key)
            if key not in owner or augment(owner[key], seen):
                owner[key] = report
                return True
        return False

    for start in range(len(originals)):
        augment(start, set())
    by_report = {r: k for k, r in owner.items()}
    return tuple((i, by_report[i]) for i in range(len(originals)) if i in by_report)


@settings(FUZZ, max_examples=400)
@given(originals=st.lists(st.lists(st.sampled_from("abcdefgh"), unique=True, max_size=5), max_size=12))
def test_matching_is_unchanged_by_the_dead_key_shortcut(originals) -> None:
    assert match(originals).pairs == _reference_match(originals)


@settings(FUZZ, max_examples=300)
@given(edges=st.lists(st.lists(st.integers(0, 11), unique=True, max_size=4), min_size=1, max_size=12),
       owners=st.lists(st.sampled_from([None, None, "o1", "o2"]), min_size=12, max_size=12))
def test_tracing_matches_a_plain_closure(edges, owners) -> None:
    n = len(edges)
    parents = [[p for p in e if p < i] for i, e in enumerate(edges)]  # only earlier sources: acyclic
    sources = {f"s{i}": Source(f"s{i}", "S", "news_outlet", owner=owners[i], derived_from=tuple(f"s{p}" for p in parents[i]))
               for i in range(n)}

    def closure(i: int) -> dict[str, tuple[str, ...]]:
        if not parents[i]:
            key = f"owner:{owners[i]}" if owners[i] else f"s{i}"
            return {key: (f"s{i}",)}
        out: dict[str, tuple[str, ...]] = {}
        for p in parents[i]:
            for key, members in closure(p).items():
                out[key] = out.get(key, ()) + tuple(m for m in members if m not in out.get(key, ()))
        return out

    tracer = Tracer(sources)
    for i in range(n):
        assert tracer.originals_of_source(f"s{i}") == closure(i)
    via = tuple(f"s{i}" for i in range(0, n, 2))
    report = Report(source="s0", via=via)
    expected: dict[str, tuple[str, ...]] = {}
    for sid in via:
        for key, members in closure(int(sid[1:])).items():
            expected[key] = expected.get(key, ()) + tuple(m for m in members if m not in expected.get(key, ()))
    assert tracer.originals_of_report(report) == expected
