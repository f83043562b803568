"""Markdown escaping for user text: it may never change a brief's structure."""
from __future__ import annotations

import re

_SPACE = re.compile(r"\s+")
_HTML = {"<": "&lt;", ">": "&gt;"}
# Characters that make links, code, emphasis, tables or strike-through anywhere in a line.
_INLINE = re.compile(r"([\\`*\[\]|~])")
# `_` makes emphasis only at a word's edge: `single_source` is safe, `_x_` is not.
_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
# Block syntax that bites only at the start of a line: headings, quotes, lists, rules.
_LINE_START = re.compile(r"^(?:#{1,6}(?=\s|$)|>|[-+](?=\s|$)|=+$|-+$|\d+[.)](?=\s|$))")


def md_escape(value: object) -> str:
    """One line of inert Markdown: whitespace folded, HTML and Markdown syntax escaped.

    A `|` cannot split a table cell, a newline cannot start a heading or a
    list, `<b>` or `<!--` is shown as text, `[x](javascript:...)` is no link.
    """
    # Each step is skipped when it would change nothing: a brief escapes every value it prints.
    # (All whitespace but ' ' is unprintable, so printable text folds only double spaces.)
    text = str(value)
    if not text.isprintable() or "  " in text:
        text = _SPACE.sub(" ", text)
        if not text.isprintable():
            text = "".join(ch for ch in text if ch.isprintable())
    if _INLINE.search(text):
        text = _INLINE.sub(r"\\\1", text)
    if "_" in text:
        text = _UNDERSCORE.sub(r"\\_", text)
    if "<" in text or ">" in text:
        text = text.replace("<", _HTML["<"]).replace(">", _HTML[">"])
    return _LINE_START.sub(_escape_block_marker, text) if _LINE_START.match(text) else text


def _escape_block_marker(match: re.Match[str]) -> str:
    marker = match.group(0)
    if marker[0].isdigit():  # "1." -> "1\." keeps the number readable
        return marker[:-1] + "\\" + marker[-1]
    return "\\" + marker
