"""The shape of a rubric's `examples:` block: a small claims file whose claims say what they must get.

Apart from the examples' reader (examples.py) so that the rubric's own
schema (model.py, for `credcheck schema rubric`) can describe the block
without importing what reads it, which builds on the rubric.
"""
from __future__ import annotations

from typing import Sequence

from credcheck.load.located import schemas
from credcheck.load.schema import Enum, Field, ListOf, Num, Obj, Str, Type
from credcheck.model import CONFIDENCE_LEVELS, LETTERS, LIKELIHOOD_TERMS

# Flags CONTRACT.md section 4 promises; criteria may declare more in a FLAGS tuple, rules in `flag:`.
CONTRACT_FLAGS = ("no_reports", "single_source", "circular_reporting", "contradicted", "no_evidence",
                  "unverified_evidence_only")
# Grades the engine enforces whatever a rubric says (engine.apply_rules), reported as rule hits.
CONTRACT_RULES = ("contract:no-reports", "contract:confirmed-needs-two-lines")


def expect_schema(flags: Sequence[str] | None = None, rules: Sequence[str] | None = None) -> Obj:
    """What an example must get. None for a vocabulary accepts any word (JSON Schema of any rubric)."""
    flag = Str() if flags is None else Enum(tuple(flags), "flag")
    rule = Str() if rules is None else Enum(tuple(rules), "rule id")
    return Obj({
        "credibility": Field(Num(1, 6, integer=True), doc="the credibility code, 1 Confirmed to 6 Truth cannot be judged"),
        "reliability": Field(Enum(LETTERS, "reliability letter"), doc="the source reliability letter A-F"),
        "admiralty": Field(Enum(tuple(f"{r}{c}" for r in LETTERS for c in range(1, 7)), "Admiralty code"),
                           doc="reliability and credibility together, e.g. B3"),
        "likelihood": Field(Enum(tuple(LIKELIHOOD_TERMS), "likelihood term"), doc="the ICD 203 term"),
        "score": Field(Obj({
            "min": Field(Num(0, 100), doc="the score must be at least this"),
            "max": Field(Num(0, 100), doc="the score must be at most this"),
        }, what="score range"), doc="a range the 0-100 score must fall in; keep it wide"),
        "probability": Field(Obj({
            "min": Field(Num(0, 1), doc="the probability must be at least this"),
            "max": Field(Num(0, 1), doc="the probability must be at most this"),
        }, what="probability range"), doc="a range the 0-1 probability must fall in"),
        "confidence": Field(Enum(CONFIDENCE_LEVELS, "confidence level"), doc="low, moderate or high (ICD 203)"),
        "independent_supporting": Field(Num(0, integer=True), doc="independent supporting lines"),
        "independent_refuting": Field(Num(0, integer=True), doc="independent refuting lines"),
        "flags": Field(ListOf(flag, unique=True), doc="flags that must be raised (others may be too)"),
        "not_flags": Field(ListOf(flag, unique=True), doc="flags that must not be raised"),
        "rules": Field(ListOf(rule, unique=True), doc="rules that must fire"),
        "not_rules": Field(ListOf(rule, unique=True), doc="rules that must not fire"),
    }, what="expectation", doc="the grade the example must get; give at least one check")


CHECKS = tuple(expect_schema().fields)


def examples_schema(source_types: Sequence[str] | None = None, evidence_types: Sequence[str] | None = None,
                    flags: Sequence[str] | None = None, rules: Sequence[str] | None = None) -> Obj:
    """The `examples:` block: the claims file's schema with `expect` and per-example `sources` added."""
    s = schemas(source_types, evidence_types)
    return Obj({
        "sources": Field(ListOf(s.source), default=list, doc="sources every example may report from"),
        "claims": Field(ListOf(example_claim(s.claim, ListOf(s.source), expect_schema(flags, rules))), required=True,
                        doc="claims with the grade they must get"),
    }, what="examples block", doc="claims with the grade they must get (credcheck rubric test); not inherited")


def example_claim(claim: Obj, sources: Type, expect: Type) -> Obj:
    fields = dict(claim.fields)
    fields["sources"] = Field(sources, default=list, doc="sources only this example uses, added to the shared ones")
    fields["expect"] = Field(expect, required=True, doc="the grade this example must get")
    return Obj(fields, what="example", doc=claim.doc)
