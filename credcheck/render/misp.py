"""A MISP event (MISP core format, the JSON that MISP's "Import from... MISP JSON" reads).

    Event                    info = title, date = as_of, not published, distribution 0
                             (this organisation only: sharing wider is the analyst's decision)
    Attribute per claim      type text, value = the claim; Tag = the exact taxonomy tags
                             (admiralty-scale, estimative-language; CONTRACT.md 7.3)
    Attribute per report URL type link, category External analysis
    Object per source        template intelligence-source-assessment: id, summary, A-F letter,
                             collection discipline; an ObjectReference to each claim it
                             reports (supports | refutes | mentions)

Built by hand with the json module: MISP's format is plain JSON, and pymisp
(requests and more) would only have set the same keys. Ids are UUIDv5 and
times come from `as_of`, so the same input gives the same bytes.
"""
from __future__ import annotations

import json
from typing import Any

from credcheck import __version__
from credcheck.model import RELIABILITY_LABELS, Assessment
from credcheck.render.safe_text import json_escape
from credcheck.render import Report
from credcheck.render.interop import (RatedSource, ReportView, confidence_level, moment, probability, rated_sources, report_views,
                      scope, stable_uuid, taxonomy_tags, title_of)

# misp-objects: objects/intelligence-source-assessment/definition.json
SOURCE_TEMPLATE = {"name": "intelligence-source-assessment", "meta-category": "misc",
                   "template_uuid": "2d3a5895-6c54-50b5-bd25-ce33e974c50a", "template_version": "1",
                   "description": "Object template to capture source reliability, information credibility and "
                                  "evaluation details supporting an INTREP or similar intelligence report."}
# The template's source-type values (collection disciplines) for CONTRACT.md's source types.
DISCIPLINE = {
    "official_record": "OSINT", "official_on_record": "OSINT", "wire_service": "OSINT", "news_outlet": "OSINT",
    "state_media": "OSINT", "ngo": "OSINT", "academic": "OSINT", "social_media": "SOCMINT",
    "anonymous_official": "HUMINT", "defector_testimony": "HUMINT", "eyewitness": "HUMINT",
    "intelligence_service": "All-source", "unknown": "Other",
}
# MISP's relationship list has supports and mentions; it has no word for a denial.
RELATION = {"supports": "supports", "refutes": "refutes", "neutral": "mentions"}

DISTRIBUTION_ORG_ONLY, DISTRIBUTION_INHERIT = "0", "5"
ANALYSIS_COMPLETED, THREAT_LEVEL_UNDEFINED = "2", "4"


def render(report: Report) -> str:
    return json_escape(json.dumps({"Event": event(report)}, indent=2, ensure_ascii=False)) + "\n"


def event(report: Report) -> dict[str, Any]:
    claims = report.claims
    when = moment(claims.as_of)
    stamp = str(int(when.timestamp()))
    event_uuid = str(stable_uuid("misp:event", scope(claims)))

    def uid(kind: str, *parts: str) -> str:
        return str(stable_uuid(f"misp:{kind}", event_uuid, *parts))

    claim_by_id = {c.id: c for c in claims.claims}
    attributes: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    reports_by_source: dict[str, list[tuple[str, ReportView]]] = {}
    for a in report.assessments:
        claim_uuid = uid("claim", a.id)
        attributes.append(_claim_attribute(a, claim_uuid, stamp))
        for view in report_views(a, claim_by_id[a.id]):
            reports_by_source.setdefault(view.source, []).append((claim_uuid, view))
            if view.url:
                links.append(_attribute(uid("url", a.id, str(view.index)), "link", "External analysis", view.url,
                                        f"{view.source} {view.stance} claim {a.id}", stamp))
    objects = [_source_object(rated, uid, reports_by_source.get(rated.source.id, []), stamp)
               for rated in rated_sources(claims, report.rubric)]
    return {
        "uuid": event_uuid,
        "info": title_of(claims),
        "date": when.date().isoformat(),
        "timestamp": stamp,
        "published": False,
        "analysis": ANALYSIS_COMPLETED,
        "threat_level_id": THREAT_LEVEL_UNDEFINED,
        "distribution": DISTRIBUTION_ORG_ONLY,
        "Attribute": attributes + links,
        "Object": objects,
        "EventReport": [_event_report(report, uid("event-report"), stamp)],
    }


def _attribute(uuid_: str, type_: str, category: str, value: str, comment: str, stamp: str,
               tags: list[str] | None = None, relation: str | None = None) -> dict[str, Any]:
    attribute: dict[str, Any] = {"uuid": uuid_}
    if relation is not None:
        attribute["object_relation"] = relation
    attribute.update({"type": type_, "category": category, "value": value, "comment": comment, "to_ids": False,
                      "distribution": DISTRIBUTION_INHERIT, "timestamp": stamp, "disable_correlation": False})
    if tags:
        attribute["Tag"] = [{"name": tag} for tag in tags]
    return attribute


def _claim_attribute(a: Assessment, uuid_: str, stamp: str) -> dict[str, Any]:
    comment = f"credcheck claim {a.id}: {a.admiralty} ({a.reliability_label}, {a.credibility_label.lower()})"
    comment += f"; {a.likelihood}" if a.likelihood else "; no estimate"
    chance = probability(a)
    if chance is not None:
        comment += f" (p={chance:.2f})"
    level = confidence_level(a)
    if level:
        comment += f"; {level} confidence"
    comment += f"; score {a.score:.1f}"
    if a.flags:
        comment += f"; flags: {', '.join(a.flags)}"
    return _attribute(uuid_, "text", "Other", a.text, comment, stamp, taxonomy_tags(a))


def _source_object(rated: RatedSource, uid: Any, reports: list[tuple[str, ReportView]], stamp: str) -> dict[str, Any]:
    src = rated.source
    object_uuid = uid("source", src.id)
    summary = f"{src.name} ({src.type})"
    if src.owner:
        summary += f"; owned by {src.owner}"
    if src.derived_from:
        summary += f"; republishes {', '.join(src.derived_from)}"
    fields = [("source-id", "text", src.id), ("source-summary", "text", summary),
              ("source-reliability", "text", f"{rated.letter} - {RELIABILITY_LABELS[rated.letter]}")]
    if src.type in DISCIPLINE:
        fields.append(("source-type", "text", DISCIPLINE[src.type]))
    fields.append(("comment", "comment", f"reliability {rated.letter}: {rated.rated_by}"))
    attributes = [_attribute(uid("source-field", src.id, relation), type_, "Other", value, "", stamp, relation=relation)
                  for relation, type_, value in fields]
    references = [{"uuid": uid("reference", src.id, claim_uuid, str(view.index)), "object_uuid": object_uuid,
                   "referenced_uuid": claim_uuid, "relationship_type": RELATION.get(view.stance, view.stance),
                   "comment": _reference_comment(view), "timestamp": stamp}
                  for claim_uuid, view in reports]
    return {**SOURCE_TEMPLATE, "uuid": object_uuid, "comment": src.name, "distribution": DISTRIBUTION_INHERIT,
            "timestamp": stamp, "Attribute": attributes, "ObjectReference": references}


def _reference_comment(view: ReportView) -> str:
    parts = [view.stance, view.access.replace("_", "-")]
    if view.via:
        parts.append(f"via {', '.join(view.via)}")
    if view.published:
        parts.append(f"published {view.published}")
    return "; ".join([", ".join(parts), view.status])


def _event_report(report: Report, uuid_: str, stamp: str) -> dict[str, Any]:
    """A short Markdown note on how the grades were made (MISP shows event reports as Markdown)."""
    rubric, claims = report.rubric, report.claims
    content = (f"Graded by credcheck {__version__} with rubric {rubric.name} {rubric.version} "
               f"(sha256 `{rubric.sha256}`); input sha256 `{claims.input_sha256}`.\n\n"
               "Each claim is a text attribute tagged with its Admiralty grade (admiralty-scale) and ICD 203 "
               "likelihood (estimative-language); each source is an intelligence-source-assessment object "
               "linked to the claims it reports.\n")
    return {"uuid": uuid_, "name": "credcheck method", "content": content, "distribution": DISTRIBUTION_INHERIT,
            "timestamp": stamp, "deleted": False}
