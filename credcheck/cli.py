"""The credcheck command line: each command is one library call and a renderer.

Domain errors (CredcheckError) become a located message on stderr and exit
code 2 here, at the boundary, and nowhere else.
"""
# No `from __future__ import annotations` here: typer reads the command's
# annotations on every run, and a string annotation costs it an eval (~1 ms in all).
import importlib
import os
import sys
from pathlib import Path
from typing import Any, Callable, List, Optional, TypeVar

import typer

from . import __version__
from .errors import CredcheckError

APP_SETTINGS: dict[str, Any] = dict(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="Assess how far each claim in a report can be trusted, and why.\n\n"
         "Example: credcheck score claims.yaml --brief brief.md",
)
# Every command registers on `commands`; those kept in credcheck/commands/ only when their
# module is imported. `app` (below) is the whole CLI, for tests and anyone embedding it.
commands = typer.Typer(**APP_SETTINGS)

EXIT_OK, EXIT_THRESHOLD, EXIT_BAD_INPUT = 0, 1, 2
T = TypeVar("T")


def _stderr(message: str) -> None:
    """One diagnostic line. Messages quote user text (ids, keys, values): it can
    neither drive the terminal nor fill the screen (safetext.terminal_message)."""
    from .safetext import terminal_message
    sys.stderr.write(terminal_message(message) + "\n")


def _run(action: Callable[[], T], reading: Optional[str] = None) -> T:
    """Call into the library; turn its errors, and anything an input caused, into a message and exit code 2.

    `reading`: the input the action works on, blamed for what no check foresaw (errors.reading).
    """
    from .errors import located
    try:
        if reading is None:
            return action()
        from .errors import reading as in_hand
        with in_hand("<stdin>" if reading == "-" else reading):
            return action()
    except Exception as exc:  # typer.Exit is a RuntimeError: it passes through `located` as None
        problem = located(exc) if not isinstance(exc, typer.Exit) else None
        if problem is None:
            raise
        _report(problem)
        raise typer.Exit(EXIT_BAD_INPUT) from None


def _report(exc: CredcheckError) -> None:
    for problem in exc.problems:
        _stderr(f"error: {problem}")
    count = len(exc.problems)
    if count > 1:
        _stderr(f"{count} problems found; nothing was written.")


def _count(n: int, noun: str) -> str:
    """'1 claim', '2 claims', '1,204 claims'."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"credcheck {__version__}")
        raise typer.Exit()


@commands.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Assess how far each claim in a report can be trusted, and why."""


RubricOpt = typer.Option("default", "--rubric", "-r", metavar="NAME|PATH",
                         help="Rubric name (rubrics/NAME.yaml, built-ins included) or a path.")
SourcesOpt = typer.Option(None, "--sources", "-s", metavar="FILE", help="Extra sources file(s), same shape as the sources: list.")
LimitOpt = typer.Option(None, "--limit", metavar="NAME=VALUE",
                        help="Raise or lower one limit, e.g. --limit claims=2M (see: credcheck limits).")


@commands.command()
def score(
    claims: str = typer.Argument(..., metavar="CLAIMS", help="Claims file (YAML, JSON or JSON Lines), or - for standard input."),
    rubric: str = RubricOpt,
    sources: Optional[List[str]] = SourcesOpt,
    format: str = typer.Option("table", "--format", "-f", metavar="table|json|md", help="Output format."),
    output: Optional[str] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write the output to FILE instead of stdout."),
    brief: Optional[str] = typer.Option(None, "--brief", "-b", metavar="FILE", help="Also write the Markdown brief to FILE."),
    template: Optional[str] = typer.Option(None, "--template", "-t", metavar="NAME|PATH", help="Brief template (default: reports/brief.md.j2)."),
    fail_under: Optional[int] = typer.Option(None, "--fail-under", min=1, max=6, metavar="N",
                                             help="Exit 1 if any claim's credibility code is worse (greater) than N (1-6); an unreviewed draft counts as 6."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No table and no status messages; JSON/Markdown still go where asked."),
    show_all: bool = typer.Option(False, "--all", help="In the terminal table, show every row even for large inputs."),
    limit: Optional[List[str]] = LimitOpt,
    input_format: Optional[str] = typer.Option(None, "--input-format", metavar="yaml|json|jsonl",
                                               help="Format of CLAIMS (default: by extension, .json/.jsonl; else YAML)."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, metavar="N",
                             help="Processes reading (JSON, JSON Lines) and scoring in parallel for JSON output; 0 (default): one per idle CPU for large inputs."),
) -> None:
    """Score claims and show a table; optionally write JSON or a Markdown brief.

    Example: credcheck score examples/dmz-desertions/claims.yaml --brief brief.md --fail-under 4
    """
    from .fastpath import paused_gc
    from .render import Format
    if format not in Format.__members__:
        _stderr(f"error: --format must be one of: {', '.join(Format.__members__)} (got '{format}')")
        raise typer.Exit(EXIT_BAD_INPUT)
    _check_input_format(input_format)
    settings = _run(lambda: _settings(limit))
    targets = _targets(Format(format), output, brief)
    named = [claims, *(sources or []), *(p for p in (rubric, template) if p and Path(p).suffix)]
    _run(lambda: _check_targets(targets, named))
    # JSON alone is written while claims are scored, so a large run never holds every assessment.
    streaming = format == "json" and brief is None
    stdout_busy = output is None and format != "table" and sys.stdout.isatty()
    with paused_gc(), _progress_bar(quiet, stdout_busy) as bar:
        report, scored = _run(lambda: _assess(claims, rubric, sources or [], settings, input_format, bar, streaming, jobs),
                              claims)
        _run(lambda: _check_targets(targets, [*report.rubric.files, *report.rubric.included]))
        # Render everything before writing anything: a failed render must not leave one output new and one old.
        rendered = _run(lambda: _render_all(report, Format(format), output, brief, template, quiet, settings, scored),
                        claims)
        for target, text in rendered:
            if target is None:
                if text:
                    _run(lambda: _print_stdout(text), claims)
                continue
            _run(lambda: _write(target, text), claims)
            bar.close()
            if not quiet:
                _stderr(f"wrote {target}")
    if format == "table" and output is None and not quiet:
        _run(lambda: _print_table(report, show_all), claims)
    if fail_under is not None:
        # An unreviewed draft is not graded yet: it counts as 6, truth cannot be judged.
        worse = [g for g in scored.grades if (6 if g.draft else g.credibility) > fail_under]
        if worse:
            if not quiet:
                _stderr(f"{_count(len(worse), 'claim')} graded worse than credibility {fail_under}: "
                        + ", ".join(f"{g.id} ({'draft, ungraded' if g.draft else g.admiralty})" for g in worse[:10])
                        + (" ..." if len(worse) > 10 else ""))
            _end(EXIT_THRESHOLD)
    _end(EXIT_OK)


# True in the `credcheck` program (credcheck.__main__), never when the CLI runs inside another
# program (tests, a notebook): see _end.
END_PROCESS = False


def _end(code: int) -> None:
    """The end of a command that may hold a large run.

    As the `credcheck` program, the process ends here, once its output is
    flushed: a run's objects die with it. Freeing them one by one (claims,
    assessments, caches), then tearing the interpreter down, cost 0.1-0.3 s
    of a 100,000-claim run. Workers are joined and files closed by now.
    """
    if END_PROCESS:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            pass  # a closed or broken stream: the interpreter's own exit reports it
        else:
            os._exit(code)
    if code != EXIT_OK:
        raise typer.Exit(code)


def _settings(options: Optional[List[str]]):  # type: ignore[no-untyped-def]
    from .limits import settings_from
    return settings_from(options or [])


def _assess(claims_path: str, rubric_spec: str, sources: list[str], settings, input_format: Optional[str] = None,
            bar=None, lazy: bool = False, jobs: int = 1):  # type: ignore[no-untyped-def]
    """(Report, Scored): with `lazy`, the report's assessments are made as a renderer reads them, once
    (and a large JSON or JSON Lines file may be read in shares by several processes: split.py)."""
    from .render import Report
    from .rubric import load_rubric
    from .scoring import Scored
    from .split import load_for_scoring
    rubric = load_rubric(rubric_spec, limits=settings.rubric, examples=False)
    loaded = load_for_scoring(claims_path, rubric, sources, limits=settings.input, input_format=input_format,
                              progress=bar.reading if bar is not None else None, jobs=jobs, split=lazy)
    if bar is not None:
        bar.reading(loaded.total, 1.0)
    scored = Scored(loaded.claims, rubric, bar.scoring if bar is not None else None, loaded.jobs, loaded.workers,
                    loaded.total)
    return Report(loaded.claims, rubric, scored if lazy else list(scored)), scored


def _targets(fmt, output: Optional[str], brief: Optional[str]) -> list[tuple[str, Optional[str]]]:  # type: ignore[no-untyped-def]
    """The files a score run writes, by option (a Markdown -o that is also the --brief is written once)."""
    from .render import Format
    if fmt is Format.md and output == brief:
        return [("--output", output)]
    return [("--output", output), ("--brief", brief)]


def _check_targets(targets: list[tuple[str, Optional[str]]], inputs: list[str]) -> None:
    from .output import check_not_inputs, check_target
    check_not_inputs(targets, inputs)
    for _, target in targets:
        if target is not None and target != "-":
            check_target(target)


def _check_input_format(value: Optional[str]) -> None:
    from .fastpath import FORMATS
    if value is not None and value not in FORMATS:
        _stderr(f"error: --input-format must be one of: {', '.join(FORMATS)} (got '{value}')")
        raise typer.Exit(EXIT_BAD_INPUT)


def _progress_bar(quiet: bool, stdout_busy: bool):  # type: ignore[no-untyped-def]
    """A progress bar on stderr for long runs in a terminal; otherwise a stand-in that does nothing."""
    from . import progress
    return progress.TerminalProgress() if progress.wanted(quiet, stdout_busy) else progress.NoProgress()


def _render_all(report, fmt, output, brief, template, quiet, settings, scored=None):  # type: ignore[no-untyped-def]
    from .render import Format
    outputs: list[tuple[Optional[str], Any]] = []
    if fmt is Format.json:
        from .render import jsonout
        listing = scored.json_listing() if scored is not None and report.assessments is scored else None
        outputs.append((output, jsonout.iter_chunks(report, listing=listing)))
    elif fmt is Format.md:
        from .render import brief as brief_renderer
        outputs.append((output, brief_renderer.render(report, template, settings.render)))
    elif output is not None:
        from .render import table
        outputs.append((output, table.render(report)))
    if brief is not None:
        if fmt is Format.md and output == brief:
            return outputs
        from .render import brief as brief_renderer
        outputs.append((brief, brief_renderer.render(report, template, settings.render)))
    return outputs


def _write(target: str, text: Any) -> None:
    """Write text, or an iterable of text pieces (streamed JSON), to a file or - for stdout."""
    from .output import write_chunks
    write_chunks(target, (text,) if isinstance(text, str) else text)


def _print_stdout(text: Any) -> None:
    """Text, or an iterable of text pieces (streamed JSON; a scoring worker's part is a FileText)."""
    for chunk in (text,) if isinstance(text, str) else text:
        if isinstance(chunk, str):
            sys.stdout.write(chunk)
        elif hasattr(sys.stdout, "buffer") and (sys.stdout.encoding or "").lower().replace("-", "") == "utf8":
            sys.stdout.flush()
            chunk.copy_to(sys.stdout.buffer)
        else:
            sys.stdout.write(chunk.text())
    sys.stdout.flush()


def _print_table(report, show_all: bool) -> None:  # type: ignore[no-untyped-def]
    from .render.console import console as safe_console
    from .render.table import print_table
    console = safe_console()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = 120  # a pipe or file has no width: keep every column
    limit = None if show_all or not console.is_terminal else 50
    print_table(report, console, limit)


@commands.command()
def validate(
    claims: List[str] = typer.Argument(..., metavar="CLAIMS...", help="Claims file(s) (YAML, JSON or JSON Lines), or - for standard input."),
    rubric: str = RubricOpt,
    sources: Optional[List[str]] = SourcesOpt,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing on success."),
    limit: Optional[List[str]] = LimitOpt,
    input_format: Optional[str] = typer.Option(None, "--input-format", metavar="yaml|json|jsonl",
                                               help="Format of CLAIMS (default: by extension, .json/.jsonl; else YAML)."),
) -> None:
    """Check claims files (and rubric) without scoring: every problem, with file and line.

    Several files are checked one after the other, as a pre-commit hook passes them.

    Example: credcheck validate claims.yaml --rubric myteam
    """
    _check_input_format(input_format)
    from .rubric import load_rubric
    settings = _run(lambda: _settings(limit))
    loaded_rubric = _run(lambda: load_rubric(rubric, limits=settings.rubric))

    def check(path: str) -> tuple[int, int]:
        from .claims import load_claims
        loaded = load_claims(path, loaded_rubric, sources or [], limits=settings.input, input_format=input_format)
        return len(loaded.claims), len(loaded.sources)

    failed = 0
    for path in claims:
        try:
            n_claims, n_sources = _run(lambda: check(path), path)
        except typer.Exit:
            failed += 1
            continue
        if not quiet:
            name = "<stdin>" if path == "-" else path
            _stderr(f"{name}: ok ({_count(n_claims, 'claim')}, {_count(n_sources, 'source')})")
    if failed:
        raise typer.Exit(EXIT_BAD_INPUT)


@commands.command("rubrics")
def list_rubrics() -> None:
    """List the available rubrics: name, version, description, where they live.

    Example: credcheck rubrics
    """
    from rich.table import Table
    from rich.text import Text

    from .render.console import console as safe_console
    from .resources import rubrics_dir
    from .rubric import load_rubric
    from .safetext import one_line

    table = Table(show_lines=False)
    for column in ("Name", "Version", "Description", "File"):
        table.add_column(column, overflow="fold")
    seen: set[str] = set()
    for folder in (Path("rubrics"), rubrics_dir()):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            if path.stem in seen:
                continue
            seen.add(path.stem)
            try:
                r = load_rubric(path)
                table.add_row(*(Text(one_line(cell)) for cell in (path.stem, r.version, r.description, str(path))))
            except CredcheckError as exc:
                table.add_row(Text(one_line(path.stem)), Text("?"), Text(one_line(f"invalid: {exc.problems[0]}"), style="red"),
                              Text(one_line(str(path))))
    safe_console().print(table)


# Commands kept in their own modules, by the name each registers; in the order `--help` lists them.
COMMAND_MODULES = ("diff", "explain", "extract", "init", "schema", "limits", "rubric")


def load_commands(*names: str) -> typer.Typer:
    """Import (and so register) the named command modules, or all of them; returns `commands`."""
    for name in names or COMMAND_MODULES:
        importlib.import_module(f"{__package__}.commands.{name}")
    return commands


def __getattr__(name: str) -> Any:
    """`credcheck.cli.app`: the whole CLI, every command loaded."""
    if name == "app":
        return load_commands()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def app_for(args: list[str]) -> typer.Typer:
    """The app that runs `args`: when they name a command, one holding just that command.

    typer turns every registered command's options into click parameters before
    it runs any: for twelve commands that was ~4 ms of a one-claim run's ~150 ms.
    Only that command's module is imported. Anything else (no command, --help,
    --version, a mistyped name) gets the whole app.
    """
    name = args[0] if args else ""
    if name in COMMAND_MODULES:
        load_commands(name)
    found = [c for c in commands.registered_commands if command_name(c) == name]
    groups = [g for g in commands.registered_groups if g.name == name]
    if not (found or groups):
        return load_commands()
    lean = typer.Typer(**APP_SETTINGS)
    lean.registered_callback = commands.registered_callback
    lean.registered_commands, lean.registered_groups = found, groups
    return lean


def command_name(info: Any) -> str:
    """The name typer gives a registered command: its own, or its function's with _ as -."""
    return info.name or info.callback.__name__.lower().replace("_", "-")


def main() -> None:
    """Console entry point (through credcheck.__main__, which pauses the collector first):
    no traceback ever reaches the user."""
    try:
        app_for(sys.argv[1:])()
    except KeyboardInterrupt:
        _stderr("interrupted")
        sys.exit(130)
    except BrokenPipeError:  # the reader of stdout went away (`| head`): stop quietly, as SIGPIPE would
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the exit's flush must not fail again
        except (OSError, ValueError):
            pass
        sys.exit(128 + 13)
    except SystemExit:
        raise
    except Exception as exc:  # a bug: say so plainly, and exit as for bad input
        from .errors import located
        problem = located(exc)
        if problem is not None:  # an input caused it: say which
            _report(problem)
            sys.exit(EXIT_BAD_INPUT)
        if os.environ.get("CREDCHECK_DEBUG"):
            raise
        _stderr(f"error: internal error: {type(exc).__name__}: {exc} (set CREDCHECK_DEBUG=1 for details; please report it)")
        sys.exit(EXIT_BAD_INPUT)


if __name__ == "__main__":
    main()
