"""`credcheck track-record HISTORY...`: right/wrong counts per source over resolved claims, as a sources file."""
from typing import List, Optional

import typer

from credcheck.cli.common import LimitOpt, RubricOpt, SourcesOpt, _run, _stderr, emit


def track_record(
    history: List[str] = typer.Argument(..., metavar="HISTORY...", help="Claims files whose claims carry outcomes."),
    output: Optional[str] = typer.Option(None, "--output", "-o", metavar="SOURCES_FILE",
                                         help="Write the sources file here (atomically) instead of to stdout."),
    sources: Optional[List[str]] = SourcesOpt,
    rubric: str = RubricOpt,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No status message."),
    limit: Optional[List[str]] = LimitOpt,
) -> None:
    """Count, for every source, the resolved claims its lines got right and wrong; write a sources file.

    A line is credited to the originals it traces to (a relay is only as right as what it relays:
    docs/track-records.md). Sources given with --sources keep every field and come first.

    Example: credcheck track-record history/*.yaml --sources sources.yaml -o sources.yaml
    """
    from credcheck.calibrate.sources_file import track_record_file
    from credcheck.cli.common import _settings
    from credcheck.rubric.model import load_rubric
    settings = _run(lambda: _settings(limit))
    loaded_rubric = _run(lambda: load_rubric(rubric, limits=settings.rubric, examples=False))
    text, built = _run(lambda: track_record_file(history, loaded_rubric, sources or [], settings.input))
    _run(lambda: emit(text, output))
    if not quiet and output is not None:
        _stderr(f"wrote {output}: {len(built.records):,} source{'s' if len(built.records) != 1 else ''} credited "
                f"over {built.resolved:,} resolved claim{'s' if built.resolved != 1 else ''}")
