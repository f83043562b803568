"""Renderers for what changed: between two scored runs, and between two rubrics.

The terminal view goes through a rich Console the caller passes in (user text
as Text, never markup); the Markdown view escapes every piece of user or
rubric text with md_escape, so a brief update can be pasted as it is.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from rich.console import Console
from rich.text import Text

from credcheck.render.rubric_diff import Change as RubricChange
from credcheck.render.rubric_diff import RubricDiff, label
from credcheck.rubric.show import flow
from credcheck.render.run_diff import Change, RunDiff, grade
from credcheck.render.markdown import md_escape
from credcheck.render.table import GRADE_STYLES
from credcheck.render.wrap import print_wrapped

SECTIONS = (("down", "Moved down"), ("up", "Moved up"))
KIND_MARKS = {"added": "+", "removed": "-", "changed": "~"}
KIND_STYLES = {"added": "green", "removed": "red", "changed": "yellow"}


def summary(diff: RunDiff) -> str:
    """'2 claims moved down, 1 moved up, 1 added, 0 removed, 3 rescored, 12 unchanged'."""
    parts = [f"{len(diff.down)} {_claims(len(diff.down))} moved down", f"{len(diff.up)} moved up",
             f"{len(diff.added)} added", f"{len(diff.removed)} removed"]
    if diff.rescored:
        parts.append(f"{len(diff.rescored)} with the same grade but other changes")
    parts.append(f"{diff.unchanged} unchanged")
    return ", ".join(parts)


def _claims(n: int) -> str:
    return "claim" if n == 1 else "claims"


def _context(diff: RunDiff) -> str:
    old, new = diff.old, diff.new
    rubric = f"rubric {old.rubric}" if old.rubric == new.rubric else f"rubric {old.rubric} -> {new.rubric}"
    same_input = old.input_sha256 and old.input_sha256 == new.input_sha256
    return f"{rubric}; input {'unchanged' if same_input else 'changed'}"


# --- terminal --------------------------------------------------------------------

def print_run_diff(diff: RunDiff, console: Console, heading: bool = True) -> None:
    if heading:
        console.print(Text(f"{diff.old.label} -> {diff.new.label}", style="bold"))
        console.print(Text(_context(diff)))
    for change in diff.weights:
        console.print(Text(f"for every claim: {change}"))
    console.print(Text(summary(diff)))
    for direction, title in SECTIONS:
        changes = diff.down if direction == "down" else diff.up
        if changes:
            console.print(Text(f"\n{title}", style="bold"))
            for change in changes:
                _print_change(change, console)
    for title, items in (("Added", diff.added), ("Removed", diff.removed)):
        if items:
            console.print(Text(f"\n{title}", style="bold"))
            for a in items:
                _print_claim(console, a["id"], [(grade(a), a["credibility"]["code"])], a.get("text") or "")
    if diff.rescored:
        console.print(Text("\nSame grade, other changes", style="bold"))
        for change in diff.rescored:
            _print_change(change, console)


def _print_claim(console: Console, cid: str, grades: list[tuple[str, int]], text: str) -> None:
    line = Text("  ")
    line.append(cid, style="bold")
    line.append("  ")
    for i, (shown, code) in enumerate(grades):
        line.append(" -> " if i else "")
        line.append(shown, style=GRADE_STYLES[code])
    console.print(line)
    if text:
        print_wrapped(console, text, 6, "italic")


def _print_change(change: Change, console: Console) -> None:
    grades = [(change.old_grade, change.old["credibility"]["code"])]
    if change.old_grade != change.new_grade:
        grades.append((change.new_grade, change.new["credibility"]["code"]))
    _print_claim(console, change.id, grades, change.text)
    for reason in change.reasons:
        print_wrapped(console, reason, 6)


def print_rubric_diff(diff: RubricDiff, console: Console) -> None:
    console.print(Text(f"{label(diff.old)} -> {label(diff.new)}", style="bold"))
    console.print(Text(f"\nWhat it says: {_count(len(diff.changes), 'change')}", style="bold"))
    for change in diff.changes:
        print_wrapped(console, f"{KIND_MARKS[change.kind]} {change.path}: {describe_change(change)}", 2, KIND_STYLES[change.kind], 2)
    if diff.grades is not None:
        console.print(Text(f"\nWhat it does on {_input(diff)}", style="bold"))
        print_run_diff(diff.grades, console, heading=False)


def describe_change(change: RubricChange, say_kind: bool = True) -> str:
    if change.kind == "added":
        return f"added {flow(change.new)}" if say_kind else flow(change.new)
    if change.kind == "removed":
        return f"removed (was {flow(change.old)})" if say_kind else f"was {flow(change.old)}"
    return f"{flow(change.old)} -> {flow(change.new)}"


def _count(n: int, what: str) -> str:
    return f"no {what}s" if n == 0 else f"{n} {what}{'s' if n != 1 else ''}"


def _input(diff: RubricDiff) -> str:
    grades = diff.grades
    assert grades is not None
    n = len(grades.new.assessments)
    return f"{grades.new.title or 'the claims file'} ({n} {_claims(n)})"


# --- Markdown --------------------------------------------------------------------

def _code(value: Any) -> str:
    return "`" + str(value).replace("`", "'") + "`"


def _md(text: Any) -> str:
    """md_escape, with the plain-text arrow made typographic (escaping would turn it into `-&gt;`)."""
    return md_escape(str(text).replace(" -> ", " \u2192 "))


def _md_changes(changes: Iterable[Change]) -> list[str]:
    rows = ["| Claim | Was | Now | Why |", "|-------|:---:|:---:|-----|"]
    for c in changes:
        why = "; ".join(_md(r) for r in c.reasons)
        rows.append(f"| {md_escape(c.text)} ({_code(c.id)}) | {c.old_grade} | **{c.new_grade}** | {why} |")
    return rows


def _md_claims(items: Iterable[Mapping[str, Any]]) -> list[str]:
    rows = ["| Claim | Grade | Likelihood | Score |", "|-------|:-----:|------------|------:|"]
    for a in items:
        rows.append(f"| {md_escape(a.get('text') or '')} ({_code(a['id'])}) | {grade(a)} | "
                    f"{md_escape(a.get('likelihood') or 'no estimate')} | {a['score']:g} |")
    return rows


def run_diff_body(diff: RunDiff, level: str = "###") -> list[str]:
    lines = [f"{_md(_context(diff))}. **{_md(summary(diff))}.**"]
    if diff.weights:
        lines += ["", "For every claim: " + "; ".join(_md(w) for w in diff.weights) + "."]
    sections: list[tuple[str, list[str]]] = [
        ("Moved down", _md_changes(diff.down) if diff.down else []),
        ("Moved up", _md_changes(diff.up) if diff.up else []),
        ("New claims", _md_claims(diff.added) if diff.added else []),
        ("Dropped claims", _md_claims(diff.removed) if diff.removed else []),
        ("Same grade, other changes", _md_changes(diff.rescored) if diff.rescored else []),
    ]
    for title, rows in sections:
        if rows:
            lines += ["", f"{level} {title}", "", *rows]
    return lines


def run_diff_markdown(diff: RunDiff) -> str:
    title = diff.new.title or diff.old.title
    heading = f"## What changed{': ' + md_escape(title) if title else ''}"
    lines = [heading, "", f"Compared {_code(diff.old.label)} with {_code(diff.new.label)}.", "", *run_diff_body(diff)]
    return "\n".join(lines) + "\n"


def rubric_diff_markdown(diff: RubricDiff) -> str:
    lines = [f"## Rubric change: {_md(label(diff.old) + ' -> ' + label(diff.new))}", "",
             f"### What it says ({_count(len(diff.changes), 'change')})", ""]
    if diff.changes:
        lines += ["| | Where | Change |", "|:-:|-------|--------|"]
        for c in diff.changes:
            lines.append(f"| {c.kind} | {_code(c.path)} | {_md(describe_change(c, say_kind=False))} |")
    if diff.grades is not None:
        lines += ["", f"### What it does on {md_escape(_input(diff))}", "", *run_diff_body(diff.grades, "####")]
    return "\n".join(lines) + "\n"
