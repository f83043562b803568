"""`credcheck rubric test|show|diff`: the tools a team needs to own a rubric in a repository."""

from typing import TYPE_CHECKING, List, Optional

import typer

from credcheck.cli.common import EXIT_BAD_INPUT, EXIT_OK, EXIT_THRESHOLD, LimitOpt, _run, _settings, _stderr
from credcheck.cli.common import emit, refuse_inputs, require_text_or_md, show_changes, stdout_console

if TYPE_CHECKING:
    from rich.console import Console

    from credcheck.limits import Settings
    from credcheck.model import Assessment
    from credcheck.rubric.model import Rubric
    from credcheck.score.examples import Outcome

rubric_app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Test, show and compare rubrics.\n\nExample: credcheck rubric test myteam",
)


@rubric_app.command("test")
def test(
    rubrics: Optional[List[str]] = typer.Argument(None, metavar="[RUBRIC]...",
                                                  help="Rubric names or paths (default: every available rubric, built-ins included)."),
    limit: Optional[List[str]] = LimitOpt,
) -> None:
    """Run the examples in each rubric: every example must get the grade it expects.

    Exit 0 when all pass, 1 when any fails, 2 when a rubric or its examples are invalid.

    Example: credcheck rubric test myteam rubrics/experimental.yaml
    """
    from credcheck.rubric.model import available_rubric_names
    settings = _run(lambda: _settings(limit))
    names = list(rubrics or available_rubric_names())
    console = stdout_console()
    totals = {"passed": 0, "failed": 0, "invalid": 0}
    for spec in names:
        outcomes = _test_one(spec, console, settings)
        if outcomes is None:
            totals["invalid"] += 1
            continue
        totals["passed"] += sum(1 for o in outcomes if o.passed)
        totals["failed"] += sum(1 for o in outcomes if not o.passed)
    if len(names) > 1:
        console.print(f"{len(names)} rubrics: {totals['passed']} passed, {totals['failed']} failed"
                      + (f", {totals['invalid']} invalid" if totals["invalid"] else ""), markup=False)
    if totals["invalid"]:
        raise typer.Exit(EXIT_BAD_INPUT)
    raise typer.Exit(EXIT_THRESHOLD if totals["failed"] else EXIT_OK)


def _test_one(spec: str, console: "Console", settings: "Settings") -> "list[Outcome] | None":
    """Print one rubric's results; None when the rubric or its examples are invalid (problems on stderr)."""
    from rich.text import Text

    from credcheck.rubric.model import load_rubric
    from credcheck.rubric.examples import load_examples
    from credcheck.score.examples import run_examples
    from credcheck.errors import located, reading
    try:
        with reading(spec):
            rubric = load_rubric(spec, limits=settings.rubric)
            examples = load_examples(rubric)
    except Exception as exc:
        problem = located(exc)
        if problem is None:
            raise
        exc = problem
        for problem in exc.problems:
            _stderr(f"error: {problem}")
        console.print(Text(f"rubric {spec}: invalid, examples not run ({len(exc.problems)} problem"
                           f"{'s' if len(exc.problems) != 1 else ''} on stderr)", style="red"))
        return None
    head = Text(f"rubric {rubric.name} {rubric.version} ", style="bold")
    head.append(f"({_file(rubric)}): {len(examples)} example{'s' if len(examples) != 1 else ''}", style="")
    console.print(head)
    if not examples:
        console.print(Text("  no examples: add an examples: block to pin what this rubric must grade", style="dim"))
        return []
    outcomes = run_examples(rubric, examples)
    width = max(len(o.example.id) for o in outcomes)
    for outcome in outcomes:
        _print_outcome(outcome, console, width)
    failed = sum(1 for o in outcomes if not o.passed)
    console.print(Text(f"  {len(outcomes) - failed} passed, {failed} failed", style="red" if failed else "green"))
    return outcomes


def _file(rubric: "Rubric") -> str:
    from pathlib import Path
    return Path(rubric.files[-1]).name if rubric.files else "?"


def _print_outcome(outcome: "Outcome", console: "Console", width: int) -> None:
    from rich.text import Text

    from credcheck.render.wrap import print_wrapped
    a = outcome.assessment
    line = Text("  ")
    line.append("PASS" if outcome.passed else "FAIL", style="bold green" if outcome.passed else "bold red")
    line.append(f"  {outcome.example.id:<{width}}  {a.admiralty}  {a.score:5.1f}")
    if not outcome.passed and outcome.example.mark:
        line.append(f"  {outcome.example.mark}", style="dim")
    console.print(line)
    if outcome.passed:
        return
    for failure in outcome.failures:
        print_wrapped(console, failure, 8, "red", 2)
    for text in _why(a):
        print_wrapped(console, text, 8, "dim", 2)


def _why(a: "Assessment") -> list[str]:
    """The assessment's own reasons: what each criterion gave, and the rules that fired."""
    probability = "no estimate" if a.probability is None else f"probability {a.probability:g} ({a.likelihood})"
    confidence = a.confidence.level if a.confidence else "low"
    out = [f"got {a.admiralty} ({a.credibility_label}), {probability}, confidence {confidence}; "
           f"flags: {', '.join(a.flags) or 'none'}"]
    if a.weighing:
        out.append("weight of evidence: " + "; ".join(a.weighing))
    for cid, result in a.criteria.items():
        out.append(f"{cid} {result.decibans:+.2f} dB: {'; '.join(result.reasons)}")
    for hit in a.rules:
        out.append(f"rule {hit.id} fired: {hit.effect} {hit.credibility}"
                   f"{' (changed the grade)' if hit.changed else ''}: {hit.reason}")
    if not a.rules:
        out.append("no rule fired")
    return out


@rubric_app.command("show")
def show(
    rubric: str = typer.Argument(..., metavar="RUBRIC", help="Rubric name or path."),
    output: Optional[str] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write to FILE instead of stdout."),
    limit: Optional[List[str]] = LimitOpt,
) -> None:
    """Print the fully resolved rubric (after `extends`) as YAML that loads again.

    Example: credcheck rubric show myteam > myteam.resolved.yaml
    """
    from credcheck.rubric.model import load_rubric
    from credcheck.rubric.show import show as render
    settings = _run(lambda: _settings(limit))
    loaded = _run(lambda: load_rubric(rubric, limits=settings.rubric), rubric)
    _run(lambda: refuse_inputs(output, *loaded.all_files))
    text = _run(lambda: render(loaded), rubric)
    _run(lambda: emit(text, output))


@rubric_app.command("diff")
def diff(
    old: str = typer.Argument(..., metavar="A", help="The rubric before (name or path)."),
    new: str = typer.Argument(..., metavar="B", help="The rubric after (name or path)."),
    claims: Optional[str] = typer.Option(None, "--claims", "-c", metavar="FILE",
                                         help="Also show the grades that change on this claims file."),
    sources: Optional[List[str]] = typer.Option(None, "--sources", "-s", metavar="FILE", help="Extra sources file(s) for --claims."),
    format: str = typer.Option("text", "--format", "-f", metavar="text|md", help="Output format."),
    output: Optional[str] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write to FILE instead of stdout."),
    exit_code: bool = typer.Option(False, "--exit-code", help="Exit 1 when a grade on --claims changes (or, without it, when the rubrics differ)."),
    limit: Optional[List[str]] = LimitOpt,
) -> None:
    """What changes between rubric A and rubric B: what they say, and (with --claims) what they do.

    Example: credcheck rubric diff default myteam --claims claims.yaml --format md
    """
    from credcheck.render.changes import print_rubric_diff, rubric_diff_markdown
    from credcheck.rubric.model import load_rubric
    from credcheck.render.rubric_diff import diff_rubrics
    require_text_or_md(format)
    settings = _run(lambda: _settings(limit))
    _run(lambda: refuse_inputs(output, claims, *(sources or [])))
    before, after = (_run(lambda: load_rubric(spec, limits=settings.rubric), spec) for spec in (old, new))
    _run(lambda: refuse_inputs(output, *before.all_files, *after.all_files))
    result = _run(lambda: diff_rubrics(before, after, claims, sources or [], settings.input), claims)
    _run(lambda: show_changes(format, output, lambda: rubric_diff_markdown(result),
                              lambda console: print_rubric_diff(result, console)))
    changed = bool(result.grades.moved) if result.grades is not None else bool(result.changes)
    if exit_code and changed:
        raise typer.Exit(EXIT_THRESHOLD)
