"""What changed between two scored runs: grades that moved, and why.

Input is the JSON of `credcheck score --format json` (CONTRACT.md section 4),
read strictly: a file that is not valid JSON, or not a credcheck output, is
bad input with a clear message. Comparison works on the assessment dicts, so
`credcheck rubric diff --claims` reuses it for two rubrics on one claims file.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping, Sequence

from credcheck.load.claims import read_input
from credcheck.errors import CredcheckError, Mark, Problem, Problems
from credcheck.model import LETTERS, LIKELIHOOD_TERMS
from credcheck.record import Record
from credcheck.load.located_yaml import DEFAULT_LIMITS
from credcheck.load.schema import Any_, Ctx, Enum, Field, ListOf, MapOf, Num, Obj, Str, describe

_ANY = Any_()


def _likelihood(value: Any, ctx: Ctx, problems: Problems) -> Any:
    if value is None or value in LIKELIHOOD_TERMS:
        return value
    problems.add(ctx.mark, ctx.path, f"expected an ICD 203 term or null, got {describe(value)}")
    return value


# The parts of a score output the diff reads; anything else is allowed and ignored.
CRITERION = Obj({
    "score": Field(Num(0, 100), required=True),
    "weight": Field(Num(0)),
    "reasons": Field(ListOf(Str(nonempty=False)), default=list),
}, what="criterion", extra=_ANY)
RULE_HIT = Obj({
    "id": Field(Str(), required=True),
    "effect": Field(Str()),
    "credibility": Field(Num(1, 6, integer=True)),
    "reason": Field(Str(nonempty=False)),
}, what="rule", extra=_ANY)
ASSESSMENT = Obj({
    "id": Field(Str(), required=True),
    "text": Field(Str(nonempty=False), default=""),
    "score": Field(Num(0, 100), required=True),
    "credibility": Field(Obj({"code": Field(Num(1, 6, integer=True), required=True)}, what="credibility", extra=_ANY), required=True),
    "reliability": Field(Obj({"code": Field(Enum(LETTERS, "reliability letter"), required=True)}, what="reliability", extra=_ANY), required=True),
    "likelihood": Field(Any_(convert=_likelihood)),
    "criteria": Field(MapOf(Str(), CRITERION, "criteria table"), default=dict),
    "flags": Field(ListOf(Str()), default=list),
    "rules": Field(ListOf(RULE_HIT), default=list),
}, what="assessment", extra=_ANY)
RUN = Obj({
    "credcheck_version": Field(Str(), required=True),
    "rubric": Field(Obj({"name": Field(Str()), "version": Field(Str()), "sha256": Field(Str(nonempty=False))},
                        what="rubric", extra=_ANY), default=dict),
    "input_sha256": Field(Str(nonempty=False)),
    "title": Field(_ANY),
    "assessments": Field(ListOf(ASSESSMENT), required=True),
}, what="credcheck score output", extra=_ANY)


class Run(Record):
    """One scored run: where it came from, and its assessments by id."""

    label: str  # how to name it to the reader (a file name, a rubric name)
    rubric: str  # "default 1.0.0"
    input_sha256: str
    title: str | None
    assessments: tuple[dict[str, Any], ...]


class Change(Record):
    """One claim in both runs whose assessment differs."""

    id: str
    text: str
    old: dict[str, Any]
    new: dict[str, Any]
    reasons: tuple[str, ...]

    @property
    def old_grade(self) -> str:
        return grade(self.old)

    @property
    def new_grade(self) -> str:
        return grade(self.new)

    @property
    def direction(self) -> str:
        """'up' (better), 'down' (worse) or 'same': credibility first, then the reliability letter."""
        before, after = _rank(self.old), _rank(self.new)
        return "same" if before == after else ("up" if after < before else "down")


class RunDiff(Record):
    old: Run
    new: Run
    moved: tuple[Change, ...]  # the Admiralty grade changed
    rescored: tuple[Change, ...]  # same grade; score, likelihood, flags or rules changed
    added: tuple[dict[str, Any], ...]
    removed: tuple[dict[str, Any], ...]
    unchanged: int
    weights: tuple[str, ...] = ()  # criterion weights of the earlier format that changed (the rubric's, so said once)

    @property
    def down(self) -> tuple[Change, ...]:
        return tuple(c for c in self.moved if c.direction == "down")

    @property
    def up(self) -> tuple[Change, ...]:
        return tuple(c for c in self.moved if c.direction == "up")

    @property
    def changed(self) -> bool:
        return bool(self.moved or self.rescored or self.added or self.removed)


def grade(a: Mapping[str, Any]) -> str:
    return f"{a['reliability']['code']}{a['credibility']['code']}"


def _rank(a: Mapping[str, Any]) -> tuple[int, int]:
    return a["credibility"]["code"], LETTERS.index(a["reliability"]["code"])


# --- reading -------------------------------------------------------------------

def load_run(path: str | Path, max_bytes: int = DEFAULT_LIMITS.max_file_bytes) -> Run:
    """Read and check one `credcheck score --format json` output (at most `max_bytes`: the file-size limit)."""
    data, name = read_input(path, max_bytes, what="a credcheck JSON output")
    return parse_run(data, name)


def parse_run(data: bytes, name: str) -> Run:
    doc = _parse_json(data, name)
    if not isinstance(doc, dict) or "credcheck_version" not in doc or "assessments" not in doc:
        raise CredcheckError.single(None, "", f"{name}: not a credcheck score output "
                                    "(make one with: credcheck score CLAIMS --format json -o FILE)")
    problems = Problems()
    checked = RUN.check(doc, Ctx(None, ""), problems)
    ids: dict[str, int] = {}
    for i, a in enumerate(checked.get("assessments") or ()):
        if a.get("id") in ids:
            problems.add(None, f"assessments[{i}].id", f"duplicate claim id '{a['id']}' (also assessments[{ids[a['id']]}])")
        ids.setdefault(a.get("id"), i)
    if problems:
        raise CredcheckError([Problem(None, f"{name}: {p.path}" if p.path else name, p.message) for p in problems.items])
    rubric = checked["rubric"] or {}
    label = " ".join(str(rubric[k]) for k in ("name", "version") if rubric.get(k)) or "unknown rubric"
    title = checked.get("title")
    return Run(Path(name).name, label, checked.get("input_sha256") or "", title if isinstance(title, str) else None,
               tuple(checked["assessments"]))


def _parse_json(data: bytes, name: str) -> Any:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise ValueError(f"duplicate key '{key}'")
            out[key] = value
        return out

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CredcheckError.single(None, "", f"{name}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    try:
        return json.loads(text, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as exc:
        raise CredcheckError.single(Mark(name, exc.lineno, exc.colno), "", f"not valid JSON: {exc.msg}") from None
    except ValueError as exc:
        raise CredcheckError.single(None, "", f"{name}: not valid JSON: {exc}") from None


# --- comparing -----------------------------------------------------------------

def diff_runs(old: Run, new: Run) -> RunDiff:
    before = {a["id"]: a for a in old.assessments}
    after = {a["id"]: a for a in new.assessments}
    moved: list[Change] = []
    rescored: list[Change] = []
    unchanged = 0
    for a in new.assessments:  # in the new run's order
        if a["id"] not in before:
            continue
        b = before[a["id"]]
        reasons = tuple(why(b, a))
        if grade(a) != grade(b):
            moved.append(Change(a["id"], a.get("text") or "", b, a, reasons))
        elif reasons:
            rescored.append(Change(a["id"], a.get("text") or "", b, a, reasons))
        else:
            unchanged += 1
    added = tuple(a for a in new.assessments if a["id"] not in before)
    removed = tuple(a for a in old.assessments if a["id"] not in after)
    return RunDiff(old, new, tuple(moved), tuple(rescored), added, removed, unchanged,
                   tuple(weight_changes(old.assessments, new.assessments)))


def weight_changes(old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]) -> list[str]:
    before, after = _weights(old), _weights(new)
    out = []
    for cid in [*before, *(c for c in after if c not in before)]:
        if before.get(cid) != after.get(cid):
            out.append(f"{cid} weight {_num(before.get(cid))} -> {_num(after.get(cid))}")
    return out


def _weights(assessments: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The rubric's criterion weights, in outputs of the earlier format (a weighted mean of points).

    Outputs that carry `decibans` weigh each claim's criteria by their own evidence, so
    their `weight` is the claim's, not the rubric's, and `why` says it claim by claim.
    """
    out: dict[str, Any] = {}
    for a in assessments:
        for cid, c in a["criteria"].items():
            if "decibans" not in c:
                out.setdefault(cid, c.get("weight"))
    return out


def why(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """The differences between two assessments of one claim, biggest first, in words."""
    out: list[str] = []
    if old["score"] != new["score"]:
        out.append(f"score {old['score']:.1f} -> {new['score']:.1f} ({_delta(new['score'] - old['score'])})")
    if old.get("likelihood") != new.get("likelihood"):
        out.append(f"likelihood {old.get('likelihood') or 'no estimate'} -> {new.get('likelihood') or 'no estimate'}")
    before, after = _level(old), _level(new)
    if before != after:
        out.append(f"confidence {before or 'not given'} -> {after or 'not given'}")
    gained = [f for f in new["flags"] if f not in old["flags"]]
    lost = [f for f in old["flags"] if f not in new["flags"]]
    if gained:
        out.append("flags added: " + ", ".join(gained))
    if lost:
        out.append("flags removed: " + ", ".join(lost))
    out.extend(_criteria_changes(old["criteria"], new["criteria"]))
    out.extend(_rule_changes(old["rules"], new["rules"]))
    if (old.get("text") or "") != (new.get("text") or ""):
        out.append("the claim's text changed")
    return out


def _criteria_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    for cid in [*old, *(c for c in new if c not in old)]:
        if cid not in new:
            out.append(f"{cid}: criterion removed (was {old[cid]['score']:.1f})")
            continue
        if cid not in old:
            out.append(f"{cid}: new criterion, {new[cid]['score']:.1f}")
            continue
        a, b = old[cid], new[cid]
        parts = []
        weighed = isinstance(a.get("decibans"), (int, float)) and isinstance(b.get("decibans"), (int, float))
        if weighed and a["decibans"] != b["decibans"]:
            parts.append(f"{a['decibans']:+.1f} dB -> {b['decibans']:+.1f} dB ({_delta(b['decibans'] - a['decibans'])})")
        elif not weighed and a["score"] != b["score"]:
            parts.append(f"{a['score']:.1f} -> {b['score']:.1f} ({_delta(b['score'] - a['score'])})")
        for key in sorted(set(a) | set(b)):  # counts a criterion adds, e.g. independent_supporting
            # a weighed criterion's score and weight follow its decibans; earlier weights were the
            # rubric's, the same for every claim: RunDiff.weights says them once
            if key in ("score", "weight", "reasons", "decibans"):
                continue
            x, y = a.get(key), b.get(key)
            if x != y and all(isinstance(v, (int, float)) or v is None for v in (x, y)):
                parts.append(f"{key} {_num(x)} -> {_num(y)}")
        if parts:
            out.append(f"{cid} " + ", ".join(parts))
    return out


def _level(a: Mapping[str, Any]) -> str | None:
    confidence = a.get("confidence")
    return confidence.get("level") if isinstance(confidence, dict) else None


def _rule_changes(old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]) -> list[str]:
    before = {r["id"]: r for r in old}
    after = {r["id"]: r for r in new}
    out = [f"rule {rid} now fires ({_effect(r)}: {r.get('reason') or ''})".replace(": )", ")")
           for rid, r in after.items() if rid not in before]
    out += [f"rule {rid} no longer fires ({_effect(r)})" for rid, r in before.items() if rid not in after]
    for rid, r in after.items():
        if rid in before and _effect(before[rid]) != _effect(r):
            out.append(f"rule {rid}: {_effect(before[rid])} -> {_effect(r)}")
    return out


def _effect(rule: Mapping[str, Any]) -> str:
    return f"{rule.get('effect') or 'cap'} {rule.get('credibility', '?')}"


def _num(value: Any) -> str:
    if value is None:
        return "none"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _delta(value: float) -> str:
    return f"{value:+.1f}"
