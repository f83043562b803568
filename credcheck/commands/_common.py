"""What the command modules share: a results console, writing a text output, showing a diff.

Rich is imported only when a command prints, so loading the CLI stays cheap.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional

if TYPE_CHECKING:
    from rich.console import Console


def stdout_console() -> "Console":
    """Results go to stdout; a pipe or file has no width, so give it room (as `score` does)."""
    from ..render.console import console as safe_console
    console = safe_console()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = safe_console(width=120)
    return console


def plain_text(draw: Callable[["Console"], None], width: int = 120) -> str:
    """What `draw` prints, as plain text without colour (for -o FILE)."""
    import io

    from ..render.console import console as safe_console
    console = safe_console(width=width, no_color=True, color_system=None, force_terminal=False, record=True,
                           file=io.StringIO())
    draw(console)
    return console.export_text()


def refuse_inputs(output: Optional[str], *inputs: "str | Path | None") -> None:
    """-o must not name one of the command's inputs (output.check_not_inputs)."""
    if output is not None:
        from ..output import check_not_inputs
        check_not_inputs([("--output", output)], [i for i in inputs if i is not None])


def emit(text: str, output: Optional[str]) -> None:
    """Text to a file (atomically) or to stdout."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from ..output import write_text
    write_text(output, text)


def require_text_or_md(format: str) -> None:
    """The --format of the diff commands: text (a coloured view) or md."""
    if format not in ("text", "md"):
        import typer

        from ..cli import EXIT_BAD_INPUT, _stderr
        _stderr(f"error: --format must be one of: text, md (got '{format}')")
        raise typer.Exit(EXIT_BAD_INPUT)


def show_changes(format: str, output: Optional[str], markdown: Callable[[], str],
                 draw: Callable[["Console"], None]) -> None:
    """A diff as Markdown, as plain text to a file, or drawn in colour on stdout."""
    if format == "md":
        emit(markdown(), output)
    elif output is not None:
        emit(plain_text(draw), output)
    else:
        draw(stdout_console())
