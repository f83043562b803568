"""What the command modules share: exit codes, the error boundary, common options, a results console.

Domain errors (CredcheckError) become a located message on stderr and exit
code 2 here (`_run`), at the boundary, and nowhere else. Rich is imported
only when a command prints, so loading the CLI stays cheap.
"""
# No `from __future__ import annotations` in the command modules: typer reads a command's
# annotations on every run, and a string annotation costs it an eval.
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable, List, Optional, TypeVar

import typer

from credcheck.errors import CredcheckError

if TYPE_CHECKING:
    from rich.console import Console

EXIT_OK, EXIT_THRESHOLD, EXIT_BAD_INPUT = 0, 1, 2
T = TypeVar("T")


def _stderr(message: str) -> None:
    """One diagnostic line. Messages quote user text (ids, keys, values): it can
    neither drive the terminal nor fill the screen (safetext.terminal_message)."""
    from credcheck.render.safe_text import terminal_message
    sys.stderr.write(terminal_message(message) + "\n")


def _run(action: Callable[[], T], reading: Optional[str] = None) -> T:
    """Call into the library; turn its errors, and anything an input caused, into a message and exit code 2.

    `reading`: the input the action works on, blamed for what no check foresaw (errors.reading).
    """
    from credcheck.errors import located, reading as in_hand
    try:
        if reading is None:
            return action()
        with in_hand("<stdin>" if reading == "-" else reading):
            return action()
    except Exception as exc:  # typer.Exit is a RuntimeError: it passes through as itself
        problem = located(exc) if not isinstance(exc, typer.Exit) else None
        if problem is None:
            raise
        _report(problem)
        raise typer.Exit(EXIT_BAD_INPUT) from None


def _report(exc: CredcheckError) -> None:
    for problem in exc.problems:
        text = str(problem)
        _stderr(text if text.startswith("... and ") else f"error: {text}")  # the count of problems not shown is no error
    count = len(exc.problems)
    if count > 1:
        _stderr(f"{count} problems found; nothing was written.")


def _count(n: int, noun: str) -> str:
    """'1 claim', '2 claims', '1,204 claims'."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _settings(options: Optional[List[str]]):  # type: ignore[no-untyped-def]
    """Every limit: defaults, then CREDCHECK_LIMITS, then each --limit NAME=VALUE."""
    from credcheck.limits import settings_from
    return settings_from(options or [])


RubricOpt = typer.Option("default", "--rubric", "-r", metavar="NAME|PATH",
                         help="Rubric name (rubrics/NAME.yaml, built-ins included) or a path.")
SourcesOpt = typer.Option(None, "--sources", "-s", metavar="FILE", help="Extra sources file(s), same shape as the sources: list.")
LimitOpt = typer.Option(None, "--limit", metavar="NAME=VALUE",
                        help="Raise or lower one limit, e.g. --limit claims=2M (see: credcheck limits).")




def stdout_console() -> "Console":
    """Results go to stdout; a pipe or file has no width, so give it room (as `score` does)."""
    from credcheck.render.console import console as safe_console
    console = safe_console()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = safe_console(width=120)
    return console


def plain_text(draw: Callable[["Console"], None], width: int = 120) -> str:
    """What `draw` prints, as plain text without colour (for -o FILE)."""
    import io

    from credcheck.render.console import console as safe_console
    console = safe_console(width=width, no_color=True, color_system=None, force_terminal=False, record=True,
                           file=io.StringIO())
    draw(console)
    return console.export_text()


def refuse_inputs(output: Optional[str], *inputs: "str | Path | None") -> None:
    """-o must not name one of the command's inputs (render.files.check_not_inputs)."""
    if output is not None:
        from credcheck.render.files import check_not_inputs
        check_not_inputs([("--output", output)], [i for i in inputs if i is not None])


def emit(text: str, output: Optional[str]) -> None:
    """Text to a file (atomically) or to stdout."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from credcheck.render.files import write_text
    write_text(output, text)


def require_text_or_md(format: str) -> None:
    """The --format of the diff commands: text (a coloured view) or md."""
    if format not in ("text", "md"):
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
