"""Articles as text: plain text or Markdown -> headings and paragraphs -> sentences.

Every sentence keeps the line it starts on, so a draft claim can point the
analyst back to the article. Markdown markup (headings, emphasis, links,
images, code, tables, HTML, front matter) is stripped; what is left is the
prose a reader would see.
"""
from __future__ import annotations

import re
from typing import Iterator

from credcheck.errors import CredcheckError, Mark
from credcheck.rubric.lexicon import Lexicon
from credcheck.record import Record
from credcheck.load.located_yaml import decode_utf8


class Block(Record):
    """A heading, a paragraph or a line of page furniture, as plain text."""

    kind: str  # "heading" | "paragraph" | "boilerplate"
    lines: tuple[tuple[int, str], ...]  # (line number, text) per source line

    @property
    def line(self) -> int:
        return self.lines[0][0]

    @property
    def text(self) -> str:
        return " ".join(text for _, text in self.lines)


class Sentence(Record):
    text: str
    line: int


def decode_article(data: bytes, file: str) -> str:
    """UTF-8 text, or a clear error: binary files and other encodings are refused."""
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise CredcheckError.single(Mark(file, line, nul - (data.rfind(b"\n", 0, nul) + 1) + 1), "",
                                    "this looks like a binary file (it holds a NUL byte); "
                                    "extract reads plain text (.txt) or Markdown (.md) saved as UTF-8")
    text = decode_utf8(data, file)
    # Other control characters are noise from copy and paste: they become spaces.
    return _CONTROL.sub(" ", text)


_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_TERMINAL = re.compile("[.!?\u2026][\"'\u201d\u2019)\\]]*$")


# --- blocks -----------------------------------------------------------------------

def blocks(text: str, lexicon: Lexicon, markdown: bool = False) -> list[Block]:
    """Headings, paragraphs and boilerplate lines, in order."""
    raw = list(_markdown_blocks(text) if markdown else _text_blocks(text))
    out: list[Block] = []
    for kind, lines in raw:
        if kind == "paragraph":
            out.extend(_classify(lines, lexicon))
        elif lines:
            out.append(Block(kind, tuple(lines)))
    return out


def _lines(text: str) -> Iterator[tuple[int, str]]:
    # split on \n only: an editor's line numbers, whatever other breaks the text holds
    for number, line in enumerate(text.split("\n"), start=1):
        yield number, line.rstrip("\r")


def _text_blocks(text: str) -> Iterator[tuple[str, list[tuple[int, str]]]]:
    current: list[tuple[int, str]] = []
    for number, line in _lines(text):
        stripped = " ".join(line.split())
        if stripped:
            current.append((number, stripped))
        elif current:
            yield "paragraph", current
            current = []
    if current:
        yield "paragraph", current


def _classify(lines: list[tuple[int, str]], lexicon: Lexicon) -> Iterator[Block]:
    """Split boilerplate lines and a leading heading line off a paragraph block."""
    current: list[tuple[int, str]] = []
    for number, line in lines:
        if lexicon.boilerplate is not None and lexicon.boilerplate.match(line):
            if current:
                yield from _paragraph(current)
                current = []
            yield Block("boilerplate", ((number, line),))
        else:
            current.append((number, line))
    if current:
        yield from _paragraph(current)


def _paragraph(lines: list[tuple[int, str]]) -> Iterator[Block]:
    if len(lines) == 1 and looks_like_heading(lines[0][1]):
        yield Block("heading", tuple(lines))
        return
    # a short unpunctuated first line over longer wrapped lines: a heading without a blank line after it
    if len(lines) > 1 and looks_like_heading(lines[0][1], 12) and len(lines[0][1]) < 0.6 * max(len(t) for _, t in lines[1:]):
        yield Block("heading", (lines[0],))
        lines = lines[1:]
    yield Block("paragraph", tuple(lines))


def looks_like_heading(line: str, max_words: int = 20) -> bool:
    """A short line with no sentence-final punctuation: 'Living Conditions', 'The Desertion: What We Know'."""
    return not _TERMINAL.search(line) and len(line.split()) <= max_words


# --- Markdown -------------------------------------------------------------------------

_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_TABLE = re.compile(r"^\s*\|")
_REFDEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_INLINE = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),                      # images
    (re.compile(r"!\[[^\]]*\]\[[^\]]*\]"), ""),
    (re.compile(r"\[\^[^\]]+\]"), ""),                                # footnote references
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),                   # [text](url)
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),                  # [text][ref]
    (re.compile(r"<(https?://[^>]+)>"), r"\1"),                       # autolinks
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),                           # HTML tags
    (re.compile(r"`+([^`]*)`+"), r"\1"),                              # code spans
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),            # strong
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *em*
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),    # _em_
    (re.compile(r"~~(.+?)~~"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|~])"), r"\1"),             # backslash escapes
]
_FRONT_TITLE = re.compile(r"^title:\s*(.+?)\s*$")


def strip_inline(line: str) -> str:
    """Markdown inline markup -> the text a reader sees."""
    for pattern, repl in _INLINE:
        line = pattern.sub(repl, line)
    return " ".join(line.split())


def _markdown_blocks(text: str) -> Iterator[tuple[str, list[tuple[int, str]]]]:
    text = _HTML_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)  # keep line numbers
    lines = list(_lines(text))
    i = _front_matter_end(lines)
    if i:
        title = next((m.group(1) for _, l in lines[1:i - 1] if (m := _FRONT_TITLE.match(l))), None)
        if title:
            yield "heading", [(1, title.strip("'\""))]
    current: list[tuple[int, str]] = []
    fence: str | None = None
    for number, line in lines[i:]:
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        if (m := _FENCE.match(line)) is not None:
            fence = m.group(1)[0] * 3
            if current:
                yield "paragraph", current
                current = []
            continue
        if _SETEXT.match(line) is not None:  # under a single line it makes a heading; otherwise a rule
            if len(current) == 1:
                yield "heading", current
            elif current:
                yield "paragraph", current
            current = []
            continue
        if not line.strip() or _RULE.match(line) or _TABLE.match(line) or _REFDEF.match(line):
            if current:
                yield "paragraph", current
                current = []
            continue
        if (m := _ATX.match(line)) is not None:
            if current:
                yield "paragraph", current
                current = []
            heading = strip_inline(m.group(2))
            if heading:
                yield "heading", [(number, heading)]
            continue
        if _LIST.match(line):  # each list item is its own paragraph
            if current:
                yield "paragraph", current
                current = []
            line = _LIST.sub("", line, count=1)
        line = strip_inline(_QUOTE.sub("", line))
        if line:
            current.append((number, line))
    if current:
        yield "paragraph", current


def _front_matter_end(lines: list[tuple[int, str]]) -> int:
    """Index after a YAML front matter block opening the file, else 0."""
    if not lines or lines[0][1].strip() != "---":
        return 0
    for index, (_, line) in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            return index + 1
    return 0


# --- sentences ----------------------------------------------------------------------

_BOUNDARY = re.compile("([.!?\u2026]+)([\"'\u201d\u2019)\\]]*)\\s+(?=[\"'\u201c\u2018(\\[]*[A-Z0-9])")
_LAST_TOKEN = re.compile(r"(\S+)$")


def sentences(block: Block, lexicon: Lexicon) -> list[Sentence]:
    """Split a paragraph into sentences; a full stop after an abbreviation or an initial does not end one."""
    text, starts = _joined(block)
    out: list[Sentence] = []
    begin = 0
    for m in _BOUNDARY.finditer(text):
        if m.group(1) == "." and _abbreviation(text[begin:m.start(1) + 1], lexicon):
            continue
        _add(out, text, begin, m.end(2), starts)
        begin = m.end()
    _add(out, text, begin, len(text), starts)
    return out


def _joined(block: Block) -> tuple[str, list[tuple[int, int]]]:
    """The block's lines joined by spaces, and (offset, line number) where each starts."""
    parts: list[str] = []
    starts: list[tuple[int, int]] = []
    offset = 0
    for number, line in block.lines:
        starts.append((offset, number))
        parts.append(line)
        offset += len(line) + 1
    return " ".join(parts), starts


def _abbreviation(before: str, lexicon: Lexicon) -> bool:
    m = _LAST_TOKEN.search(before)
    if m is None:
        return False
    token = m.group(1).lstrip("(\"'\u201c\u2018")
    if re.fullmatch(r"[A-Z]\.", token):  # an initial: "J. Smith"
        return True
    return token.lower().rstrip(".") in lexicon.abbreviations


def _add(out: list[Sentence], text: str, begin: int, end: int, starts: list[tuple[int, int]]) -> None:
    piece = text[begin:end]
    stripped = piece.strip()
    if not stripped:
        return
    at = begin + (len(piece) - len(piece.lstrip()))
    line = starts[0][1]
    for offset, number in starts:
        if offset <= at:
            line = number
    out.append(Sentence(" ".join(stripped.split()), line))
