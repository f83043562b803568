"""Text from users, made safe to show: nothing it holds can drive a terminal or hide.

Claims, names and ids come from many hands. Printed raw, an escape sequence
(`ESC [2J`) clears the analyst's screen or retitles the window, and a bidi
override (U+202E) makes `txt.exe` read `exe.txt`; zero-width characters make
two different ids look the same. Every place credcheck shows user text (the
terminal table, error messages, the Markdown brief) passes it through
`visible()`, which replaces such characters with a visible `{U+202E}`. JSON
keeps the exact text but escapes the same characters (`\\u202e`), so the file
decodes to the input and is still safe to `cat`.

Left alone, because real text needs them: zero-width joiner and non-joiner
(emoji sequences, Persian, Indic scripts), variation selectors, Arabic
number signs, and tag characters inside an emoji flag sequence.
"""
from __future__ import annotations

import re

from credcheck.lazyre import LazyPattern

# C0 and C1 controls and DEL; lone surrogates; line and paragraph separators; bidi marks, embeddings, overrides and isolates;
# invisible format characters (soft hyphen, zero-width space, word joiner,
# invisible operators, deprecated format controls, BOM, interlinear annotation,
# musical and shorthand format controls, the language tag); tag characters.
_C0 = "\x00-\x1f"
_NOT_C0 = (
    "\x7f-\x9f"
    "\u00ad\u061c\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    "\ud800-\udfff"  # lone surrogates: no character at all, and no UTF-8 encoder writes one
)
_UNSAFE_CLASS = _C0 + _NOT_C0
# Tag characters are legitimate only in an emoji flag sequence (England: black flag + tags + cancel tag).
_FLAG = "\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
_UNSAFE: re.Pattern[str] = LazyPattern(re.compile, f"({_FLAG})|[{_UNSAFE_CLASS}]")  # type: ignore[assignment]
_ANY_UNSAFE: re.Pattern[str] = LazyPattern(re.compile, f"[{_UNSAFE_CLASS}]")  # type: ignore[assignment]
# What a terminal line may not hold (as _ANY_UNSAFE), but for the line break itself.
_TERMINAL_UNSAFE: re.Pattern[str] = LazyPattern(re.compile, f"({_FLAG})|[\x00-\x09\x0b-\x1f{_NOT_C0}]")  # type: ignore[assignment]
# json.dumps escapes C0 controls itself, and JSON's own line breaks are C0: leave those alone.
_JSON_UNSAFE: re.Pattern[str] = LazyPattern(re.compile, f"[{_NOT_C0}]")  # type: ignore[assignment]
_SPACE = re.compile(r"\s+")


def marker(ch: str) -> str:
    """How an unsafe character is shown: `{U+202E}`."""
    return f"{{U+{ord(ch):04X}}}"


def _replace(match: re.Match[str]) -> str:
    return match.group(1) or marker(match.group(0))


def visible(text: str) -> str:
    """`text` with every control, bidi and invisible format character shown as `{U+XXXX}`."""
    # Every unsafe character is a control, format or line/paragraph separator, none of
    # which str.isprintable() passes (tested): printable text needs no scan and no copy.
    if text.isprintable() or not _ANY_UNSAFE.search(text):
        return text
    return _UNSAFE.sub(_replace, text)


def terminal_safe(text: str) -> str:
    """As visible(), but line breaks stay line breaks: for text a renderer has already laid out."""
    if text.isprintable() or text == "\n":
        return text
    return _TERMINAL_UNSAFE.sub(_replace, text)


def one_line(text: str) -> str:
    """Whitespace runs (newlines and tabs included) folded to one space, then made visible."""
    if text.isprintable():  # its only whitespace is the space: fold runs, nothing else to do
        return _SPACE.sub(" ", text) if "  " in text else text
    return visible(_SPACE.sub(" ", text))


def shorten(text: str, limit: int = 80) -> str:
    """At most `limit` characters: the start and the end, and how much was left out."""
    if len(text) <= limit:
        return text
    keep = max(limit - 30, 10)
    head, tail = keep * 2 // 3, keep - keep * 2 // 3
    return f"{text[:head]}...[{len(text) - head - tail:,} characters]...{text[-tail:]}"


def terminal_message(text: str, limit: int = 500) -> str:
    """One diagnostic line for stderr: at most `limit` characters, nothing that drives a terminal.

    A newline in a quoted value is shown as `{U+000A}`, so user text can never
    add a line that looks like another message.
    """
    return visible(shorten(text, limit))


def json_escape(document: str) -> str:
    """`json.dumps` output with the unsafe characters it leaves raw written as `\\uXXXX`.

    Those (DEL, C1 controls, bidi and invisible format characters) can only
    occur inside strings, as JSON syntax is ASCII, so the document stays valid
    and decoding it gives back the exact input.
    """
    if (document.isascii() and "\x7f" not in document) or not _JSON_UNSAFE.search(document):
        return document
    return _JSON_UNSAFE.sub(_json_char, document)


def _json_char(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
