"""The credcheck command line, assembled: every command, registered here and nowhere else.

Each command lives in its own module of this folder (score.py, validate.py,
explain.py, ...) as a plain function; this module is the one list of them.
The command modules import the library inside their functions, so building
the app imports typer and the command modules only.
"""
import os
import sys
from typing import Any

import typer

from credcheck import __version__
from credcheck.cli import (calibrate, diff, explain, extract, init, limits, rubric, rubrics, schema, score, track_record,
                           validate)
from credcheck.cli.common import EXIT_BAD_INPUT, _report, _stderr

APP_SETTINGS: dict[str, Any] = dict(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="Assess how far each claim in a report can be trusted, and why.\n\n"
         "Example: credcheck score claims.yaml --brief brief.md",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"credcheck {__version__}")
        raise typer.Exit()


def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Assess how far each claim in a report can be trusted, and why."""


def build_app() -> typer.Typer:
    """The whole CLI, in the order `--help` lists the commands."""
    cli = typer.Typer(**APP_SETTINGS)
    cli.callback()(_root)
    cli.command("score")(score.score)
    cli.command("validate")(validate.validate)
    cli.command("rubrics")(rubrics.list_rubrics)
    cli.command("diff")(diff.diff)
    cli.command("explain")(explain.explain)
    cli.command("extract")(extract.extract_command)
    cli.command("init")(init.init)
    cli.command("schema")(schema.schema)
    cli.command("limits")(limits.show_limits)
    cli.command("track-record")(track_record.track_record)
    cli.command("calibrate")(calibrate.calibrate)
    cli.add_typer(rubric.rubric_app, name="rubric")
    return cli


app = build_app()


def command_name(info: Any) -> str:
    """The name typer gives a registered command: its own, or its function's with _ as -."""
    return info.name or info.callback.__name__.lower().replace("_", "-")


def main(end_process: bool = False) -> None:
    """Console entry point (through credcheck.__main__, which pauses the collector first and
    sets `end_process`): no traceback ever reaches the user."""
    try:
        app(obj={"end_process": end_process})
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
        from credcheck.errors import located
        problem = located(exc)
        if problem is not None:  # an input caused it: say which
            _report(problem)
            sys.exit(EXIT_BAD_INPUT)
        if os.environ.get("CREDCHECK_DEBUG"):
            raise
        _stderr(f"error: internal error: {type(exc).__name__}: {exc} (set CREDCHECK_DEBUG=1 for details; please report it)")
        sys.exit(EXIT_BAD_INPUT)
