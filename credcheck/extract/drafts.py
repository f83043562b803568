"""From an article to a draft claims file an analyst only has to complete.

    draft = extract(text, "article.md", lexicon, rubric.source_types, markdown=True)
    yaml_text = render_draft(draft, rubric.evidence_types)

Each sentence that asserts something checkable becomes a claim, hedged or
attributed ones included ("it is believed that ...", "sources claim ...").
Headings, page furniture, questions, prescriptions and short pure opinion
are skipped, each with a reason. Who the sentence says stands behind it
("South Korean intelligence", "defector testimonies", unnamed "reports")
becomes a draft source with a guessed type; a sentence that names nobody is
reported by the article itself. The YAML is written as text, with TODO
comments where the analyst must decide, and verified by loading it back.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from credcheck.errors import CredcheckError, Mark
from credcheck.rubric.signals import Signals, describe, signals
from credcheck.rubric.lexicon import Lexicon
from credcheck.extract.prose import Block, Sentence, blocks, sentences
from credcheck.record import Record

if TYPE_CHECKING:
    from credcheck.rubric.model import Rubric

ARTICLE_ID = "article"
MAX_ID_WORDS = 4
SUBJECT_WINDOW = 8   # words between a source phrase and the reporting verb after it
MARKER_WINDOW = 12   # words between "according to"/"including" and a source phrase after it
SHORT_OPINION = 12   # an unattributed sentence this short with a judgement word and no detail is opinion

# Words an id is better without: function words and the commonest verbs.
_STOP = frozenset("""a an the of to in on at by for from with and or but nor is are was were be been being has have
had do does did that this these those it its their there which who whom whose as than then so such into onto over
under about after before while although though because since if when where how what also even just very more most
less many much some any each every other own same can will would shall should may might could must not no only
ever often still yet both either neither one ones per via upon within without they them their he she him his her
we us our you i furthermore moreover finally additionally meanwhile therefore thus hence instead indeed""".split())
# Capitalised words before a source phrase that do not belong to its name ("Some reports").
_NOT_NAME = frozenset("""the a an some these those this that such many several other others recent most all any each
every both according however although while when since because if and or but in on at by for from of""".split())
_RIGHT_NAME = re.compile(r"\s+((?:(?:from|of|on|in|at|within|inside|near)\s+)+(?:the\s+)?"
                         r"[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*)*)")
_WORD = re.compile(r"[\w'\u2019-]+")


class Found(Record):
    """A source a sentence names: the phrase as written and the type its cue suggests."""

    name: str
    type: str
    cue: str


class DraftSource(Record):
    id: str
    name: str
    type: str
    cue: str  # the phrase that suggested the type ('' for the article itself)
    line: int  # where it is first named


class DraftClaim(Record):
    id: str
    text: str
    line: int
    sources: tuple[str, ...]
    signals: Signals


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


# --- extraction -------------------------------------------------------------------

def extract(text: str, file: str, lexicon: Lexicon, source_types: Sequence[str], markdown: bool = False) -> Draft:
    """The draft for one article. `source_types` are the rubric's: guesses outside them become `unknown`."""
    parts = blocks(text, lexicon, markdown)
    title = next((b.text for b in parts if b.kind == "heading"), None)
    known = set(source_types)
    sources: dict[str, DraftSource] = {}
    claims: list[DraftClaim] = []
    skipped: list[Skipped] = []
    ids: dict[str, int] = {}
    for block in parts:
        if block.kind != "paragraph":
            skipped.append(Skipped(block.line, block.text, block.kind))
            continue
        for sentence in sentences(block, lexicon):
            found = attributions(sentence.text, lexicon)
            reason = skip_reason(sentence.text, lexicon, attributed=bool(found))
            if reason:
                skipped.append(Skipped(sentence.line, sentence.text, reason))
                continue
            refs = [_register(sources, f.name, f.type if f.type in known else "unknown", f.cue, sentence.line) for f in found]
            if not refs:
                refs = [_register(sources, _article_name(file), "news_outlet" if "news_outlet" in known else "unknown",
                                  "", sentence.line, ARTICLE_ID)]
            claim_id = _unique(claim_slug(sentence.text, lexicon, (f.name for f in found)), ids)
            claims.append(DraftClaim(claim_id, sentence.text, sentence.line, tuple(dict.fromkeys(refs)),
                                     signals(sentence.text, lexicon)))
    return Draft(Path(file).name if file != "-" else "standard input", title, tuple(sources.values()), tuple(claims), tuple(skipped))


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


def skip_reason(text: str, lexicon: Lexicon, attributed: bool) -> str | None:
    """Why a sentence is not a checkable claim, or None when it is one."""
    words = text.split()
    if re.search(r"\?[\"'\u201d\u2019)\]]*$", text):
        return "question"
    if len(words) < 4:
        return "fragment"
    if attributed:  # someone is named as saying it: what they say can be checked
        return None
    if lexicon.meta is not None and lexicon.meta.search(text):
        return "about the text itself"
    if lexicon.prescriptive is not None and lexicon.prescriptive.search(text):
        return "prescription: says what should be, not what is"
    sig = signals(text, lexicon)
    if len(words) <= SHORT_OPINION and not sig.specifics and lexicon.opinion is not None and lexicon.opinion.search(text):
        return "opinion: nothing checkable"
    return None


def attributions(text: str, lexicon: Lexicon) -> list[Found]:
    """Who the sentence says stands behind it.

    A source phrase counts when it is the subject of a reporting verb a few
    words later ("anecdotal evidence suggests") or follows an attribution
    marker ("according to defectors", "sources, including South Korean
    intelligence"). An umbrella word introducing a list ("sources,
    including ...") and a noun pointing back ("these accounts") are not new
    sources.
    """
    if not lexicon.source_types:
        return []
    verbs = [m.start() for m in lexicon.reporting_verbs.finditer(text)] if lexicon.reporting_verbs else []
    markers = [(m.start(), m.end()) for m in lexicon.attribution_markers.finditer(text)] if lexicon.attribution_markers else []
    if not verbs and not markers:
        return []
    spans: list[tuple[int, int, Found]] = []
    for start, end, stype in _cues(text, lexicon):
        if _points_back(text, start, lexicon) or _introduces_list(text, end, markers):
            continue
        subject = any(v >= end and _words_between(text, end, v) <= SUBJECT_WINDOW for v in verbs)
        named = any(m_end <= start and _words_between(text, m_end, start) <= MARKER_WINDOW for _, m_end in markers)
        if subject or named:
            left, right = _name_span(text, start, end)
            cue = " ".join(text[start:end].split())
            spans.append((left, right, Found(_display_name(text, (left, start, right), cue, stype, lexicon), stype, cue)))
    # 'JCS spokesman': a cue inside another source's name is part of that name, not a source of its own
    kept = [f for left, right, f in spans if not any(l2 <= left and right <= r2 and (l2, r2) != (left, right) for l2, r2, _ in spans)]
    return list({f.name.lower(): f for f in reversed(kept)}.values())[::-1]  # first mention of each name


def _cues(text: str, lexicon: Lexicon) -> list[tuple[int, int, str]]:
    """Source phrases of every type; where two overlap the longer wins, then the earlier."""
    found = [(m.start(), m.end(), stype) for stype, pattern in lexicon.source_types for m in pattern.finditer(text)]
    found.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    chosen: list[tuple[int, int, str]] = []
    for cue in found:
        if all(cue[1] <= s or e <= cue[0] for s, e, _ in chosen):
            chosen.append(cue)
    return sorted(chosen)


def _words_between(text: str, start: int, end: int) -> int:
    return len(_WORD.findall(text[start:end]))


def _points_back(text: str, start: int, lexicon: Lexicon) -> bool:
    """'These accounts', 'such reports': the source phrase refers to sources named before."""
    if lexicon.anaphora is None:
        return False
    words = _WORD.findall(text[max(0, start - 40):start])
    return any(lexicon.anaphora.fullmatch(" ".join(words[-n:])) for n in (1, 2) if len(words) >= n)


def _introduces_list(text: str, end: int, markers: list[tuple[int, int]]) -> bool:
    """'sources, including ...': a word followed straight away by a marker only announces the sources after it."""
    return any(m_start >= end and not _WORD.findall(text[end:m_start]) for m_start, _ in markers)


def _name_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The cue with the capitalised words before it and a short place after it: 'South Korean intelligence'.

    A capitalised word opening the sentence joins the name only before another
    capitalised word ('South Korean intelligence' yes, 'Military analysts' no):
    a sentence's first word is capitalised whatever it is.
    """
    left = start
    words = []
    for m in reversed(list(_WORD.finditer(text[:start]))):
        word = m.group(0)
        if text[m.end():left].strip() or not word[:1].isupper() or word.lower() in _NOT_NAME:
            break
        words.append(m)
        left = m.start()
    if words and not text[:left].strip(" \"'\u201c\u2018(") and len(words) == 1 and not text[start:start + 1].isupper():
        left = start  # only the sentence's first word, before a lower-case cue
    right = end
    tail = _RIGHT_NAME.match(text, end)
    if tail is not None:
        right = tail.end()
    return left, right


def _display_name(text: str, span: tuple[int, int, int], cue: str, stype: str, lexicon: Lexicon) -> str:
    """The name as written, except a common noun opening the sentence: 'Reports ...' -> 'reports'."""
    left, start, right = span
    name = " ".join(text[left:right].split())
    opens = left == start and not text[:left].strip(" \"'\u201c\u2018(")
    if opens and name[:1].isupper() and name[1:2].islower() and _common_noun(cue, stype, lexicon):
        name = name[0].lower() + name[1:]
    return name


def _common_noun(cue: str, stype: str, lexicon: Lexicon) -> bool:
    """Whether the lexicon writes the cue's first word in lower case ('reports', 'analyst*'), not as a name ('Yonhap')."""
    first = cue.split()[0].lower()
    for phrase in lexicon.words.get(f"source_types.{stype}", ()):
        word = phrase.split()[0]
        if word == word.lower() and (word == first or (word.endswith("*") and first.startswith(word[:-1]))):
            return True
    return False


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
# Each claim is a sentence of the article; each source is a guess from its
# wording. Before scoring, an analyst:
#   - deletes claims not worth assessing, merges repeats, rewords if needed;
#   - names each source exactly, checks its type and rates it A-F;
#   - sets each report's access (first_hand, second_hand) and any `via`;
#   - adds the evidence that could verify each claim.
# Lines marked TODO need a decision. Then: credcheck score FILE
# The signals noted above each claim are those the `language` criterion scores.
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
    if src.cue:
        origin = f"named at line {src.line}; type guessed from '{_comment(src.cue)}'"
        who = "who exactly?" if src.type != "unknown" else "who is this? set the type if you can tell;"
    else:
        origin = "no one else is named: the article itself reports these claims"
        who = "which outlet or author?"
    return (f"  # {origin}\n"
            f"  - id: {yaml_scalar(src.id)}\n"
            f"    name: {yaml_scalar(src.name)}\n"
            f"    type: {src.type}  # TODO: check the type\n"
            f"    # TODO: {who} rate reliability A-F (reliability: B), else the type's default applies\n")


def _render_claim(claim: DraftClaim, evidence_hint: str) -> str:
    notes = "; ".join(describe(claim.signals))
    lines = [f"  # line {claim.line}: {_comment(notes)}\n",
             f"  - id: {yaml_scalar(claim.id)}\n",
             f"    text: {yaml_scalar(claim.text)}\n",
             "    reports:\n"]
    for sid in claim.sources:
        lines.append(f"      - source: {yaml_scalar(sid)}  # TODO: access: first_hand | second_hand; via: [...] if relayed\n")
    lines.append(f"    evidence: []  # TODO: add evidence ({evidence_hint}; verified: true|false)\n")
    return "".join(lines)


# --- verification ------------------------------------------------------------------------

def verify(draft: Draft, text: str, rubric: "Rubric") -> None:
    """Load the rendered draft back and check it says what the draft holds: a mismatch is a bug."""
    from credcheck.load.claims import load_claims
    loaded = load_claims("draft.yaml", rubric, data=text.encode("utf-8"))
    got = [(c.id, c.text, tuple(r.source for r in c.reports)) for c in loaded.claims]
    want = [(c.id, c.text, c.sources) for c in draft.claims]
    got_sources = [(s.id, s.name, s.type) for s in loaded.sources.values()]
    want_sources = [(s.id, s.name, s.type) for s in draft.sources]
    if got != want or got_sources != want_sources or loaded.title != draft.title:
        raise RuntimeError("the draft YAML does not read back as written (a credcheck bug; please report it)")


def no_claims_error(file: str, draft: Draft) -> CredcheckError:
    return CredcheckError.single(Mark(file, 1, 1) if file != "-" else None, "",
                                 f"no checkable sentence found ({len(draft.skipped)} skipped; --show-skipped lists them)")


__all__ = ["Block", "Draft", "DraftClaim", "DraftSource", "Found", "Sentence", "Skipped", "attributions", "claim_slug",
           "extract", "render_draft", "skip_reason", "slug", "verify", "yaml_scalar"]


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
