"""language: does the claim's own wording vouch for it, and could it be checked?

Reads the claim text for signals (see credcheck/language.py) with the words
of a lexicon (rubrics/lexicons/language.yaml unless `lexicon` names
another). Starting from `base`, each distinct marker of hedging
("reportedly", "may"), vague attribution ("sources say"), absolutes
("never") and loaded words ("exodus") takes `each` points, at most `max`
per family; each kind of checkable detail (a number, date, unit, named place
or named person) adds `each`, at most `max`. The result is clamped to 0-100.
Flags: `hedged`, `vague_attribution`, `loaded_language` (absolutes or loaded
words). Optional: rubrics without it still load.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from credcheck.errors import CredcheckError, Problems
from credcheck.rubric import confine
from credcheck.rubric.signals import FAMILIES, Signals, describe, signals
from credcheck.rubric.lexicon import DEFAULT, Lexicon, load_lexicon
from credcheck.model import CriterionResult
from credcheck.rubric.criteria.memo import memo_for
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
    "each": Field(Num(0, 100), required=True, doc="points per distinct marker (or per kind of detail)"),
    "max": Field(Num(0, 100), required=True, doc="at most this many points from this family"),
}, what="points per marker")

CONFIG = Obj({
    "lexicon": Field(Any_(json={"type": "string"}, convert=_lexicon), default=lambda: LexiconName(DEFAULT, load_lexicon(DEFAULT)),
                     doc="the lexicon: a name in rubrics/lexicons/ or a path (default: language)"),
    "base": Field(Num(0, 100), required=True, doc="points for plain wording with no signal either way"),
    "hedging": Field(STEP, required=True, doc="points off per hedging marker"),
    "vague_attribution": Field(STEP, required=True, doc="points off per vague attribution"),
    "absolutes": Field(STEP, required=True, doc="points off per absolute"),
    "loaded": Field(STEP, required=True, doc="points off per loaded word"),
    "specificity": Field(STEP, required=True, doc="points added per kind of checkable detail"),
}, what="language criterion")

_SHORT = {"hedging": "hedged", "vague_attribution": "vague attribution", "absolutes": "absolutes", "loaded": "loaded"}


def score(analysis: "Analysis", config: dict[str, Any], weight: float) -> CriterionResult:
    sig = signals(analysis.claim.text, config["lexicon"].lexicon)
    # The result depends on the signals alone, and wordings share few distinct ones.
    memo = memo_for(config, weight)
    key = (sig.hedging, sig.vague_attribution, sig.absolutes, sig.loaded, sig.specifics)  # hashed in C, unlike a Record
    result = memo.get(key)
    if result is None:
        result = memo[key] = _score(sig, config, weight)
    return result


def _score(sig: Signals, config: dict[str, Any], weight: float) -> CriterionResult:
    base = float(config["base"])
    steps: list[str] = []
    total = base
    for family in FAMILIES:
        count = len(getattr(sig, family))
        if count:
            off = min(float(config[family]["each"]) * count, float(config[family]["max"]))
            total -= off
            steps.append(f"{_SHORT[family]} -{off:g}")
    kinds = len(sig.specific_kinds)
    if kinds:
        bonus = min(float(config["specificity"]["each"]) * kinds, float(config["specificity"]["max"]))
        total += bonus
        steps.append(f"specific +{bonus:g}")
    value = max(0.0, min(100.0, total))
    head = f"{value:g} points: base {base:g}" + "".join(f", {s}" for s in steps)
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
    if not sig.specifics and (sig.hedging or sig.vague_attribution):  # weak wording with nothing to check it by
        gaps.append("a checkable detail (number, date, named place or person)")
    return CriterionResult(round(value, 4), weight, (head, *describe(sig)), extra={"signals": sig.as_dict()},
                           flags=tuple(flags), gaps=tuple(gaps))


def included_files(config: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """(file, sha256) of the lexicon: part of what the rubric's digest covers."""
    lexicon: Lexicon = config["lexicon"].lexicon
    return ((lexicon.file, lexicon.sha256),)
