"""`credcheck score CLAIMS`: grade every claim; a table, JSON, Markdown, STIX, MISP or ClaimReview, and the brief."""
import os
import sys
from pathlib import Path
from typing import Any, List, Optional

import typer

from credcheck.cli.common import (EXIT_BAD_INPUT, EXIT_OK, EXIT_THRESHOLD, LimitOpt, RubricOpt, SourcesOpt, _count,
                                  _run, _settings, _stderr)


def score(
    ctx: typer.Context,
    claims: str = typer.Argument(..., metavar="CLAIMS", help="Claims file (YAML, JSON or JSON Lines), or - for standard input."),
    rubric: str = RubricOpt,
    sources: Optional[List[str]] = SourcesOpt,
    format: str = typer.Option("table", "--format", "-f", metavar="table|json|md|stix|misp|claimreview",
                               help="Output format: a table, JSON, a Markdown brief, a STIX 2.1 bundle, a MISP event, ClaimReview JSON-LD."),
    output: Optional[str] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write the output to FILE instead of stdout."),
    brief: Optional[str] = typer.Option(None, "--brief", "-b", metavar="FILE",
                                        help="Also write the brief to FILE: Markdown, or Word/HTML/PDF for .docx/.html/.pdf."),
    template: Optional[str] = typer.Option(None, "--template", "-t", metavar="NAME|PATH", help="Brief template (default: reports/brief.md.j2)."),
    key_judgments: int = typer.Option(5, "--key-judgments", min=0, metavar="N",
                                      help="At most N key judgments in the brief's bottom line: the claims marked key: true, else chosen by rule."),
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
    from credcheck.load.fast import paused_gc
    from credcheck.record import replace
    from credcheck.render import Format
    from credcheck.render import parallel
    if format not in Format.__members__:
        _stderr(f"error: --format must be one of: {', '.join(Format.__members__)} (got '{format}')")
        raise typer.Exit(EXIT_BAD_INPUT)
    _check_input_format(input_format)
    settings = _run(lambda: _settings(limit))
    targets = _targets(Format(format), output, brief)
    named = [claims, *(sources or []), *(p for p in (rubric, template) if p and Path(p).suffix)]
    _run(lambda: _check_targets(targets, named))
    end_process = bool(ctx.obj and ctx.obj.get("end_process"))
    # JSON, and a table of a large input off a terminal (rows: render/rows.py), are written while
    # claims are scored, so a large run never holds every assessment.
    to_terminal = output is None and sys.stdout.isatty()
    may_stream_rows = format == "table" and brief is None and (output is not None or not quiet and (show_all or not to_terminal))
    streaming = (format == "json" and brief is None) or may_stream_rows
    stdout_busy = output is None and format != "table" and sys.stdout.isatty()
    with paused_gc(), _progress_bar(quiet, stdout_busy) as bar:
        report, scored = _run(lambda: _assess(claims, rubric, sources or [], settings, input_format, bar, streaming, jobs),
                              claims)
        _run(lambda: _check_targets(targets, list(report.rubric.all_files)))
        # Rows for an input large enough to score in parallel (and so for any read in shares), whatever --jobs says.
        rows = may_stream_rows and (len(scored) > parallel.MIN_SLICE or bool(scored.shares))
        if may_stream_rows and not rows:  # small: the rich table, which needs every row to size its columns
            report = _run(lambda: replace(report, assessments=list(scored)), claims)
        # Render everything before writing anything: a failed render must not leave one output new and one old.
        rendered = _run(lambda: _render_all(report, Format(format), output, brief, template, quiet, settings, scored,
                                            key_judgments, rows), claims)
        for target, text in rendered:
            if target is None:
                if text:
                    _run(lambda: _print_stdout(text), claims)
                continue
            _run(lambda: _write(target, text), claims)
            bar.close()
            if not quiet:
                _stderr(f"wrote {target}")
    if format == "table" and output is None and not quiet and not rows:
        _run(lambda: _print_table(report, show_all), claims)
    if fail_under is not None:
        # An unreviewed draft is not graded yet: it counts as 6, truth cannot be judged.
        worse = [g for g in scored.grades if (6 if g.draft else g.credibility) > fail_under]
        if worse:
            if not quiet:
                _stderr(f"{_count(len(worse), 'claim')} graded worse than credibility {fail_under}: "
                        + ", ".join(f"{g.id} ({'draft, ungraded' if g.draft else g.admiralty})" for g in worse[:10])
                        + (" ..." if len(worse) > 10 else ""))
            _end(EXIT_THRESHOLD, end_process)
    _end(EXIT_OK, end_process)


def _end(code: int, end_process: bool) -> None:
    """The end of a command that may hold a large run.

    As the `credcheck` program (`end_process`, set by credcheck.__main__; never when
    the CLI runs inside another program: tests, a notebook), the process ends here, once its output is
    flushed: a run's objects die with it. Freeing them one by one (claims,
    assessments, caches), then tearing the interpreter down, cost 0.1-0.3 s
    of a 100,000-claim run. Workers are joined and files closed by now.
    """
    if end_process:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            pass  # a closed or broken stream: the interpreter's own exit reports it
        else:
            os._exit(code)
    if code != EXIT_OK:
        raise typer.Exit(code)


def _assess(claims_path: str, rubric_spec: str, sources: list[str], settings, input_format: Optional[str] = None,
            bar=None, lazy: bool = False, jobs: int = 1):  # type: ignore[no-untyped-def]
    """(Report, Scored): with `lazy`, the report's assessments are made as a renderer reads them, once
    (and a large JSON or JSON Lines file may be read in shares by several processes: split.py)."""
    from credcheck.render import Report
    from credcheck.rubric.model import load_rubric
    from credcheck.render.parallel import Scored
    from credcheck.render.shares import load_for_scoring
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
    from credcheck.render import Format
    if fmt is Format.md and output == brief:
        return [("--output", output)]
    return [("--output", output), ("--brief", brief)]


def _check_targets(targets: list[tuple[str, Optional[str]]], inputs: list[str]) -> None:
    """No output may name an input of the run, or a file another output writes; each must be writable where it says."""
    from credcheck.render.files import check_not_inputs, check_target
    check_not_inputs(targets, inputs)
    for _, target in targets:
        if target is not None and target != "-":
            check_target(target)


def _check_input_format(value: Optional[str]) -> None:
    from credcheck.load.fast import FORMATS
    if value is not None and value not in FORMATS:
        _stderr(f"error: --input-format must be one of: {', '.join(FORMATS)} (got '{value}')")
        raise typer.Exit(EXIT_BAD_INPUT)


def _progress_bar(quiet: bool, stdout_busy: bool):  # type: ignore[no-untyped-def]
    """A progress bar on stderr for long runs in a terminal; otherwise a stand-in that does nothing."""
    from credcheck.cli import progress
    return progress.TerminalProgress() if progress.wanted(quiet, stdout_busy) else progress.NoProgress()


def _render_all(report, fmt, output, brief, template, quiet, settings, scored=None, key_judgments=5,  # type: ignore[no-untyped-def]
                rows=False):
    """(target, text) for every output asked for; None as target is stdout. The terminal table is
    drawn later (it needs the console), so it is listed here only when written to a file or
    streamed as rows (`rows`: a large input off a terminal, render/rows.py)."""
    from credcheck.render import Format, Options, render, render_brief
    listing = None
    if scored is not None and report.assessments is scored:
        listing = scored.listing("rows") if rows else scored.json_listing() if fmt is Format.json else None
    options = Options(template=template, limits=settings.render, listing=listing, key_judgments=key_judgments,
                      grades=scored.grades if scored is not None else None)
    outputs: list[tuple[Optional[str], Any]] = []
    if fmt is not Format.table or output is not None or rows:
        outputs.append((output, render(report, fmt, options)))
    if brief is not None and not (fmt is Format.md and output == brief):
        outputs.append((brief, render_brief(report, brief, options)))
    return outputs


def _write(target: str, text: Any) -> None:
    """Write text or bytes (a Word or PDF brief), or an iterable of text pieces (streamed JSON), to a file or - for stdout."""
    from credcheck.render.files import write_chunks
    write_chunks(target, (text,) if isinstance(text, (str, bytes)) else text)


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
    from credcheck.render.console import console as safe_console
    from credcheck.render.table import print_table
    console = safe_console()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = 120  # a pipe or file has no width: keep every column
    limit = None if show_all or not console.is_terminal else 50
    print_table(report, console, limit)


