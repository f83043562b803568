"""`credcheck validate CLAIMS...`: every problem in claims files, with file and line, without scoring."""
from typing import List, Optional

import typer

from credcheck.cli.common import EXIT_BAD_INPUT, LimitOpt, RubricOpt, SourcesOpt, _count, _run, _settings, _stderr
from credcheck.cli.score import _check_input_format


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
    from credcheck.rubric.model import load_rubric
    settings = _run(lambda: _settings(limit))
    loaded_rubric = _run(lambda: load_rubric(rubric, limits=settings.rubric))

    def check(path: str) -> tuple[int, int]:
        from credcheck.load.claims import load_claims
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


