"""`credcheck extract`: an article in, a draft claims file out."""

from typing import Optional

import typer

from credcheck.cli.common import EXIT_BAD_INPUT, RubricOpt, _run, _stderr

MARKUPS = ("auto", "txt", "md")


def extract_command(
    article: str = typer.Argument(..., metavar="ARTICLE", help="The article: a .txt or .md file, or - for standard input."),
    output: Optional[str] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write the draft to FILE instead of stdout."),
    rubric: str = RubricOpt,
    lexicon: Optional[str] = typer.Option(None, "--lexicon", "-l", metavar="NAME|PATH",
                                          help="Lexicon (rubrics/lexicons/NAME.yaml or a path); default: the rubric's."),
    markup: str = typer.Option("auto", "--as", metavar="auto|txt|md",
                               help="Read the article as plain text or Markdown; auto goes by the extension (stdin: text)."),
    show_skipped: bool = typer.Option(False, "--show-skipped", help="List the sentences not taken as claims, and why, on stderr."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No status message on stderr."),
) -> None:
    """Draft a claims file from an article: one claim per checkable sentence, sources guessed, TODOs to complete.

    Example: credcheck extract article.md -o claims.yaml  (then edit the TODOs and run credcheck score claims.yaml)
    """
    if markup not in MARKUPS:
        _stderr(f"error: --as must be one of: {', '.join(MARKUPS)} (got '{markup}')")
        raise typer.Exit(EXIT_BAD_INPUT)

    from credcheck.cli.common import refuse_inputs
    _run(lambda: refuse_inputs(output, article))

    def run():  # type: ignore[no-untyped-def]
        from credcheck.extract.drafts import draft_file
        from credcheck.rubric.lexicon import load_lexicon
        from credcheck.rubric.model import load_rubric
        return draft_file(article, load_rubric(rubric), load_lexicon(lexicon) if lexicon else None, markup)

    draft, text = _run(run)
    if show_skipped:
        for item in draft.skipped:
            shown = item.text if len(item.text) <= 70 else item.text[:67] + "..."
            _stderr(f"{draft.file}:{item.line}: skipped ({item.reason}): {shown}")
    if output is None:
        from credcheck.render.files import write_text
        write_text("-", text)
    else:
        from credcheck.render.files import write_text
        _run(lambda: write_text(output, text))
    if not quiet:
        where = f"wrote {output}: " if output else ""
        _stderr(f"{where}{len(draft.claims)} claims, {len(draft.sources)} sources drafted from {draft.file}"
                f"{_flagged(draft)}; {len(draft.skipped)} passages skipped{_by_reason(draft)}"
                f"{'' if show_skipped else ' (--show-skipped lists them)'}")


def _flagged(draft) -> str:  # type: ignore[no-untyped-def]
    """', 3 with a pronoun to resolve, 1 merging repeats': what the analyst should look at first."""
    pronouns = sum(1 for c in draft.claims if c.pronoun)
    merged = sum(1 for c in draft.claims if c.merged)
    parts = ([f"{pronouns} with a pronoun to resolve"] if pronouns else []) + ([f"{merged} merging repeats"] if merged else [])
    return f" ({', '.join(parts)})" if parts else ""


def _by_reason(draft) -> str:  # type: ignore[no-untyped-def]
    """': 28 opinion, 17 scenario, ...': the skips counted by the reason's first word, most first."""
    counts: dict[str, int] = {}
    for item in draft.skipped:
        reason = item.reason.split(":")[0]
        counts[reason] = counts.get(reason, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return (": " + ", ".join(f"{n} {reason}" for reason, n in ranked)) if ranked else ""
