"""JSON output, exactly the fields of CONTRACT.md section 4 (and a few more)."""
from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..model import CREDIBILITY_LABELS, RELIABILITY_LABELS, Assessment
from ..safetext import json_escape
from . import Report


def assessment_dict(a: Assessment, claims: Any = None) -> dict[str, Any]:
    criteria: dict[str, Any] = {}
    for cid, result in a.criteria.items():
        entry: dict[str, Any] = {"score": round(result.score, 1), "weight": result.weight, "reasons": list(result.reasons)}
        entry.update(result.extra)
        criteria[cid] = entry
    return {
        "id": a.id,
        "text": a.text,
        "score": a.score,
        "credibility": {"code": a.credibility, "label": CREDIBILITY_LABELS[a.credibility]},
        "reliability": {"code": a.reliability, "label": RELIABILITY_LABELS[a.reliability]},
        "admiralty": a.admiralty,
        "likelihood": a.likelihood,
        "criteria": criteria,
        "flags": list(a.flags),
        "gaps": list(a.gaps),
        "raw_score": a.raw_score,
        "rules": [{"id": h.id, "effect": h.effect, "credibility": h.credibility, "reason": h.reason, "changed_grade": h.changed}
                  for h in a.rules],
        "tags": list(a.tags),
    }


def document(report: Report) -> dict[str, Any]:
    rubric = report.rubric
    return {
        "credcheck_version": __version__,
        "rubric": {"name": rubric.name, "version": rubric.version, "sha256": rubric.sha256},
        "input_sha256": report.claims.input_sha256,
        "title": report.claims.title,
        "as_of": report.claims.as_of,
        "assessments": [assessment_dict(a) for a in report.assessments],
    }


def render(report: Report) -> str:
    # Korean stays Korean; control, bidi and invisible characters become \uXXXX escapes (safetext).
    return json_escape(json.dumps(document(report), indent=2, ensure_ascii=False)) + "\n"
