"""language: does the claim's own wording vouch for it, and could it be checked?

Reads the claim text for signals (see credcheck/language.py) with the words
of a lexicon (rubrics/lexicons/language.yaml unless `lexicon` names
another). Each distinct marker of hedging ("reportedly", "may"), vague
attribution ("sources say"), absolutes ("never") and loaded words ("exodus")
takes `each` decibans off, at most `max` per family; each kind of checkable
detail (a number, date, unit, named place or named person) adds `each`, at
most `max`. Plain wording weighs nothing. The default rubric gives the
signals only the weight they earned when measured (see docs/judgment.md),
but its flags and gaps are raised whatever they weigh: `hedged`,
`vague_attribution`, `loaded_language` (absolutes or loaded words).
Optional: rubrics without it still load.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from credcheck.errors import CredcheckError, Problems
from credcheck.rubric import confine
from credcheck.rubric.signals import FAMILIES, Signals, describe, signals
from credcheck.rubric.lexicon import DEFAULT, Lexicon, load_lexicon
from credcheck.model import CriterionResult
from credcheck.rubric.criteria.memo import Memo
from credcheck.rubric.criteria.source import percent, signed
from credcheck.load.schema import INVALID, Any_, Ctx, Field, Num, Obj

if TYPE_CHECKING:
    from credcheck.rubric.criteria.analysis import Analysis

ID = "language"


class LexiconName(str):
    """The rubric's `lexicon:` value, still plain text to JSON and comparisons, carrying the loaded lexicon."""

    lexicon: Lexicon

    def __new__(cls, name: str, lexicon: Lexicon) -> "LexiconName":
        self = super().__new__(cls, name)
        self.lexicon = lexicon
        return self

    def __reduce__(self) -> Any:  # pickles (for workers) with its lexicon
        return (LexiconName, (str(self), self.lexicon))


def _lexicon(value: Any, ctx: Ctx, problems: Problems) -> Any:
    """A lexicon name or path, loaded and validated now so its mistakes surface with the rubric's."""
    if not isinstance(value, str) or not value.strip():
        problems.add(ctx.mark, ctx.path, "expected a lexicon name (rubrics/lexicons/NAME.yaml) or a path")
        return INVALID
    near = Path(ctx.mark.file).parent if ctx.mark and ctx.mark.file else None
    try:
        return LexiconName(value, load_lexicon(value, near, confine.current()))
    except CredcheckError as exc:
        for p in exc.problems:
            problems.add(p.mark or ctx.mark, p.path if p.mark else ctx.path, p.message)
        return INVALID


STEP = Obj({
    "each": Field(Num(0, 10), required=True, doc="decibans per distinct marker (or per kind of detail)"),
    "max": Field(Num(0, 10), required=True, doc="at most this many decibans from this family"),
}, what="decibans per marker")

_ZERO = {"each": 0.0, "max": 0.0}
DECIBANS = Obj({
    "hedging": Field(STEP, default=lambda: dict(_ZERO), doc="decibans off per hedging marker"),
    "vague_attribution": Field(STEP, default=lambda: dict(_ZERO), doc="decibans off per vague attribution"),
    "absolutes": Field(STEP, default=lambda: dict(_ZERO), doc="decibans off per absolute"),
    "loaded": Field(STEP, default=lambda: dict(_ZERO), doc="decibans off per loaded word"),
    "specificity": Field(STEP, default=lambda: dict(_ZERO), doc="decibans added per kind of checkable detail"),
}, what="language decibans")

_MOVED = ("now in decibans under `decibans:` (points do not carry over), e.g. "
          "decibans: {specificity: {each: 0.2, max: 0.6}}; a family left out weighs nothing")
CONFIG = Obj({
    "lexicon": Field(Any_(json={"type": "string"}, convert=_lexicon), default=lambda: LexiconName(DEFAULT, load_lexicon(DEFAULT)),
                     doc="the lexicon: a name in rubrics/lexicons/ or a path (default: language)"),
    "decibans": Field(DECIBANS, default=lambda: {f: dict(_ZERO) for f in (*FAMILIES, "specificity")},
                      doc="decibans per signal; a family left out weighs nothing"),
}, what="language criterion", removed={
    "base": "removed: plain wording weighs nothing (0 dB); delete `base`",
    **{family: _MOVED for family in (*FAMILIES, "specificity")},
})

_SHORT = {"hedging": "hedged", "vague_attribution": "vague attribution", "absolutes": "absolutes", "loaded": "loaded"}


class Prepared(NamedTuple):
    """What this criterion keeps per rubric (the engine's plan holds it)."""

    memo: Memo  # results by signals: the result depends on the signals alone, and wordings share many
    details: bool  # list the checkable details: only where the rubric weighs them


def prepare(config: dict[str, Any]) -> Prepared:
    specificity = config["decibans"]["specificity"]
    return Prepared(Memo(), bool(float(specificity["each"]) and float(specificity["max"])))


def score(analysis: "Analysis", config: dict[str, Any], prepared: Prepared | None = None) -> CriterionResult:
    """`prepared` is prepare(config), made once per rubric by the engine's plan; made here without it.

    Checkable details are listed (in the reasons and the JSON) only where the
    rubric gives them weight; otherwise the criterion asks only whether the
    text holds one, for its gap: listing them is half the cost of reading a
    text, for a signal that weighs nothing."""
    memo, details = prepared if prepared is not None else prepare(config)
    sig = signals(analysis.claim.text, config["lexicon"].lexicon, details)
    key = (sig.hedging, sig.vague_attribution, sig.absolutes, sig.loaded, sig.specifics, sig.checkable)  # hashed in C
    return memo.get(key, lambda: _score(sig, config))


def _score(sig: Signals, config: dict[str, Any]) -> CriterionResult:
    table = config["decibans"]
    steps: list[str] = []
    total = 0.0
    found = False
    for family in FAMILIES:
        count = len(getattr(sig, family))
        if count:
            found = True
            off = min(float(table[family]["each"]) * count, float(table[family]["max"]))
            if off:
                total -= off
                steps.append(f"{_SHORT[family]} {-off:+.1f}")
    kinds = len(sig.specific_kinds)
    if kinds:
        found = True
        bonus = min(float(table["specificity"]["each"]) * kinds, float(table["specificity"]["max"]))
        if bonus:
            total += bonus
            steps.append(f"specific {bonus:+.1f}")
    quiet = "its signals weigh nothing in this rubric" if found or sig.checkable else "no signal"
    head = f"{signed(total)} dB: " + (", ".join(steps) if steps else quiet)
    flags = []
    if sig.hedging:
        flags.append("hedged")
    if sig.vague_attribution:
        flags.append("vague_attribution")
    if sig.absolutes or sig.loaded:
        flags.append("loaded_language")
    gaps = []
    if sig.vague_attribution:
        gaps.append(f"a named source in place of '{sig.vague_attribution[0]}'")
    if not sig.checkable and (sig.hedging or sig.vague_attribution):  # weak wording with nothing to check it by
        gaps.append("a checkable detail (number, date, named place or person)")
    total = round(total, 4)
    return CriterionResult(percent(total), abs(total), (head, *describe(sig)), extra={"signals": sig.as_dict()},
                           flags=tuple(flags), gaps=tuple(gaps), decibans=total)


def included_files(config: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """(file, sha256) of the lexicon: part of what the rubric's digest covers."""
    lexicon: Lexicon = config["lexicon"].lexicon
    return ((lexicon.file, lexicon.sha256),)
