"""Key judgments: which claims the brief's bottom line holds, and their ICD 203 wording.

The bottom line holds a few judgments, not every claim (at most
DEFAULT_KEY_JUDGMENTS, `credcheck score --key-judgments N`):

- the claims the analyst marked `key: true`, best grade first; else
- chosen by rule: among the judged claims (credibility 1-5) that rest on at
  least two independent lines of reporting (supporting or refuting), the
  judgments furthest from a roughly even chance - the most likely and the
  least likely - then those with the most lines. When no claim has two
  lines, claims with one line are taken the same way.

Each is worded as ICD 203 has it: "It is likely that ...", "There is a
roughly even chance that ...", from the claim's own `judgment:` phrasing
when it has one, else from its text. Confidence is a separate sentence
("We have low confidence in this judgment: ..."), never joined to the
likelihood term: likelihood and confidence are different statements.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Mapping, Sequence

from credcheck.model import Assessment, Claim
from credcheck.record import Record
from credcheck.render import sort_key

DEFAULT_KEY_JUDGMENTS = 5
# ICD 203 says "There is a roughly even chance that", "There is almost no chance that".
_THERE_IS = frozenset({"roughly even chance", "almost no chance"})

# Words that start a sentence and are never names: lower-cased after "that".
STARTERS = frozenset("""a an the this that these those some many most several few no one two three four five
all any each every both either neither such there it its their his her our we they he she more fewer less much
nearly almost about around up over under at in on by for from during since after before until while although
though because if as only also even still new recent recently former current local foreign senior junior
other another further large small high low military civilian government according however meanwhile
reportedly allegedly earlier later last next despite amid following today yesterday""".split())
# Endings of inflected forms: a capitalised word whose stem the claims use in lower case is a common word.
_ENDINGS = ("ations", "ation", "ings", "ing", "ions", "ion", "ies", "es", "ed", "s", "ly")


class KeyJudgments(Record):
    chosen: tuple[Assessment, ...]  # best grade first
    marked: bool  # chosen by the analyst (`key: true`), not by rule
    left_out_marked: int = 0  # claims marked key beyond the limit
    min_lines: int = 2  # the rule's sourcing threshold (when not marked)


def lines_of(a: Assessment) -> int:
    return len(a.supporting) + len(a.refuting)


def decisiveness(a: Assessment) -> float:
    """How far the judgment is from even chance: |probability - 0.5| (0-0.5; -1 for no judgment)."""
    if a.likelihood is None:
        return -1.0
    return abs((a.score / 100 if a.probability is None else a.probability) - 0.5)


def select_key_judgments(assessments: Sequence[Assessment], claims: Mapping[str, Claim],
                         limit: int = DEFAULT_KEY_JUDGMENTS) -> KeyJudgments:
    """The bottom line's judgments (the module docstring's rule)."""
    marked = [a for a in assessments if claims[a.id].key]
    if marked:
        ordered = sorted(marked, key=sort_key)
        return KeyJudgments(tuple(ordered[:limit]), True, max(0, len(ordered) - limit))
    judged = [a for a in assessments if a.credibility <= 5 and a.likelihood is not None]
    min_lines = 2 if any(lines_of(a) >= 2 for a in judged) else 1
    eligible = [a for a in judged if lines_of(a) >= min_lines]
    ranked = sorted(eligible, key=lambda a: (-decisiveness(a), -lines_of(a), sort_key(a)))
    return KeyJudgments(tuple(sorted(ranked[:limit], key=sort_key)), False, 0, min_lines)


def opener(likelihood: str) -> str:
    """'It is likely that', 'There is a roughly even chance that', 'There is almost no chance that'."""
    if likelihood in _THERE_IS:
        article = "a " if likelihood == "roughly even chance" else ""
        return f"There is {article}{likelihood} that"
    return f"It is {likelihood} that"


def judgment_sentence(likelihood: str, text: str, common_words: frozenset[str] = frozenset(),
                      judgment: str | None = None) -> str:
    """ICD 203 phrasing: 'It is unlikely that desertions have increased' (no final stop).

    The analyst's `judgment` wording is used as written; a claim's text has its
    first word lower-cased when that word is surely not a name (clause()).
    """
    return f"{opener(likelihood)} {clause(judgment or text, common_words)}"


def clause(text: str, common_words: frozenset[str] = frozenset()) -> str:
    """A sentence made a clause to follow 'that': no final stop, a common first word in lower case.

    The first word is lower-cased only when it is surely not a name: a common
    sentence starter, or a word (or the stem of a word) the claims file writes
    in lower case elsewhere ('Soldiers', 'Attempts' beside 'attempted'), and
    never a word in capitals (KPA), with a capital inside (McCain), or the
    start of a run of capitalised words ('North Korea', 'South Korean').
    """
    body = text.strip().rstrip(".!?;:").strip()
    words = body.split(" ", 2)
    first = words[0]
    plain = first[:1].isupper() and first[1:] == first[1:].lower() and first.replace("-", "").replace("'", "").isalpha()
    if not plain:
        return body
    following = words[1] if len(words) > 1 else ""
    if following.istitle() and following.isalpha() and first.lower() not in STARTERS:
        return body  # 'North Korea', 'Kim Jong Un': a name of several words
    if is_common(first.lower(), common_words):
        return first.lower() + body[len(first):]
    return body


def is_common(word: str, common_words: frozenset[str]) -> bool:
    if word in STARTERS or word in common_words:
        return True
    head = word.split("-", 1)[0]
    if head != word and (head in STARTERS or head in common_words):  # 'front-line' beside 'front'
        return True
    stem = _stem(word)
    return stem is not None and any(_stem(w) == stem or w == stem for w in _near(common_words, stem))


def _stem(word: str) -> str | None:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return None


def _near(words: frozenset[str], stem: str) -> Iterable[str]:
    return (w for w in words if w.startswith(stem))


_WORD = re.compile(r"(?<![\w-])([a-z][\w'-]*)")


def common_words(texts: Iterable[str]) -> frozenset[str]:
    """Words written in lower case somewhere in the file: not proper names."""
    words: set[str] = set()
    for t in texts:
        words.update(_WORD.findall(t))  # the one group: the word itself
    return frozenset(words)


def file_texts(claims: Iterable[Claim], sources: Iterable[Any]) -> Iterable[str]:
    """Every text of a claims file a word may be found in lower case: claims, judgments, notes, source names."""
    for c in claims:
        yield c.text
        if c.judgment:
            yield c.judgment
        for e in c.evidence:
            if e.note:
                yield e.note
    for s in sources:
        yield s.name


def confidence_of(a: Assessment) -> tuple[str, tuple[str, ...]] | None:
    """(level, reasons) of an assessment's ICD 203 confidence, when the engine states one
    and makes a judgment to hold it in (none when nobody reports the claim)."""
    confidence = a.confidence
    if confidence is None or a.likelihood is None:
        return None
    return (confidence.level, tuple(confidence.reasons)) if confidence.level else None


def confidence_sentence(a: Assessment) -> str:
    """'We have low confidence in this judgment: a single line of reporting.' ('' when none is stated)."""
    found = confidence_of(a)
    if found is None:
        return ""
    level, reasons = found
    because = f": {'; '.join(reasons)}" if reasons else ""
    return f"We have {level} confidence in this judgment{because}."
