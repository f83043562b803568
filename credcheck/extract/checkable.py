"""Whether a sentence asserts something checkable, and if not, why not.

    reason = skip_reason(sentence, attribution, lexicon)   # None: a claim; else 'opinion: ...' etc.

A sentence is kept when what it asserts (its words without the attribution
frame: "that ..." after "the ministry said") could be confirmed or refuted
by evidence. Left out, with the first reason that fits:

- question, fragment;
- meta: the text about itself or its sourcing ("this article", "declined to
  comment", "it was not immediately clear"), unless someone is named as
  saying it;
- prescription: what should be done ("must", "calls for");
- scenario: what could, would or will happen: a conditional opening ("If",
  "In this case"), the word "scenario", or a modal verb in the main clause
  ("may resort", "can lead", "will be") -- but not a hedge on what is
  ("may be one of several shafts", "could have been") nor a sentence with
  checkable detail ("could move 3,000 troops an hour", "would send a team
  in April");
- background: a commonplace the article takes as known ("one of the most
  ... in the world"), without detail or a named source;
- opinion: an interpreting phrase ("signals", "a sign of"), or an abstract
  noun of analysis as the subject judged after "is" ("The implications are
  far-reaching"), whatever the detail; without detail, also a judgement word
  after "is" ("is complex"), two judgement words anywhere, or, when no one
  is named as saying it, an abstract noun of analysis as the subject ("The
  motives behind ...", "One key factor is ...").

Detail is what the `language` criterion counts as specific: numbers, dates,
units, named places and people. The word lists are the lexicon's
(`extraction.not_checkable`); the grammar (modals, pronouns, subordinating
words) is English and lives here.
"""
from __future__ import annotations

import re

from credcheck.extract.attribution import Attribution, content
from credcheck.rubric.lexicon import Lexicon
from credcheck.rubric.signals import signals

MIN_WORDS = 4
SUBJECT_WORDS = 4  # how far into the main clause an abstract noun still counts as its subject
COPULA_GAP = 3  # words between 'is' and a judgement word ('is also very difficult')

_WORD = re.compile(r"[\w'\u2019-]+")
_QUESTION = re.compile(r"\?[\"'\u201d\u2019)\]]*$")
_QUOTED = re.compile("\"[^\"]*\"|\u201c[^\u201d]*\u201d")
_COPULA = frozenset("is are was were remains remain remained seems seem seemed appears appear appeared becomes become "
                    "became be been".split())
_MODALS = frozenset("can could may might will would shall".split())
_EPISTEMIC = frozenset("may might could must".split())
_FORECAST = re.compile(r"(?:is|are|was|were)\s+(?:also\s+)?(?:expected|likely|poised|bound)\s+to\b", re.IGNORECASE)
_HAVE = frozenset("has have had".split())
_CONDITIONAL_OPENING = re.compile(r"^[\"'\u201c(]*(?:if|unless|should|were|in (?:this|that|such a) case|otherwise)\b",
                                  re.IGNORECASE)
_SUBORDINATE = frozenset("though although while which who whom whose when where because since unless whereas if as "
                         "after before until whether once".split())
# A clause opening: a connective or a prepositional phrase before the subject ("Furthermore, ...", "At a regional level, ...").
_LEADING = frozenset("furthermore moreover finally however additionally meanwhile also still yet instead indeed thus "
                     "therefore hence besides nonetheless nevertheless overall ultimately in on at for with without "
                     "despite amid over under during after before by from to as like unlike beyond given".split())
_IRREGULAR_PARTICIPLES = frozenset("known seen done made taken given shown found held kept told built brought caught "
                                   "thought fought sent spent left lost won hit hurt put set cut run begun driven "
                                   "written spoken broken chosen stolen".split())
_PRONOUN_SUBJECTS = frozenset("it they he she we this these those that".split())
_QUANTIFIER_SUBJECTS = frozenset("some others many most several both few all".split())
_AUXILIARIES = frozenset("is are was were has have had do does did can could may might will would shall should must "
                         "who also often".split())
_EXPLETIVE_IT = re.compile(r"^it\s+(?:is|was|has been|had been|seems|seemed|appears|appeared|remains|remained)\s+"
                           r"(?:[\w'-]+\s+){0,3}?(?:that|to|whether|how|why|if|when|who|what)\b", re.IGNORECASE)


def skip_reason(text: str, found: Attribution, lexicon: Lexicon) -> str | None:
    """Why a sentence is not a checkable claim, or None when it is one."""
    words = _WORD.findall(text)
    if _QUESTION.search(text):
        return "question"
    if len(words) < MIN_WORDS:
        return "fragment"
    said = content(text, found) or text
    for check in (_interpretation, _meta, _prescription):
        reason = check(text, said, found, lexicon)
        if reason:
            return reason
    if signals(said, lexicon).specifics:
        return None
    for check in (_scenario, _background, _opinion):
        reason = check(text, said, found, lexicon)
        if reason:
            return reason
    return None


def _cue(pattern: re.Pattern[str] | None, text: str) -> str | None:
    m = pattern.search(text) if pattern is not None else None
    return " ".join(m.group(0).split()) if m else None


def _meta(text: str, said: str, found: Attribution, lexicon: Lexicon) -> str | None:
    if found.attributed:
        return None
    cue = _cue(lexicon.meta, _QUOTED.sub(" ", text))  # 'we' inside a quote is the speaker, not the writer
    return f"meta: about the text or its sourcing ('{cue}')" if cue else None


def _prescription(text: str, said: str, found: Attribution, lexicon: Lexicon) -> str | None:
    """'must', 'need to', 'calls for' as verbs: not 'they recognise the need to ...', 'its calls for ...'."""
    if lexicon.prescriptive is None:
        return None
    for m in lexicon.prescriptive.finditer(said):
        before = _WORD.findall(said[:m.start()])
        if before and before[-1].lower() in _NOUN_MARKERS:
            continue
        return f"prescription: what should be done, not what is ('{' '.join(m.group(0).split())}')"
    return None


_NOUN_MARKERS = frozenset("the a an its their his her our your this that these those no any".split())


def _scenario(text: str, said: str, found: Attribution, lexicon: Lexicon) -> str | None:
    if _CONDITIONAL_OPENING.search(said):
        return "scenario: what would happen if ... ('" + _WORD.findall(said)[0] + "')"
    cue = _cue(lexicon.scenario, said)
    if cue:
        return f"scenario: what could happen, not what is ('{cue}')"
    modal = main_modal(said)
    if modal:
        return f"scenario: what could or would happen, not what is ('{modal}')"
    return None


def main_modal(clause: str) -> str | None:
    """The modal verb of the main clause, unless it hedges a state ('may be', 'could have') or is negated.

    Clauses opened by a subordinating word ('though that figure could not be
    verified', 'which could ...', 'whether that will happen') or a participle
    (', saying it will ...') are not the main clause, nor is what follows a
    main verb that came first ('the embargo remains one of few tools
    Washington can use'). 'Is expected to', 'are likely to' count as modals.
    """
    for part in re.split(r"[,;:\u2014]", clause):
        words = [w.lower() for w in _WORD.findall(part)]
        if not words or words[0] in _SUBORDINATE or words[0].endswith("ing"):
            continue
        for n, word in enumerate(words):
            if word in _SUBORDINATE or word in ("cannot", "can't", "couldn't", "won't", "wouldn't"):
                break
            if word in _COPULA or word in _HAVE:
                forecast = _FORECAST.match(" ".join(words[n:n + 4]))
                if forecast is not None:
                    return " ".join(forecast.group(0).split())
                break  # the main verb came first: a modal after it is in an embedded clause
            if word not in _MODALS:
                continue
            rest = words[n + 1:n + 3]
            if rest[:1] == ["not"]:
                break  # 'could not confirm': what did not happen
            if word in _EPISTEMIC and rest[:1] in (["be"], ["have"]) and not (rest[:1] == ["be"] and _participle(rest[1:])):
                break  # 'may be one of several', 'could have been': a hedge on what is
            return " ".join(words[n:n + 2])
    return None


def _participle(words: list[str]) -> bool:
    return bool(words) and (words[0].endswith("ed") or words[0].endswith("en") or words[0] in _IRREGULAR_PARTICIPLES)


def _background(text: str, said: str, found: Attribution, lexicon: Lexicon) -> str | None:
    if found.attributed:
        return None
    cue = _cue(lexicon.background, said)
    return f"background: a commonplace the article takes as known ('{cue}')" if cue else None


def _interpretation(text: str, said: str, found: Attribution, lexicon: Lexicon) -> str | None:
    """Opinion however detailed: an interpreting phrase, or an abstract subject judged ('The implications are far-reaching')."""
    cue = _cue(lexicon.interpretation, said)
    if cue:
        return f"opinion: interprets rather than reports ('{cue}')"
    noun = None if found.attributed else _analysis_subject(said, lexicon)
    judged = _judgement_after_copula(said, lexicon) if noun else None
    if noun and judged:
        return f"opinion: analysis, not a report ('{noun} ... {judged}')"
    return None


def _opinion(text: str, said: str, found: Attribution, lexicon: Lexicon) -> str | None:
    judged = _judgement_after_copula(said, lexicon)
    if judged:
        return f"opinion: evaluates, nothing to check ('{judged}')"
    if lexicon.opinion is not None:
        words = {" ".join(m.group(0).lower().split()) for m in lexicon.opinion.finditer(said)}
        if len(words) >= 2:
            return f"opinion: evaluates, nothing to check ('{', '.join(sorted(words))}')"
    if not found.attributed:
        noun = _analysis_subject(said, lexicon)
        if noun:
            return f"opinion: analysis, not a report ('{noun}')"
    return None


def _judgement_after_copula(clause: str, lexicon: Lexicon) -> str | None:
    if lexicon.opinion is None:
        return None
    for m in lexicon.opinion.finditer(clause):
        before = [w.lower() for w in _WORD.findall(clause[:m.start()])][-(COPULA_GAP + 1):]
        if any(w in _COPULA for w in before):
            return " ".join(m.group(0).split())
    return None


def main_clause_start(clause: str) -> str:
    """The clause after an opening connective or phrase: 'At a regional level, the desertions ...' -> 'the desertions ...'."""
    words = _WORD.findall(clause)
    comma = clause.find(",")
    if words and comma > 0 and (words[0].lower() in _LEADING | _SUBORDINATE or words[0].lower().endswith("ly")):
        return clause[comma + 1:].strip()
    return clause


def _analysis_subject(clause: str, lexicon: Lexicon) -> str | None:
    if lexicon.analysis is None:
        return None
    start = " ".join(_WORD.findall(main_clause_start(clause))[:SUBJECT_WORDS])
    return _cue(lexicon.analysis, start)


def pronoun_subject(text: str, found: Attribution) -> str | None:
    """The pronoun a claim's subject is, when what it stands for is not in the claim.

    'They then shipped the parts ...' -> 'They'; 'Some are known to ...' -> 'Some';
    not 'It is believed that ...' (an empty 'it'), 'Some reports say ...', 'He
    says ...' (the speaker, not the subject), 'While South Koreans are
    sympathetic, they ...' (named before it, in the claim), nor 'Since it
    began testing, North Korea ...' (named after it).
    """
    for m in _SUBJECT.finditer(text):
        if any(start <= m.start() < end for start, end in found.frame):
            continue
        before = text[:m.start()]
        if _names_something(before):
            return None
        if _WORD.findall(before) and _WORD.findall(before)[-1].lower() in _SUBORDINATE:
            continue  # 'Since it began ..., North Korea has ...': what it stands for comes after
        first, clause = m.group(1), text[m.start():]
        low = first.lower()
        words = _WORD.findall(clause)
        nxt = words[1].lower() if len(words) > 1 else ""
        if low == "it":
            return None if _EXPLETIVE_IT.match(clause) else first
        if low in ("they", "he", "she", "we"):
            return first
        if low in _PRONOUN_SUBJECTS or low in _QUANTIFIER_SUBJECTS:
            return first if nxt in _AUXILIARIES or not nxt else None
        return None
    return None


_SUBJECT = re.compile(r"(?<![\w'\u2019-])(" + "|".join(sorted(_PRONOUN_SUBJECTS | _QUANTIFIER_SUBJECTS | {"he", "she", "we"}))
                      + r")(?![\w'\u2019-])", re.IGNORECASE)
_FUNCTION = frozenset("""a an the of to in on at by for from with and or but if when while as after before since
during over under this that these those then also however furthermore moreover finally meanwhile still yet
instead indeed thus therefore hence besides nonetheless nevertheless overall ultimately later earlier now""".split())


def _names_something(before: str) -> bool:
    """Whether the words before a pronoun hold something it could stand for (not only 'In 2023, ...')."""
    return any(w.lower() not in _FUNCTION and not w[0].isdigit() and not w.lower().endswith("ly")
               for w in _WORD.findall(before))
