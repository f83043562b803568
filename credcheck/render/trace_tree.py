"""One assessment's trace as a rich tree (`credcheck explain`).

User text (claim text, source names, reasons) is always a Text, never
markup: a `[` in a source's name stays a `[`; it is folded to one line with
its control, bidi and invisible characters shown as `{U+202E}` (as in the
score table), and the console it prints on makes sure of it (render/console.py).
"""
from __future__ import annotations

from rich.console import Console
from rich.text import Text
from rich.tree import Tree

from credcheck.score.trace import ReportTrace, Trace, band_range, describe_condition
from credcheck.model import CREDIBILITY_LABELS
from credcheck.render.safe_text import one_line
from credcheck.render.table import GRADE_STYLES


def build_tree(t: Trace) -> Tree:
    a = t.assessment
    head = Text()
    head.append(one_line(a.id), style="bold")
    head.append("  ")
    head.append(a.admiralty, style=GRADE_STYLES[a.credibility])
    head.append(f"  {a.credibility_label} ({a.credibility}), source {a.reliability_label.lower()} ({a.reliability}), "
                f"likelihood {a.likelihood or 'no estimate'}, score {a.score:.1f}")
    head.append(f"\n{one_line(a.text)}", style="italic")
    tree = Tree(head)
    _reports(tree, t)
    _criteria(tree, t)
    _rules(tree, t)
    _bands(tree, t)
    for title, items in (("Flags", a.flags), ("Gaps that would change the grade", a.gaps)):
        if items:
            tree.add(Text(one_line(f"{title}: {', '.join(items)}")))
    return tree


def _reports(tree: Tree, t: Trace) -> None:
    a = t.assessment
    n = len(t.reports)
    collapsed = sum(1 for r in t.reports if r.counted_for is None)
    title = (f"Reports: {n}; independent lines: {len(a.supporting)} supporting, {len(a.refuting)} refuting; "
             f"{collapsed} collapsed")
    branch = tree.add(Text(title, style="bold"))
    if not t.reports:
        branch.add(Text("none: nobody reports this claim"))
    for r in t.reports:
        _report(branch, r)


def _report(branch: Tree, r: ReportTrace) -> None:
    rep = r.report
    head = Text(f"#{r.index + 1} ")
    head.append(one_line(rep.source), style="bold")
    head.append(f" {rep.stance}, {rep.access.replace('_', '-')}: ")
    head.append(one_line(r.source.name))
    head.append(f" ({one_line(r.source.type)}, {'rated' if r.rated_by == 'analyst' else 'default'} {r.letter}, {r.points:g} points")
    if r.source.owner:
        head.append(f", owner {one_line(r.source.owner)}")
    head.append(")")
    node = branch.add(head)
    if rep.via:
        node.add(Text(one_line(f"relays {', '.join(rep.via)}")))
    elif r.source.derived_from:
        node.add(Text(one_line(f"republishes {', '.join(r.source.derived_from)}")))
    for name, members in r.originals:
        merged = f" ({', '.join(members)})" if list(members) != [name] else ""
        node.add(Text(one_line(f"traces to original {name}{merged}")))
    if r.counted_for is not None:
        what = "supporting" if rep.stance == "supports" else "refuting"
        node.add(Text(one_line(f"counted: the independent {what} line for {r.counted_for}"), style="green"))
        others = [name for name, _ in r.originals if name != r.counted_for]
        if others:
            node.add(Text(one_line(f"one report is one line: {', '.join(others)} not counted through it")))
    else:
        into = " / ".join(r.collapsed_into) or "an original already counted"
        node.add(Text(one_line(f"collapsed into {into}: already counted, not a second source"), style="yellow"))


def _criteria(tree: Tree, t: Trace) -> None:
    total = sum(c.weight for c in t.contributions)
    branch = tree.add(Text(f"Criteria: weighted score {t.raw:.1f} (weights sum to {total:g})", style="bold"))
    for c in t.contributions:
        node = branch.add(Text(f"{c.criterion}: {c.score:.1f} x weight {c.weight:g} -> {c.points:.1f} points"))
        for reason in c.reasons:
            node.add(Text(one_line(reason)))


def _rules(tree: Tree, t: Trace) -> None:
    a = t.assessment
    branch = tree.add(Text(f"Rules: {len(a.rules)} fired", style="bold"))
    for hit in a.rules:
        effect = "set" if hit.effect == "set" else "cap"
        line = Text(one_line(f"fired {hit.id}: {effect} {hit.credibility} "), style="bold" if hit.changed else "")
        line.append("(changed the grade)" if hit.changed else "(grade already within it)")
        node = branch.add(line)
        node.add(Text(one_line(hit.reason)))
        rule = t.rubric_rules.get(hit.id)
        if rule is not None:
            node.add(Text(one_line(f"when {describe_condition(rule.when)}")))
    for rule in t.quiet_rules:
        branch.add(Text(one_line(f"did not fire {rule.id}: when {describe_condition(rule.when)}"), style="dim"))
    facts = ", ".join(f"{k} {_fact(v)}" for k, v in t.facts.items())
    branch.add(Text(f"facts: {facts}", style="dim"))


def _fact(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.1f}" if not value.is_integer() else f"{value:g}"
    return "none" if value is None else str(value)


def _bands(tree: Tree, t: Trace) -> None:
    a = t.assessment
    branch = tree.add(Text("Bands", style="bold"))
    code = t.banded.band.value
    branch.add(Text(f"weighted score {t.raw:.1f} falls in the band of credibility {code} ({CREDIBILITY_LABELS[code]}): "
                    f"{band_range(t.banded)}"))
    if a.credibility != code:
        branch.add(Text(f"rules made it {a.credibility} ({a.credibility_label})"))
    if t.ceiling is not None:
        branch.add(Text(f"score lowered to {t.ceiling:.1f}, the top of credibility {a.credibility}'s band"))
    if t.likelihood is None:
        branch.add(Text("credibility 6: no likelihood estimate is made"))
    else:
        branch.add(Text(f"score {a.score:.1f} falls in the band of likelihood '{t.likelihood.band.value}': "
                        f"{band_range(t.likelihood)}"))


def print_trace(t: Trace, console: Console) -> None:
    console.print(build_tree(t))
