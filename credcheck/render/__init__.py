"""Renderers behind one interface: each turns a Report into text.

`RENDERERS` maps every `--format` value to its renderer: adding a format is
one `Format` member and one function here, and its module in this folder.
A renderer imports its module when called: heavy ones (rich tables, Jinja
briefs, stix2, pandoc) are then loaded only when used, so `--format json`
starts fast. `render_brief` writes the brief a `--brief FILE` asks for: Markdown, or
Word, HTML or PDF by the file's extension.
"""
from __future__ import annotations

import enum
from typing import Any, Callable, Iterable, Sequence, Union

from credcheck.limits import RenderLimits
from credcheck.model import Assessment, ClaimSet
from credcheck.record import Record, field
from credcheck.rubric.model import Rubric


class Format(str, enum.Enum):
    table = "table"
    json = "json"
    md = "md"
    stix = "stix"
    misp = "misp"
    claimreview = "claimreview"


class Report(Record):
    """Everything a renderer may show: the inputs and their assessments."""

    claims: ClaimSet
    rubric: Rubric
    assessments: Sequence[Assessment]


def percent(probability: float | None) -> str:
    """'67%', '99.6%', '0.4%': whole percent, and one decimal near the ends, where whole ones
    would hide the odds (99.6% is 1 in 250 against; '100%' would say certain)."""
    if probability is None:
        return "no estimate"
    value = probability * 100
    return f"{value:.1f}%" if value < 1.95 or value > 98.05 else f"{value:.0f}%"


def sort_key(a: Assessment) -> tuple[int, float, str]:
    """Best first: credibility code ascending, then score descending."""
    return (a.credibility, -a.score, a.id)


class Options(Record):
    """What the command line may ask of a renderer besides the report."""

    template: str | None = None  # the brief's template: a name or a path
    limits: RenderLimits = field(default_factory=RenderLimits)
    key_judgments: int = 5  # the brief: at most this many judgments in the bottom line
    listing: Any = None  # JSON, or the rows of a large table: parts already written by scoring workers (render/parallel.py)
    grades: Any = None  # with a table's rows: the grades scoring fills in as they are read (for the counts at the end)


# A renderer's text: whole, or in pieces as it is written (streamed JSON; a scoring worker's part is a FileText).
Rendered = Union[str, Iterable[Any]]


def _table(report: Report, options: Options) -> Rendered:
    if options.listing is not None:  # a large input: streamed as rows (render/rows.py)
        from credcheck.render import rows
        return rows.chunks(report, options.listing, options.grades)
    from credcheck.render import table
    return table.render(report)


def _json(report: Report, options: Options) -> Rendered:
    from credcheck.render import jsonout
    return jsonout.iter_chunks(report, listing=options.listing)


def _markdown(report: Report, options: Options) -> Rendered:
    from credcheck.render import brief
    return brief.render(report, options.template, options.limits, options.key_judgments)


def _stix(report: Report, options: Options) -> Rendered:
    from credcheck.render import stix
    return stix.render(report)


def _misp(report: Report, options: Options) -> Rendered:
    from credcheck.render import misp
    return misp.render(report)


def _claimreview(report: Report, options: Options) -> Rendered:
    from credcheck.render import claimreview
    return claimreview.render(report)


RENDERERS: dict[Format, Callable[[Report, Options], Rendered]] = {
    Format.table: _table,
    Format.json: _json,
    Format.md: _markdown,
    Format.stix: _stix,
    Format.misp: _misp,
    Format.claimreview: _claimreview,
}


def render(report: Report, fmt: Format, options: Options = Options()) -> Rendered:
    """The report in one output format."""
    return RENDERERS[fmt](report, options)


def render_brief(report: Report, target: str, options: Options = Options()) -> str | bytes:
    """The brief for `--brief target`: Markdown, or Word, HTML or PDF for .docx, .html, .pdf (render/document.py)."""
    text = _markdown(report, options)
    from credcheck.render.document import convert, kind_of
    kind = kind_of(target)
    if kind is None:
        return text  # type: ignore[return-value]
    from credcheck.render.interop import title_of
    return convert(text, kind, title_of(report.claims), report.claims.as_of, options.limits)  # type: ignore[arg-type]
