"""Briefs as Word, HTML and PDF (--brief FILE.docx|.html|.pdf): content, escaping, determinism, atomic writes."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from credcheck import assess, load_claims, load_rubric
from credcheck.cli.app import app
from credcheck.render import Report
from credcheck.render import brief as brief_renderer
from credcheck.render.document import convert, kind_of

pytestmark = pytest.mark.slow  # pandoc and typst conversions, a second or more each: CI runs it

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "dmz-desertions" / "claims.yaml"
RUBRIC = load_rubric("default")
runner = CliRunner()

HOSTILE = """\
title: "Hostile <b>title</b> | pipes"
as_of: 2026-11-20
sources:
  - {id: s1, name: "Wire <script>alert(1)</script>", type: wire_service}
  - {id: s2, name: "Outlet *star* _under_", type: news_outlet}
claims:
  - id: pipes
    text: "A | B | C <b>bold</b> `code` [link](javascript:alert(1)) <!-- hidden --> ![img](/etc/passwd) # not a heading $x$ :fire: @ref #set"
    reports: [{source: s1}, {source: s2}]
"""
HOSTILE_TEXT = ("A | B | C <b>bold</b> `code` [link](javascript:alert(1)) <!-- hidden --> ![img](/etc/passwd) "
                "# not a heading $x$ :fire: @ref #set")


def needs_pandoc() -> None:
    pypandoc = pytest.importorskip("pypandoc")
    try:
        pypandoc.get_pandoc_path()
    except OSError:
        pytest.skip("pypandoc finds no pandoc")


def docx_texts(path: Path) -> tuple[list[tuple[str, str]], list[list[list[str]]]]:
    """(style, text) of every paragraph, and every table as rows of cell texts."""
    docx = pytest.importorskip("docx")
    document = docx.Document(str(path))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return paragraphs, tables


def score(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["score", *args])


def test_kind_by_extension() -> None:
    assert [kind_of(p) for p in ("b.docx", "B.DOCX", "b.html", "b.htm", "b.pdf", "b.md", "b.txt", "b", "-")] == [
        "docx", "docx", "html", "html", "pdf", None, None, None, None]


def test_word_brief_has_every_claim_and_grade(tmp_path: Path) -> None:
    needs_pandoc()
    target = tmp_path / "brief.docx"
    result = score(str(EXAMPLE), "--brief", str(target), "-q")
    assert result.exit_code == 0, result.output
    assert target.read_bytes()[:2] == b"PK"  # a zip: the Office Open XML package
    paragraphs, tables = docx_texts(target)
    headings = [(style, text) for style, text in paragraphs if style.startswith("Heading")]
    assert ("Heading 1", "KPA desertions along the DMZ") in headings
    assert {"Bottom line up front", "Summary", "Assessments"} <= {text for style, text in headings if style == "Heading 2"}
    claims = load_claims(EXAMPLE, RUBRIC)
    assessments = assess(claims, RUBRIC)
    claim_headings = {text for style, text in headings if style == "Heading 3"}
    summary = next(t for t in tables if t[0] == ["Grade", "ID", "Claim", "Likelihood", "Probability", "Confidence", "Flags"])
    rows = {row[2]: row for row in summary[1:]}
    for a in assessments:
        assert f"{a.admiralty} · {a.text}" in claim_headings  # every claim, with its grade, as a heading
        assert rows[a.text][0] == a.admiralty and rows[a.text][1] == a.id
        assert rows[a.text][3] == (a.likelihood or "no estimate")
    assert len(rows) == len(assessments)


def test_user_text_survives_every_format_as_text(tmp_path: Path) -> None:
    needs_pandoc()
    claims_file = tmp_path / "hostile.yaml"
    claims_file.write_text(HOSTILE, encoding="utf-8")
    docx_file, html_file = tmp_path / "h.docx", tmp_path / "h.html"
    for target in (docx_file, html_file):
        result = score(str(claims_file), "--brief", str(target), "-q")
        assert result.exit_code == 0, result.output
    paragraphs, tables = docx_texts(docx_file)
    assert paragraphs[0] == ("Heading 1", "Hostile <b>title</b> | pipes")
    assert any(style == "Heading 3" and text.endswith(f" · {HOSTILE_TEXT}")  # no heading, link, math, emoji or image made of it
               for style, text in paragraphs)
    summary = next(t for t in tables if t[0][0] == "Grade")
    assert summary[1][2] == HOSTILE_TEXT and len(summary[1]) == 7  # the pipes stayed in their cell
    page = html_file.read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page and "javascript:" not in page.replace("[link](javascript:", "")
    assert "Wire &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<title>Hostile &lt;b&gt;title&lt;/b&gt; | pipes</title>" in page


@pytest.mark.parametrize("suffix", [".docx", ".html", ".pdf"])
def test_same_input_same_bytes(suffix: str, tmp_path: Path) -> None:
    needs_pandoc()
    if suffix == ".pdf":
        pytest.importorskip("typst")
    first, second = tmp_path / f"one{suffix}", tmp_path / f"two{suffix}"
    for target in (first, second):
        assert score(str(EXAMPLE), "--brief", str(target), "-q").exit_code == 0
    assert first.read_bytes() == second.read_bytes()


def test_pdf_brief_is_dated_as_of(tmp_path: Path) -> None:
    needs_pandoc()
    pytest.importorskip("typst")
    target = tmp_path / "brief.pdf"
    result = score(str(EXAMPLE), "--brief", str(target), "-q")
    assert result.exit_code == 0, result.output
    pdf = target.read_bytes()
    assert pdf.startswith(b"%PDF-") and b"/CreationDate(D:20261120000000" in pdf
    titles = set(re.findall(rb"/Title\(([^)]*)\)", pdf))  # the document's title and its outline (headings)
    assert {b"KPA desertions along the DMZ", b"Bottom line up front", b"Summary", b"Assessments", b"Methodology"} <= titles


def test_the_pdf_reads_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An image in the Markdown (from a team's template) must not embed a file from the disk."""
    needs_pandoc()
    pytest.importorskip("typst")
    (tmp_path / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    monkeypatch.chdir(tmp_path)
    from credcheck import CredcheckError
    with pytest.raises(CredcheckError, match="typst could not lay out the PDF brief"):
        convert("# Brief\n\n![x](secret.png)\n", "pdf", "T", None)


def test_brief_and_output_are_written_together(tmp_path: Path) -> None:
    needs_pandoc()
    pytest.importorskip("stix2")
    bundle, brief = tmp_path / "bundle.json", tmp_path / "brief.html"
    result = score(str(EXAMPLE), "--format", "stix", "-o", str(bundle), "--brief", str(brief))
    assert result.exit_code == 0, result.output
    assert bundle.read_text(encoding="utf-8").startswith("{") and brief.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert f"wrote {bundle}" in result.stderr and f"wrote {brief}" in result.stderr


def test_without_the_docs_extra_exit_2_names_it_and_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "brief.docx"
    target.write_bytes(b"the previous brief")
    monkeypatch.setitem(sys.modules, "pypandoc", None)  # import pypandoc now raises ImportError
    result = score(str(EXAMPLE), "--brief", str(target))
    assert result.exit_code == 2
    assert result.stderr == 'error: --brief: Word, HTML and PDF briefs need the docs extra: pip install -e ".[docs]"\n'
    assert target.read_bytes() == b"the previous brief"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.docx"]


def test_a_failed_conversion_leaves_the_previous_brief(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    needs_pandoc()
    target = tmp_path / "brief.docx"
    target.write_bytes(b"the previous brief")
    import credcheck.render.document as document
    monkeypatch.setattr(document, "READER", "nosuchformat")
    result = score(str(EXAMPLE), "--brief", str(target), "--format", "json", "-o", str(tmp_path / "out.json"))
    assert result.exit_code == 2
    assert result.stderr == "error: --brief: pandoc could not write the docx brief: Unknown input format nosuchformat\n"
    assert target.read_bytes() == b"the previous brief"
    assert not (tmp_path / "out.json").exists()  # nothing written when one output fails
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.docx"]


def test_markdown_briefs_are_unchanged(tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    assert score(str(EXAMPLE), "--brief", str(target), "-q").exit_code == 0
    claims = load_claims(EXAMPLE, RUBRIC)
    expected = brief_renderer.render(Report(claims, RUBRIC, assess(claims, RUBRIC)))
    assert target.read_text(encoding="utf-8") == expected
