"""Lexicon entries: the quick acceptance of plain phrases agrees with the full check (rubric/lexicon.py)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from credcheck.errors import Mark, Problems
from credcheck.load.schema import INVALID, Ctx
from credcheck.rubric.lexicon import Phrase


class Spelled(str):
    """Text that is not exactly `str`: Phrase.check takes its full path for it."""


def checked(value: object) -> tuple[object, list[str]]:
    problems = Problems()
    got = Phrase().check(value, Ctx(Mark("l.yaml", 1, 1), "signals.hedging[0]"), problems)
    return (INVALID if got is INVALID else str(got)), [str(p) for p in problems.items]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab* \t\n\u2003\u00e9'", max_size=8))
def test_a_phrase_is_checked_as_the_full_check_checks_it(text: str) -> None:
    assert checked(text) == checked(Spelled(text))


def test_plain_phrases_and_mistakes() -> None:
    assert checked("sources say") == ("sources say", [])
    assert checked("claim*") == ("claim*", [])
    assert checked("  sources \t say ") == ("sources say", [])  # spaces tidied, by the full check
    assert checked("cl*aim")[0] is INVALID and checked("*")[0] is INVALID and checked("a* b")[0] is INVALID
