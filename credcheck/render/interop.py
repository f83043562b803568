"""What the exchange formats (STIX 2.1, MISP, ClaimReview) say the same way.

Ids, times and grade vocabularies are decided here once, so the three
renderers agree with each other and the same input always gives the same
bytes: ids are name-based UUIDs, times come from the claims file's `as_of`,
never from the clock. docs/interop.md explains every choice.
"""
from __future__ import annotations

import json
import re
import uuid
from datetime import date, datetime, timezone
from typing import Any

from credcheck.model import Assessment, Claim, ClaimSet, Source
from credcheck.record import Record

# The namespace of every credcheck UUID: uuid5(NAMESPACE_URL, "urn:credcheck:interop"), written out.
NAMESPACE = uuid.UUID("64ffbc80-03a7-5a07-aa10-0bf007eaddc9")

# Used when the claims file has no `as_of`, or one that is not an ISO 8601 date.
FIXED_TIME = datetime(1970, 1, 1, tzinfo=timezone.utc)

# STIX 2.1 Part 1, Appendix B (Admiralty Credibility): credibility 6 has no confidence value.
STIX_CONFIDENCE = {1: 90, 2: 70, 3: 50, 4: 30, 5: 10}

DEFAULT_TITLE = "Source credibility assessment"

_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?")


def stable_uuid(kind: str, *parts: str) -> uuid.UUID:
    """A UUIDv5 named by `kind` and `parts`: the same names always give the same UUID."""
    return uuid.uuid5(NAMESPACE, json.dumps([kind, *parts], ensure_ascii=False))


def scope(claims: ClaimSet) -> str:
    """What claim-level ids are named within: the file's title, or (untitled) its digest.

    Re-running an updated file with the same title names the same objects, so
    platforms update them; two files with different titles never share one.
    """
    return f"title:{claims.title}" if claims.title else f"input:{claims.input_sha256}"


def moment(as_of: str | None) -> datetime:
    """The assessment's time, in UTC: `as_of` (a date is its midnight), else FIXED_TIME."""
    text = (as_of or "").strip()
    if not _DATE_TIME.fullmatch(text):
        return FIXED_TIME
    try:
        if len(text) == 10:
            parsed = datetime.combine(date.fromisoformat(text), datetime.min.time())
        else:
            parsed = datetime.fromisoformat(text.replace(" ", "T").replace("Z", "+00:00"))
    except ValueError:  # 2026-02-30 and the like
        return FIXED_TIME
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def title_of(claims: ClaimSet) -> str:
    return claims.title or DEFAULT_TITLE


# --- grades as the MISP taxonomies spell them (also STIX labels) ---------------

def taxonomy_value(term: str) -> str:
    """An ICD 203 term as the estimative-language taxonomy spells it: 'roughly-even-chance'."""
    return term.replace(" ", "-")


def probability(a: Assessment) -> float | None:
    """The assessment's probability (0-1); None when nobody reports the claim."""
    return a.probability


def confidence_level(a: Assessment) -> str | None:
    """low | moderate | high (ICD 203 analytic confidence), when the engine states one."""
    return a.confidence.level if a.confidence is not None else None


def taxonomy_tags(a: Assessment) -> list[str]:
    """The MISP machine tags for one assessment (CONTRACT.md 7.3), in a fixed order."""
    tags = [f'admiralty-scale:source-reliability="{a.reliability.lower()}"',
            f'admiralty-scale:information-credibility="{a.credibility}"']
    if a.likelihood:
        tags.append(f'estimative-language:likelihood-probability="{taxonomy_value(a.likelihood)}"')
    level = confidence_level(a)
    if level:
        tags.append(f'estimative-language:confidence-in-analytic-judgment="{level}"')
    return tags


def judgment(a: Assessment, claim: Claim, common_words: frozenset[str]) -> str:
    """'It is unlikely that desertions have increased (B4).'; for credibility 6 no estimate is made."""
    from credcheck.render.brief import judgment_sentence
    if not a.likelihood:
        return f"No judgment: {a.credibility_label.lower()} ({a.admiralty})."
    wording = getattr(claim, "judgment", None) or a.text
    return f"{judgment_sentence(a.likelihood, wording, common_words)} ({a.admiralty})."


def common_words(assessments: Any) -> frozenset[str]:
    from credcheck.render.brief import common_words as words
    return words(a.text for a in assessments)


# --- sources and reports --------------------------------------------------------

# Who stands behind a source of each type CONTRACT.md section 2 names (STIX identity_class;
# ClaimReview Person or Organization); a rubric's own types are 'unknown' unless added here.
IDENTITY_CLASS = {
    "official_record": "organization", "official_on_record": "organization", "intelligence_service": "organization",
    "wire_service": "organization", "news_outlet": "organization", "state_media": "organization",
    "ngo": "organization", "academic": "organization",
    "anonymous_official": "individual", "defector_testimony": "individual", "eyewitness": "individual",
    "social_media": "individual",
}


class RatedSource(Record):
    source: Source
    letter: str  # A-F under the rubric
    rated_by: str  # "analyst" or "type default"


def rated_sources(claims: ClaimSet, rubric: Any) -> list[RatedSource]:
    """Every source, by id, with the reliability letter the rubric gives it."""
    from credcheck.rubric.criteria.source import rate
    config = rubric.criteria["source"]
    return [RatedSource(s, rate(s, config)[0], "analyst" if s.reliability else "type default")
            for s in sorted(claims.sources.values(), key=lambda s: s.id)]


class ReportView(Record):
    """One report of a claim, with what the independence analysis made of it."""

    index: int
    source: str
    stance: str
    access: str
    via: tuple[str, ...]
    status: str  # 'independent line: nis', 'collapsed into ...', 'neutral: not a line'
    url: str | None = None
    published: str | None = None
    excerpt: str | None = None


def report_views(a: Assessment, claim: Claim) -> list[ReportView]:
    counted = {line.report: line.original for line in (*a.supporting, *a.refuting)}
    collapsed = {c.report: c.into for c in a.collapsed}
    views = []
    for i, rep in enumerate(claim.reports):
        if i in counted:
            status = f"independent line: {counted[i]}"
        elif i in collapsed:
            status = f"collapsed into {' / '.join(collapsed[i])} (circular)"
        elif rep.stance not in ("supports", "refutes"):
            status = f"{rep.stance}: not a line"
        else:
            status = "collapsed (same original as another report)"
        views.append(ReportView(i, rep.source, rep.stance, rep.access, tuple(rep.via), status,
                                _text(getattr(rep, "url", None)), _text(getattr(rep, "published", None)),
                                _text(getattr(rep, "excerpt", None))))
    return views


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def reporting_sources(claim: Claim) -> list[str]:
    """The ids of the sources that report a claim, first report first, each once."""
    return list(dict.fromkeys(rep.source for rep in claim.reports))
