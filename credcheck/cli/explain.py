"""`credcheck explain CLAIMS ID`: every step behind one claim's grade, as a tree."""

from typing import List, Optional

import typer

from credcheck.cli.common import LimitOpt, RubricOpt, SourcesOpt, _run, _settings


def explain(
    claims: str = typer.Argument(..., metavar="CLAIMS", help="Claims file (YAML, JSON or JSON Lines), or - for standard input."),
    claim_id: str = typer.Argument(..., metavar="ID", help="The claim's id."),
    rubric: str = RubricOpt,
    sources: Optional[List[str]] = SourcesOpt,
    limit: Optional[List[str]] = LimitOpt,
) -> None:
    """Trace one claim's assessment: reports to originals, lines and collapses, points, rules, bands.

    Example: credcheck explain examples/dmz-desertions/claims.yaml desertions-rising
    """
    from credcheck.load.claims import load_claims
    from credcheck.score.trace import trace
    from credcheck.render.trace_tree import print_trace
    from credcheck.rubric.model import load_rubric
    from credcheck.cli.common import stdout_console

    settings = _run(lambda: _settings(limit))

    def build():  # type: ignore[no-untyped-def]
        loaded_rubric = load_rubric(rubric, limits=settings.rubric, examples=False)
        return trace(load_claims(claims, loaded_rubric, sources or [], limits=settings.input), loaded_rubric, claim_id)

    result = _run(build, claims)
    _run(lambda: print_trace(result, stdout_console()), claims)
