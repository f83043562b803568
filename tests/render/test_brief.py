"""The Markdown brief: golden file, determinism, sandbox, escaping, atomic writes."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import jinja2
import pytest

from credcheck import CredcheckError, assess, load_claims, load_rubric
from credcheck.render.files import write_text
from credcheck.render import Report
from credcheck.render import brief as brief_renderer
from credcheck.render.brief import judgment_sentence
from credcheck.render.markdown import md_escape
from credcheck.model import LIKELIHOOD_TERMS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_DIR = ROOT / "examples" / "dmz-desertions"
RUBRIC = load_rubric("default")


def report_for(path: Path) -> Report:
    claims = load_claims(path, RUBRIC)
    return Report(claims, RUBRIC, assess(claims, RUBRIC))


def test_example_brief_matches_what_the_code_renders() -> None:
    """examples/dmz-desertions/brief.md is checked in; refresh with UPDATE_GOLDEN=1 pytest."""
    rendered = brief_renderer.render(report_for(EXAMPLE_DIR / "claims.yaml"))
    golden = EXAMPLE_DIR / "brief.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")


def test_two_renders_are_byte_identical() -> None:
    first = brief_renderer.render(report_for(EXAMPLE_DIR / "claims.yaml"))
    second = brief_renderer.render(report_for(EXAMPLE_DIR / "claims.yaml"))
    assert first.encode() == second.encode()


def test_brief_reads_like_an_analyst_product() -> None:
    text = brief_renderer.render(report_for(EXAMPLE_DIR / "claims.yaml"))
    for heading in ("## Bottom line up front", "## Summary", "## Assessments", "## Appendix: sources", "## Methodology"):
        assert heading in text
    assert re.search(r"^- (It is (unlikely|likely|very likely|almost certain)|There is a roughly even chance) that .+ "
                     r"\([A-F][1-5], [0-9.]+%, `[a-z-]+`\)\. We have (low|moderate|high) confidence in this judgment: .+\.$",
                     text, re.M)
    assert "collapsed into" in text  # circular reports are named
    assert RUBRIC.sha256 in text and "as of 2026-11-20" in text


def test_no_sentence_puts_a_confidence_and_a_likelihood_term_together() -> None:
    """ICD 203: confidence and likelihood are said apart, never in one sentence."""
    text = brief_renderer.render(report_for(EXAMPLE_DIR / "claims.yaml"))
    sentences = [s for line in text.splitlines() for s in re.split(r"(?<=[.;])\s+", line) if s.strip()]
    terms = [t for t in LIKELIHOOD_TERMS]
    mixed = [s for s in sentences if "confidence" in s.lower() and any(re.search(rf"\b{t}\b", s) for t in terms)]
    assert mixed == []
    assert text.count("- **Confidence:** ") == 17  # every claim says its confidence, in a sentence of its own
    assert text.count(" confidence in this judgment: ") == 5  # and so does each key judgment


def test_neutral_reports_are_shown_as_no_line(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    path.write_text("""\
sources:
  - {id: wire, name: A wire, type: wire_service}
  - {id: daily, name: A daily, type: news_outlet}
claims:
  - id: relayed
    text: The port is closed.
    reports: [{source: wire, access: first_hand}, {source: daily, stance: neutral}]
""", encoding="utf-8")
    text = brief_renderer.render(report_for(path))
    assert "- `daily` A daily (news_outlet), neutral, unknown: neutral: relays the claim without endorsing or denying it, not a line" in text
    assert "neutral, not a line (relays the claim without endorsing or denying it): daily" in text


HOSTILE = """\
sources:
  - {id: s1, name: "Wire <script>alert(1)</script>", type: wire_service}
  - {id: s2, name: Outlet, type: news_outlet}
claims:
  - id: pipes
    text: "A | B | C\\nsecond line <b>bold</b> `code` [link](javascript:alert(1)) <!-- hidden -->"
    reports: [{source: s1}, {source: s2}]
  - id: heading
    text: "# Not a heading\\n| not | a | row |"
    reports: [{source: s2}]
"""


def _table_rows(text: str, header: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(header)
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def _unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def test_user_text_cannot_break_tables_or_inject_html(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    text = brief_renderer.render(report_for(path))
    rows = _table_rows(text, "| Grade | ID | Claim | Likelihood | Probability | Confidence | Flags |")
    assert len(rows) == 4  # header, rule, two claims: no row was split or added
    assert {_unescaped_pipes(r) for r in rows} == {8}
    assert "<b>" not in text and "<script>" not in text and "<!--" not in text
    assert not re.search(r"(?<!\\)\]\(javascript:", text)  # the brackets are escaped: no link
    assert not re.search(r"^# Not a heading", text, re.M)
    assert "\\`code\\`" in text


@pytest.mark.parametrize("payload", [
    "{{ brief.__class__ }}",
    "{{ brief.claims.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ brief.title.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ brief|attr('__class__') }}",
    "{{ '{0.__class__}'.format(brief) }}",
])
def test_template_attribute_walks_are_refused(tmp_path: Path, payload: str) -> None:
    template = tmp_path / "evil.md.j2"
    template.write_text(payload + "\n", encoding="utf-8")
    with pytest.raises(CredcheckError) as caught:
        brief_renderer.render(report_for(EXAMPLE_DIR / "claims.yaml"), str(template))
    message = str(caught.value)
    assert "evil.md.j2" in message
    assert "refused by the sandbox" in message or "has no attribute" in message


def test_template_undefined_name_is_an_error(tmp_path: Path) -> None:
    template = tmp_path / "t.md.j2"
    template.write_text("line one\n{{ nope }}\n", encoding="utf-8")
    with pytest.raises(CredcheckError) as caught:
        brief_renderer.render(report_for(EXAMPLE_DIR / "claims.yaml"), str(template))
    assert "'nope' is undefined" in str(caught.value)


def test_template_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    template = tmp_path / "t.md.j2"
    template.write_text("ok\n{% for x in %}\n", encoding="utf-8")
    with pytest.raises(CredcheckError) as caught:
        brief_renderer.render(report_for(EXAMPLE_DIR / "claims.yaml"), str(template))
    assert re.search(r"t\.md\.j2:2:1: template syntax error", str(caught.value))


def test_include_outside_template_folders_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("TOP SECRET", encoding="utf-8")
    folder = tmp_path / "templates"
    folder.mkdir()
    for target in ("../secret.txt", str(tmp_path / "secret.txt")):
        template = folder / "t.md.j2"
        template.write_text(f'{{% include "{target}" %}}\n', encoding="utf-8")
        with pytest.raises(CredcheckError) as caught:
            brief_renderer.render(report_for(EXAMPLE_DIR / "claims.yaml"), str(template))
        assert "TOP SECRET" not in str(caught.value)


@pytest.mark.parametrize("likelihood, text, expected", [
    ("unlikely", "Desertions have risen.", "It is unlikely that Desertions have risen"),  # nothing says it is no name
    ("roughly even chance", "The regime will respond.", "There is a roughly even chance that the regime will respond"),
    ("almost no chance", "The regime will respond.", "There is almost no chance that the regime will respond"),
    ("almost certain", "North Korea will respond.", "It is almost certain that North Korea will respond"),
    ("likely", "The regime will respond.", "It is likely that the regime will respond"),
    ("very likely", "Pyongyang has tightened controls.", "It is very likely that Pyongyang has tightened controls"),
    ("unlikely", "KPA units are underfed.", "It is unlikely that KPA units are underfed"),
])
def test_judgment_sentences(likelihood: str, text: str, expected: str) -> None:
    assert judgment_sentence(likelihood, text) == expected


def test_judgment_lowercases_words_the_claims_use_in_lower_case() -> None:
    assert judgment_sentence("likely", "Soldiers desert.", frozenset({"soldiers"})) == "It is likely that soldiers desert"


@pytest.mark.parametrize("raw, escaped", [
    ("a | b", "a \\| b"),
    ("line\nbreak", "line break"),
    ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
    ("`x`", "\\`x\\`"),
    ("# h", "\\# h"),
    ("single_source", "single_source"),
    ("2026-11-20", "2026-11-20"),
])
def test_md_escape(raw: str, escaped: str) -> None:
    assert md_escape(raw) == escaped


def test_atomic_write_replaces_a_regular_file_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    target.write_text("old")
    os.chmod(target, 0o640)
    write_text(target, "new")
    assert target.read_text() == "new"
    assert (target.stat().st_mode & 0o777) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["brief.md"]  # no temporary file left behind


def test_write_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    write_text(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_write_to_a_pipe_writes_directly(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_text(fifo, "through the pipe")
        assert os.read(reader, 100) == b"through the pipe"
        assert not fifo.is_file() and fifo.exists()
    finally:
        os.close(reader)


def test_write_into_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CredcheckError) as caught:
        write_text(tmp_path / "nope" / "brief.md", "x")
    assert "cannot write" in str(caught.value)


@pytest.mark.parametrize("obj", [
    {"id": "c1", "items": "shadowed", "keys": 1, "__class__": "x", "": 0},
    {},
    {"get": None},
    ["a"],
    "text",
])
@pytest.mark.parametrize("name", ["id", "items", "keys", "get", "missing", "__class__", "__init__", "upper", "", "mro"])
def test_sandbox_dict_lookups_equal_jinjas(obj: object, name: str) -> None:
    """The sandbox's direct dict lookup (speed) must give what Jinja's own lookup gives it."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from credcheck.render.sandbox import BoundedSandbox
    env = BoundedSandbox(max_chars=1000)

    def outcome(lookup: Any) -> Any:
        try:
            value = lookup(env, obj, name)
        except jinja2.exceptions.SecurityError as exc:
            return "refused", str(exc)
        if isinstance(value, jinja2.Undefined):
            return "undefined", type(value), value._undefined_name
        if callable(value):
            return "callable", getattr(value, "__name__", None)
        return "value", value

    assert outcome(BoundedSandbox.getattr) == outcome(ImmutableSandboxedEnvironment.getattr)


def test_brief_size_limit_stops_at_the_first_chunk_over_it() -> None:
    from itertools import count

    from credcheck.limits import RenderLimits
    from credcheck.render.brief import _bounded
    produced = []

    def chunks():
        for i in count():
            produced.append(i)
            yield "x" * 10

    with pytest.raises(CredcheckError, match="brief-size"):
        _bounded(chunks(), 95, "t.md.j2", RenderLimits(output_chars=95))
    assert len(produced) == 10  # 100 characters: the tenth chunk is over, and the eleventh is never made
    assert "".join(_bounded(iter(["ab", "cd"]), 4, "t", RenderLimits())) == "abcd"
