"""Rule conditions: a small declarative language, validated and never eval'ed.

    when:
      independent_supporting: {lt: 2}          # one fact, one comparison
      verified_evidence: 0                     # shorthand for {eq: 0}
    when:
      any:                                     # all / any / not combine conditions
        - independent_supporting: {lt: 2}
        - independent_refuting: {gt: 0}

Several facts in one mapping must all hold. Facts are the numbers and letters
the engine computes for every claim (see FACTS); a rubric from another team
can only compare them, never run code.
"""
from __future__ import annotations

import operator
from typing import Any, Callable, Mapping, Union

from credcheck.errors import Problems, did_you_mean, one_of
from credcheck.model import LETTERS
from credcheck.record import Record
from credcheck.load.schema import Ctx, describe, join_path, key_mark, too_large, too_large_message

# fact -> (kind, what it means). Criteria scores (`source_score`, ...) are added per rubric.
FACTS: dict[str, tuple[str, str]] = {
    "reports": ("number", "reports of the claim, supporting or refuting"),
    "supporting_reports": ("number", "reports that support the claim"),
    "refuting_reports": ("number", "reports that refute the claim"),
    "independent_supporting": ("number", "independent supporting lines (after tracing relays and owners)"),
    "independent_refuting": ("number", "independent refuting lines"),
    "collapsed_reports": ("number", "supporting reports collapsed into a line already counted"),
    "first_hand_lines": ("number", "independent supporting lines whose report is first-hand"),
    "evidence": ("number", "evidence items"),
    "verified_evidence": ("number", "verified evidence items"),
    "neutral_reports": ("number", "reports that relay the claim without endorsing or denying it"),
    "score": ("number", "the score, 0-100: the probability in percent (0 when nobody reports the claim)"),
    "probability": ("number", "the probability, 0-1 (null when nobody reports the claim)"),
    "decibans": ("number", "the summed weight of evidence, prior included (null when nobody reports the claim)"),
    "best_supporting_reliability": ("letter", "best A-F letter among supporting lines (F when none)"),
    "best_refuting_reliability": ("letter", "best A-F letter among refuting lines (null when none)"),
}
NUMBER_OPS = ("eq", "ne", "lt", "le", "gt", "ge", "in", "not_in")
LETTER_OPS = ("eq", "ne", "in", "not_in")
COMBINATORS = ("all", "any", "not")


class Compare(Record):
    fact: str
    op: str
    value: Any

    def describe(self) -> str:
        return f"{self.fact} {self.op} {self.value}"


class AllOf(Record):
    items: tuple["Condition", ...]


class AnyOf(Record):
    items: tuple["Condition", ...]


class Not(Record):
    item: "Condition"


Condition = Union[Compare, AllOf, AnyOf, Not]


def evaluate(cond: Condition, facts: Mapping[str, Any]) -> bool:
    if isinstance(cond, Compare):
        return _compare(facts.get(cond.fact), cond.op, cond.value)
    if isinstance(cond, AllOf):
        return all(evaluate(c, facts) for c in cond.items)
    if isinstance(cond, AnyOf):
        return any(evaluate(c, facts) for c in cond.items)
    return not evaluate(cond.item, facts)


def compile_condition(cond: Condition) -> Callable[[Mapping[str, Any]], bool]:
    """`evaluate` as a closure, for a condition tested on every claim of a large file."""
    if isinstance(cond, Compare):
        fact, expected = cond.fact, cond.value
        if cond.op == "eq":
            return lambda facts: facts.get(fact) == expected
        if cond.op == "ne":
            return lambda facts: facts.get(fact) != expected
        if cond.op == "in":
            return lambda facts: facts.get(fact) in expected
        if cond.op == "not_in":
            return lambda facts: facts.get(fact) not in expected
        order = _ORDER[cond.op]

        def ordered(facts: Mapping[str, Any]) -> bool:
            actual = facts.get(fact)
            return actual is not None and order(actual, expected)
        return ordered
    if isinstance(cond, Not):
        inner = compile_condition(cond.item)
        return lambda facts: not inner(facts)
    parts = tuple(compile_condition(c) for c in cond.items)
    if isinstance(cond, AllOf):
        return lambda facts: all(part(facts) for part in parts)
    return lambda facts: any(part(facts) for part in parts)


_ORDER = {"lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge}


def _compare(actual: Any, op: str, expected: Any) -> bool:
    if op == "eq":
        return actual == expected
    if op == "ne":
        return actual != expected
    if op == "in":
        return actual in expected
    if op == "not_in":
        return actual not in expected
    if actual is None:
        return False
    return {"lt": actual < expected, "le": actual <= expected, "gt": actual > expected, "ge": actual >= expected}[op]


def parse_condition(raw: Any, ctx: Ctx, problems: Problems, facts: Mapping[str, tuple[str, str]], depth: int = 0) -> Condition | None:
    """Turn a `when:` mapping into a Condition, reporting every mistake at its line."""
    if depth > 16:
        problems.add(ctx.mark, ctx.path, "condition nested too deeply (more than 16 levels)")
        return None
    if not isinstance(raw, dict) or not raw:
        problems.add(ctx.mark, ctx.path, f"expected a condition mapping such as {{independent_supporting: {{lt: 2}}}}, got {describe(raw)}")
        return None
    parts: list[Condition] = []
    for key, value in raw.items():
        sub = ctx.child(raw, key)
        kmark = key_mark(raw, key) or ctx.mark
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                problems.add(sub.mark, sub.path, f"'{key}' takes a non-empty list of conditions")
                continue
            items = [parse_condition(v, sub.child(value, i), problems, facts, depth + 1) for i, v in enumerate(value)]
            if all(i is not None for i in items):
                parts.append((AllOf if key == "all" else AnyOf)(tuple(items)))  # type: ignore[arg-type]
        elif key == "not":
            item = parse_condition(value, sub, problems, facts, depth + 1)
            if item is not None:
                parts.append(Not(item))
        elif key in facts:
            compare = _parse_compare(key, value, sub, problems, facts[key][0])
            if compare is not None:
                parts.append(compare)
        else:
            problems.add(kmark, join_path(ctx.path, key),
                         f"unknown fact '{key}'{did_you_mean(key, list(facts) + list(COMBINATORS))}; "
                         f"facts: {one_of(facts)}; combinators: all, any, not")
    if len(parts) != len(raw):
        return None
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))


def _parse_compare(fact: str, raw: Any, ctx: Ctx, problems: Problems, kind: str) -> Compare | None:
    if not isinstance(raw, dict):
        raw_op, raw_value = "eq", raw
    elif len(raw) == 1:
        raw_op, raw_value = next(iter(raw.items()))
        ctx = ctx.child(raw, raw_op)
    else:
        problems.add(ctx.mark, ctx.path, "one comparison per fact (use all: [...] to combine)")
        return None
    ops = NUMBER_OPS if kind == "number" else LETTER_OPS
    if raw_op not in ops:
        problems.add(ctx.mark, ctx.path, f"unknown comparison '{raw_op}' for {kind} fact '{fact}'{did_you_mean(raw_op, ops)}; expected one of: {', '.join(ops)}")
        return None
    values = raw_value if raw_op in ("in", "not_in") else [raw_value]
    if raw_op in ("in", "not_in") and (not isinstance(raw_value, list) or not raw_value):
        problems.add(ctx.mark, ctx.path, f"'{raw_op}' takes a non-empty list")
        return None
    for v in values:
        if kind == "number" and (isinstance(v, bool) or not isinstance(v, (int, float))):
            problems.add(ctx.mark, ctx.path, f"'{fact}' is a number; cannot compare it with {describe(v)}")
            return None
        if kind == "number" and v == v and too_large(v):  # (v != v: NaN, which compares false anyway)
            problems.add(ctx.mark, ctx.path, too_large_message(v))
            return None
        if kind == "letter" and v not in LETTERS and v is not None:
            problems.add(ctx.mark, ctx.path, f"'{fact}' is a reliability letter A-F; got {describe(v)}")
            return None
    value = tuple(values) if raw_op in ("in", "not_in") else raw_value
    return Compare(fact, raw_op, value)
