"""JSON output, exactly the fields of CONTRACT.md section 4 (and a few more).

The text is json.dumps(document, indent=2, ensure_ascii=False), byte for
byte, but written by `dumps` below: the json module's C encoder cannot indent
(before Python 3.14), and its Python one is what a 100,000-claim run would
spend most of its time in. `iter_chunks` yields the document one assessment
at a time, so a large run never holds its whole output in memory.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator

try:  # the json package's own C escaper, without importing the package (~1 ms of start-up)
    from _json import encode_basestring
except ImportError:  # pragma: no cover - a Python without the C accelerator
    from json.encoder import encode_basestring

from credcheck import __version__
from credcheck.model import CREDIBILITY_LABELS, RELIABILITY_LABELS, Assessment
from credcheck.render.safe_text import json_escape
from credcheck.render import Report


def assessment_dict(a: Assessment, claims: Any = None) -> dict[str, Any]:
    criteria: dict[str, Any] = {}
    for cid, result in a.criteria.items():
        entry: dict[str, Any] = {"score": round(result.score, 1), "weight": round(result.weight, 2),
                                 "decibans": round(result.decibans, 2), "reasons": list(result.reasons)}
        entry.update(result.extra)
        criteria[cid] = entry
    confidence = a.confidence
    return {
        "id": a.id,
        "text": a.text,
        "score": a.score,
        "probability": a.probability,
        "credibility": {"code": a.credibility, "label": CREDIBILITY_LABELS[a.credibility]},
        "reliability": {"code": a.reliability, "label": RELIABILITY_LABELS[a.reliability]},
        "admiralty": a.admiralty,
        "likelihood": a.likelihood,
        "confidence": None if confidence is None else {"level": confidence.level, "reasons": list(confidence.reasons)},
        "weight_of_evidence": None if a.decibans is None else {"decibans": a.decibans, "reasons": list(a.weighing)},
        "criteria": criteria,
        "flags": list(a.flags),
        "gaps": list(a.gaps),
        "raw_score": a.raw_score,
        "rules": [{"id": h.id, "effect": h.effect, "credibility": h.credibility, "reason": h.reason, "changed_grade": h.changed}
                  for h in a.rules],
        "tags": list(a.tags),
        **({"outcome": a.outcome} if a.outcome is not None else {}),  # only when the claims file gives one (7.2)
        **({"inferred": inferred} if (inferred := inferred_dict(a)) else {}),
    }


def inferred_dict(a: Assessment) -> dict[str, Any] | None:
    """Copies and outlets credcheck inferred for a claim (score/copies.py), when there are any:
    report indices count from 0 in the claim's reports, as `explain` numbers them from 1."""
    if not a.copies and not a.outlets:
        return None
    return {
        "copies": [{"report": c.report, "source": c.source, "copy_of": c.of, "copy_of_source": c.of_source,
                    "similarity": c.similarity, "original": c.original, "original_source": c.original_source}
                   for c in a.copies],
        "outlets": [{"domains": list(o.domains), "sources": list(o.sources), "owner": o.owner} for o in a.outlets],
    }


def document(report: Report, assessments: Iterable[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The output document; `assessments` may be a lazy iterable (see iter_chunks)."""
    rubric = report.rubric
    return {
        "credcheck_version": __version__,
        "rubric": {"name": rubric.name, "version": rubric.version, "sha256": rubric.sha256},
        "input_sha256": report.claims.input_sha256,
        "title": report.claims.title,
        "as_of": report.claims.as_of,
        "assessments": [assessment_dict(a) for a in report.assessments] if assessments is None else assessments,
    }


def render(report: Report) -> str:
    return "".join(iter_chunks(report))


def _string(text: str) -> str:
    """A JSON string; Korean stays Korean, control, bidi and invisible characters become \\uXXXX (safetext)."""
    return json_escape(encode_basestring(text))


LIST_PAD = "    "  # where an assessment sits in the document
SEPARATOR = ",\n" + LIST_PAD  # between two assessments


def iter_chunks(report: Report, assessments: Iterable[Assessment] | None = None,
                listing: Iterable[str] | None = None) -> Iterator[str]:
    """The JSON text in pieces, one per assessment; `assessments` defaults to the report's.

    `listing`, if given, is the text of the assessments list itself, in pieces
    (scoring.parallel_listing builds it from several processes).
    """
    doc = document(report, ())
    pad = "  "
    yield "{"
    for n, (key, value) in enumerate(doc.items()):
        yield ("\n" if n == 0 else ",\n") + pad + _string(key) + ": "
        if key == "assessments":
            if listing is None:
                listing = list_chunks(assessment_texts(report.assessments if assessments is None else assessments))
            yield from listing
        else:
            yield dumps(value, pad)
    yield "\n}\n"


def assessment_texts(items: Iterable[Assessment]) -> Iterator[str]:
    """Each assessment's JSON text, indented for its place in the document's list."""
    write = None
    for a in items:
        if write is None:
            # The direct writer must agree with assessment_dict, the one definition of the
            # fields; if someone adds a field there and not here, every item goes the general way.
            general = dumps(assessment_dict(a), LIST_PAD)
            write = _assessment if _try(_assessment, a, LIST_PAD) == general else _general
            yield general
            continue
        yield write(a, LIST_PAD)


def list_chunks(parts: Iterable[Any]) -> Iterator[Any]:
    """The assessments list: `parts` are assessment texts, or runs of pieces that hold
    one or more assessments already joined by SEPARATOR (never an empty run; a piece
    may be a scoring worker's output.FileText, passed on as it is)."""
    first = True
    for part in parts:
        yield "[\n" + LIST_PAD if first else SEPARATOR
        first = False
        if isinstance(part, str):
            yield part
        else:
            yield from part
    yield "[]" if first else "\n  ]"


def _general(a: Assessment, pad: str) -> str:
    return dumps(assessment_dict(a), pad)


def _try(write: Any, a: Assessment, pad: str) -> str | None:
    try:
        return write(a, pad)
    except (TypeError, KeyError, AttributeError):
        return None


# Indentation of each level inside an assessment (which sits at LIST_PAD), worked out once.
_PAD = [LIST_PAD + "  " * depth for depth in range(5)]
_NEXT = [",\n" + pad for pad in _PAD]  # between two entries
_OPEN = ["\n" + pad for pad in _PAD]  # after an opening bracket

# The direct writer quotes with the bare C escaper and makes the unsafe characters
# visible once, over the whole assessment (json_escape works on any JSON text: they
# can only occur inside strings). Per string, that pass was a third of the writing.
_quote = encode_basestring


def _code_block(code: Any, label: str) -> str:
    """{"code": ..., "label": ...} at depth 1: one of six grades or six letters, written once."""
    return f'{{{_OPEN[2]}"code": {_leaf(code, "")}{_NEXT[2]}"label": {_string(label)}{_OPEN[1]}}}'



def _assessment(a: Assessment, pad: str) -> str:
    """dumps(assessment_dict(a), LIST_PAD), written directly (f-strings build each piece in one go)."""
    if pad != LIST_PAD:
        return _general(a, pad)
    o1, n1, n2 = _OPEN[1], _NEXT[1], _NEXT[2]
    likelihood = "null" if a.likelihood is None else _quote(a.likelihood)
    probability = "null" if a.probability is None else _number(a.probability)
    confidence = "null" if a.confidence is None else (
        f'{{{_OPEN[2]}"level": {_quote(a.confidence.level)}{n2}"reasons": {_texts(a.confidence.reasons, 2)}{_OPEN[1]}}}')
    weighed = "null" if a.decibans is None else (
        f'{{{_OPEN[2]}"decibans": {_number(a.decibans)}{n2}"reasons": {_texts(a.weighing, 2)}{_OPEN[1]}}}')
    criteria = "{}" if not a.criteria else "{" + _OPEN[2] + n2.join(
        [f"{_quote(cid)}: {_criterion(r)}" for cid, r in a.criteria.items()]) + _OPEN[1] + "}"
    rules = "[]" if not a.rules else "[" + _OPEN[2] + n2.join([_rule(h) for h in a.rules]) + _OPEN[1] + "]"
    outcome = "" if a.outcome is None else f'{n1}"outcome": {_quote(a.outcome)}'
    return json_escape(
        f'{{{o1}"id": {_quote(a.id)}{n1}"text": {_quote(a.text)}{n1}"score": {_number(a.score)}'
        f'{n1}"probability": {probability}'
        f'{n1}"credibility": {_CREDIBILITY[a.credibility]}{n1}"reliability": {_RELIABILITY[a.reliability]}'
        f'{n1}"admiralty": {_quote(a.admiralty)}{n1}"likelihood": {likelihood}'
        f'{n1}"confidence": {confidence}{n1}"weight_of_evidence": {weighed}'
        f'{n1}"criteria": {criteria}{n1}"flags": {_texts(a.flags, 1)}{n1}"gaps": {_texts(a.gaps, 1)}'
        f'{n1}"raw_score": {_number(a.raw_score)}{n1}"rules": {rules}{n1}"tags": {_texts(a.tags, 1)}{outcome}'
        f'{_inferred_text(a)}{_OPEN[0]}}}')


def _inferred_text(a: Assessment) -> str:
    """The `inferred` entry at depth 1, or nothing (most claims have none)."""
    if not a.copies and not a.outlets:
        return ""
    return f'{_NEXT[1]}"inferred": {dumps(inferred_dict(a), _PAD[1])}'


def _criterion(r: Any) -> str:
    """One criterion's entry, at depth 2 of an assessment."""
    extra = r.extra
    if not extra:
        more = ""
    elif "score" in extra or "weight" in extra or "decibans" in extra or "reasons" in extra:  # they would replace ours
        entry: dict[str, Any] = {"score": round(r.score, 1), "weight": round(r.weight, 2),
                                 "decibans": round(r.decibans, 2), "reasons": list(r.reasons)}
        entry.update(extra)
        return dumps(entry, _PAD[2])
    else:
        n3 = _NEXT[3]
        more = "".join([f"{n3}{_quote(k) if type(k) is str else _key(k)}: {_value(v, _PAD[3])}" for k, v in extra.items()])
    n3 = _NEXT[3]
    return (f'{{{_OPEN[3]}"score": {_number(round(r.score, 1))}{n3}"weight": {_number(round(r.weight, 2))}'
            f'{n3}"decibans": {_number(round(r.decibans, 2))}{n3}"reasons": {_texts(r.reasons, 3)}{more}{_OPEN[2]}}}')


def _rule(h: Any) -> str:
    """One rule hit, at depth 2 of an assessment."""
    n3 = _NEXT[3]
    return (f'{{{_OPEN[3]}"id": {_quote(h.id)}{n3}"effect": {_quote(h.effect)}{n3}"credibility": '
            f'{_number(h.credibility)}{n3}"reason": {_quote(h.reason)}{n3}"changed_grade": '
            f'{_leaf(h.changed, _PAD[3])}{_OPEN[2]}}}')


def _value(value: Any, pad: str) -> str:
    """_leaf inside the direct writer: the common shapes of a criterion's extra values
    (numbers, text, lists, text-keyed maps) with text left for the one escape at the end."""
    kind = type(value)
    if kind is str:
        return _quote(value)
    if kind is int:
        return int.__repr__(value)
    if (kind is list or kind is tuple) and value:
        inner = pad + "  "
        return "[\n" + inner + (",\n" + inner).join([_value(v, inner) for v in value]) + "\n" + pad + "]"
    if kind is dict and value and all(type(k) is str for k in value):
        inner = pad + "  "
        return "{\n" + inner + (",\n" + inner).join(
            [f"{_quote(k)}: {_value(v, inner)}" for k, v in value.items()]) + "\n" + pad + "}"
    return _leaf(value, pad)


def _texts(items: Any, depth: int) -> str:
    """A list of text (reasons, flags, gaps, tags) whose key sits at `depth`."""
    if not items:
        return "[]"
    try:
        return "[" + _OPEN[depth + 1] + _NEXT[depth + 1].join(map(_quote, items)) + _OPEN[depth] + "]"
    except TypeError:
        return dumps(list(items), _PAD[depth])


def _number(value: Any) -> str:
    if type(value) is float and value - value == 0.0:
        return float.__repr__(value)
    return _leaf(value, "")


def dumps(value: Any, pad: str = "") -> str:
    """json.dumps(value, indent=2, ensure_ascii=False) for a value nested at indentation `pad`."""
    kind = type(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = pad + "  "
        return "{\n" + inner + (",\n" + inner).join(
            [(_string(k) if type(k) is str else _key(k)) + ": " + _leaf(v, inner) for k, v in value.items()]
        ) + "\n" + pad + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = pad + "  "
        try:
            body = (",\n" + inner).join(map(_string, value))  # lists of text: reasons, flags, gaps, tags
        except TypeError:
            body = (",\n" + inner).join([_leaf(v, inner) for v in value])
        return "[\n" + inner + body + "\n" + pad + "]"
    return _leaf(value, pad)


def _leaf(value: Any, pad: str) -> str:
    """The common scalars inline; containers and the rest through dumps."""
    kind = type(value)
    if kind is str:
        return _string(value)
    if kind is int:
        return int.__repr__(value)
    if kind is float and value - value == 0.0:  # finite
        return float.__repr__(value)
    if kind is dict or kind is list or kind is tuple:
        return dumps(value, pad)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is float:
        return _float(value)
    # anything else (subclasses, say) exactly as the json module writes it, indented to fit
    import json
    return json_escape(json.dumps(value, indent=2, ensure_ascii=False)).replace("\n", "\n" + pad)


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (_INF, -_INF):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _key(key: Any) -> str:
    """A key that is not text, as json writes it ("1", "true", "null")."""
    import json
    return json.dumps({key: 0}, ensure_ascii=False)[1:-4]


_INF = float("inf")

# (after _leaf, which they use)
_CREDIBILITY = {code: _code_block(code, label) for code, label in CREDIBILITY_LABELS.items()}
_RELIABILITY = {letter: _code_block(letter, label) for letter, label in RELIABILITY_LABELS.items()}
