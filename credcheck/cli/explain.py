"""`credcheck explain CLAIMS ID`: every step behind one claim's grade, as a tree."""
from __future__ import annotations

from typing import List, Optional

import typer

from credcheck.cli.common import RubricOpt, SourcesOpt, _run


def explain(
    claims: str = typer.Argument(..., metavar="CLAIMS", help="Claims file (YAML), or - for standard input."),
    claim_id: str = typer.Argument(..., metavar="ID", help="The claim's id."),
    rubric: str = RubricOpt,
    sources: Optional[List[str]] = SourcesOpt,
) -> None:
    """Trace one claim's assessment: reports to originals, lines and collapses, points, rules, bands.

    Example: credcheck explain examples/dmz-desertions/claims.yaml desertions-rising
    """
    from credcheck.load.claims import load_claims
    from credcheck.score.trace import trace
    from credcheck.render.trace_tree import print_trace
    from credcheck.rubric.model import load_rubric
    from credcheck.cli.common import stdout_console

    def build():  # type: ignore[no-untyped-def]
        loaded_rubric = load_rubric(rubric, examples=False)
        return trace(load_claims(claims, loaded_rubric, sources or []), loaded_rubric, claim_id)

    print_trace(_run(build), stdout_console())
