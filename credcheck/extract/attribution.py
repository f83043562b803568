"""Who a sentence says stands behind it: named sources, vague hedges, and the frame that carries them.

    found = attribute("Some reports claim that X, Colonel Kim, a JCS spokesman, said.", lexicon)
    found.sources   # (Found('Colonel Kim, a JCS spokesman', 'official_on_record', 'spokesman'),)
    found.hedges    # ('Some reports',)

An attribution is a noun phrase next to a reporting verb ("the ministry
said", "said Marta Keller"), after a marker ("according to two workers"),
in a list after "including" or "such as", or before "seen by" ("a 2023
permit seen by this agency"). One phrase is one source, however many
nouns it joins ("military analysts and experts on North Korea"); each item
of a list is its own source. A phrase counts as a source when it names
someone: a word of a source type in the lexicon ("defectors", "the defence
ministry") or a capitalised name ("Harbour Agri"). The lexicon's `unknown`
words ("reports", "accounts", "anecdotal evidence") are vague: a hedge,
never a source, unless an origin after "from" says whose they are
("anecdotal evidence from residents of border villages" is the residents;
"leaks from within North Korea" is a source of unknown type).
"""
from __future__ import annotations

import re
from typing import Iterator

from credcheck.record import Record
from credcheck.rubric.lexicon import Lexicon

UNKNOWN = "unknown"
MAX_PHRASE = 12  # words in a source phrase, walking away from its verb or marker
_TOKEN = re.compile(r"[\w'\u2019-]+|[^\w\s]")
_QUOTES = "\"'\u201c\u201d\u2018\u2019"
_CLOSING = "\"'\u201d\u2019"
# Words that end a source phrase when walking left from its verb: a clause boundary or a verb.
_STOP_LEFT = frozenset("""that which who whom whose when where while because if as since although though but than including
is are was were be been being has have had will would could can may might shall should must not do does did
after before until unless whereas so""".split())
# ... and walking right from a marker or an inverted verb.
_STOP_RIGHT = frozenset("that which who whom whose when where while because if as since although though but".split())
# Between a source and its verb: "the ministry also said", "Kim later told reporters".
_ADVERBS = frozenset("also later then previously earlier again further still separately repeatedly publicly "
                     "privately first initially now once too".split())
_PRONOUNS = frozenset("he she they it we i".split())
_DETERMINERS = frozenset("the a an this these those that such some many several most other others".split())
# Verb forms that are also nouns ("North Korean state media", "the reports."): verbs only before
# what a verb takes: 'that', an article, a pronoun or a number ("Yonhap reports a surge").
_NOUN_TOO = frozenset("state states note notes report reports claim claims show shows estimate estimates point points"
                      .split())
_OBJECT_START = frozenset("that a an the this these those some no it he she they its their his her more at".split())
MAX_LIST_ITEM = 6  # words in one item of a list of sources; a longer one is the sentence going on
_LIST_MARKERS = frozenset(("including", "such as"))
_OPENING_MARKERS = frozenset(("according to", "citing"))
_FILLER = frozenset("and or even also occasionally sometimes notably mainly mostly chiefly itself themselves".split())
_NAME_JOINERS = frozenset("of the de van von al bin".split())
_CALENDAR = frozenset("""january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday""".split())
# 'the company said': a generic noun for an organisation named before ('Northvale Health ... the company said').
_ORGANISATION = frozenset("""company firm group agency organisation organization operator airline carrier manufacturer
insurer retailer bank network utility""".split())
_ORIGIN = re.compile(r"\s(?:from|of)\s+(?:within|inside)?\s*", re.IGNORECASE)


class Found(Record):
    """A source a sentence names: the phrase as written, the type its cue suggests, the cue ('' for a name)."""

    name: str
    type: str
    cue: str
    back: bool = False  # 'the news agency', 'the official': may be a source named in an earlier sentence


class Attribution(Record):
    sources: tuple[Found, ...] = ()
    hedges: tuple[str, ...] = ()  # vague phrases standing where a source would ("some reports")
    frame: tuple[tuple[int, int], ...] = ()  # spans of the attribution words, left out of what is asserted
    opens: bool = False  # "According to X, ..." opens the sentence: X covers the paragraph's next sentences
    listed: bool = False  # two or more sources listed after "including" / "such as"
    pronoun: str = ""  # "he" in '"...," he said': the speaker is named in an earlier sentence
    pointers: tuple[Found, ...] = ()  # vague phrases with 'the' ('the unidentified source'): a source if named before

    @property
    def attributed(self) -> bool:
        return bool(self.sources or self.pronoun)


def content(text: str, found: Attribution) -> str:
    """The sentence without its attribution words: what is asserted ('that ...' after 'X said')."""
    out, last = [], 0
    for start, end in sorted(found.frame):
        if start >= last:
            out.append(text[last:start])
            last = end
    out.append(text[last:])
    return " ".join("".join(out).replace(" ,", ",").split()).strip(" ,:;")


# --- finding ---------------------------------------------------------------------------

class _Tok(Record):
    start: int
    end: int
    text: str

    @property
    def word(self) -> bool:
        return self.text[0].isalnum() or self.text[0] == "_"

    @property
    def low(self) -> str:
        return self.text.lower().replace("\u2019", "'")


def attribute(text: str, lexicon: Lexicon) -> Attribution:
    toks = [_Tok(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]
    # token ranges [i, j) of candidate source phrases, whether a marker names them, and the attribution words around them
    phrases: list[tuple[int, int, bool, tuple[int, int] | None]] = []
    frame: list[tuple[int, int]] = []
    opens = listed = False
    pronoun = ""
    listed_ranges: list[tuple[int, int]] = []
    if lexicon.attribution_markers is not None:
        for m in lexicon.attribution_markers.finditer(text):
            i, j = _token_range(toks, m.start(), m.end())
            marker = " ".join(m.group(0).lower().split())
            if marker in _LIST_MARKERS:
                items = _list_items(toks, j, text, lexicon)
                if len(items) >= 2:
                    listed = True
                listed_ranges += items
                phrases += [(a, b, False, None) for a, b in items]
            elif marker.endswith(" by"):  # "a permit seen by this agency": the document is the source
                left = _walk_left(toks, i)
                if left is not None:
                    phrases.append((*left, True, (toks[i].start, toks[j - 1].end)))
            else:
                right = _walk_right(toks, j)
                if right is not None:
                    right = _with_name_after(toks, right)
                    phrases.append((*right, True, (toks[i].start, _clause_end(toks, right[1]))))
                    if marker in _OPENING_MARKERS and _opens_sentence(toks, i):
                        opens = True
    verbs = [(m, i, j) for m in (lexicon.reporting_verbs.finditer(text) if lexicon.reporting_verbs is not None else ())
             for i, j in [_token_range(toks, m.start(), m.end())]
             if m.group(0).lower() not in _NOUN_TOO or (j < len(toks) and (toks[j].low in _OBJECT_START or toks[j].text[0].isdigit()))]
    verb_starts = {i for _, i, _ in verbs}
    if verbs:
        for m, i, j in verbs:
            that = j + 1 if j < len(toks) and toks[j].low == "that" else j
            k = i
            while k > 0 and toks[k - 1].low in _ADVERBS:
                k -= 1
            if k > 0 and toks[k - 1].low in ("and", "or", "but"):
                continue  # 'X claimed responsibility and said ...': the subject is the first verb's
            if k > 0 and toks[k - 1].low in _PRONOUNS and (k == 1 or not toks[k - 2].word):
                pronoun = pronoun or toks[k - 1].text
                frame.append((toks[k - 1].start, toks[that - 1].end))
                continue
            if _inverted(toks, k, j):
                right = _walk_right(toks, j, names_only=True)
                if right is not None:
                    phrases.append((*right, False, (toks[i].start, toks[right[1] - 1].end)))
                    continue
            left = _appositive_subject(toks, k) if k > 0 and toks[k - 1].text == "," else _walk_left(toks, k, verb_starts)
            if left is not None:
                phrases.append((*left, False, (toks[left[0]].start, toks[that - 1].end)))
    sources: list[Found] = []
    hedges: list[str] = []
    pointers: list[Found] = []
    listed_set = set(listed_ranges)
    for a, b, marked, words in phrases:
        if (a, b) not in listed_set and any(p < b and a < q for p, q in listed_ranges):
            continue  # 'including NIS and defectors describe ...': the list already named them
        kind, found = _classify(text, toks, a, b, lexicon, marked)
        if words is not None and kind != "none":
            frame.append(words)
        if kind == "source" and found is not None:
            if found.name.lower() not in {s.name.lower() for s in sources}:
                sources.append(found)
        elif kind == "hedge":
            hedges.append(_span_text(text, toks, a, b))
            if toks[a].low == "the":
                pointers.append(Found(_span_text(text, toks, a + 1, b), UNKNOWN, "", back=True))
        elif kind == "pointer" and found is not None:
            named = _name_before(text, toks, a)  # 'hospitals run by Northvale Health ..., the company said'
            if named is not None:
                sources.append(named)
            else:
                pointers.append(found)
    listed = listed and sum(1 for r in listed_ranges if _classify(text, toks, *r, lexicon)[0] == "source") >= 2
    return Attribution(tuple(sources), tuple(dict.fromkeys(hedges)), tuple(frame), opens and bool(sources), listed, pronoun,
                       tuple(pointers))


def _token_range(toks: list[_Tok], start: int, end: int) -> tuple[int, int]:
    i = next(n for n, t in enumerate(toks) if t.end > start)
    j = next((n for n, t in enumerate(toks) if t.start >= end), len(toks))
    return i, j


def _opens_sentence(toks: list[_Tok], i: int) -> bool:
    return all(not t.word and t.text in _QUOTES + "(" for t in toks[:i])


def _with_name_after(toks: list[_Tok], span: tuple[int, int]) -> tuple[int, int]:
    """'according to the county's director, Leon Farris.': the name set off after the comma belongs to the phrase."""
    a, b = span
    if b >= len(toks) or toks[b].text != ",":
        return span
    k = b + 1
    while k < len(toks) and toks[k].word and toks[k].text[:1].isupper() and k - b <= 4:
        k += 1
    if k > b + 1 and (k >= len(toks) or toks[k].text in ".,;"):
        return (a, k)
    return span


def _clause_end(toks: list[_Tok], j: int) -> int:
    """Where 'according to X ...' ends: after the comma that closes it, or at the sentence's end."""
    while j < len(toks) and toks[j].text not in ",;:" + _QUOTES:
        j += 1
    return toks[j].end if j < len(toks) and toks[j].text == "," else toks[j - 1].end


def _inverted(toks: list[_Tok], k: int, j: int) -> bool:
    """'"...," said Marta Keller' / '..., said Marta Keller': the speaker comes after the verb."""
    if k == 0 or j >= len(toks) or not toks[j].word:
        return False
    before = toks[k - 1].text
    if before in _CLOSING:
        return True
    return before == "," and toks[j].text[:1].isupper()


def _walk_left(toks: list[_Tok], k: int, verbs: set[int] = frozenset()) -> tuple[int, int] | None:  # type: ignore[assignment]
    """The phrase ending just before token k: words back to a comma, a clause word, another reporting verb or MAX_PHRASE."""
    i = k
    while i > 0 and k - i < MAX_PHRASE:
        t = toks[i - 1]
        if not t.word or t.low in _STOP_LEFT or (i - 1) in verbs:
            break
        if t.low == "and" and i >= 2 and toks[i - 2].text == ",":
            break
        i -= 1
    return (i, k) if i < k else None


def _walk_right(toks: list[_Tok], j: int, names_only: bool = False) -> tuple[int, int] | None:
    """The phrase starting at token j: words up to a comma, a clause word or MAX_PHRASE.

    After an inverted verb ('said Marta Keller, 52'), only the name: up to the comma.
    """
    names_only = names_only and j < len(toks) and toks[j].low not in ("a", "an", "the")
    k = j
    while k < len(toks) and k - j < MAX_PHRASE:
        t = toks[k]
        if not t.word or t.low in _STOP_RIGHT or (names_only and not t.text[:1].isupper() and t.low not in _NAME_JOINERS):
            break
        k += 1
    while names_only and k > j and toks[k - 1].low in _NAME_JOINERS:
        k -= 1
    return (j, k) if k > j else None


def _appositive_subject(toks: list[_Tok], k: int) -> tuple[int, int] | None:
    """'Tomas Brandt, a union representative, said': the subject opens the clause, an apposition may follow.

    The phrase runs from the clause start to the comma before the verb, unless
    what follows the first comma is a relative or participle clause ('Harbour
    Agri, which operates the depot, said'), which is left out.
    """
    start = k - 1
    while start > 0 and toks[start - 1].text not in ".;:" + _QUOTES:
        start -= 1
    while start < k and not toks[start].word:
        start += 1
    comma = next((n for n in range(start, k) if toks[n].text == ","), k - 1)
    if comma == start:
        return None
    if comma + 1 < k - 1:
        first = toks[comma + 1]
        if first.low in ("a", "an", "the") or first.text[:1].isupper():
            return (start, k - 1)  # with its apposition
    return (start, comma)


def _list_items(toks: list[_Tok], j: int, text: str, lexicon: Lexicon) -> list[tuple[int, int]]:
    """'including South Korean intelligence, defector testimonies, and occasionally, even leaks from ...'.

    Items run between commas; the list ends at an item that names no one, at
    one too long to be a name, or where the sentence's verb comes ('..., paint
    a picture', 'including NIS and defectors describe ...').
    """
    items: list[tuple[int, int]] = []
    i = j
    while i < len(toks):
        k = i
        while k < len(toks) and toks[k].text not in ",;:." and toks[k].text not in _QUOTES:
            k += 1
        verb = next((n for n in range(i, k) if _starts_verb(toks, n, lexicon)), None)
        a, b = i, k if verb is None else verb
        while a < b and (toks[a].low in _FILLER or toks[a].low.endswith("ly")):
            a += 1
        while b > a and toks[b - 1].low in _FILLER:
            b -= 1
        if a < b:
            parts = _split_and(toks, a, b)  # "X and Y" inside one item: two items
            if any(sum(1 for t in toks[p:q] if t.word) > MAX_LIST_ITEM for p, q in parts):
                break
            kinds = [_classify(text, toks, p, q, lexicon)[0] for p, q in parts]
            if not any(kind in ("source", "hedge") for kind in kinds):
                break
            items += parts
        if verb is not None or k >= len(toks) or toks[k].text != ",":
            break
        i = k + 1
    return items


def _starts_verb(toks: list[_Tok], a: int, lexicon: Lexicon) -> bool:
    """Whether a reporting verb starts at token a ('paint a', 'describe')."""
    return lexicon.reporting_verbs is not None and lexicon.reporting_verbs.match(" ".join(t.text for t in toks[a:a + 3])) is not None


def _split_and(toks: list[_Tok], a: int, b: int) -> list[tuple[int, int]]:
    cut = next((n for n in range(a, b) if toks[n].low in ("and", "or")), None)
    return [(a, cut), (cut + 1, b)] if cut is not None and a < cut < b - 1 else [(a, b)]


# --- naming ----------------------------------------------------------------------------

def _span_text(text: str, toks: list[_Tok], a: int, b: int) -> str:
    return " ".join(text[toks[a].start:toks[b - 1].end].split())


def _classify(text: str, toks: list[_Tok], a: int, b: int, lexicon: Lexicon, marked: bool = False) -> tuple[str, Found | None]:
    """('source', Found), ('hedge', None) for vague words, or ('none', None) for a phrase that names no one.

    `marked`: a marker ('according to', 'seen by') says the phrase is the source, named or not.
    """
    back = toks[a].low == "the"
    while a < b and toks[a].low in _DETERMINERS and toks[a].low not in ("this", "these"):
        a += 1  # "the Joint Chiefs of Staff" is named "Joint Chiefs of Staff"; "these accounts" stays vague
    if a >= b:
        return "none", None
    if all(t.low in _PRONOUNS | _DETERMINERS for t in toks[a:b] if t.word):
        return "none", None
    phrase = _span_text(text, toks, a, b)
    cues = _cues(phrase, lexicon)
    typed = [c for c in cues if c[2] != UNKNOWN]
    vague = [c for c in cues if c[2] == UNKNOWN]
    if vague and not typed:
        origin = _ORIGIN.search(phrase, vague[0][1])
        if origin is not None and _names_someone(phrase[origin.end():]):
            return "source", Found(_clean(phrase), UNKNOWN, vague[0][3])
        return "hedge", None
    if typed:
        best = max(typed, key=lambda c: c[1] - c[0])
        name = phrase
        if a == _first_word(toks) and best[0] == 0 and _common_noun(best[3], best[2], lexicon) and not _capitalised_name(toks, a, b):
            name = name[0].lower() + name[1:]  # 'Officials said ...' -> 'officials': capitalised only as the first word
        if vague and vague[0][0] < best[0]:  # "anecdotal evidence from residents ...": the residents
            origin = _ORIGIN.search(phrase, vague[0][1])
            if origin is not None and origin.end() <= best[0]:
                name = phrase[origin.end():]
        return "source", Found(_clean(name), best[2], best[3], back)
    if marked or _capitalised_name(toks, a, b) or _lone_subject(toks, a, b):
        return "source", Found(_clean(phrase), UNKNOWN, "", back)
    if back and toks[b - 1].low in _ORGANISATION:
        return "pointer", Found(_clean(phrase), UNKNOWN, "", True)
    return "none", None


def _lone_subject(toks: list[_Tok], a: int, b: int) -> bool:
    """'Northvale said ...', 'Doctors said ...': one capitalised word opening the sentence, straight before its verb."""
    return b == a + 1 and a == _first_word(toks) and toks[a].text[:1].isupper() and b < len(toks) and toks[b].word


def _name_before(text: str, toks: list[_Tok], a: int) -> Found | None:
    """The last run of two or more capitalised words before token a, past the sentence's first word: a name."""
    first, run, best = _first_word(toks), [], None
    for n in range(first + 1, a):
        if toks[n].word and toks[n].text[:1].isupper() and toks[n].low not in _CALENDAR:
            run.append(n)
            continue
        if len(run) >= 2:
            best = (run[0], run[-1] + 1)
        run = []
    if len(run) >= 2:
        best = (run[0], run[-1] + 1)
    return Found(_span_text(text, toks, *best), UNKNOWN, "") if best else None


def _clean(name: str) -> str:
    name = re.sub(r"\s+(?:itself|themselves)$", "", name.strip(" ,"))
    return name[:1].lower() + name[1:] if name[:1].isupper() and name.split()[0].lower() in _DETERMINERS else name


def _names_someone(origin: str) -> bool:
    return any(w[:1].isupper() for w in origin.split()[:4])


def _first_word(toks: list[_Tok]) -> int:
    return next((n for n, t in enumerate(toks) if t.word), 0)


def _common_noun(cue: str, stype: str, lexicon: Lexicon) -> bool:
    """Whether the lexicon writes the cue's first word in lower case ('officials', 'analyst*'), not as a name ('Yonhap')."""
    first = cue.split()[0].lower()
    for phrase in lexicon.words.get(f"source_types.{stype}", ()):
        word = phrase.split()[0]
        if word == word.lower() and (word == first or (word.endswith("*") and first.startswith(word[:-1]))):
            return True
    return False


def _capitalised_name(toks: list[_Tok], a: int, b: int) -> bool:
    """A capitalised word past the sentence's first ('Harbour Agri', 'the Office of ...'), or a possessive ('Sayle's lawyer').

    The sentence's first word is capitalised whatever it is, so alone it names no one.
    """
    first = _first_word(toks)
    caps = [n for n in range(a, b) if toks[n].word and toks[n].text[:1].isupper() and toks[n].low not in _CALENDAR]
    return any(n != first for n in caps) or (bool(caps) and toks[caps[0]].low.endswith("'s"))


def _cues(phrase: str, lexicon: Lexicon) -> list[tuple[int, int, str, str]]:
    """Source-type words in a phrase: (start, end, type, words); where two overlap, the longer wins."""
    found = [(m.start(), m.end(), stype, " ".join(m.group(0).split()))
             for stype, pattern in lexicon.source_types for m in pattern.finditer(phrase)]
    found.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    chosen: list[tuple[int, int, str, str]] = []
    for cue in found:
        if all(cue[1] <= s or e <= cue[0] for s, e, _, _ in chosen):
            chosen.append(cue)
    return sorted(chosen)


def iter_words(text: str) -> Iterator[str]:
    return (m.group(0) for m in _TOKEN.finditer(text) if m.group(0)[0].isalnum())
