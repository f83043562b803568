"""credcheck: source-credibility assessment for analysts.

The library core, usable without the CLI:

    from credcheck import load_rubric, load_claims, assess
    rubric = load_rubric("default")
    claims = load_claims("claims.yaml", rubric)
    for a in assess(claims, rubric):
        print(a.id, a.admiralty, a.likelihood)
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Names are imported on first use (PEP 562): the command line can then set up
# (pause the garbage collector) before the library is imported, and a run
# imports only the modules it needs.
_EXPORTS = {
    "load_claims": "load.claims", "assess": "score.engine", "assess_claim": "score.engine",
    "CredcheckError": "errors", "Mark": "errors", "Problem": "errors",
    "Assessment": "model", "Claim": "model", "ClaimSet": "model", "Evidence": "model", "Report": "model",
    "Source": "model", "Rubric": "rubric.model", "load_rubric": "rubric.model",
}

__all__ = [
    "Assessment", "Claim", "ClaimSet", "CredcheckError", "Evidence", "Mark", "Problem",
    "Report", "Rubric", "Source", "assess", "assess_claim", "load_claims", "load_rubric", "validate",
]

if TYPE_CHECKING:
    from credcheck.load.claims import load_claims
    from credcheck.score.engine import assess, assess_claim
    from credcheck.errors import CredcheckError, Mark, Problem
    from credcheck.model import Assessment, Claim, ClaimSet, Evidence, Report, Source
    from credcheck.rubric.model import Rubric, load_rubric


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


def validate(path: str, rubric: "Rubric | str" = "default", sources: tuple[str, ...] = ()) -> "ClaimSet":
    """Load and validate a claims file; raises CredcheckError with every problem."""
    from credcheck.load.claims import load_claims as load
    from credcheck.rubric.model import load_rubric as load_named
    if isinstance(rubric, str):
        rubric = load_named(rubric)
    return load(path, rubric, sources)
