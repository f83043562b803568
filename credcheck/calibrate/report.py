"""calibrate's report as JSON (CONTRACT.md 7.3), Markdown, or text for the terminal (rich).

Every format shows the same figures: AUC, Brier score (beside always saying
the base rate), log loss, ECE; each likelihood term's share true beside its
range; the reliability diagram; what each criterion adds; the fit, if any.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from credcheck.calibrate.metrics import ReliabilityBin, Summary, TermRow
from credcheck.calibrate.run import Calibration

if TYPE_CHECKING:
    from rich.console import Console

BAR = 50  # characters of the diagram's track: 2 points of probability each
EIGHTHS = " ▏▎▍▌▋▊▉"
DIGITS = 4  # figures in JSON are rounded to this many decimals: more is noise


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, DIGITS)


def summary_json(s: Summary) -> dict[str, Any]:
    return {
        "n": s.n, "n_true": s.n_true, "auc": _r(s.auc), "brier": _r(s.brier), "log_loss": _r(s.log_loss), "ece": _r(s.ece),
        "terms": [{"term": t.term, "min": t.min, "max": t.max, "n": t.n, "n_true": t.n_true,
                   "share_true": _r(t.share_true), "inside": t.inside, "distance_points": round(t.distance_points, 2)}
                  for t in s.terms],
    }


def to_json(c: Calibration) -> dict[str, Any]:
    """The JSON document: CONTRACT.md 7.3's keys first, then the rest of the report."""
    out = summary_json(c.summary)
    out["folds"] = c.folds
    out["unjudged"] = c.unjudged
    out["base_rate_brier"] = _r(c.base_rate_brier)
    out["bins"] = [{"min": b.lower, "max": b.upper, "n": b.n, "n_true": b.n_true,
                    "mean_probability": _r(b.mean_probability), "share_true": _r(b.share_true)} for b in c.summary.bins]
    out["criteria"] = [{"criterion": x.criterion, "auc_without": _r(x.auc), "brier_without": _r(x.brier)}
                       for x in c.contributions]
    out["fit"] = None if c.fit is None else {"shift_decibans": _r(c.fit.shift_decibans), "scale": _r(c.fit.scale),
                                             "n": c.fit.n}
    if c.unfitted is not None:
        out["before_fit"] = summary_json(c.unfitted)
    return out


def render_json(c: Calibration) -> str:
    import json
    return json.dumps(to_json(c), indent=2, ensure_ascii=False) + "\n"


# --- words shared by text and Markdown -----------------------------------------------------------

def heading(c: Calibration) -> tuple[str, str]:
    """What was measured, and how it was scored: two sentences."""
    s = c.summary
    unjudged = f"; {c.unjudged:,} nobody reports, left out" if c.unjudged else ""
    what = (f"{s.n:,} resolved claim{_s(s.n)} ({s.n_true:,} confirmed, {s.n - s.n_true:,} refuted{unjudged}), "
            f"rubric {c.rubric}.")
    if c.folds:
        how = (f"{c.folds} folds: each claim scored with track records"
               + (" and numbers fitted" if c.fit is not None else "") + " from the other folds.")
    else:
        how = "Scored as the files stand" + (", then fitted on the same claims (in sample)." if c.fit is not None else ".")
    return what, how


def figures(s: Summary, base_rate_brier: float | None) -> str:
    base = f" (always the base rate: {base_rate_brier:.3f})" if base_rate_brier is not None else ""
    return f"AUC {_f(s.auc)}   Brier {_f(s.brier)}{base}   log loss {_f(s.log_loss)}   ECE {_f(s.ece)}"


def term_verdict(t: TermRow) -> str:
    if t.inside:
        return "inside"
    share = 100 * t.share_true
    side = "above" if share > 100 * t.max else "below"
    return f"{t.distance_points:.1f} points {side}"


def term_cells(t: TermRow) -> tuple[str, str, str, str, str]:
    return (t.term, f"{100 * t.min:g}-{100 * t.max:g}%", f"{t.n:,}", f"{t.n_true:,} = {100 * t.share_true:.1f}%",
            term_verdict(t))


def contribution_cells(c: Calibration) -> list[tuple[str, str, str]]:
    full_auc, full_brier = _unfitted(c).auc, _unfitted(c).brier
    rows = [("all criteria", _f(full_auc), _f(full_brier))]
    for x in c.contributions:
        rows.append((f"without {x.criterion}", _with_change(x.auc, full_auc), _with_change(x.brier, full_brier)))
    return rows


def _unfitted(c: Calibration) -> Summary:
    return c.unfitted if c.unfitted is not None else c.summary


def _with_change(value: float | None, full: float | None) -> str:
    if value is None or full is None:
        return _f(value)
    change = round(value - full, 3)
    return f"{value:.3f} ({'±0.000' if change == 0 else f'{change:+.3f}'})"


def fit_line(c: Calibration) -> str | None:
    if c.fit is None:
        return None
    before = c.unfitted
    was = f"; before it: {figures(before, None)}" if before is not None else ""
    return (f"fitted on {c.fit.n:,} claims: log-odds x {c.fit.scale:.3f}, then {c.fit.shift_decibans:+.2f} dB{was}")


def diagram_lines(bins: tuple[ReliabilityBin, ...]) -> list[str]:
    """The reliability diagram as text: per bin of what was said, a bar of how often it came true,
    with ┃ where the bar would end if the claims came true as often as was said."""
    lines = [f"{'said':>8} │{'came true (bar) against what was said (┃)':<{BAR}}│ {'true':>6} {'n':>7}"]
    for b in bins:
        label = f"{100 * b.lower:.0f}-{100 * b.upper:.0f}%"
        if not b.n:
            lines.append(f"{label:>8} │{'':<{BAR}}│ {'':>6} {0:>7}")
            continue
        track = list(_bar(b.share_true or 0.0))
        mark = min(BAR - 1, int((b.mean_probability or 0.0) * BAR))
        track[mark] = "┃"
        lines.append(f"{label:>8} │{''.join(track)}│ {100 * (b.share_true or 0):5.1f}% {b.n:>7,}")
    return lines


def _bar(share: float) -> str:
    eighths = round(share * BAR * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (EIGHTHS[part] if part and full < BAR else "")
    return text.ljust(BAR)


# --- text (rich) -------------------------------------------------------------------------------

def print_text(c: Calibration, console: "Console") -> None:
    from rich.table import Table
    from rich.text import Text
    what, how = heading(c)
    console.print(Text("Did the grades come true? ", style="bold") + Text(what))
    console.print(Text(how))
    console.print(Text(figures(c.summary, c.base_rate_brier)))
    line = fit_line(c)
    if line:
        console.print(Text(line))
    terms = Table(box=None, pad_edge=False)
    for name, justify in (("term", "left"), ("range", "right"), ("n", "right"), ("came true", "right"), ("", "left")):
        terms.add_column(name, justify=justify)  # type: ignore[arg-type]
    for t in c.summary.terms:
        cells = term_cells(t)
        terms.add_row(*cells[:4], Text(cells[4], style="green" if t.inside else "red"))
    console.print()
    console.print(Text("Likelihood terms: how often each came true", style="bold"))
    console.print(terms)
    console.print()
    console.print(Text("Reliability diagram", style="bold"))
    for text in diagram_lines(c.summary.bins):
        console.print(Text(text), overflow="ignore", crop=False)
    table = Table(box=None, pad_edge=False)
    for name in ("", "AUC", "Brier"):
        table.add_column(name, justify="left" if not name else "right")
    for cells in contribution_cells(c):
        table.add_row(*cells)
    console.print()
    console.print(Text("What each criterion adds (the figures with it left out)", style="bold"))
    console.print(table)
    if c.set_aside:
        console.print(Text(f"note: {c.set_aside:,} source{_s(c.set_aside)}' track records in the files were set aside: "
                           "under --folds, records come from the other folds only", style="dim"))


# --- Markdown ----------------------------------------------------------------------------------

def render_md(c: Calibration) -> str:
    from credcheck.render.markdown import md_escape
    out = ["# Did the grades come true?", "", md_escape(" ".join(heading(c))), "",
           "| AUC | Brier | Brier of the base rate | log loss | ECE |", "|---:|---:|---:|---:|---:|",
           f"| {_f(c.summary.auc)} | {_f(c.summary.brier)} | {_f(c.base_rate_brier)} | {_f(c.summary.log_loss)} | "
           f"{_f(c.summary.ece)} |", ""]
    line = fit_line(c)
    if line:
        out += [md_escape(line) + ".", ""]
    out += ["## Likelihood terms", "", "| term | range | n | came true | |", "|---|---:|---:|---:|---|"]
    out += ["| " + " | ".join(term_cells(t)) + " |" for t in c.summary.terms]
    out += ["", "## Reliability diagram", "", "```", *diagram_lines(c.summary.bins), "```", "",
            "## What each criterion adds", "", "| | AUC | Brier |", "|---|---:|---:|"]
    out += [f"| {a} | {b} | {d} |" for a, b, d in contribution_cells(c)]
    return "\n".join(out) + "\n"


def _f(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _s(n: int) -> str:
    return "" if n == 1 else "s"
