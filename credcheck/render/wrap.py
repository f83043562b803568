"""Plain lines with a hanging indent for the terminal, without the trailing spaces rich pads with."""
from __future__ import annotations

import textwrap

from rich.console import Console
from rich.text import Text


def print_wrapped(console: Console, text: str, indent: int, style: str = "", hang: int = 0) -> None:
    """`text` wrapped to the console, continuation lines `hang` further in; user text is never markup."""
    wrapped = textwrap.fill(text, max(20, console.width), initial_indent=" " * indent,
                            subsequent_indent=" " * (indent + hang), break_on_hyphens=False)
    console.print(Text(wrapped, style=style), no_wrap=True, crop=False)
