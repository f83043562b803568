"""From an article to a draft claims file an analyst only has to complete.

    draft = extract(text, "article.md", lexicon, rubric.source_types, markdown=True)
    yaml_text = render_draft(draft, rubric.evidence_types)

Each sentence that asserts something checkable becomes a claim, hedged or
attributed ones included ("it is believed that ...", "sources claim ...");
opinion, background commonplaces, scenarios, prescriptions, meta-sentences,
questions, headings and page furniture are skipped, each with its reason
(extract/checkable.py). Who a sentence says stands behind it becomes a draft
source with a guessed type (extract/attribution.py); vague words ("reports",
"anecdotal evidence") are hedges, not sources. An attribution carries to the
sentences it covers: "According to X, ..." opening a paragraph covers the
paragraph's next sentences that name no source of their own, a sentence
listing where accounts come from ("including A, B and C") covers the
sentence its "these accounts" points back to and the rest of its section,
a quote running on from the previous sentence keeps its speaker, "he said"
is the speaker named last. A claim no one is named for is reported by the
article itself. Near-duplicate sentences merge into one claim with the
sources of both. A claim whose subject is a pronoun ("They then shipped
...") is flagged for the analyst. The YAML is written as text, every claim
marked `draft: true`, with TODO comments where the analyst must decide, and
verified by loading it back.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from credcheck.errors import CredcheckError, Mark
from credcheck.extract.attribution import _ORGANISATION, Attribution, Found, attribute, content
from credcheck.extract.checkable import pronoun_subject, skip_reason
from credcheck.extract.prose import Block, Sentence, blocks, sentences
from credcheck.record import Record
from credcheck.rubric.lexicon import Lexicon
from credcheck.rubric.signals import Signals, describe, signals

if TYPE_CHECKING:
    from credcheck.rubric.model import Rubric

ARTICLE_ID = "article"
MAX_ID_WORDS = 4
SAME_CLAIM = 0.6  # share of content words two sentences hold in common (Jaccard) to be one claim
MIN_MERGE_WORDS = 4  # sentences with fewer content words never merge: too little to tell

# Words an id is better without: function words and the commonest verbs.
_STOP = frozenset("""a an the of to in on at by for from with and or but nor is are was were be been being has have
had do does did that this these those it its their there which who whom whose as than then so such into onto over
under about after before while although though because since if when where how what also even just very more most
less many much some any each every other own same can will would shall should may might could must not no only
ever often still yet both either neither one ones per via upon within without they them their he she him his her
we us our you i furthermore moreover finally additionally meanwhile therefore thus hence instead indeed""".split())
_WORD = re.compile(r"[\w'\u2019-]+")
_OPENING_QUOTE = re.compile("^[\"\u201c]")


class DraftSource(Record):
    id: str
    name: str
    type: str
    cue: str  # the words that suggested the type ('' for a name, or the article itself)
    line: int  # where it is first named


class DraftReport(Record):
    source: str  # a DraftSource id
    line: int  # where the source is named for this claim (another sentence when the attribution carries)
    excerpt: str  # the sentence the report stands for, as written


class DraftClaim(Record):
    id: str
    text: str
    line: int
    reports: tuple[DraftReport, ...]
    signals: Signals
    merged: tuple[tuple[int, str], ...] = ()  # (line, text) of near-duplicate sentences folded into this claim
    pronoun: str = ""  # the subject pronoun whose antecedent is in another sentence ('They')

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.source for r in self.reports))


class Skipped(Record):
    line: int
    text: str
    reason: str


class Draft(Record):
    file: str  # the article's name as shown in the draft (no folders)
    title: str | None
    sources: tuple[DraftSource, ...]
    claims: tuple[DraftClaim, ...]
    skipped: tuple[Skipped, ...]


class Reading(Record):
    """A sentence of the article, read: where it stands, who it names, and why it is no claim (None: it is one)."""

    sentence: Sentence
    section: int
    paragraph: int
    found: Attribution
    reason: str | None


Named = tuple[tuple[Found, int], ...]  # sources with the line each is named at


# --- extraction -------------------------------------------------------------------

def extract(text: str, file: str, lexicon: Lexicon, source_types: Sequence[str], markdown: bool = False) -> Draft:
    """The draft for one article. `source_types` are the rubric's: guesses outside them become `unknown`."""
    parts = blocks(text, lexicon, markdown)
    title = next((b.text for b in parts if b.kind == "heading"), None)
    readings, skipped = read(parts, lexicon)
    named = carry(readings, sectioned=_sectioned(parts))
    known = set(source_types)
    article = (_article_name(file), "news_outlet" if "news_outlet" in known else "unknown")
    sources: dict[str, DraftSource] = {}
    candidates: list[tuple[Reading, list[DraftReport]]] = []
    for reading, who in zip(readings, named):
        sentence = reading.sentence
        if reading.reason:
            skipped.append(Skipped(sentence.line, sentence.text, reading.reason))
            continue
        reports = [DraftReport(_register(sources, f.name, f.type if f.type in known else "unknown", f.cue, line),
                               line, sentence.text) for f, line in who]
        if not reports:
            reports = [DraftReport(_register(sources, article[0], article[1], "", sentence.line, ARTICLE_ID),
                                   sentence.line, sentence.text)]
        candidates.append((reading, reports))
    claims = _claims(merge(candidates, lexicon), lexicon)
    skipped.sort(key=lambda s: s.line)
    return Draft(Path(file).name if file != "-" else "standard input", title, tuple(sources.values()), tuple(claims),
                 tuple(skipped))


def read(parts: Sequence[Block], lexicon: Lexicon) -> tuple[list[Reading], list[Skipped]]:
    """Every sentence of the article's paragraphs read; headings and furniture listed as skipped."""
    readings: list[Reading] = []
    skipped: list[Skipped] = []
    section = paragraph = 0
    for block in parts:
        if block.kind == "heading":
            section += 1
        if block.kind != "paragraph":
            skipped.append(Skipped(block.line, block.text, block.kind))
            continue
        paragraph += 1
        for sentence in sentences(block, lexicon):
            found = attribute(sentence.text, lexicon)
            readings.append(Reading(sentence, section, paragraph, found, skip_reason(sentence.text, found, lexicon)))
    return readings, skipped


def _sectioned(parts: Sequence[Block]) -> bool:
    """Whether headings divide the body into sections (a heading between two paragraphs), not only title it."""
    kinds = [b.kind for b in parts if b.kind in ("heading", "paragraph")]
    first, last = (kinds.index("paragraph"), len(kinds) - 1 - kinds[::-1].index("paragraph")) if "paragraph" in kinds else (0, 0)
    return "heading" in kinds[first:last]


def carry(readings: Sequence[Reading], sectioned: bool) -> list[Named]:
    """The sources of each sentence: its own, else those an earlier attribution carries to it.

    - 'According to X, ...' opening a sentence covers the next sentences of its
      paragraph until one names a source of its own;
    - a quote running on from the sentence before keeps its speaker;
    - a sentence listing two or more sources ('including A, B and C') covers
      the rest of its section (its paragraph in an article without sections)
      and, when it opens by pointing back ('These accounts ...'), the sentence
      before it;
    - '..., he said' is the speaker named last in this paragraph or the one before;
    - 'the news agency said', 'the unidentified source said' is the source named
      in the two paragraphs before whose name holds the same last word, if any.
    """
    out: list[Named] = []
    frame: tuple[int, Named] | None = None  # (paragraph, sources) of an opening 'According to X,'
    scope: tuple[int, Named] | None = None  # (section or paragraph, sources) of a list of sources
    for n, r in enumerate(readings):
        own: Named = tuple(_named_before(readings, out, n, f) or (f, r.sentence.line) for f in r.found.sources)
        if not own:
            own = tuple(p for f in r.found.pointers if (p := _named_before(readings, out, n, f)) is not None)
        if not own and r.found.pronoun:
            own = _speaker(readings, out, n)
        if own:
            out.append(own)
            if r.found.opens:
                frame = (r.paragraph, own)
            elif frame is not None and frame[0] == r.paragraph:
                frame = None
            if r.found.listed:
                scope = (r.section if sectioned else r.paragraph, own)
                if _points_back(r) and n > 0 and readings[n - 1].paragraph == r.paragraph and not readings[n - 1].found.sources:
                    out[n - 1] = own
            continue
        if frame is not None and frame[0] == r.paragraph:
            out.append(frame[1])
        elif n > 0 and _OPENING_QUOTE.match(r.sentence.text) and readings[n - 1].paragraph == r.paragraph and out[n - 1]:
            out.append(out[n - 1])
        elif scope is not None and scope[0] == (r.section if sectioned else r.paragraph):
            out.append(scope[1])
        else:
            out.append(())
    return out


def _speaker(readings: Sequence[Reading], named: Sequence[Named], n: int) -> Named:
    """Who '..., he said' is: the source named last in this paragraph or the one before."""
    for m in range(n - 1, -1, -1):
        if readings[m].paragraph < readings[n].paragraph - 1:
            break
        if named[m]:
            return named[m][-1:]
    return ()


def _named_before(readings: Sequence[Reading], named: Sequence[Named], n: int, found: Found) -> tuple[Found, int] | None:
    """'the news agency said' after 'Yonhap news agency reported': the source named before, if one ends the same way."""
    if not found.back:
        return None
    head = _head(found.name)
    generic: tuple[Found, int] | None = None
    for m in range(n - 1, -1, -1):
        if readings[m].paragraph < readings[n].paragraph - 2:
            break
        for earlier, line in reversed(named[m]):
            if head in {_head(w) for w in _WORD.findall(earlier.name)} and earlier.name.lower() != found.name.lower():
                return earlier, line
            if generic is None and not earlier.cue and earlier.name[:1].isupper():
                generic = (earlier, line)  # the last name, for 'the company said'
    return generic if head in _ORGANISATION_HEADS else None


_ORGANISATION_HEADS = frozenset(w.rstrip("s") for w in _ORGANISATION)


def _head(name: str) -> str:
    words = _WORD.findall(name.lower())
    return words[-1].rstrip("s") if words else ""


def _points_back(r: Reading) -> bool:
    """'These accounts, emerging from ...': the sentence opens with a vague noun pointing to the sentence before."""
    opening = r.sentence.text.lower().lstrip("\"'\u201c ")
    return any(opening.startswith(h.lower()) and h.split()[0].lower() in ("these", "those", "such", "this", "the")
               for h in r.found.hedges)


# --- near duplicates ---------------------------------------------------------------------

def claim_words(text: str, found: Attribution, lexicon: Lexicon) -> frozenset[str]:
    """What a sentence asserts, as a set of content words: no attribution, hedges or function words."""
    said = content(text, found) or text
    for pattern in (lexicon.hedging, lexicon.vague_attribution):
        if pattern is not None:
            said = pattern.sub(" ", said)
    stems = (w.lower().rstrip("s") for w in _WORD.findall(_ascii(said)) if w.lower() not in _STOP)
    return frozenset(w for w in stems if w)


def same_claim(a: frozenset[str], b: frozenset[str]) -> bool:
    """Nearly the same words and the very same figures: '4 killed on Monday' is not '4 killed on Tuesday' ... in sector 3."""
    if min(len(a), len(b)) < MIN_MERGE_WORDS or _figures(a) != _figures(b):
        return False
    return len(a & b) / len(a | b) >= SAME_CLAIM


def _figures(words: frozenset[str]) -> frozenset[str]:
    return frozenset(w for w in words if w[0].isdigit())


def merge(candidates: Sequence[tuple[Reading, list[DraftReport]]], lexicon: Lexicon) -> list[tuple[Reading, list[DraftReport], list[Reading]]]:
    """Fold each sentence into the first earlier one that asserts nearly the same (token-set similarity).

    Only claims with the same figures and a word in common are compared (an
    index from figures and word to claims), so a long article with few repeats
    costs about one pass.
    """
    kept: list[tuple[Reading, list[DraftReport], list[Reading]]] = []
    words: list[frozenset[str]] = []
    index: dict[tuple[frozenset[str], str], list[int]] = {}
    for reading, reports in candidates:
        mine = claim_words(reading.sentence.text, reading.found, lexicon)
        figures = _figures(mine)
        shared: dict[int, int] = {}
        for word in mine:
            for k in index.get((figures, word), ()):
                shared[k] = shared.get(k, 0) + 1
        twin = next((k for k in sorted(shared)
                     if shared[k] >= SAME_CLAIM * (len(mine) + len(words[k]) - shared[k]) and same_claim(mine, words[k])), None)
        if twin is None:
            for word in mine:
                index.setdefault((figures, word), []).append(len(kept))
            kept.append((reading, list(reports), []))
            words.append(mine)
            continue
        first, first_reports, folded = kept[twin]
        folded.append(reading)
        have = {r.source for r in first_reports}
        first_reports += [r for r in reports if r.source not in have]
    return kept


def _claims(kept: Sequence[tuple[Reading, list[DraftReport], list[Reading]]], lexicon: Lexicon) -> list[DraftClaim]:
    ids: dict[str, int] = {}
    out = []
    for reading, reports, folded in kept:
        sentence, found = reading.sentence, reading.found
        if len(reports) > 1:  # the article itself is a source only when no one else is
            reports = [r for r in reports if r.source != ARTICLE_ID] or reports[:1]
        claim_id = _unique(claim_slug(sentence.text, lexicon, (f.name for f in found.sources)), ids)
        out.append(DraftClaim(claim_id, sentence.text, sentence.line, tuple(reports), signals(sentence.text, lexicon),
                              tuple((r.sentence.line, r.sentence.text) for r in folded),
                              pronoun_subject(sentence.text, found) or ""))
    return out


def _article_name(file: str) -> str:
    return "the article" + (f" ({Path(file).name})" if file not in ("-", "") else "")


def _register(sources: dict[str, DraftSource], name: str, stype: str, cue: str, line: int, sid: str | None = None) -> str:
    """The id of the source called `name`, added on first sight. The same name is the same source."""
    key = sid or slug(name) or "source"
    existing = sources.get(key)
    if existing is not None and existing.name.lower() == name.lower():
        return key
    if existing is not None:  # two names, one slug: number the newcomer
        n = 2
        while f"{key}-{n}" in sources and sources[f"{key}-{n}"].name.lower() != name.lower():
            n += 1
        key = f"{key}-{n}"
        if key in sources:
            return key
    sources[key] = DraftSource(key, name, stype, cue, line)
    return key


# --- ids --------------------------------------------------------------------------------

def slug(text: str, limit: int = 48) -> str:
    """'South Korean intelligence' -> 'south-korean-intelligence' (ASCII, lower case, at most `limit`)."""
    return _clip(re.findall(r"[a-z0-9]+", _ascii(text)), limit)


def _ascii(text: str) -> str:
    """Lower-case ASCII, accents dropped, digit groups joined ('3,000' -> '3000')."""
    text = re.sub(r"(?<=\d)[,.](?=\d)", "", text)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _clip(words: Iterable[str], limit: int) -> str:
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit:
            break
        out = candidate
    return out


def claim_slug(text: str, lexicon: Lexicon, sources: Iterable[str] = ()) -> str:
    """An id from what the sentence asserts: the clause after 'suggests that', without hedges,
    attribution ('according to', the names of `sources`) or function words."""
    clause = main_clause(text, lexicon)
    sources = tuple(sources)
    marker_words = {w for phrase in sources for w in slug(phrase).split("-")}
    frames = [lexicon.hedging, lexicon.vague_attribution, lexicon.attribution_markers]
    frames += [lexicon.reporting_verbs] if sources else []
    for pattern in frames:  # hedges, 'according to', and 'said' when someone is named as saying it
        if pattern is not None:
            marker_words.update(w for m in pattern.finditer(clause) for w in slug(m.group(0)).split("-"))
    ascii_text = _ascii(clause)
    words = [w for w in re.findall(r"[a-z0-9]+", ascii_text) if w not in _STOP and w not in marker_words]
    return _clip(words[:MAX_ID_WORDS], 40) or "claim"


def main_clause(text: str, lexicon: Lexicon) -> str:
    """What follows 'X says that' / 'it is believed that', when the sentence has such a frame."""
    for pattern in (lexicon.reporting_verbs, lexicon.hedging, lexicon.vague_attribution):
        if pattern is None:
            continue
        for m in pattern.finditer(text):
            after = re.match(r"\s+(?:\w+\s+){0,2}?that\s+(.+)", text[m.end():], re.DOTALL)
            if after is not None:
                return after.group(1)
    return text


def _unique(base: str, seen: dict[str, int]) -> str:
    """'x', then 'x-2', 'x-3': numbered in order of appearance, so ids are stable for the same article."""
    if base not in seen:
        seen[base] = 1
        return base
    n = seen[base] + 1
    while f"{base}-{n}" in seen:
        n += 1
    seen[base] = n
    seen[f"{base}-{n}"] = 1
    return f"{base}-{n}"


# --- YAML ---------------------------------------------------------------------------------

# Printable and no line break: YAML's printable set minus NEL, LS and PS (line breaks in YAML 1.1) and the BOM.
_PLAIN_CHARS = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*")
_RESERVED = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|"
                       r"null|Null|NULL|~)$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x85": "\\N",
            "\u2028": "\\L", "\u2029": "\\P", "\x00": "\\0"}


def yaml_scalar(text: str) -> str:
    """`text` as a YAML scalar: plain when that reads back as the same string, else double-quoted.

    A bidi or invisible character (none is printable) is written as an escape, never raw:
    the draft may go to a terminal, where U+202E would reverse what follows it.
    """
    if _plain_ok(text) and text.isprintable():
        return text
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif _PLAIN_CHARS.fullmatch(ch) and ch.isprintable():
            out.append(ch)
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def _plain_ok(text: str) -> bool:
    if not text or text != text.strip() or not _PLAIN_CHARS.fullmatch(text):
        return False
    if not (text[0].isalpha() or text[0] in "(\u201c\u2018") or _RESERVED.match(text):
        return False
    return ": " not in text and " #" not in text and not text.endswith(":") and "\t" not in text


def _comment(text: str) -> str:
    """Text safe inside a '# ...' comment: one line, printable."""
    return " ".join("".join(ch if _PLAIN_CHARS.fullmatch(ch) else " " for ch in text).split())


HEADER = """\
# Draft claims extracted by `credcheck extract` from {file}.
#
# Each claim is a sentence of the article, marked `draft: true`; each source
# is a guess from its wording. Before scoring, an analyst:
#   - deletes claims not worth assessing, merges repeats, rewords if needed
#     (a claim flagged 'pronoun' needs the name the pronoun stands for);
#   - names each source exactly, checks its type and rates it A-F;
#   - sets each report's access (first_hand, second_hand) and any `via`;
#   - adds the evidence that could verify each claim;
#   - removes `draft: true` from each claim reviewed: a brief says DRAFT and
#     --fail-under counts a claim as ungraded while it is still there.
# Lines marked TODO need a decision. Then: credcheck score FILE
# The signals noted above each claim are those the `language` criterion scores.
# Each report's `excerpt` keeps the words of the sentence it stands for.
"""


def render_draft(draft: Draft, evidence_types: Sequence[str]) -> str:
    """The draft as YAML text: deterministic, commented, loadable as it stands."""
    out = [HEADER.format(file=_comment(draft.file))]
    if draft.title:
        out.append(f"title: {yaml_scalar(draft.title)}\n")
    out.append("# as_of: YYYY-MM-DD  # TODO: the date of your assessment\n\n")
    out.append("sources:\n" if draft.sources else "sources: []\n")
    for src in draft.sources:
        out.append(_render_source(src))
    out.append("\nclaims:\n" if draft.claims else "\nclaims: []\n")
    evidence_hint = ", ".join(evidence_types)
    for claim in draft.claims:
        out.append(_render_claim(claim, evidence_hint))
    return "".join(out)


def _render_source(src: DraftSource) -> str:
    if src.id == ARTICLE_ID:
        origin = "no one else is named: the article itself reports these claims"
        who = "which outlet or author?"
    else:
        guess = f"type guessed from '{_comment(src.cue)}'" if src.cue else "a name: its type is yours to set"
        origin = f"named at line {src.line}; {guess}"
        who = "who exactly?" if src.type != "unknown" else "who is this? set the type if you can tell;"
    return (f"  # {origin}\n"
            f"  - id: {yaml_scalar(src.id)}\n"
            f"    name: {yaml_scalar(src.name)}\n"
            f"    type: {src.type}  # TODO: check the type\n"
            f"    # TODO: {who} rate reliability A-F (reliability: B), else the type's default applies\n")


def _render_claim(claim: DraftClaim, evidence_hint: str) -> str:
    notes = "; ".join(describe(claim.signals))
    lines = [f"  # line {claim.line}: {_comment(notes)}\n"]
    if claim.pronoun:
        lines.append(f"  # TODO: pronoun: '{_comment(claim.pronoun)}' stands for something named in another sentence;"
                     " say what in the text\n")
    for line, text in claim.merged:
        lines.append(f"  # merged: line {line} says nearly the same: {_comment(text)}\n")
    lines += [f"  - id: {yaml_scalar(claim.id)}\n",
              f"    text: {yaml_scalar(claim.text)}\n",
              "    draft: true\n",
              "    reports:\n"]
    for report in claim.reports:
        carried = f"; named at line {report.line}" if report.line != claim.line and report.source != ARTICLE_ID else ""
        lines.append(f"      - source: {yaml_scalar(report.source)}  # TODO: access: first_hand | second_hand; "
                     f"via: [...] if relayed{carried}\n")
        lines.append(f"        excerpt: {yaml_scalar(report.excerpt)}\n")
    lines.append(f"    evidence: []  # TODO: add evidence ({evidence_hint}; verified: true|false)\n")
    return "".join(lines)


# --- verification ------------------------------------------------------------------------

def verify(draft: Draft, text: str, rubric: "Rubric") -> None:
    """Load the rendered draft back and check it says what the draft holds: a mismatch is a bug."""
    from credcheck.load.claims import load_claims
    loaded = load_claims("draft.yaml", rubric, data=text.encode("utf-8"))
    got = [(c.id, c.text, tuple((r.source, r.excerpt) for r in c.reports)) for c in loaded.claims]
    want = [(c.id, c.text, tuple((r.source, r.excerpt) for r in c.reports)) for c in draft.claims]
    got_sources = [(s.id, s.name, s.type) for s in loaded.sources.values()]
    want_sources = [(s.id, s.name, s.type) for s in draft.sources]
    drafts = all(getattr(c, "draft", True) for c in loaded.claims)
    if got != want or got_sources != want_sources or loaded.title != draft.title or not drafts:
        raise RuntimeError("the draft YAML does not read back as written (a credcheck bug; please report it)")


def no_claims_error(file: str, draft: Draft) -> CredcheckError:
    return CredcheckError.single(Mark(file, 1, 1) if file != "-" else None, "",
                                 f"no checkable sentence found ({len(draft.skipped)} skipped; --show-skipped lists them)")


__all__ = ["Block", "Draft", "DraftClaim", "DraftReport", "DraftSource", "Found", "Reading", "Sentence", "Skipped",
           "attribute", "carry", "claim_slug", "extract", "merge", "read", "render_draft", "skip_reason", "slug", "verify",
           "yaml_scalar"]


# --- one call for the CLI --------------------------------------------------------------------

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")


def read_article(path: str) -> tuple[str, str]:
    """(text, name) of an article file, or of standard input for '-'."""
    from credcheck.load.claims import read_input  # one bounded reader for every input file
    data, name = read_input(path, what="an article")
    return _decode(data, name), path


def _decode(data: bytes, name: str) -> str:
    from credcheck.extract.prose import decode_article
    text = decode_article(data, name)
    if not text.strip():
        raise CredcheckError.single(Mark(name, 1, 1), "", "the article is empty")
    return text


def draft_file(path: str, rubric: "Rubric", lexicon: Lexicon | None = None, markup: str = "auto") -> tuple[Draft, str]:
    """Read an article, extract its draft, render it as YAML and check that the YAML reads back."""
    from credcheck.rubric.lexicon import check_source_types, load_lexicon
    if lexicon is None:
        configured = getattr(rubric.criteria.get("language", {}).get("lexicon"), "lexicon", None)
        lexicon = configured if isinstance(configured, Lexicon) else load_lexicon()
    check_source_types(lexicon, rubric.source_types)
    text, name = read_article(path)
    markdown = markup == "md" or (markup == "auto" and Path(name).suffix.lower() in MARKDOWN_SUFFIXES)
    draft = extract(text, name, lexicon, rubric.source_types, markdown)
    if not draft.claims:
        raise no_claims_error(name, draft)
    rendered = render_draft(draft, rubric.evidence_types)
    verify(draft, rendered, rubric)
    return draft, rendered
