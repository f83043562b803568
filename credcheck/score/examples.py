"""`credcheck rubric test`: run a rubric's examples (credcheck/rubric/examples.py) and compare each grade with what it expects."""
from __future__ import annotations

from typing import Any, Sequence

from credcheck.model import CREDIBILITY_LABELS, Assessment
from credcheck.record import Record
from credcheck.rubric.examples import Example, load_examples
from credcheck.rubric.model import Rubric
from credcheck.score.engine import assess_claim, plan_for


class Outcome(Record):
    example: Example
    assessment: Assessment
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def run_examples(rubric: Rubric, examples: Sequence[Example] | None = None) -> list[Outcome]:
    """Assess each example under the rubric and compare with what it expects."""
    outcomes = []
    plan = plan_for(rubric)
    for example in load_examples(rubric) if examples is None else examples:
        assessment = assess_claim(example.claim, example.sources, rubric, plan=plan)
        outcomes.append(Outcome(example, assessment, tuple(failures(example.expect, assessment))))
    return outcomes


def failures(expect: dict[str, Any], a: Assessment) -> list[str]:
    """Each way the assessment differs from what the example expects, in words."""
    out: list[str] = []
    if "credibility" in expect and a.credibility != expect["credibility"]:
        want = expect["credibility"]
        out.append(f"credibility: expected {want} ({CREDIBILITY_LABELS[want]}), got {a.credibility} ({a.credibility_label})")
    for key, got in (("reliability", a.reliability), ("admiralty", a.admiralty), ("likelihood", a.likelihood)):
        if key in expect and got != expect[key]:
            out.append(f"{key}: expected {expect[key]}, got {got if got is not None else 'no estimate'}")
    if "score" in expect:
        low, high = expect["score"].get("min"), expect["score"].get("max")
        if (low is not None and a.score < low) or (high is not None and a.score > high):
            out.append(f"score: expected {_range(low, high)}, got {a.score:g}")
    if "probability" in expect:
        low, high = expect["probability"].get("min"), expect["probability"].get("max")
        got = a.probability
        if got is None or (low is not None and got < low) or (high is not None and got > high):
            out.append(f"probability: expected {_range(low, high)}, got {'no estimate' if got is None else f'{got:g}'}")
    level = a.confidence.level if a.confidence else None
    if "confidence" in expect and level != expect["confidence"]:
        out.append(f"confidence: expected {expect['confidence']}, got {level}")
    lines = {"independent_supporting": len(a.supporting), "independent_refuting": len(a.refuting)}
    for key, got in lines.items():
        if key in expect and got != expect[key]:
            out.append(f"{key}: expected {expect[key]}, got {got}")
    fired = [h.id for h in a.rules]
    for key, have, what in (("flags", a.flags, "flag"), ("rules", fired, "rule")):
        missing = [x for x in expect.get(key, ()) if x not in have]
        unwanted = [x for x in expect.get(f"not_{key}", ()) if x in have]
        verb = "raised" if what == "flag" else "fired"
        if missing:
            out.append(f"{key}: expected {', '.join(missing)} {verb}; {verb}: {', '.join(have) or 'none'}")
        if unwanted:
            out.append(f"not_{key}: {', '.join(unwanted)} {verb}, expected not")
    return out


def _range(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"{low:g}-{high:g}"
    return f"at least {low:g}" if low is not None else f"at most {high:g}"

