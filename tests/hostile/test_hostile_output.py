"""Output safety: user text cannot restructure a brief, a killed write keeps the old file, output is reproducible."""
from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from credcheck.render.markdown import code_span, md_escape

from .helpers import EXAMPLE, ROOT, assert_refused, invoke, run_process, yq

# Each tries to escape its place: end a table cell, start a heading or a list, link, embed HTML or an image.
INJECTIONS = [
    "ok | injected | cells |",
    "line\n\n# Injected heading\n\n| a | b |\n|---|---|\n| c | d |",
    "## heading at the start",
    "[click me](javascript:alert(document.cookie))",
    "![tracker](https://tracker.example/pixel.png)",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<!-- hidden comment --> after",
    "&#x3C;script&#x3E; &lt;b&gt; &#8238;",
    "<https://autolink.example>",
    "[ref]: https://evil.example\n[ref]",
    "*emph* __strong__ ~~strike~~ `code` ```fence```",
    "- list item\n+ another\n1. ordered\n> quote",
    "---\n===\n***",
    "\\| escaped pipe \\\\| double backslash",
    "trailing backslash \\",
]


def _md() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table").enable("strikethrough")


def _unescaped_pipes(line: str) -> int:
    count, backslashes = 0, 0
    for ch in line:
        if ch == "|" and backslashes % 2 == 0:
            count += 1
        backslashes = backslashes + 1 if ch == "\\" else 0
    return count


def _hostile_claims() -> str:
    """Every injection in every place a user writes text: title, ids, names, owners, texts, tags, notes."""
    sources = "".join(f"  - {{id: s{i}, name: {yq(text)}, type: news_outlet, owner: {yq(text)}}}\n"
                      for i, text in enumerate(INJECTIONS))
    claims = "".join(
        f"  - id: {yq('id-' + str(i) + text)}\n    text: {yq(text)}\n    tags: [{yq(text)}]\n"
        f"    reports: [{{source: s{i}}}, {{source: s{(i + 1) % len(INJECTIONS)}, via: [s{i}]}}]\n"
        f"    evidence: [{{type: document, note: {yq(text)}}}]\n"
        for i, text in enumerate(INJECTIONS))
    return f"title: {yq(INJECTIONS[1])}\nas_of: {yq(INJECTIONS[5])}\nsources:\n{sources}claims:\n{claims}"


@pytest.fixture()
def hostile_brief(tmp_path: Path) -> str:
    path = tmp_path / "claims.yaml"
    path.write_text(_hostile_claims())
    run = invoke(["score", str(path), "-q", "--format", "md"])
    assert run.code == 0, run.stderr
    return run.stdout


@pytest.mark.parametrize("text", INJECTIONS)
def test_escaped_text_renders_as_the_same_plain_text(text: str) -> None:
    for markdown in (md_escape(text), f"| {md_escape(text)} | x |", f"| a | b |\n|---|---|\n| {md_escape(text)} | x |"):
        html = _md().render(markdown)
        for tag in ("<script", "<img", "<a ", "<!--", "<h1", "<h2", "<ul", "<ol", "<blockquote", "<hr", "<em", "<strong", "<del",
                    "<code"):
            assert tag not in html, (tag, markdown, html)
    assert "\u202e" not in _md().render(md_escape(text))  # &#8238; stays text, not a bidi override


def test_code_spans_hold_anything() -> None:
    for text in ("a`b", "``x``", "`edge`", "x|y", "a\n\n# h", "<b>", " padded "):
        html = _md().render(f"| a |\n|---|\n| {code_span(text)} |")
        assert html.count("<code>") == 1 and "<h1" not in html and "<b>" not in html, html
        assert html.count("<td>") == 1


def test_user_text_cannot_restructure_the_real_brief(hostile_brief: str) -> None:
    html = _md().render(hostile_brief)
    for tag in ("<script", "<img", "<a ", "<!--", "<h1>Injected", "<del", "<blockquote", "<hr"):
        assert tag not in html, tag
    assert "\u202e" not in html
    # the template's headings and no others
    headings = [line for line in hostile_brief.splitlines() if line.startswith("#")]
    expected = ["## Bottom line up front", "## Summary", "## Collection priorities", "## Assessments", "## Appendix: sources",
                "## Methodology"]
    assert [h for h in headings if not h.startswith(("# ", "### "))] == expected
    assert sum(h.startswith("# ") for h in headings) == 1
    assert sum(h.startswith("### ") for h in headings) == len(INJECTIONS)
    assert html.count("<h1>") == 1 and html.count("<h2>") == len(expected) and html.count("<h3>") == len(INJECTIONS)


def test_every_table_row_keeps_its_columns(hostile_brief: str) -> None:
    tables = 0
    lines = hostile_brief.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("|") and i + 1 < len(lines) and re.match(r"^\|[-:| ]+\|$", lines[i + 1]):
            tables += 1
            width = _unescaped_pipes(line)
            for row in lines[i + 1:]:
                if not row.startswith("|"):
                    break
                assert _unescaped_pipes(row) == width, row
    assert tables == 2 + len(INJECTIONS)  # summary, sources, one criteria table per claim
    html = _md().render(hostile_brief)
    for table in re.findall(r"<table>.*?</table>", html, re.S):
        cells = [len(re.findall(r"<t[dh][ >]", row)) for row in re.findall(r"<tr>.*?</tr>", table, re.S)]
        assert len(set(cells)) == 1, cells


# --- a killed write leaves the previous brief intact ----------------------------------------------------------

@pytest.mark.slow
def test_a_brief_write_killed_midway_leaves_the_previous_brief(tmp_path: Path) -> None:
    claims = tmp_path / "claims.yaml"
    rows = "".join(f"  - {{id: c{i}, text: Claim {i} is long enough to make a brief of a few megabytes in all, "
                   f"reports: [{{source: s{i % 40}}}, {{source: s{(i + 1) % 40}}}]}}\n" for i in range(1500))
    claims.write_text("sources:\n" + "".join(f"  - {{id: s{i}, name: S{i}, type: news_outlet}}\n" for i in range(40))
                      + "claims:\n" + rows)
    out = tmp_path / "out"
    out.mkdir()
    brief = out / "brief.md"
    caught = 0
    for _ in range(4):
        brief.write_text("PREVIOUS BRIEF\n")
        for stale in out.glob(".brief.md.*"):
            stale.unlink()
        proc = subprocess.Popen([sys.executable, "-m", "credcheck", "score", str(claims), "-q", "--brief", str(brief)],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            if any(out.glob(".brief.md.*.tmp")):  # the temporary file exists: the write is under way
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                caught += 1
                break
        proc.wait()
        assert brief.read_text() == "PREVIOUS BRIEF\n" or brief.read_text().startswith("# Source credibility assessment")
        if caught:
            # killed between creating the temporary file and renaming it (usually mid-write): the old brief, whole
            assert list(out.glob(".brief.md.*.tmp"))
            assert brief.read_text() == "PREVIOUS BRIEF\n"
            break
    assert caught, "the write was never caught under way; make the brief larger"


def test_a_failed_render_writes_nothing(tmp_path: Path) -> None:
    json_out, brief = tmp_path / "out.json", tmp_path / "brief.md"
    json_out.write_text("OLD JSON\n")
    brief.write_text("OLD BRIEF\n")
    template = tmp_path / "bad.md.j2"
    template.write_text("{{ brief.nothing_here }}")
    run = invoke(["score", str(EXAMPLE), "-f", "json", "-o", str(json_out), "--brief", str(brief), "--template", str(template)])
    assert_refused(run)
    assert json_out.read_text() == "OLD JSON\n" and brief.read_text() == "OLD BRIEF\n"


# --- reproducible: same input, same bytes, whatever the hash seed ---------------------------------------------

@pytest.mark.slow
def test_output_is_byte_identical_across_runs_and_hash_seeds(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(_hostile_claims() + "# 조선중앙통신 👨\u200d👩\u200d👧 \u202e\n")
    outputs: dict[str, set[bytes]] = {}
    for seed in ("0", "1", "4242", "random"):
        for claims in (EXAMPLE, hostile):
            json_out, brief = tmp_path / f"{seed}.json", tmp_path / f"{seed}.md"
            run = run_process(["score", str(claims), "-q", "-f", "json", "-o", str(json_out), "--brief", str(brief)],
                              env={"PYTHONHASHSEED": seed})
            assert run.code == 0, run.stderr
            outputs.setdefault(f"{claims.name}.json", set()).add(json_out.read_bytes())
            outputs.setdefault(f"{claims.name}.md", set()).add(brief.read_bytes())
    for name, variants in outputs.items():
        assert len(variants) == 1, name
    assert json.loads(outputs["hostile.yaml.json"].pop())["assessments"]


def test_json_keeps_exact_text_but_escapes_what_could_spoof_a_terminal(tmp_path: Path) -> None:
    claims = tmp_path / "c.yaml"
    text = "evil \u202etxt.exe \x1b[2J \u200b \x85 조선중앙통신 👨\u200d👩\u200d👧"
    claims.write_text("sources: [{id: s, name: S, type: news_outlet}]\n"
                      f"claims: [{{id: x, text: {yq(text)}, reports: [{{source: s}}]}}]\n")
    raw = invoke(["score", str(claims), "-f", "json"]).stdout
    assert json.loads(raw)["assessments"][0]["text"] == text  # lossless
    for ch in ("\u202e", "\x1b", "\u200b", "\x85"):
        assert ch not in raw
    assert "\\u202e" in raw and "조선중앙통신" in raw and "\u200d" in raw  # Korean and emoji joiners stay readable
