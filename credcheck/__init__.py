"""credcheck: source-credibility assessment for analysts.

The library core, usable without the CLI:

    from credcheck import load_rubric, load_claims, assess
    rubric = load_rubric("default")
    claims = load_claims("claims.yaml", rubric)
    for a in assess(claims, rubric):
        print(a.id, a.admiralty, a.likelihood)
"""
from __future__ import annotations

__version__ = "0.1.0"

from .claims import load_claims
from .engine import assess, assess_claim
from .errors import CredcheckError, Mark, Problem
from .model import Assessment, Claim, ClaimSet, Evidence, Report, Source
from .rubric import Rubric, load_rubric

__all__ = [
    "Assessment", "Claim", "ClaimSet", "CredcheckError", "Evidence", "Mark", "Problem",
    "Report", "Rubric", "Source", "assess", "assess_claim", "load_claims", "load_rubric", "validate",
]


def validate(path: str, rubric: Rubric | str = "default", sources: tuple[str, ...] = ()) -> ClaimSet:
    """Load and validate a claims file; raises CredcheckError with every problem."""
    if isinstance(rubric, str):
        rubric = load_rubric(rubric)
    return load_claims(path, rubric, sources)
