"""Briefs as Word, HTML and PDF: the Markdown brief, converted by pandoc (the `docs` extra).

The Markdown is rendered first, as for a `.md` brief, so every escape that
keeps user text inert there (render/markdown.py) is what pandoc reads: a `|`
in a claim stays in its table cell, a `#` never starts a heading, `<b>`
stays text. Pandoc reads it as GitHub-flavoured Markdown without raw HTML,
metadata blocks, math or emoji (a template cannot smuggle markup into the
HTML, `$x$` and `:fire:` stay as typed) and runs with --sandbox (no file is
read, so `![](/etc/passwd)` embeds nothing). PDF goes through Typst:
pandoc writes Typst markup and the `typst` package lays it out, with the
fonts it embeds plus the system's; both install from the package index,
where LaTeX would not. Same input, same bytes: pandoc's sandbox stamps no
date, and the PDF's date is the claims file's `as_of`.
"""
from __future__ import annotations

import html
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from credcheck.errors import CredcheckError
from credcheck.limits import RenderLimits
from credcheck.render.safe_text import one_line, shorten
from credcheck.render.interop import moment

KINDS = {".docx": "docx", ".html": "html", ".htm": "html", ".pdf": "pdf"}
EXTRA_HINT = 'Word, HTML and PDF briefs need the docs extra: pip install -e ".[docs]"'
# GitHub-flavoured Markdown, as the brief is written, less what would read user text as
# something else: raw HTML, a leading YAML block (template variables), $math$, :emoji:.
READER = "gfm-raw_html-yaml_metadata_block-tex_math_dollars-tex_math_gfm-emoji"

# Laid out before the brief: A4, left-aligned text, tables that break across pages
# (pandoc wraps each table in a figure, which Typst otherwise keeps on one page)
# and whose columns without an alignment of their own are left-aligned, not centred as the figure is.
TYPST_PREAMBLE = """\
#set document(title: sys.inputs.at("title"))
#set page(paper: "a4", margin: (x: 2cm, y: 2.2cm), numbering: "1")
#set text(size: 10pt)
#set par(justify: false)
#show heading: set block(above: 1.4em, below: 0.8em)
#show figure: set block(breakable: true)
#set table(inset: 4pt, stroke: (x, y) => (bottom: if y == 0 { 0.6pt } else { 0.3pt + luma(190) }))
#show table: set text(size: 8.5pt)
#show table.cell.where(align: auto): set align(left)
#let horizontalrule = line(length: 100%, stroke: 0.5pt)

"""


def kind_of(path: str) -> str | None:
    """docx, html or pdf by the file's extension; None for Markdown (any other name)."""
    return KINDS.get(Path(path).suffix.lower())


def convert(markdown: str, kind: str, title: str, as_of: str | None,
            limits: RenderLimits = RenderLimits()) -> str | bytes:
    """The brief as `kind` (docx, html: text, pdf)."""
    pandoc = _pandoc()
    if kind == "docx":
        return _pandoc_run(pandoc, markdown, "docx", [], limits)
    if kind == "html":
        options = ["--standalone", f"--variable=pagetitle:{html.escape(one_line(title))}", "--variable=maxwidth:60em"]
        return _pandoc_run(pandoc, markdown, "html", options, limits).decode("utf-8")
    if kind == "pdf":
        body = _pandoc_run(pandoc, markdown, "typst", [], limits).decode("utf-8")
        return _typeset(TYPST_PREAMBLE + body, one_line(title), int(moment(as_of).timestamp()))
    raise ValueError(f"unknown brief kind {kind!r}")


def _pandoc() -> str:
    try:
        import pypandoc
        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError):  # no pypandoc, or it found no pandoc
        raise CredcheckError.single(None, "--brief", EXTRA_HINT) from None


def _pandoc_run(pandoc: str, markdown: str, to: str, options: list[str], limits: RenderLimits) -> bytes:
    # --columns: a wide source line would make pandoc size table columns by the
    # dashes under their headers (a claim column 7 dashes wide); this leaves widths to the layout.
    command = [pandoc, f"--from={READER}", f"--to={to}", "--sandbox", "--wrap=none", "--columns=100000",
               "--output=-", *options]
    try:
        done = subprocess.run(command, input=markdown.encode("utf-8"), capture_output=True, timeout=limits.seconds)
    except subprocess.TimeoutExpired:
        from credcheck.limits import exceeded
        raise exceeded("render-seconds", f"pandoc took too long to write the {to} brief", limits.seconds) from None
    except OSError as exc:
        raise CredcheckError.single(None, "--brief", f"cannot run pandoc: {exc.strerror or exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit status {done.returncode}"
        raise CredcheckError.single(None, "--brief", f"pandoc could not write the {to} brief: {shorten(message, 300)}")
    return done.stdout


def _typeset(source: str, title: str, timestamp: int) -> bytes:
    try:
        import typst
    except ImportError:
        raise CredcheckError.single(None, "--brief", f"PDF briefs need typst; {EXTRA_HINT}") from None
    # An empty folder as the root: the brief can read no file (an image path leads nowhere).
    with tempfile.TemporaryDirectory(prefix="credcheck-pdf-") as root:
        try:
            pdf: Any = typst.compile(source.encode("utf-8"), root=root, sys_inputs={"title": title},
                                     timestamp=timestamp)
        except typst.TypstError as exc:
            reason = getattr(exc, "message", "") or str(exc)
            raise CredcheckError.single(None, "--brief", f"typst could not lay out the PDF brief: {shorten(reason, 300)}") from None
    return bytes(pdf)
