"""`credcheck diff OLD.json NEW.json`: what changed between two scored runs, and why."""

from typing import List, Optional

import typer

from credcheck.cli.common import EXIT_THRESHOLD, LimitOpt, _run, _settings


def diff(
    old: str = typer.Argument(..., metavar="OLD.json", help="An earlier `credcheck score --format json` output."),
    new: str = typer.Argument(..., metavar="NEW.json", help="A later one."),
    format: str = typer.Option("text", "--format", "-f", metavar="text|md", help="Output format (md: for a brief update)."),
    output: Optional[str] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write to FILE instead of stdout."),
    exit_code: bool = typer.Option(False, "--exit-code", help="Exit 1 when any claim's grade moved, or claims were added or removed."),
    limit: Optional[List[str]] = LimitOpt,
) -> None:
    """Show the claims whose grade moved between two scored runs, and why; claims added and removed.

    Example: credcheck diff monday.json tuesday.json --format md -o update.md
    """
    from credcheck.render.changes import print_run_diff, run_diff_markdown
    from credcheck.render.run_diff import diff_runs, load_run
    from credcheck.cli.common import refuse_inputs, require_text_or_md, show_changes
    require_text_or_md(format)
    _run(lambda: refuse_inputs(output, old, new))
    settings = _run(lambda: _settings(limit))
    size = settings.input.max_file_bytes
    result = _run(lambda: diff_runs(load_run(old, size), load_run(new, size)))
    _run(lambda: show_changes(format, output, lambda: run_diff_markdown(result),
                              lambda console: print_run_diff(result, console)))
    if exit_code and (result.moved or result.added or result.removed):
        raise typer.Exit(EXIT_THRESHOLD)
