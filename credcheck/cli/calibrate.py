"""`credcheck calibrate RESOLVED...`: did the grades of resolved claims come true?"""
from typing import List, Optional

import typer

from credcheck.cli.common import EXIT_BAD_INPUT, LimitOpt, RubricOpt, SourcesOpt, _run, _stderr, emit, stdout_console

FORMATS = ("text", "json", "md")
PLOTS = (".svg", ".png")


def calibrate(
    resolved: List[str] = typer.Argument(..., metavar="RESOLVED...", help="Claims files whose claims carry outcomes."),
    rubric: str = RubricOpt,
    sources: Optional[List[str]] = SourcesOpt,
    folds: Optional[int] = typer.Option(None, "--folds", "-k", metavar="K",
                                        help="Score every claim out of sample: track records (and any fit) from the other K-1 folds (K >= 2)."),
    format: str = typer.Option("text", "--format", "-f", metavar="text|json|md", help="Output format."),
    plot: Optional[str] = typer.Option(None, "--plot", metavar="FILE.svg|FILE.png", help="Also draw the reliability diagram."),
    fit: bool = typer.Option(False, "--fit", help="Fit the prior and the scale of the weights of evidence to the outcomes."),
    output: Optional[str] = typer.Option(None, "--output", "-o", metavar="OVERLAY.yaml",
                                         help="With --fit: write an overlay rubric that extends --rubric with the fitted numbers."),
    limit: Optional[List[str]] = LimitOpt,
) -> None:
    """Measure how well the grades of resolved claims match their outcomes (confirmed = true, refuted = false).

    AUC, Brier score, log loss and calibration error; how often each likelihood term came true against
    its range; a reliability diagram; what each criterion adds. Unresolved claims are left out.

    Example: credcheck calibrate history/*.yaml --folds 5 --plot reliability.svg --fit -o rubrics/calibrated.yaml
    """
    _check_usage(format, plot, folds, fit, output)
    from credcheck.calibrate.run import calibrate as measure
    from credcheck.cli.common import _settings
    from credcheck.load.claims import load_claims
    from credcheck.rubric.model import load_rubric
    settings = _run(lambda: _settings(limit))
    loaded_rubric = _run(lambda: load_rubric(rubric, limits=settings.rubric, examples=False))
    if output is not None:
        _refuse_in_place(output, loaded_rubric)
    sets = [_run(lambda: load_claims(path, loaded_rubric, sources or [], limits=settings.input)) for path in resolved]
    result = measure(sets, loaded_rubric, folds, fit)
    if not result.scored:
        _stderr("error: no resolved claim to measure: give claims an outcome (status: confirmed or refuted)")
        raise typer.Exit(EXIT_BAD_INPUT)
    # Everything is rendered before anything is written: a failed render leaves every file as it was.
    outputs = _run(lambda: _render_files(result, loaded_rubric, rubric, plot, output, folds))
    for target, data in outputs:
        _run(lambda: _write(target, data))
    _print(result, format)


def _check_usage(format: str, plot: Optional[str], folds: Optional[int], fit: bool, output: Optional[str]) -> None:
    problems = []
    if format not in FORMATS:
        problems.append(f"--format must be one of: {', '.join(FORMATS)} (got '{format}')")
    if plot is not None and not plot.lower().endswith(PLOTS):
        problems.append(f"--plot writes .svg or .png (got '{plot}')")
    if folds is not None and folds < 2:
        problems.append(f"--folds must be at least 2 (got {folds})")
    if output is not None and not fit:
        problems.append("-o names the overlay rubric that --fit writes: add --fit")
    for problem in problems:
        _stderr(f"error: {problem}")
    if problems:
        raise typer.Exit(EXIT_BAD_INPUT)


def _refuse_in_place(output: str, loaded_rubric) -> None:  # type: ignore[no-untyped-def]
    """The overlay is a new file: never one of the rubrics it would extend."""
    import os
    target = os.path.realpath(output)
    if any(os.path.realpath(f) == target for f in loaded_rubric.files):
        _stderr(f"error: -o {output} is the rubric --fit would extend: an overlay never changes a rubric in place; "
                "write it to a new file")
        raise typer.Exit(EXIT_BAD_INPUT)


def _render_files(result, loaded_rubric, rubric_spec: str, plot: Optional[str], output: Optional[str],  # type: ignore[no-untyped-def]
                  folds: Optional[int]) -> list:
    from credcheck.calibrate import plot as plots
    from credcheck.calibrate.overlay import overlay_text
    outputs: list = []
    if plot is not None:
        title = f"Did the grades come true? {result.summary.n:,} resolved claims"
        data = plots.png(result.summary.bins, title) if plot.lower().endswith(".png") else plots.svg(result.summary.bins, title)
        outputs.append((plot, data))
    if output is not None and result.fit is not None:
        how = f"scored with track records from the other of {folds} folds" if folds else "scored as the files stand"
        outputs.append((output, overlay_text(loaded_rubric, rubric_spec, output, result.fit, how, result.summary.n_true)))
    return outputs


def _write(target: str, data) -> None:  # type: ignore[no-untyped-def]
    from credcheck.render.files import write_chunks
    write_chunks(target, (data,))
    _stderr(f"wrote {target}")


def _print(result, format: str) -> None:  # type: ignore[no-untyped-def]
    from credcheck.calibrate import report
    if format == "json":
        emit(report.render_json(result), None)
    elif format == "md":
        emit(report.render_md(result), None)
    else:
        report.print_text(result, stdout_console())
