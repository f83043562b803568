"""`credcheck schema claims|sources|rubric`: JSON Schema for editors, from the validator's definitions."""

from typing import Optional

import typer

from credcheck.cli.common import EXIT_BAD_INPUT, _run, _stderr


def schema(
    kind: str = typer.Argument(..., metavar="claims|sources|rubric", help="Which file's schema."),
    rubric: str = typer.Option("default", "--rubric", "-r", metavar="NAME|PATH",
                               help="Rubric whose source and evidence types the claims and sources schemas allow."),
    output: Optional[str] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write to FILE instead of stdout."),
) -> None:
    """Print the JSON Schema (draft 2020-12) of a claims, sources or rubric file.

    Point your editor at it and mistakes show as you type, e.g. with a first line
    `# yaml-language-server: $schema=schemas/claims.schema.json`.

    Example: credcheck schema claims --rubric myteam -o schemas/claims.schema.json
    """
    from credcheck.rubric.model import load_rubric
    from credcheck.rubric.json_schema import KINDS, generate
    from credcheck.cli.common import emit, refuse_inputs
    if kind not in KINDS:
        _stderr(f"error: unknown schema '{kind}'; expected one of: {', '.join(KINDS)}")
        raise typer.Exit(EXIT_BAD_INPUT)
    loaded = _run(lambda: load_rubric(rubric), rubric)
    _run(lambda: refuse_inputs(output, *loaded.all_files))
    from credcheck.render.safe_text import json_escape  # a rubric's type names are user text: never raw bidi or invisible characters
    text = _run(lambda: json_escape(generate(kind, loaded)))
    _run(lambda: emit(text, output))
