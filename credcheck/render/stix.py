"""A STIX 2.1 bundle of the assessments, built with the `stix2` library (the `stix` extra).

    identity (credcheck, class system)     who computed the grades: created_by_ref of the rest
    extension-definition                   credcheck's structured fields (property-extension)
    identity per source                    name, identity_class from its type, its A-F letter
    relationship derived-from              a source that republishes another (derived_from)
    note per claim                         content = the claim, abstract = the judgment,
                                           confidence = Admiralty credibility (Appendix B),
                                           labels = the MISP taxonomy tags of the grade
    relationship related-to per report     claim -> the source that made the report
    report                                 the run: title, as_of, rubric and input digests

Ids are name-based and times come from `as_of` (render/interop.py), so the same
input gives the same bytes. docs/interop.md gives the whole mapping and why.
"""
from __future__ import annotations

import json
import uuid
from typing import Any

from credcheck import __version__
from credcheck.errors import CredcheckError
from credcheck.model import Assessment, Claim
from credcheck.render.safe_text import json_escape
from credcheck.render import Report
from credcheck.render.interop import (IDENTITY_CLASS, STIX_CONFIDENCE, RatedSource, ReportView, common_words, confidence_level,
                      judgment, moment, probability, rated_sources, report_views, reporting_sources, scope,
                      stable_uuid, taxonomy_tags, title_of)

EXTRA_HINT = 'STIX output needs the stix extra: pip install -e ".[stix]"'
EXTENSION_VERSION = "1.0.0"
EXTENSION_SCHEMA = (
    "Properties credcheck adds (its docs/interop.md has the whole mapping). On a note (one claim): claim_id, admiralty (e.g. B3), credibility (1-6), credibility_label, reliability (A-F), "
    "reliability_label, likelihood (ICD 203 term; absent when credibility is 6), probability (0-1, when given), "
    "confidence (low|moderate|high, when given), score (0-100), independent_supporting, independent_refuting, "
    "flags, gaps, tags. On an identity (one source): source_id, source_type, reliability (A-F), rated_by "
    "(analyst|type default), owner, derived_from. On a relationship (one report): stance (supports|refutes|neutral), "
    "access (first_hand|second_hand|unknown), via, status, url, published, excerpt. Absent values are left out."
)

VERBS = {"supports": "reports", "refutes": "denies", "neutral": "mentions"}


def stix_id(kind: str, *parts: str) -> str:
    """`kind--UUID`: the UUIDv5 of the names, stamped version 4.

    STIX 2.1 (section 2.9) asks for UUIDv4 on SDOs and SROs, and
    stix2-validator flags any other version; the 122 name-hashed bits are as
    unique as random ones, and the same names give the same id every run.
    """
    named = stable_uuid(f"stix:{kind}", *parts)
    return f"{kind}--{uuid.UUID(bytes=named.bytes, version=4)}"


def render(report: Report) -> str:
    stix2 = _import_stix2()
    try:
        bundle = build(report, stix2)
    except stix2.exceptions.STIXError as exc:
        raise CredcheckError.single(None, "", f"cannot express the assessments in STIX 2.1: {exc}") from None
    # stix2's own pretty printer took 0.55 s for the 17-claim example; its compact text, indented
    # by the json module, keeps the same property order and takes 4 ms.
    compact = bundle.serialize(pretty=False, ensure_ascii=False)
    return json_escape(json.dumps(json.loads(compact), indent=2, ensure_ascii=False)) + "\n"


def _import_stix2() -> Any:
    try:
        import stix2
        import stix2.exceptions
    except ImportError:
        raise CredcheckError.single(None, "--format stix", EXTRA_HINT) from None
    return stix2


def build(report: Report, stix2: Any) -> Any:
    """The stix2.Bundle for a report."""
    claims, rubric = report.claims, report.rubric
    when = moment(claims.as_of)
    stamp = {"created": when, "modified": when}
    tool_id = stix_id("identity", "credcheck")
    # created_by_ref on every object, this one too (it made itself): the STIX interoperability profile asks for it.
    tool = stix2.Identity(id=tool_id, created_by_ref=tool_id, name="credcheck", identity_class="system",
                          description="Source-credibility assessment: NATO Admiralty grades and ICD 203 likelihood terms.",
                          **stamp)
    ext_id = stix_id("extension-definition", "credcheck-assessment", EXTENSION_VERSION)
    extension = stix2.ExtensionDefinition(
        id=ext_id, created_by_ref=tool.id, name="credcheck assessment", version=EXTENSION_VERSION,
        description="Admiralty grade, ICD 203 likelihood, score, flags and gaps of a claim; rating of a source; stance of a report.",
        schema=EXTENSION_SCHEMA, extension_types=["property-extension"], **stamp)
    made = {"created_by_ref": tool.id, **stamp}

    def ext(**fields: Any) -> dict[str, Any]:
        return {ext_id: {"extension_type": "property-extension", **_present(fields)}}

    rated = rated_sources(claims, rubric)
    identity_ids = {r.source.id: _identity_id(r) for r in rated}
    sources = [_identity(stix2, r, identity_ids[r.source.id], made, ext) for r in rated]
    derived = [stix2.Relationship(id=stix_id("relationship", "derived-from", r.source.id, parent),
                                  relationship_type="derived-from", source_ref=identity_ids[r.source.id],
                                  target_ref=identity_ids[parent], description=f"{r.source.name} republishes "
                                  f"{claims.sources[parent].name}", **made)
               for r in rated for parent in r.source.derived_from if parent in identity_ids]

    run_id = stix_id("report", scope(claims))
    claim_by_id = {c.id: c for c in claims.claims}
    words = common_words(report.assessments)
    notes, reports = [], []
    for a in report.assessments:
        claim = claim_by_id[a.id]
        note = _note(stix2, a, claim, words, [identity_ids[s] for s in reporting_sources(claim)] or [run_id],
                     made, ext, claims)
        notes.append(note)
        reports.extend(_report_relationship(stix2, view, note.id, identity_ids[view.source], claims, a.id, made, ext)
                       for view in report_views(a, claim))

    # report_types is an open vocabulary, but strict validation refuses values outside it and the
    # interoperability profile requires one: threat-report is its general value (and OpenCTI's default).
    run = stix2.Report(
        id=run_id, name=title_of(claims), report_types=["threat-report"], published=when,
        description=_run_description(report),
        object_refs=[tool.id, *(s.id for s in sources), *(n.id for n in notes), *(r.id for r in (*derived, *reports))],
        **made)
    return stix2.Bundle(tool, extension, *sources, *derived, *notes, *reports, run,
                        id=stix_id("bundle", claims.input_sha256, rubric.sha256))


def _identity_id(rated: RatedSource) -> str:
    """One identity per source across runs: the same id and name is the same source."""
    return stix_id("identity", rated.source.id, rated.source.name)


def _identity(stix2: Any, rated: RatedSource, id_: str, made: dict[str, Any], ext: Any) -> Any:
    src = rated.source
    description = f"{src.type.replace('_', ' ')}; reliability {rated.letter} ({rated.rated_by})"
    if src.owner:
        description += f"; owned by {src.owner}"
    return stix2.Identity(
        id=id_, name=src.name, identity_class=IDENTITY_CLASS.get(src.type, "unknown"), description=description,
        extensions=ext(source_id=src.id, source_type=src.type, reliability=rated.letter, rated_by=rated.rated_by,
                       owner=src.owner, derived_from=list(src.derived_from)),
        **made)


def _note(stix2: Any, a: Assessment, claim: Claim, words: frozenset[str], refs: list[str],
          made: dict[str, Any], ext: Any, claims: Any) -> Any:
    confidence = STIX_CONFIDENCE.get(a.credibility)
    return stix2.Note(
        id=stix_id("note", scope(claims), a.id), abstract=judgment(a, claim, words), content=a.text,
        object_refs=refs, labels=taxonomy_tags(a), **({"confidence": confidence} if confidence is not None else {}),
        extensions=ext(claim_id=a.id, admiralty=a.admiralty, credibility=a.credibility,
                       credibility_label=a.credibility_label, reliability=a.reliability,
                       reliability_label=a.reliability_label, likelihood=a.likelihood, probability=probability(a),
                       confidence=confidence_level(a), score=a.score, independent_supporting=len(a.supporting),
                       independent_refuting=len(a.refuting), flags=list(a.flags), gaps=list(a.gaps),
                       tags=list(a.tags)),
        **made)


def _report_relationship(stix2: Any, view: ReportView, note_id: str, identity_id: str, claims: Any, claim_id: str,
                         made: dict[str, Any], ext: Any) -> Any:
    name = claims.sources[view.source].name
    how = view.access.replace("_", "-")
    via = f", via {', '.join(view.via)}" if view.via else ""
    return stix2.Relationship(
        id=stix_id("relationship", scope(claims), claim_id, str(view.index)), relationship_type="related-to",
        source_ref=note_id, target_ref=identity_id,
        description=f"{name} {VERBS.get(view.stance, view.stance)} the claim ({view.stance}, {how}{via}); {view.status}",
        extensions=ext(stance=view.stance, access=view.access, via=list(view.via), status=view.status, url=view.url,
                       published=view.published, excerpt=view.excerpt),
        **made)


def _run_description(report: Report) -> str:
    rubric, claims = report.rubric, report.claims
    count = len(report.assessments)
    return (f"credcheck {__version__}: {count} claim{'s' if count != 1 else ''} graded with rubric {rubric.name} "
            f"{rubric.version} (sha256 {rubric.sha256}); input sha256 {claims.input_sha256}; "
            f"as of {claims.as_of or 'an undated assessment'}.")


def _present(fields: dict[str, Any]) -> dict[str, Any]:
    """STIX forbids null properties and empty lists: leave them out."""
    return {k: v for k, v in fields.items() if v is not None and v != [] and v != ""}

