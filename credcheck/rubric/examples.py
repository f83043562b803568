"""Rubric tests: a rubric's `examples:` pin the grades it must give.

    examples:
      sources:                  # shared by every example: the shape of a claims file's sources
        - {id: wire, name: A wire service, type: wire_service}
      claims:                   # the shape of a claims file's claims, plus `expect`
        - id: one-wire-line
          text: A wire service alone reports it, first-hand.
          sources:              # optional: sources only this example uses
            - {id: blog, name: A blog, type: social_media}
          reports: [{source: wire, access: first_hand}]
          expect: {admiralty: B3, flags: [single_source]}

An examples block is a small claims file whose claims say what they must
get, so it is validated with the claims file's own schema (against the
resolved rubric's vocabulary) and every problem names its line. Examples are
not inherited through `extends`: a team's examples pin the team's rubric.
`credcheck rubric test` runs them like unit tests (credcheck/score/examples.py).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from credcheck.load.located import convert_claim, convert_source, schemas
from credcheck.load.references import check_claims, check_sources
from credcheck.rubric.criteria import REGISTRY
from credcheck.rubric.example_schema import CHECKS, CONTRACT_FLAGS, CONTRACT_RULES, example_claim, expect_schema
from credcheck.errors import Mark, Problems
from credcheck.model import Claim, Source
from credcheck.record import Record, replace
from credcheck.load.schema import INVALID, Any_, Ctx, Field, Obj, Type, describe, value_mark

if TYPE_CHECKING:
    from credcheck.rubric.model import Rubric  # the rubric loader builds on this module

class Example(Record):
    id: str
    claim: Claim
    sources: dict[str, Source]
    expect: dict[str, Any]  # only the checks the example gives
    mark: Mark | None


def known_flags(rubric: Rubric) -> tuple[str, ...]:
    declared = [f for cid in rubric.criteria for f in getattr(REGISTRY.get(cid), "FLAGS", ())]
    return tuple(dict.fromkeys([*CONTRACT_FLAGS, *declared, *(r.flag for r in rubric.rules if r.flag)]))


def known_rules(rubric: Rubric) -> tuple[str, ...]:
    """Every rule id in the resolved rubric, switched off or not, and the contract's own."""
    raw = rubric.resolved.get("rules") if isinstance(rubric.resolved, dict) else None
    ids = [r.get("id") for r in raw or () if isinstance(r, dict) and isinstance(r.get("id"), str)]
    return tuple(dict.fromkeys([*ids, *CONTRACT_RULES]))


def load_examples(rubric: Rubric) -> list[Example]:
    """Validate a rubric's examples against its own vocabulary; every problem at once."""
    tree = rubric.resolved if isinstance(rubric.resolved, dict) else {}
    raw = tree.get("examples")
    if raw is None:
        return []
    file = rubric.files[-1] if rubric.files else ""
    where = value_mark(tree, "examples") or (Mark(file, 1, 1) if file else None)
    problems = Problems()
    if not isinstance(raw, dict):
        problems.add(where, "examples", f"expected an examples block (a mapping with sources and claims), got {describe(raw)}")
        problems.raise_if_any()
    reader = _ExampleReader(rubric, file, problems)
    top = Obj({"sources": Field(_List()), "claims": Field(_List(), required=True)}, what="examples block")
    top.check(raw, Ctx(where, "examples"), problems)
    shared_raw = raw.get("sources")
    shared = reader.sources(shared_raw if isinstance(shared_raw, list) else None, "examples.sources")  # shape: `top`
    items = raw.get("claims") if isinstance(raw.get("claims"), list) else []
    examples = [e for i, item in enumerate(items) if (e := reader.example(item, i, items, shared)) is not None]
    problems.raise_if_any()
    return examples


class _ExampleReader:
    """Converts one rubric's examples with the claims file's own converters, fixing up problem paths."""

    def __init__(self, rubric: Rubric, file: str, problems: Problems):
        self.file, self.problems = file, problems
        self.s = schemas(rubric.source_types, rubric.evidence_types)
        self.expect = expect_schema(known_flags(rubric), known_rules(rubric))
        # The claim converter takes `expect` and `sources` as they are; they are checked here, where their paths are known.
        self.shape = replace(self.s, claim=example_claim(self.s.claim, Any_(), Any_()))
        self.seen: dict[str, Mark | None] = {}  # example id -> where it was first defined

    def sources(self, raw: Any, path: str, mark: Mark | None = None) -> list[Source]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problems.add(mark, path, f"expected a list, got {describe(raw)}")
            return []
        out: list[Source] = []
        scratch = Problems()
        for i, item in enumerate(raw):
            src = convert_source(item, i, self.s.source, scratch, self.file, value_mark(raw, i))
            if src is not None:
                out.append(src)
        _relabel(scratch, self.problems, "sources", path)
        return out

    def example(self, item: Any, index: int, items: list[Any], shared: list[Source]) -> Example | None:
        prefix = f"examples.claims[{index}]"
        scratch = Problems()
        claim = convert_claim(item, index, self.shape, scratch, self.file, value_mark(items, index))
        _relabel(scratch, self.problems, f"claims[{index}]", prefix)
        if claim is None or not isinstance(item, dict):
            return None
        own = self.sources(item.get("sources"), prefix + ".sources", value_mark(item, "sources") if "sources" in item else None)
        table = _check_references(claim, shared, own, prefix, self.problems)
        mark = Mark(*claim.pos) if claim.pos else value_mark(items, index)
        if claim.id in self.seen:
            self.problems.add(mark, prefix + ".id", f"duplicate example id '{claim.id}' (first defined at {self.seen[claim.id]})")
        self.seen.setdefault(claim.id, mark)
        if "expect" not in item:
            return None  # already reported as missing
        ctx = Ctx(value_mark(item, "expect"), prefix + ".expect")
        checks = self.expect.check(item["expect"], ctx, self.problems)
        if checks is INVALID:
            return None
        given = {k: v for k, v in checks.items() if v is not None}
        _check_expect(item["expect"], given, ctx, self.problems)
        return Example(claim.id, claim, table, given, mark)


class _List(Type):
    """A list whose items are converted one by one elsewhere: only its shape is checked here."""

    def check(self, value: Any, ctx: Ctx, problems: Problems) -> Any:
        if value is not None and not isinstance(value, list):
            return self._fail(ctx, problems, f"expected a list, got {describe(value)}")
        return value


def _check_references(claim: Claim, shared: list[Source], own: list[Source], prefix: str,
                      problems: Problems) -> dict[str, Source]:
    scratch = Problems()
    table = check_sources(shared + own, scratch)
    check_claims([claim], table, scratch)
    own_marks = {Mark(*pos) for src in own for pos in (src.pos, *src.derived_pos) if pos}
    seen = {(p.mark, p.message) for p in problems.items}
    for p in scratch.items:
        if (p.mark, p.message) in seen:  # a shared source's problem is found once per example: say it once
            continue
        if p.path.startswith("claims[0]"):
            path = prefix + p.path[len("claims[0]"):]
        else:
            path = (prefix + "." if p.mark in own_marks else "examples.") + p.path
        problems.add(p.mark, path, p.message)
    return table


def _relabel(scratch: Problems, problems: Problems, old: str, new: str) -> None:
    """Move problems found on a piece of the block to their full path (`claims[0]` -> `examples.claims[3]`)."""
    for p in scratch.items:
        problems.add(p.mark, new + p.path[len(old):] if p.path.startswith(old) else p.path, p.message)


def _check_expect(raw: dict[str, Any], given: dict[str, Any], ctx: Ctx, problems: Problems) -> None:
    if not raw:  # (a check given with a bad value is already reported)
        problems.add(ctx.mark, ctx.path, f"an expectation needs at least one check: {', '.join(CHECKS)}")
    for key in ("score", "probability"):
        bounds = given.get(key)
        if bounds is None:
            continue
        low, high = bounds.get("min"), bounds.get("max")
        where = value_mark(raw, key) or ctx.mark
        if low is None and high is None:
            problems.add(where, f"{ctx.path}.{key}", f"a {key} range needs min, max or both")
        elif low is not None and high is not None and low > high:
            problems.add(where, f"{ctx.path}.{key}", f"min ({low:g}) must not be above max ({high:g})")
    for yes, no in (("flags", "not_flags"), ("rules", "not_rules")):
        both = sorted(set(given.get(yes) or ()) & set(given.get(no) or ()))
        if both:
            problems.add(ctx.mark, ctx.path, f"{', '.join(both)} in both {yes} and {no}")
