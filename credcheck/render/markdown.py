"""Markdown escaping for user text: it may never change a brief's structure."""
from __future__ import annotations

import re

from credcheck.render.safe_text import one_line

# Characters that make links, code, emphasis, tables or strike-through anywhere in a line.
_INLINE = re.compile(r"([\\`*\[\]|~])")
# `_` makes emphasis only at a word's edge: `single_source` is safe, `_x_` is not.
_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
# `&#x202E;` or `&lt;` would be decoded by a Markdown renderer: `\&` keeps it literal text.
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# Block syntax that bites only at the start of a line: headings, quotes, lists, rules.
_LINE_START = re.compile(r"^(?:#{1,6}(?=\s|$)|>|[-+](?=\s|$)|=+$|-+$|\d+[.)](?=\s|$))")
_BACKTICKS = re.compile(r"`+")


def md_escape(value: object) -> str:
    """One line of inert Markdown: whitespace folded, HTML and Markdown syntax escaped.

    A `|` cannot split a table cell, a newline cannot start a heading or a
    list, `<b>` or `<!--` is shown as text, `[x](javascript:...)` is no link,
    an entity cannot smuggle in a character, and control or bidi characters
    are shown as `{U+202E}` (see safetext).
    """
    # Each step is skipped when it would change nothing: a brief escapes every value it prints.
    text = one_line(str(value))
    if _INLINE.search(text):
        text = _INLINE.sub(r"\\\1", text)
    if "_" in text:
        text = _UNDERSCORE.sub(r"\\_", text)
    if "&" in text:
        text = _ENTITY.sub(r"\\&", text)
    if "<" in text or ">" in text:
        text = text.replace("<", "&lt;").replace(">", "&gt;")
    return _LINE_START.sub(_escape_block_marker, text) if _LINE_START.match(text) else text


_PIPE = re.compile(r"(\\*)\|")


def code_span(value: object) -> str:
    """Text as one inline code span, whatever it holds.

    The fence is one backtick longer than any run inside, so a backtick in an
    id shows as itself. A `|` is written `\\|`: in a GFM table a pipe ends the
    cell even inside a code span, and the table parser turns `\\|` back into `|`.
    Backslashes just before a pipe are doubled first: a table parser that reads
    `\\\\` as an escaped backslash would otherwise see the pipe unescaped and end
    the cell there.
    """
    text = _PIPE.sub(lambda m: m.group(1) * 2 + "\\|", one_line(str(value)))
    if not text:
        return ""
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(text)), default=0) + 1)
    pad = " " if text[0] in "` " or text[-1] in "` " else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _escape_block_marker(match: re.Match[str]) -> str:
    marker = match.group(0)
    if marker[0].isdigit():  # "1." -> "1\." keeps the number readable
        return marker[:-1] + "\\" + marker[-1]
    return "\\" + marker
