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
from credcheck.model import CREDIBILITY_LABELS, LIKELIHOOD_TERMS
from credcheck.render.safe_text import one_line
from credcheck.render.table import GRADE_STYLES


def build_tree(t: Trace) -> Tree:
    a = t.assessment
    head = Text()
    head.append(one_line(a.id), style="bold")
    head.append("  ")
    head.append(a.admiralty, style=GRADE_STYLES[a.credibility])
    head.append(f"  {a.credibility_label} ({a.credibility}), source {a.reliability_label.lower()} ({a.reliability}), ")
    if a.probability is None:
        head.append("no estimate")
    else:
        head.append(f"probability {a.probability:.2f} ({a.likelihood})")
    if a.confidence is not None:
        head.append(f"; confidence {a.confidence.level}")
    head.append(f"\n{one_line(a.text)}", style="italic")
    tree = Tree(head)
    _reports(tree, t)
    _weighing(tree, t)
    _criteria(tree, t)
    _confidence(tree, t)
    _rules(tree, t)
    _bands(tree, t)
    for title, items in (("Flags", a.flags), ("Gaps that would change the grade", a.gaps)):
        if items:
            tree.add(Text(one_line(f"{title}: {', '.join(items)}")))
    return tree


def _reports(tree: Tree, t: Trace) -> None:
    a = t.assessment
    n = len(t.reports)
    neutral = sum(1 for r in t.reports if r.report.stance == "neutral")
    collapsed = sum(1 for r in t.reports if r.counted_for is None and r.report.stance != "neutral")
    title = (f"Reports: {n}; independent lines: {len(a.supporting)} supporting, {len(a.refuting)} refuting; "
             f"{collapsed} collapsed; {neutral} neutral")
    if a.copies or a.outlets:
        title += f"; inferred: {len(a.copies)} probable cop{'y' if len(a.copies) == 1 else 'ies'}, " \
                 f"{len(a.outlets)} shared outlet{'' if len(a.outlets) == 1 else 's'}"
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
    head.append(f" ({one_line(r.source.type)}, {'rated' if r.rated_by == 'analyst' else 'default'} {r.letter}: "
                f"holds up {r.holds_up:.0%}, {r.decibans:.1f} dB first-hand")
    if r.source.owner:
        head.append(f", owner {one_line(r.source.owner)}")
    head.append(")")
    node = branch.add(head)
    if rep.published or rep.url:
        node.add(Text(" ".join(part for part in (f"published {rep.published}" if rep.published else "",
                                                   f"at {rep.url}" if rep.url else "") if part)))
    if rep.independent_of:
        node.add(Text(one_line(f"declared independent of {', '.join(rep.independent_of)}")))
    if rep.via:
        node.add(Text(one_line(f"relays {', '.join(rep.via)}")))
    elif r.source.derived_from:
        node.add(Text(one_line(f"republishes {', '.join(r.source.derived_from)}")))
    for name, members in r.originals:
        merged = f" ({', '.join(members)})" if list(members) != [name] else ""
        node.add(Text(one_line(f"traces to original {name}{merged}")))
    if rep.stance == "neutral":
        node.add(Text("neutral: relays the claim without endorsing or denying it, so it is no line", style="dim"))
    elif r.counted_for is not None:
        what = "supporting" if rep.stance == "supports" else "refuting"
        node.add(Text(one_line(f"counted: the independent {what} line for {r.counted_for}"), style="green"))
        others = [name for name, _ in r.originals if name != r.counted_for]
        if others:
            node.add(Text(one_line(f"one report is one line: {', '.join(others)} not counted through it")))
    else:
        into = " / ".join(r.collapsed_into) or "an original already counted"
        why = "a probable copy" if r.counted_as_copy else "already counted"
        node.add(Text(one_line(f"collapsed into {into}: {why}, not a second source"), style="yellow"))
    _inferred(node, r)


def _inferred(node: Tree, r: ReportTrace) -> None:
    """What credcheck inferred, apart from what the files declare: the analyst may overrule it."""
    if r.copy is not None:
        line = Text("inferred, not declared: ", style="magenta")
        line.append(f"probable copy of #{r.copy.of + 1} (excerpts {r.copy.similarity:.2f} alike")
        if r.copy.original != r.copy.of:
            line.append(f"; the story starts at #{r.copy.original + 1}")
        line.append(")" if r.counted_as_copy else "), counted as declared (copies.mode: flag)")
        node.add(line)
    if r.outlet is not None:
        others = [s for s in r.outlet.sources if s != r.report.source]
        line = Text("inferred, not declared: ", style="magenta")
        line.append(one_line(f"same outlet as {', '.join(others)} ({', '.join(r.outlet.domains)}): one owner, {r.outlet.owner}"))
        node.add(line)


def _weighing(tree: Tree, t: Trace) -> None:
    a = t.assessment
    if a.decibans is None:
        tree.add(Text("Weight of evidence: none weighed (no estimate is made)", style="bold"))
        return
    branch = tree.add(Text(f"Weight of evidence: {a.decibans:+.1f} dB, probability {a.probability:.3f}", style="bold"))
    for line in a.weighing:
        branch.add(Text(one_line(line)))


def _criteria(tree: Tree, t: Trace) -> None:
    branch = tree.add(Text("Criteria: where each one's weight of evidence comes from", style="bold"))
    for c in t.contributions:
        node = branch.add(Text(f"{c.criterion}: {c.decibans:+.2f} dB (alone, from even odds: {c.score:.1f}%)"))
        for reason in c.reasons:
            node.add(Text(one_line(reason)))


def _confidence(tree: Tree, t: Trace) -> None:
    confidence = t.assessment.confidence
    if confidence is None:
        return
    branch = tree.add(Text(f"Confidence: {confidence.level}", style="bold"))
    for reason in confidence.reasons:
        branch.add(Text(reason))


def _rules(tree: Tree, t: Trace) -> None:
    a = t.assessment
    branch = tree.add(Text(f"Rules: {len(a.rules)} fired (they move the grade, never the probability)", style="bold"))
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
    facts = ", ".join(f"{k} {_fact(v, 3 if k == 'probability' else 1)}" for k, v in t.facts.items())
    branch.add(Text(f"facts: {facts}", style="dim"))


def _fact(value: object, places: int = 1) -> str:
    if isinstance(value, float):
        return f"{value:.{places}f}" if not value.is_integer() else f"{value:g}"
    return "none" if value is None else str(value)


def _bands(tree: Tree, t: Trace) -> None:
    a = t.assessment
    branch = tree.add(Text("Bands", style="bold"))
    code = t.banded.band.value
    branch.add(Text(f"score {t.raw:.1f} (the probability in percent) falls in the band of credibility {code} "
                    f"({CREDIBILITY_LABELS[code]}): {band_range(t.banded)}"))
    if a.credibility != code:
        branch.add(Text(f"rules made it {a.credibility} ({a.credibility_label})"))
    if a.probability is None:
        branch.add(Text("credibility 6: no likelihood estimate is made"))
    else:
        low, high = LIKELIHOOD_TERMS[a.likelihood or ""]
        branch.add(Text(f"probability {a.score:.1f}% is in the ICD 203 range of '{a.likelihood}' ({low}-{high}%)"))


def print_trace(t: Trace, console: Console) -> None:
    console.print(build_tree(t))
