"""The analyst's brief: a plain view model rendered by a sandboxed Jinja template.

Templates may come from other teams, so they are untrusted: they run in a
bounded Jinja sandbox (render/sandbox.py), see only the view model (plain
dicts, lists and strings), fail on undefined names, and every value they
print is escaped for Markdown unless it is a fragment credcheck built itself.
Rendering stops at the render-seconds and brief-size limits.
"""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from itertools import accumulate, dropwhile, tee
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from credcheck import __version__
from credcheck.errors import CredcheckError, Mark, Problem
from credcheck.limits import RenderLimits, is_file
from credcheck.model import CREDIBILITY_LABELS, LIKELIHOOD_TERMS, RELIABILITY_LABELS, Assessment, Claim
from credcheck.resources import reports_dir
from credcheck.render import Report, percent, sort_key
from credcheck.render.judgments import (DEFAULT_KEY_JUDGMENTS, clause, common_words, confidence_sentence,
                                        file_texts, judgment_sentence, select_key_judgments)
from credcheck.render.markdown import code_span, md_escape
from credcheck.render.sandbox import BoundedSandbox, TemplateFolder, deep_footprint
from credcheck.score.engine import tenths_adding_up

DEFAULT_TEMPLATE = "brief.md.j2"
DEFAULT_LIMITS = RenderLimits()

class Safe(str):
    """Markdown that credcheck built from escaped parts: printed as is."""


# --- view model ---------------------------------------------------------------

def view_model(report: Report, key_judgments: int = DEFAULT_KEY_JUDGMENTS) -> dict[str, Any]:
    """Plain data for templates: every string here is raw user or computed text."""
    ordered = sorted(report.assessments, key=sort_key)
    claims_by_id = {c.id: c for c in report.claims.claims}
    rubric, claims = report.rubric, report.claims
    words = common_words(file_texts(claims.claims, claims.sources.values()))
    counts = {code: sum(1 for a in ordered if a.credibility == code) for code in range(1, 7)}
    drafts = [a.id for a in ordered if claims_by_id[a.id].draft]
    key = select_key_judgments(ordered, claims_by_id, key_judgments)
    common = common_gaps(ordered)
    title = claims.title or "Source credibility assessment"
    return {
        "title": f"DRAFT: {title}" if drafts else title,
        "as_of": claims.as_of or "",
        "generator": f"credcheck {__version__}",
        "rubric": {"name": rubric.name, "version": rubric.version, "sha256": rubric.sha256,
                   "description": rubric.description, "files": [Path(f).name for f in rubric.files]},
        "input": {"files": [Path(f).name for f in claims.files], "sha256": claims.input_sha256},
        "counts": {"claims": len(ordered), "by_credibility": [
            {"code": code, "label": CREDIBILITY_LABELS[code], "count": counts[code]} for code in range(1, 7)]},
        "draft": {"count": len(drafts), "ids": drafts} if drafts else None,
        "key_judgments": [_judgment(a, claims_by_id[a.id], words) for a in key.chosen],
        "key_rule": {"marked": key.marked, "limit": key_judgments, "left_out_marked": key.left_out_marked,
                     "min_lines": key.min_lines,
                     "others": sum(1 for a in ordered if a.credibility <= 5) - sum(1 for a in key.chosen if a.credibility <= 5)},
        "unjudged": [{"id": a.id, "text": a.text} for a in ordered if a.credibility == 6],
        "common_gaps": [{"gap": gap, "count": n} for gap, n in common.items()],
        "claims": [_claim_view(a, claims_by_id[a.id], claims.sources, common, rubric.prior,
                               rubric.copies.mode == "collapse") for a in ordered],
        "sources": [_source_view(s, rubric) for s in sorted(claims.sources.values(), key=lambda s: s.id)],
        "scale": {"credibility": [{"code": k, "label": v} for k, v in CREDIBILITY_LABELS.items()],
                  "reliability": [{"code": k, "label": v} for k, v in RELIABILITY_LABELS.items()],
                  "likelihood": [{"term": k, "low": lo, "high": hi} for k, (lo, hi) in LIKELIHOOD_TERMS.items()]},
    }


def _judgment(a: Assessment, claim: Claim, words: frozenset[str]) -> dict[str, Any]:
    if a.likelihood is None:
        sentence = f"No judgment is made on whether {clause(claim.judgment or a.text, words)}: nobody reports it"
    else:
        sentence = judgment_sentence(a.likelihood, a.text, words, claim.judgment)
    # No judgment, so no confidence in one: a claim nobody reports is named without either.
    confidence = confidence_sentence(a) if a.likelihood is not None else ""
    return {"id": a.id, "sentence": sentence, "confidence": confidence, "admiralty": a.admiralty,
            "likelihood": a.likelihood, "probability": percent(a.probability) if a.probability is not None else "",
            "credibility": a.credibility, "label": a.credibility_label, "flags": list(a.flags), "draft": claim.draft}


def common_gaps(assessments: Sequence[Assessment]) -> dict[str, int]:
    """Gaps shared by at least half the claims (and two at least), most shared first: the brief lists
    them once, under Collection priorities, rather than under every claim."""
    counts: dict[str, int] = {}
    for a in assessments:
        for gap in dict.fromkeys(a.gaps):
            counts[gap] = counts.get(gap, 0) + 1
    floor = max(2, -(-len(assessments) // 2))
    shared = [(gap, n) for gap, n in counts.items() if n >= floor]
    return dict(sorted(shared, key=lambda item: -item[1]))  # stable: first met first among equals


def _claim_view(a: Assessment, claim: Claim, sources: Any, common: Mapping[str, int], prior: float,
                collapse_copies: bool = True) -> dict[str, Any]:
    counted = {line.report: line for line in (*a.supporting, *a.refuting)}
    collapsed = {c.report: c for c in a.collapsed}
    copies = {c.report: c for c in a.copies}
    outlets = {s: o for o in a.outlets for s in o.sources}
    reports = []
    for i, rep in enumerate(claim.reports):
        src = sources[rep.source]
        if rep.stance == "neutral":
            status = "neutral: relays the claim without endorsing or denying it, not a line"
        elif i in counted:
            line = counted[i]
            status = f"independent line: {line.original}, {line.decibans:+.1f} dB"
        elif i in collapsed and collapsed[i].copy_of is not None:
            status = f"collapsed into {' / '.join(collapsed[i].into)} (probable copy)"
        elif i in copies and collapse_copies:  # a refuting copy: counted as its original's refutation
            status = f"collapsed into {claim.reports[copies[i].original].source}'s refutation (probable copy)"
        elif i in collapsed:
            status = f"collapsed into {' / '.join(collapsed[i].into)} (circular)"
        else:
            status = "collapsed (same original as another refutation)"
        reports.append({"source": rep.source, "name": src.name, "type": src.type, "stance": rep.stance,
                        "access": rep.access.replace("_", "-"), "via": list(rep.via), "status": status,
                        "collapsed": i in collapsed, "published": rep.published or "", "url": rep.url or "",
                        "independent_of": list(rep.independent_of),
                        "inferred": _inferred_view(i, claim, copies, outlets)})
    # Printed in tenths that add up, with the prior, to the claim's sum (as the weighing does).
    prior_shown, *criteria_decibans = (f"{v:+.1f}" for v in tenths_adding_up(
        [prior, *(r.decibans for r in a.criteria.values())], a.decibans if a.decibans is not None else prior + sum(
            r.decibans for r in a.criteria.values())))
    rules = [{"id": h.id, "effect": h.effect, "credibility": h.credibility, "reason": h.reason, "changed": h.changed}
             for h in a.rules]
    return {
        "id": a.id, "text": a.text, "tags": list(a.tags), "score": f"{a.score:.1f}", "raw_score": f"{a.raw_score:.1f}",
        "admiralty": a.admiralty, "credibility": a.credibility, "credibility_label": a.credibility_label,
        "reliability": a.reliability, "reliability_label": a.reliability_label,
        "likelihood": a.likelihood or "no estimate", "probability": percent(a.probability), "draft": claim.draft,
        "confidence": {"level": a.confidence.level if a.confidence else "low",
                       "reasons": list(a.confidence.reasons) if a.confidence else [],
                       "text": _sentence("; ".join(a.confidence.reasons)) if a.confidence else ""},
        "weighing": list(a.weighing),
        "criteria": [{"name": cid, "score": f"{r.score:.1f}", "weight": f"{r.weight:.2f}", "decibans": shown,
                      "reasons": list(r.reasons)} for (cid, r), shown in zip(a.criteria.items(), criteria_decibans)],
        "prior": prior_shown, "decibans": f"{a.decibans:+.1f}" if a.decibans is not None else "",
        "rules": rules,
        "rules_changed": [r for r in rules if r["changed"]],
        "rules_unchanged": [r for r in rules if not r["changed"]],
        "flags": list(a.flags), "gaps": list(a.gaps),
        "collect": [g for g in a.gaps if g not in common],
        "reports": reports,
        "evidence": [{"type": e.type, "verified": e.verified, "note": e.note or ""} for e in claim.evidence],
        "independent_supporting": len(a.supporting), "independent_refuting": len(a.refuting),
        "timeline": _timeline(claim, copies),
    }


def _sentence(text: str) -> str:
    """The text with its first letter capitalised (and the rest as it is), for the start of a sentence."""
    return text[:1].upper() + text[1:]
def _inferred_view(i: int, claim: Any, copies: dict[int, Any], outlets: dict[str, Any]) -> list[str]:
    """What credcheck inferred about report i, in words, apart from what the files declare."""
    rep, out = claim.reports[i], []
    copy = copies.get(i)
    if copy is not None:
        out.append(f"probable copy of {claim.reports[copy.of].source}'s report (excerpts {copy.similarity:.2f} alike)")
    outlet = outlets.get(rep.source)
    if outlet is not None:
        others = ", ".join(s for s in outlet.sources if s != rep.source)
        out.append(f"same outlet as {others} ({', '.join(outlet.domains)})")
    return out


def _timeline(claim: Any, copies: dict[int, Any]) -> list[dict[str, Any]]:
    """The claim's dated reports, earliest first, each with its role: original, copy, relay.
    Empty when no report gives a date (the template then leaves the section out)."""
    from credcheck.score.copies import publication_order
    reports = claim.reports
    if not any(r.published for r in reports):
        return []
    out = []
    for i in publication_order(reports):
        rep = reports[i]
        if not rep.published:
            continue
        copy = copies.get(i)
        if copy is not None:
            role = f"probable copy of {reports[copy.of].source}"
        elif rep.via:
            role = f"relays {', '.join(rep.via)}"
        elif any(c.original == i for c in copies.values()):
            role = "original of the copies"
        else:
            role = ""
        out.append({"published": rep.published, "source": rep.source, "stance": rep.stance, "role": role})
    return out


def _source_view(src: Any, rubric: Any) -> dict[str, Any]:
    from credcheck.rubric.criteria.source import rate
    letter, holds_up = rate(src, rubric.criteria["source"])
    return {"id": src.id, "name": src.name, "type": src.type, "letter": letter, "holds_up": f"{holds_up:.0%}",
            "label": RELIABILITY_LABELS[letter], "rated_by": "analyst" if src.reliability else "type default",
            "owner": src.owner or "", "derived_from": list(src.derived_from)}


# --- rendering ----------------------------------------------------------------

def _finalize(value: Any) -> Any:
    if isinstance(value, Safe):
        return value
    if value is None:
        return ""
    return md_escape(value)


def _cached_finalize(max_bytes: int = DEFAULT_LIMITS.output_chars) -> Any:
    """_finalize, remembering what it escaped: a brief prints the same names, types and
    labels thousands of times. One cache per render, so nothing outlives it. A container
    is printed only if its text stays within `max_bytes` (sandbox.deep_footprint)."""
    cache: dict[str, str] = {}

    def finalize(value: Any) -> Any:
        kind = type(value)
        if kind is not str:
            if kind is int or kind is float:  # digits, '.', '-', 'e', inf, nan: nothing Markdown reads
                return str(value)
            if isinstance(value, (list, tuple, dict, set, frozenset)) and deep_footprint(value, max_bytes) > max_bytes:
                raise SecurityError(f"printing a container of over {max_bytes:,} bytes is not allowed in a template")
            return _finalize(value)
        escaped = cache.get(value)
        if escaped is None:
            if len(cache) > 200_000:
                cache.clear()
            escaped = cache[value] = md_escape(value)
        return escaped
    return finalize


def _environment(template_dir: Path | None, limits: RenderLimits = DEFAULT_LIMITS, main: str = "") -> ImmutableSandboxedEnvironment:
    """A team's folder first (a piece there overrides the bundled one), then the bundled reports/."""
    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        loaders.append(TemplateFolder(template_dir, limits.template_bytes, allow=(main,)))
    loaders.append(TemplateFolder(reports_dir(), limits.template_bytes))
    env = BoundedSandbox(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        finalize=_cached_finalize(limits.output_chars),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        max_chars=limits.output_chars,
    )
    env.filters["md"] = env.writing(lambda v: Safe(md_escape(v)))
    env.filters["code"] = env.writing(lambda v: Safe(code_span(v)))
    return env


def resolve_template(spec: str | None) -> tuple[Path | None, str]:
    """(folder to search first, template name) for a --template NAME|PATH."""
    if not spec:
        return None, DEFAULT_TEMPLATE
    path = Path(spec)
    if is_file(path, spec, "template", None, "--template"):
        return path.parent, path.name
    for candidate in (spec, f"{spec}.md.j2"):
        if (reports_dir() / candidate).is_file() and "/" not in candidate:
            return None, candidate
    raise CredcheckError.single(None, "--template", f"template '{spec}' not found (a file path, or a name in reports/)")


def render(report: Report, template: str | None = None, limits: RenderLimits = DEFAULT_LIMITS,
           key_judgments: int = DEFAULT_KEY_JUDGMENTS) -> str:
    folder, name = resolve_template(template)
    env = _environment(folder, limits, name)
    label = str(folder / name) if folder else name
    try:
        with _time_limit(limits.seconds):  # compiling counts too: a template may be built to be slow to compile
            tmpl = env.get_template(name)
            pieces = _bounded(tmpl.generate(brief=view_model(report, key_judgments)), limits.output_chars, label, limits)
    except CredcheckError as exc:  # a limit, or the loader refusing a file: say where it was asked for
        raise CredcheckError([Problem(p.mark or _template_mark(exc, label), p.path, _in(label, p.message))
                              for p in exc.problems]) from None
    except jinja2.TemplateSyntaxError as exc:
        raise CredcheckError.single(Mark(exc.filename or label, exc.lineno or 1, 1), "", f"template syntax error: {exc.message}") from None
    except SecurityError as exc:
        raise _template_error(exc, label, f"refused by the sandbox: {exc}") from None
    except jinja2.UndefinedError as exc:
        message = exc.message or str(exc)
        if "unsafe" in message:
            message = f"refused by the sandbox: {message}"
        raise _template_error(exc, label, message) from None
    except jinja2.TemplateNotFound as exc:
        raise _template_error(exc, label, f"includes '{exc.name}', which is not in the template folders") from None
    except _Timeout:
        from credcheck.limits import exceeded
        raise exceeded("render-seconds", f"template {label}: rendering took too long (a runaway loop?)", limits.seconds) from None
    except SyntaxError as exc:  # Python's compiler refusing Jinja's output: 'too many statically nested blocks'
        raise CredcheckError.single(Mark(label, 1, 1), "", f"template error: too complex to compile ({exc.msg})") from None
    except MemoryError:
        raise CredcheckError.single(Mark(label, 1, 1), "", "template error: ran out of memory") from None
    except Exception as exc:  # anything else a template's code raised (a filter refusing -1: AssertionError)
        detail = f": {exc}" if str(exc) else " (a filter or method refused its arguments)"
        raise _template_error(exc, label, f"{type(exc).__name__}{detail}") from None
    text = "".join(pieces)
    return text if text.endswith("\n") else text + "\n"


def _bounded(chunks: Iterator[str], max_chars: int, label: str, limits: RenderLimits) -> Iterator[str]:
    """The chunks, stopped at the first that takes the text over `max_chars`.

    A brief is ~150 chunks a claim; counting them in a Python loop was a tenth
    of rendering. accumulate/dropwhile count in C, and tee keeps the chunks
    for the caller, so nothing past the limit is ever held.
    """
    kept, counted = tee(chunks)
    if next(dropwhile(max_chars.__ge__, accumulate(map(len, counted))), None) is not None:
        raise _too_large(label, limits)
    return kept


def _too_large(label: str, limits: RenderLimits) -> CredcheckError:
    from credcheck.limits import exceeded
    return exceeded("brief-size", f"template {label}: the brief is too long", limits.output_chars)


def _in(label: str, message: str) -> str:
    return message if message.startswith("template ") else f"template {label}: {message}"


def _template_mark(exc: BaseException, label: str) -> Mark | None:
    """The innermost template line in the (Jinja-rewritten) traceback: where the template went wrong."""
    tb = exc.__traceback__
    where = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".j2", ".md", ".jinja", ".jinja2", ".txt")) or "<template>" in filename:
            where = (label if "<template>" in filename else filename, tb.tb_lineno)
        tb = tb.tb_next
    return Mark(where[0], where[1], 1) if where else None


def _template_error(exc: BaseException | None, label: str, message: str) -> CredcheckError:
    """A located template error: the template (or included piece) and the line being rendered."""
    mark = (_template_mark(exc, label) if exc is not None else None) or Mark(label, 1, 1)
    return CredcheckError.single(mark, "", f"template error: {message}")


class _Timeout(Exception):
    pass


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop a runaway template (SIGALRM, main thread on POSIX; elsewhere no limit)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise _Timeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


