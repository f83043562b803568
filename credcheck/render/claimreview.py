"""schema.org ClaimReview JSON-LD: a JSON array, one self-contained ClaimReview per claim.

Each element carries its own "@context", so it can be pasted alone into a
page's <script type="application/ld+json">, and the array as a whole is one
JSON-LD document.

reviewRating is the Admiralty credibility turned so that higher is truer, as
fact-checkers' ratings run: ratingValue = 6 - credibility, so 5 Confirmed,
4 Probably true, 3 Possibly true, 2 Doubtful, 1 Improbable (bestRating 5,
worstRating 1). Credibility 6 (truth cannot be judged) has no value on that
scale: its rating has no ratingValue. alternateName is the ICD 203 term
('likely'), or 'Truth cannot be judged' when no estimate is made.
"""
from __future__ import annotations

import json
from typing import Any

from credcheck.model import Assessment, Claim
from credcheck.render.safe_text import json_escape
from credcheck.render import Report
from credcheck.render.interop import FIXED_TIME, IDENTITY_CLASS, common_words, confidence_level, judgment, moment, probability, report_views

BEST, WORST = 5, 1


def rating_value(credibility: int) -> int | None:
    """The Admiralty credibility on ClaimReview's scale (5 best); None for 6."""
    return 6 - credibility if credibility <= 5 else None


def render(report: Report) -> str:
    return json_escape(json.dumps(reviews(report), indent=2, ensure_ascii=False)) + "\n"


def reviews(report: Report) -> list[dict[str, Any]]:
    claims = report.claims
    when = moment(claims.as_of)
    published = when.date().isoformat() if when != FIXED_TIME else None
    claim_by_id = {c.id: c for c in claims.claims}
    words = common_words(report.assessments)
    return [_review(a, claim_by_id[a.id], claims.sources, published, words) for a in report.assessments]


def _review(a: Assessment, claim: Claim, sources: Any, published: str | None, words: frozenset[str]) -> dict[str, Any]:
    review: dict[str, Any] = {"@context": "https://schema.org", "@type": "ClaimReview", "identifier": a.id,
                              "claimReviewed": a.text}
    if published:
        review["datePublished"] = published
    review["itemReviewed"] = _claim(a, claim, sources)
    review["reviewRating"] = _rating(a, claim, words)
    return review


def _claim(a: Assessment, claim: Claim, sources: Any) -> dict[str, Any]:
    """The Claim: who made it (the sources whose reports support or relay it) and where it appeared."""
    made = [view for view in report_views(a, claim) if view.stance != "refutes"]
    item: dict[str, Any] = {"@type": "Claim"}
    authors = [_party(sources[source]) for source in dict.fromkeys(view.source for view in made)]
    if authors:
        item["author"] = authors
    appearances = []
    for view in made:
        appearance: dict[str, Any] = {"@type": "CreativeWork", "author": _party(sources[view.source])}
        if view.url:
            appearance["url"] = view.url
        if view.published:
            appearance["datePublished"] = view.published
        if view.excerpt:
            appearance["text"] = view.excerpt
        appearances.append(appearance)
    if appearances:
        item["appearance"] = appearances
    return item


def _party(source: Any) -> dict[str, Any]:
    return {"@type": "Person" if IDENTITY_CLASS.get(source.type) == "individual" else "Organization",
            "name": source.name, "identifier": source.id}


def _rating(a: Assessment, claim: Claim, words: frozenset[str]) -> dict[str, Any]:
    rating: dict[str, Any] = {"@type": "Rating"}
    value = rating_value(a.credibility)
    if value is not None:
        rating["ratingValue"] = value
    rating.update({"bestRating": BEST, "worstRating": WORST,
                   "alternateName": a.likelihood or a.credibility_label,
                   "ratingExplanation": _explanation(a, claim, words)})
    return rating


def _explanation(a: Assessment, claim: Claim, words: frozenset[str]) -> str:
    text = (f"{judgment(a, claim, words)} Admiralty {a.admiralty}: {a.credibility_label.lower()}, "
            f"best source {a.reliability_label.lower()}; {len(a.supporting)} independent supporting and "
            f"{len(a.refuting)} refuting line{'s' if len(a.refuting) != 1 else ''}")
    chance = probability(a)
    if chance is not None:
        text += f"; probability {chance:.2f}"
    level = confidence_level(a)
    if level:
        text += f"; {level} confidence"
    return text + "."
