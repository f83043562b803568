"""Language signals, the lexicon file, and the `language` rubric criterion."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credcheck import assess_claim, load_rubric
from credcheck.errors import CredcheckError
from credcheck.rubric.signals import FAMILIES, signals
from credcheck.rubric.lexicon import compile_phrases, load_lexicon
from credcheck.model import Claim, Report, Source
from credcheck.resources import rubrics_dir
from credcheck.rubric.model import available_rubric_names, find_rubric

LEX = load_lexicon()
PRECISE = ("The Joint Chiefs of Staff said on 14 March 2026 that two soldiers crossed the "
           "Military Demarcation Line near Cheorwon.")


def sig(text: str):  # type: ignore[no-untyped-def]
    return signals(text, LEX)


# --- hedging --------------------------------------------------------------------------

@pytest.mark.parametrize("text, hedges", [
    ("Two soldiers reportedly crossed the line.", ("reportedly",)),
    ("The unit allegedly fled, and may have been disbanded.", ("allegedly", "may")),
    ("Anecdotal evidence suggests that desertions are rising.", ("anecdotal", "suggests")),
    ("The figure could not be independently verified.", ("could not be independently verified",)),
    ("REPORTEDLY the guards were arrested.", ("reportedly",)),  # case-insensitive
    ("Unconfirmed reports claim a second tunnel.", ("unconfirmed", "claim")),
])
def test_hedging_markers(text: str, hedges: tuple[str, ...]) -> None:
    assert sig(text).hedging == hedges


@pytest.mark.parametrize("text", [
    PRECISE,
    "Officials voiced dismay at the claimant's lawyers.",   # 'may' and 'claim' only inside other words
    "The mayor of Paju opened the crossing.",
    "Desertions rose in May 2026, according to the ministry.",  # May the month is a date, not a hedge
])
def test_no_hedge_in_precise_or_lookalike_wording(text: str) -> None:
    assert sig(text).hedging == ()


def test_month_may_is_a_date_and_modal_may_a_hedge() -> None:
    assert sig("Desertions rose in May 2026.").specifics == (("date", "in May 2026"),)
    assert sig("Desertions may rise.").hedging == ("may",)
    assert sig("Desertions may rise.").specifics == ()


# --- vague attribution ------------------------------------------------------------------

@pytest.mark.parametrize("text, vague", [
    ("Sources say the battalion was moved.", ("sources say",)),
    ("It is believed that the shaft flooded.", ("it is believed",)),
    ("Some reports claim a surge in crossings.", ("some reports",)),
    ("Leaks from within the party describe purges.", ("leaks",)),
    ("An official who asked not to be named confirmed it.", ("asked not to be named",)),
])
def test_vague_attribution(text: str, vague: tuple[str, ...]) -> None:
    assert sig(text).vague_attribution == vague


def test_named_dated_attribution_is_not_vague() -> None:
    s = sig(PRECISE)
    assert s.vague_attribution == () and s.absolutes == () and s.loaded == ()


# --- specificity --------------------------------------------------------------------------

def test_specific_detail_of_every_kind() -> None:
    s = sig("General Pak Jong-chon arrived in Jilin province with 2 battalions on Monday, 40 km from Hyesan.")
    assert s.specifics == (("person", "General Pak Jong-chon"), ("place", "Jilin province"), ("unit", "2 battalions"),
                           ("date", "Monday"), ("unit", "40 km"), ("place", "Hyesan"))
    assert s.specific_kinds == ("date", "unit", "place", "person")


def test_a_date_is_not_also_counted_as_numbers() -> None:
    assert sig("It happened on 12 March 2026.").specifics == (("date", "12 March 2026"),)
    assert sig("Seven guards and 1,200 civilians left.").specifics == (("number", "Seven"), ("number", "1,200"))


@pytest.mark.parametrize("text", [
    "The city was quiet and the Korean Peninsula tense.",   # 'The city' is no name; a peninsula is no place here
    "One key factor is the dire living conditions.",          # 'one' is a pronoun, not a count
    "Soldiers march across the hills.",                      # 'march' the verb is not a month
])
def test_nothing_specific(text: str) -> None:
    assert sig(text).specifics == ()


# --- absolutes and loaded words -------------------------------------------------------------

def test_absolutes_and_loaded_words() -> None:
    s = sig("The exodus is unmistakable: the regime will never recover from this brazen defiance.")
    assert s.absolutes == ("unmistakable", "never")
    assert s.loaded == ("exodus", "brazen")
    assert sig(PRECISE).absolutes == () and sig(PRECISE).loaded == ()


# --- lexicon matching and validation -----------------------------------------------------------

def test_phrases_match_whole_words_any_case_and_either_apostrophe() -> None:
    pattern = compile_phrases(("claim*", "let's", "sources say"))
    assert pattern is not None
    text = "Claims, CLAIMED, acclaim, let\u2019s and Sources\n  say"
    assert [m.group(0) for m in pattern.finditer(text)] == ["Claims", "CLAIMED", "let\u2019s", "Sources\n  say"]


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_lexicon_errors_point_at_file_line_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.yaml", "name: bad\nsignals:\n  hedging: [may, 'cl*aim', may]\n  hedgin: [x]\n"
                                         "specificity:\n  units: 5\n")
    with pytest.raises(CredcheckError) as err:
        load_lexicon(path)
    f = str(path)
    assert [str(p) for p in err.value.problems] == [
        f"{f}:3:18: signals.hedging[1]: 'cl*aim': '*' may only end the last word of a phrase",
        f"{f}:3:28: signals.hedging[2]: 'may' is listed twice",
        f"{f}:4:3: signals.hedgin: unknown key 'hedgin' in signals section (did you mean 'hedging'?)",
        f"{f}:6:10: specificity.units: expected a list, got number 5",
    ]


def test_lexicon_yaml_errors_are_located(tmp_path: Path) -> None:
    path = _write(tmp_path, "dup.yaml", "signals:\n  hedging: [may]\n  hedging: [might]\n")
    with pytest.raises(CredcheckError, match=r"dup\.yaml:3:3: duplicate key 'hedging'"):
        load_lexicon(path)


def test_lexicon_is_not_mistaken_for_a_rubric() -> None:
    assert (rubrics_dir() / "lexicons" / "language.yaml").is_file()
    assert "language" not in available_rubric_names()
    with pytest.raises(CredcheckError, match="unknown rubric 'language'"):
        find_rubric("language")


# --- the criterion ---------------------------------------------------------------------------------

RUBRIC = load_rubric("default")
SOURCES = {"jcs": Source("jcs", "ROK Joint Chiefs of Staff", "official_on_record"),
           "nis": Source("nis", "South Korean intelligence", "intelligence_service"),
           "ngo": Source("ngo", "Border NGO", "ngo")}
# The default rubric gives wording no weight (docs/judgment.md); these numbers exercise the arithmetic.
WEIGHED = """\
extends: default
criteria:
  language:
    decibans:
      hedging: {each: 0.5, max: 1}
      vague_attribution: {each: 1, max: 2}
      absolutes: {each: 0.5, max: 1}
      loaded: {each: 0.5, max: 1}
      specificity: {each: 0.2, max: 0.6}
"""


@pytest.fixture(scope="module")
def weighed(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("rubrics") / "weighed.yaml"
    path.write_text(WEIGHED, encoding="utf-8")
    return load_rubric(path)


def language_of(text: str, reports: tuple[Report, ...] = (Report("jcs"),), rubric=RUBRIC):  # type: ignore[no-untyped-def]
    return assess_claim(Claim("c", text, reports=reports), SOURCES, rubric)


def test_by_default_wording_weighs_nothing_but_still_raises_flags_and_gaps() -> None:
    a = language_of("Sources say the unit reportedly fled.")
    result = a.criteria["language"]
    assert (result.decibans, result.score) == (0.0, 50.0)
    assert result.reasons == ("+0.0 dB: its signals weigh nothing in this rubric",
                              "hedged: 'reportedly'", "vague attribution: 'sources say'",
                              "no number, no date, no named place or person")
    assert {"hedged", "vague_attribution"} <= set(a.flags)
    assert "a named source in place of 'sources say'" in a.gaps
    assert "a checkable detail (number, date, named place or person)" in a.gaps
    assert result.extra["signals"]["hedging"] == ["reportedly"]
    assert a.probability == language_of("The unit fled.").probability


def test_checkable_detail_is_listed_only_where_the_rubric_weighs_it(weighed) -> None:  # type: ignore[no-untyped-def]
    unweighed = language_of("The unit reportedly fled near Kaesong on 3 May.").criteria["language"]
    assert unweighed.reasons == ("+0.0 dB: its signals weigh nothing in this rubric", "hedged: 'reportedly'")
    assert unweighed.extra["signals"]["checkable"] is True and "specifics" not in unweighed.extra["signals"]
    listed = language_of("The unit reportedly fled near Kaesong on 3 May.", rubric=weighed).criteria["language"]
    assert listed.reasons[-1] == "specific: place 'Kaesong', date '3 May'"
    assert listed.extra["signals"]["checkable"] is True
    assert listed.extra["signals"]["specifics"] == [{"kind": "place", "text": "Kaesong"}, {"kind": "date", "text": "3 May"}]


@pytest.mark.parametrize("text", [PRECISE, "Sources say it may be so.", "In May 2026 it may have happened.",
                                  "Reportedly 3,000 fled.", "The unit fled.", "Allegedly, Colonel Kim defected.", ""])
def test_not_listing_details_changes_nothing_else(text: str) -> None:
    listed, unlisted = signals(text, LEX), signals(text, LEX, details=False)
    assert unlisted.specifics is None and unlisted.checkable == bool(listed.specifics) == listed.checkable
    assert [getattr(unlisted, f) for f in FAMILIES] == [getattr(listed, f) for f in FAMILIES]


def test_weighed_signals_take_decibans_off(weighed) -> None:  # type: ignore[no-untyped-def]
    result = language_of("Sources say the unit reportedly fled.", rubric=weighed).criteria["language"]
    assert result.decibans == -1.5
    assert result.reasons[0] == "-1.5 dB: hedged -0.5, vague attribution -1.0"


def test_weighed_specific_wording_adds_decibans(weighed) -> None:  # type: ignore[no-untyped-def]
    a = language_of(PRECISE, rubric=weighed)
    result = a.criteria["language"]
    assert result.decibans == pytest.approx(0.6)  # date, unit, place: 3 x 0.2
    assert result.reasons[0] == "+0.6 dB: specific +0.6"
    assert not {"hedged", "vague_attribution", "loaded_language"} & set(a.flags)


def test_each_family_stops_at_its_maximum(weighed) -> None:  # type: ignore[no-untyped-def]
    text = ("Sources say, according to reports, that it is believed the exodus may possibly, "
            "allegedly and reportedly never end, an unmistakable and brazen catastrophe.")
    result = language_of(text, rubric=weighed).criteria["language"]
    assert result.reasons[0] == "-5.0 dB: hedged -1.0, vague attribution -2.0, absolutes -1.0, loaded -1.0"


def test_language_moves_the_sum_by_its_decibans_only(weighed) -> None:  # type: ignore[no-untyped-def]
    plain, hedged = language_of("The unit fled.", rubric=weighed), language_of("The unit reportedly fled.", rubric=weighed)
    assert plain.decibans - hedged.decibans == pytest.approx(0.5, abs=0.01)
    assert [plain.criteria[c].decibans for c in ("source", "corroboration", "verifiability")] == \
           [hedged.criteria[c].decibans for c in ("source", "corroboration", "verifiability")]


@pytest.mark.parametrize("text", ["The unit reportedly fled.", PRECISE, "Sources say it is believed it may be so."])
def test_adding_an_independent_supporting_line_never_lowers_the_probability(text: str, weighed) -> None:  # type: ignore[no-untyped-def]
    before = language_of(text, (Report("jcs"),), weighed)
    after = language_of(text, (Report("jcs"), Report("ngo")), weighed)
    more = language_of(text, (Report("jcs"), Report("ngo"), Report("nis")), weighed)
    assert before.probability <= after.probability <= more.probability
    assert after.criteria["language"].decibans == before.criteria["language"].decibans


def test_points_of_the_earlier_format_say_what_to_write_instead(tmp_path: Path) -> None:
    team = _write(tmp_path, "team.yaml", "extends: default\ncriteria:\n  language:\n    base: 60\n    hedging: {each: 15, max: 30}\n")
    with pytest.raises(CredcheckError) as err:
        load_rubric(team)
    messages = [str(p) for p in err.value.problems]
    assert messages[0] == f"{team}:4:5: criteria.language.base: 'base' is from an earlier rubric format: removed: plain wording weighs nothing (0 dB); delete `base`"
    assert messages[1].startswith(f"{team}:5:5: criteria.language.hedging: 'hedging' is from an earlier rubric format: now in decibans under `decibans:`")


# --- rubrics with and without the criterion ----------------------------------------------------------

def _rubric_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "rubrics"
    (folder / "lexicons").mkdir(parents=True)
    shutil.copy(rubrics_dir() / "default.yaml", folder / "default.yaml")
    shutil.copy(rubrics_dir() / "lexicons" / "language.yaml", folder / "lexicons" / "language.yaml")
    return folder


def test_the_rubric_digest_and_files_cover_the_lexicon(tmp_path: Path) -> None:
    folder = _rubric_copy(tmp_path)
    first = load_rubric(folder / "default.yaml")
    assert [Path(f).name for f in first.files] == ["default.yaml"]
    lexicon = folder / "lexicons" / "language.yaml"
    lexicon.write_text(lexicon.read_text(encoding="utf-8").replace("    - reportedly\n", ""), encoding="utf-8")
    second = load_rubric(folder / "default.yaml")
    assert second.sha256 != first.sha256
    text = "The unit reportedly fled."
    assert assess_claim(Claim("c", text), {}, second).criteria["language"].extra["signals"]["hedging"] == []
    assert assess_claim(Claim("c", text), {}, first).criteria["language"].extra["signals"]["hedging"] == ["reportedly"]


def test_a_rubric_names_its_lexicon_next_to_itself(tmp_path: Path) -> None:
    folder = _rubric_copy(tmp_path)
    _write(folder / "lexicons", "strict.yaml", "signals:\n  hedging: [fled]\n")
    _write(folder, "team.yaml", "extends: default\nname: team\ncriteria:\n  language:\n    lexicon: strict\n")
    rubric = load_rubric(folder / "team.yaml")
    result = assess_claim(Claim("c", "The unit reportedly fled."), {}, rubric).criteria["language"]
    assert result.reasons[1] == "hedged: 'fled'"


def test_an_unknown_lexicon_is_reported_at_the_rubric_line(tmp_path: Path) -> None:
    folder = _rubric_copy(tmp_path)
    team = _write(folder, "team.yaml", "extends: default\ncriteria:\n  language:\n    lexicon: nope\n")
    with pytest.raises(CredcheckError) as err:
        load_rubric(team)
    assert [str(p) for p in err.value.problems] == [
        f"{team}:4:14: criteria.language.lexicon: unknown lexicon 'nope'; available: language"]


def test_an_older_rubric_without_the_language_criterion_still_loads_and_scores(tmp_path: Path) -> None:
    text = (rubrics_dir() / "default.yaml").read_text(encoding="utf-8")
    start, end = text.index("  language:\n"), text.index("# Confidence (ICD 203)")
    old = _write(tmp_path, "old.yaml", text[:start] + text[end:])
    rubric = load_rubric(old)
    assert list(rubric.criteria) == ["source", "corroboration", "verifiability"]
    a = assess_claim(Claim("c", "The unit reportedly fled.", reports=(Report("jcs"),)), SOURCES, rubric)
    assert "language" not in a.criteria and "hedged" not in a.flags


# --- the fast path finds exactly what scanning every position finds ----------------------------------

def _reference(text: str) -> tuple:  # type: ignore[type-arg]
    """Signals the slow, obvious way: every pattern over the whole text."""
    taken, found, dates = [], [], []
    for specific in LEX.specifics:
        for m in specific.pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), specific.kind, " ".join(m.group(0).split())))
            if specific.kind == "date":
                dates.append((m.start(), m.end()))
    families = []
    for family in ("hedging", "vague_attribution", "absolutes", "loaded"):
        seen: dict[str, None] = {}
        for m in getattr(LEX, family).finditer(text):
            if not any(m.start() < e and s < m.end() for s, e in dates):
                seen.setdefault(" ".join(m.group(0).split()).lower().replace("\u2019", "'"), None)
        families.append(tuple(seen))
    return (*families, tuple(dict.fromkeys((k, v) for _, k, v in sorted(found))))


_VOCAB = sorted({w for phrases in LEX.words.values() for p in phrases for w in p.rstrip("*").split()}
                | {"Kim", "The", "the", "in", "May", "2026", "3,000", "12th", "40%", "°", "North", "Jilin", "x"})


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_VOCAB), st.sampled_from([" ", "  ", ", ", "-", "'", "\u2019", ". ", "\n", ""])),
                max_size=25))
@pytest.mark.slow
def test_indexed_matching_equals_a_full_scan(parts: list[tuple[str, str]]) -> None:
    text = "".join(word + sep for word, sep in parts)
    got, reference = signals(text, LEX), _reference(text)
    assert (got.hedging, got.vague_attribution, got.absolutes, got.loaded, got.specifics) == reference
    unlisted = signals(text, LEX, details=False)  # as scored under a rubric that does not weigh details
    assert (unlisted.hedging, unlisted.vague_attribution, unlisted.absolutes, unlisted.loaded) == reference[:4]
    assert unlisted.checkable == bool(reference[4])


def test_word_starts_are_the_whole_word_occurrences() -> None:
    import re
    from credcheck.rubric.lexicon import lowered, word_starts
    low = lowered("It may be, it's said, that it’s MAY-day; itself: it_ is 'it' it")
    for word, starts in word_starts(low).items():
        whole = re.compile(rf"(?<![\w']){re.escape(word)}(?![\w'])")
        assert starts == [m.start() for m in whole.finditer(low)], word
    assert word_starts(low)["it"] == [0, 61]  # not "it's", "itself", "it_" or "'it'"


def test_the_rubric_config_stays_plain_data_and_pickles_with_its_lexicon() -> None:
    import json
    import pickle
    config = RUBRIC.criteria["language"]
    assert json.loads(json.dumps(config))["lexicon"] == "language"
    copy = pickle.loads(pickle.dumps(RUBRIC))  # as when claims are scored in worker processes
    claim = Claim("c", "Sources say the unit reportedly fled near Kaesong.", reports=(Report("jcs"),))
    assert assess_claim(claim, SOURCES, copy) == assess_claim(claim, SOURCES, RUBRIC)


# --- the one-pass word lookup ---------------------------------------------------------------------

def test_word_roles_say_what_each_word_can_start_or_trigger() -> None:
    from credcheck.rubric.signals import _vocabulary
    vocab = _vocabulary(LEX)
    kinds = [s.kind for s in LEX.specifics]
    roles = vocab.roles({"reportedly", "soldiers", "march", "two", "a4", "zzz"})
    assert set(roles) == {"reportedly", "march", "two", "a4"}  # 'soldiers' and 'zzz' do nothing
    assert roles["reportedly"].families == ("hedging",)
    assert kinds.index("date") in roles["march"].triggers and kinds.index("date") in roles["march"].starts
    assert kinds.index("number") in roles["two"].triggers
    assert roles["a4"].digit and not roles["two"].digit
    assert vocab.roles({"zzz"}) == {} and vocab.roles(set()) == {}  # asked again: from the cache


def test_a_text_without_any_lexicon_word_digit_or_sign_has_no_signals() -> None:
    from credcheck.rubric.signals import NONE
    assert sig("Soldiers crossed quietly at dawn.") is NONE
    assert sig("Soldiers crossed at 38 ° N.").specifics == _reference("Soldiers crossed at 38 ° N.")[4] != ()
    from credcheck.rubric.signals import _vocabulary
    assert _vocabulary(LEX).has_chars("at 38°")  # a sign alone makes a kind worth trying
    assert sig("Unit A4 crossed.") == sig("Unit A4 crossed.") and sig("Unit A4 crossed.").specifics == ()  # no digit starts a word
