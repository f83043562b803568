"""Points as printed: criteria's shares of a weighted score that add up on the page."""
from __future__ import annotations

import math
from typing import Mapping

from credcheck.model import CriterionResult


def share_text(weight: float, total: float) -> str:
    """A weight scaled to the weights' sum, as printed: '0.318' (0.35 of 1.1)."""
    share = weight / total if total > 0 else 0.0
    return f"{share:.3f}".rstrip("0").rstrip(".") if share else "0"


def apportioned_points(criteria: Mapping[str, CriterionResult], weighted: float) -> list[float]:
    """Each criterion's points (score x weight / sum of weights), in tenths that add up to `weighted`,
    the weighted score as printed: each is rounded down, and the tenths left go to the largest
    remainders. (Rounded one by one, 22.4 + 10.0 + 1.25 would print as 33.6 beside 33.7.)"""
    total = sum(r.weight for r in criteria.values())
    exact = [r.score * r.weight / total * 10 if total > 0 else 0.0 for r in criteria.values()]
    tenths = [int(math.floor(x + 1e-9)) for x in exact]
    spare = round(weighted * 10) - sum(tenths)
    for i in sorted(range(len(exact)), key=lambda i: -(exact[i] - tenths[i]))[:max(0, spare)]:
        tenths[i] += 1
    return [t / 10 for t in tenths]
