"""What changes between two rubrics: in what they say, and in what they do.

What they say: the fully resolved rubrics (rubricshow.resolved) compared key
by key. Rules are matched by id and bands by code or term, so a reordered
list is no change and a path reads `rules[id=single-line-unverified].cap`.
What they do: the grades of one claims file under each (rundiff).
Examples are tests, not policy, so they are left out.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Sequence

from credcheck.load.claims import load_claims, locate_problems
from credcheck.load.located_yaml import DEFAULT_LIMITS, Limits
from credcheck.score.engine import assess
from credcheck.errors import CredcheckError, Problem
from credcheck.record import Record
from credcheck.render.jsonout import assessment_dict
from credcheck.rubric.model import Rubric
from credcheck.rubric.show import resolved
from credcheck.render.run_diff import Run, RunDiff, diff_runs

# List items are matched by the first of these keys they all have.
IDENTITY_KEYS = ("id", "code", "term")
# Compared as a whole: a condition reads better old-vs-new than key by key.
WHOLE = ("when",)


class Change(Record):
    path: str
    kind: str  # "added", "removed" or "changed"
    old: Any = None
    new: Any = None


class RubricDiff(Record):
    old: Rubric
    new: Rubric
    changes: tuple[Change, ...]
    grades: RunDiff | None = None  # with a claims file: what the change does


def diff_trees(old: Any, new: Any, path: str = "") -> list[Change]:
    """Every difference between two plain trees, in the order the keys appear."""
    if isinstance(old, dict) and isinstance(new, dict) and path.rsplit(".", 1)[-1] not in WHOLE:
        out: list[Change] = []
        for key in [*old, *(k for k in new if k not in old)]:
            sub = f"{path}.{key}" if path else str(key)
            if key not in new:
                out.append(Change(sub, "removed", old[key], None))
            elif key not in old:
                out.append(Change(sub, "added", None, new[key]))
            else:
                out.extend(diff_trees(old[key], new[key], sub))
        return out
    if isinstance(old, list) and isinstance(new, list):
        key = _identity(old + new)
        if key is not None:
            return diff_trees(_keyed(old, key), _keyed(new, key), path)
    return [] if _same(old, new) else [Change(path, "changed", old, new)]


def _identity(items: list[Any]) -> str | None:
    for key in IDENTITY_KEYS:
        values = [item.get(key) for item in items if isinstance(item, dict)]
        if items and len(values) == len(items) and all(v is not None for v in values):
            return key
    return None


def _keyed(items: Iterable[dict[str, Any]], key: str) -> dict[str, Any]:
    """Items by their identity; a repeated identity (an invalid rubric) keeps its position."""
    out: dict[str, Any] = {}
    for index, item in enumerate(items):
        label = f"[{key}={item[key]}]"
        out[label if label not in out else f"[{index}]"] = item
    return out


def _same(a: Any, b: Any) -> bool:
    # 1 and 1.0 are the same number in a rubric, but true is not 1
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return a == b


def diff_rubrics(old: Rubric, new: Rubric, claims: str | None = None, sources: Sequence[str] = (),
                  limits: Limits = DEFAULT_LIMITS) -> RubricDiff:
    """Compare two rubrics; with a claims file (read within `limits`), also the grades each gives."""
    changes = tuple(_tidy(diff_trees(resolved(old, examples=False), resolved(new, examples=False))))
    grades = None
    if claims is not None:
        grades = diff_runs(_run(claims, old, sources, limits), _run(claims, new, sources, limits))
    return RubricDiff(old, new, changes, grades)


def _tidy(changes: Iterable[Change]) -> Iterable[Change]:
    """`rules.[id=x]` -> `rules[id=x]`: a keyed list item reads as an index."""
    for c in changes:
        yield Change(c.path.replace(".[", "["), c.kind, c.old, c.new)


def _run(claims: str, rubric: Rubric, sources: Sequence[str], limits: Limits = DEFAULT_LIMITS) -> Run:
    try:
        claim_set = load_claims(claims, rubric, sources, limits=limits)
    except CredcheckError as exc:  # the file may use words only one of the two rubrics defines: say which
        first, *rest = exc.problems
        note = Problem(first.mark, first.path, f"{first.message} (checked against rubric {label(rubric)})")
        raise CredcheckError([note, *rest]) from None
    try:
        assessments = tuple(assessment_dict(a) for a in assess(claim_set, rubric))
    except CredcheckError as exc:  # a claim too tangled to assess: say where it is, JSON inputs too
        raise locate_problems(exc, claim_set) from None
    return Run(f"{rubric.name} {rubric.version}", f"{rubric.name} {rubric.version}", claim_set.input_sha256,
               claim_set.title, assessments)


def label(rubric: Rubric) -> str:
    return f"{rubric.name} {rubric.version} ({Path(rubric.files[-1]).name})" if rubric.files else rubric.name
