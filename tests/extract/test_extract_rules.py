"""Each rule of `credcheck extract` on small texts: what is a claim, who says so, what carries, what merges."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples
from credcheck.extract.attribution import attribute, content
from credcheck.extract.checkable import main_modal, pronoun_subject, skip_reason
from credcheck.extract.drafts import extract, render_draft, verify
from credcheck.load.claims import load_claims
from credcheck.rubric.lexicon import load_lexicon
from credcheck.rubric.model import load_rubric

LEX = load_lexicon()
RUBRIC = load_rubric("default")


def draft_of(text: str, name: str = "a.txt"):  # type: ignore[no-untyped-def]
    return extract(text, name, LEX, RUBRIC.source_types)


def reason(sentence: str) -> str | None:
    why = skip_reason(sentence, attribute(sentence, LEX), LEX)
    return why.split(":")[0] if why else None


def sources_of(text: str) -> list[tuple[str, ...]]:
    draft = draft_of(text)
    names = {s.id: s.name for s in draft.sources}
    return [tuple(names[r.source] for r in c.reports) for c in draft.claims]


# --- what is a claim -----------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, why", [
    # claims: events, counts, states, hedged or attributed
    ("Two soldiers crossed the border near Kaesong on Monday.", None),
    ("The food supply for the soldiers is often inadequate, leading to malnourishment.", None),
    ("Corruption is often rampant, with commanders siphoning off supplies and funds.", None),
    ("Anecdotal evidence suggests that desertions are on the rise.", None),
    ("Analysts suggest the tunnel may be one of several unfinished shafts.", None),   # a hedge on what is
    ("The crew could have been exposed to the gas, officials said.", None),
    ("Sources claim the tunnel could move as many as 3,000 troops an hour.", None),   # a modal, with detail
    ("The ministry said it would send a team of geologists to the site in April.", None),
    ("Police could not confirm the number of victims.", None),                        # what did not happen
    ("Environmental groups called for an independent inquiry.", None),               # a call, reported
    ("\"We found three bodies in the hall,\" the officer said.", None),               # 'we' of a speaker
    ("The fire was caused by a faulty cable, investigators said.", None),
    # questions and fragments
    ("Why would Pyongyang dig a tunnel?", "question"),
    ("Too short.", "fragment"),
    # meta: the text or its sourcing
    ("This article looks at the desertions.", "meta"),
    ("The company did not respond to questions about the stocks.", "meta"),
    ("The official declined to provide further details.", "meta"),
    ("It was not immediately clear how many homes were damaged.", "meta"),
    # prescriptions, the writer's or a speaker's
    ("Seoul must respond firmly to the threat.", "prescription"),
    ("The situation calls for careful analysis.", "prescription"),
    ("\"Every city should check its warehouses,\" said Anna Liebig.", "prescription"),
    ("Officials say they recognise the need to make sanctions more effective in 2026.", None),  # a noun
    ("Northvale said it had detected unusual activity on its network on Saturday.", None),
    # scenarios: conditionals, modals in the main clause, forecasts
    ("If the talks fail, the regime may resort to provocations.", "scenario"),
    ("One scenario is that desertions continue to escalate.", "scenario"),
    ("The loss of soldiers could lead to miscalculations.", "scenario"),
    ("The fear of punishment can escalate.", "scenario"),
    ("This could be fueled by worsening living conditions.", "scenario"),
    ("Tensions are expected to stay high.", "scenario"),
    ("Officials warned that the toll could rise.", "scenario"),
    # background commonplaces
    ("North Korea is one of the most heavily controlled societies in the world.", "background"),
    ("Ammonium nitrate is widely used as a fertiliser.", "background"),
    ("The definition of insanity, it is often said, is doing the same thing twice.", "background"),
    # opinion: judgement after 'is', interpretation, abstract analysis, attributed judgement
    ("However, this is very difficult.", "opinion"),
    ("It is a complex and dangerous area.", "opinion"),
    ("The discovery is an unmistakable sign that the North never gave up.", "opinion"),
    ("This exodus across the DMZ signals instability in the North.", "opinion"),    # interprets, detail or not
    ("The motives behind these acts of desertion are many.", "opinion"),
    ("One key factor is the dire living conditions that soldiers endure.", "opinion"),
    ("The implications are far-reaching for the two Koreas.", "opinion"),
    ("Military analysts and experts on North Korea agree that the problem is serious.", "opinion"),
])
def test_what_is_a_claim(sentence: str, why: str | None) -> None:
    assert reason(sentence) == why


def test_a_skip_names_its_reason_and_the_words_behind_it() -> None:
    assert skip_reason("The fear of punishment can escalate.", attribute("x", LEX), LEX) == \
        "scenario: what could or would happen, not what is ('can escalate')"
    assert skip_reason("North Korea is one of the most controlled places.", attribute("x", LEX), LEX) == \
        "background: a commonplace the article takes as known ('one of the most')"


@pytest.mark.parametrize("clause, modal", [
    ("the regime may resort to force", "may resort"),
    ("the tunnel may be one of several shafts", None),
    ("the tunnel could be used again", "could be"),
    ("that figure could not be verified", None),
    ("the unit crossed, though the figure could not be verified", None),
    ("the shaft, which could hold 300 men, was found", None),
    ("prices are likely to rise", "are likely to"),
    ("the key question is whether that will happen", None),
    ("the government remains defiant, saying it will continue", None),
    ("the embargo remains one of few tools Washington can use", None),
])
def test_the_modal_of_the_main_clause(clause: str, modal: str | None) -> None:
    assert main_modal(clause) == modal


# --- who says so -------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, found", [
    ("According to defectors, the crews worked at night.", [("defectors", "defector_testimony")]),
    ("South Korean intelligence said the unit was disbanded.", [("South Korean intelligence", "intelligence_service")]),
    ("The guards fled, the Joint Chiefs of Staff said in a statement.", [("Joint Chiefs of Staff", "official_on_record")]),
    ("\"The windows came in,\" said Marta Keller, 52, who lives nearby.", [("Marta Keller", "unknown")]),
    ("Colonel Han, a JCS spokesman, told reporters that the shaft was long.",
     [("Colonel Han, a JCS spokesman", "official_on_record")]),
    ("Harbour Agri, which operates the depot, said it was cooperating.", [("Harbour Agri", "unknown")]),
    ("Eleven were in hospital, according to Dunmore General Hospital.", [("Dunmore General Hospital", "unknown")]),
    ("A 2023 permit seen by this agency allows 1,500 tonnes.", [("2023 permit", "unknown")]),
    ("North Korean state media denied any involvement.", [("North Korean state media", "state_media")]),
    ("Northvale said it had detected unusual activity.", [("Northvale", "unknown")]),        # one word, straight before
    ("About 40 ambulances were redirected, according to the county's director, Leon Farris.",
     [("county's director, Leon Farris", "unknown")]),
    ("Attacks hit three hospitals run by Northvale Health, the company said.", [("Northvale Health", "unknown")]),
    ("A group calling itself NightHarbor claimed the attack on Sunday and said it stole data.",
     [("group calling itself NightHarbor", "unknown")]),                                      # one subject, two verbs
    # one attribution phrase is one source
    ("Military analysts and experts on North Korea agree that desertions rose.",
     [("Military analysts and experts on North Korea", "academic")]),
    ("According to court documents and statements made in court, the men bought 300 engines.",
     [("court documents and statements made in court", "unknown")]),
    # a list names one source per item
    ("Information came from sources, including NIS, defectors and leaks from within North Korea.",
     [("NIS", "intelligence_service"), ("defectors", "defector_testimony"), ("leaks from within North Korea", "unknown")]),
    # vague words are hedges, never sources, unless an origin says whose
    ("Some reports claim that the guards fled.", []),
    ("Anecdotal evidence suggests that the frequency of desertions is on the rise.", []),
    ("Sources say the unit moved north.", []),
    ("Reports circulating in Seoul suggest that digging began years ago.", []),
    ("Anecdotal evidence from residents of border villages points to blasts at night.",
     [("residents of border villages", "eyewitness")]),
    # not sources: a topic, a noun that only looks like a verb, a phrase naming no one
    ("The influx of defectors places a strain on services.", []),
    ("Media reach the North Korean state and its soldiers.", []),
    ("The confluence of factors paints a picture of discontent.", []),
])
def test_who_says_so(sentence: str, found: list[tuple[str, str]]) -> None:
    assert [(f.name, f.type) for f in attribute(sentence, LEX).sources] == found


def test_vague_words_are_kept_as_hedges_and_the_article_reports_the_claim() -> None:
    found = attribute("Some reports claim that the guards fled.", LEX)
    assert found.hedges == ("Some reports",) and not found.sources
    assert content("Some reports claim that the guards fled.", found) == "the guards fled."
    assert sources_of("Some reports claim that the guards fled at night.\n") == [("the article (a.txt)",)]


# --- attributions carry ----------------------------------------------------------------------------

def test_according_to_opening_a_paragraph_covers_its_next_sentences() -> None:
    text = ("According to defectors, the crews worked in shifts around the clock. They were forbidden to speak. "
            "Officials said the shaft flooded last summer. The work stopped for months.\n\n"
            "The tunnel was found in March near the border.\n")
    assert sources_of(text) == [("defectors",), ("defectors",), ("officials",), ("the article (a.txt)",),
                                ("the article (a.txt)",)]


def test_a_list_of_sources_covers_the_sentence_it_points_back_to_and_the_rest_of_its_section() -> None:
    text = ("Title\n\nEvents\n\nAccounts of soldiers deserting have multiplied over the past months. These accounts, "
            "from sources including South Korean intelligence and defector testimonies, describe unrest in the ranks.\n\n"
            "Some reports claim an uptick in desertions near the border. Soldiers crossed the fences at night.\n\n"
            "Causes\n\nThe food supply for the soldiers is often short in winter.\n")
    both = ("South Korean intelligence", "defector testimonies")
    assert sources_of(text) == [both, both, both, both, ("the article (a.txt)",)]


def test_without_sections_a_list_of_sources_covers_its_paragraph_only() -> None:
    text = ("Accounts from sources including NIS and defectors describe unrest in the ranks. "
            "Soldiers crossed the fences at night.\n\nThe guards fled across the river in May.\n")
    assert sources_of(text) == [("NIS", "defectors"), ("NIS", "defectors"), ("the article (a.txt)",)]


def test_a_quote_keeps_its_speaker_and_he_said_is_the_speaker_named_last() -> None:
    text = ("Tomas Brandt, a union representative, said workers had complained for a year. "
            "\"The ventilation was broken in both halls.\"\n\n"
            "\"Nobody fixed the fans in the northern hall,\" he said.\n")
    assert sources_of(text) == [("Tomas Brandt, a union representative",)] * 3


def test_the_agency_said_is_the_agency_named_before() -> None:
    text = ("A soldier defected on Tuesday, Yonhap news agency reported, citing a government source.\n\n"
            "The soldier crossed into Gangwon province, the news agency said.\n\n"
            "He expressed a wish to defect, the unidentified source said.\n")
    assert sources_of(text) == [("government source", "Yonhap news agency"), ("Yonhap news agency",),
                                ("government source",)]


# --- merging, pronouns, drafts -----------------------------------------------------------------------

def test_near_duplicate_sentences_merge_into_one_claim_with_both_sources() -> None:
    draft = draft_of("Four workers were killed in the blast at the depot, the fire service said.\n\n"
                     "The blast injured 27 people.\n\n"
                     "Four workers were killed in the depot blast, police said.\n")
    assert len(draft.claims) == 2
    first = draft.claims[0]
    assert first.sources == ("fire-service", "police")
    assert first.merged == ((5, "Four workers were killed in the depot blast, police said."),)
    text = render_draft(draft, RUBRIC.evidence_types)
    assert "  # merged: line 5 says nearly the same: Four workers were killed in the depot blast, police said.\n" in text


def test_different_claims_in_the_same_words_do_not_merge() -> None:
    draft = draft_of("Two soldiers crossed the border near Kaesong on Monday.\n\n"
                     "Two soldiers were arrested near Kaesong on Tuesday.\n")
    assert len(draft.claims) == 2


@pytest.mark.parametrize("sentence, pronoun", [
    ("They then shipped the parts to a freight company.", "They"),
    ("Some are known to travel by sea.", "Some"),
    ("Those who succeed often head to South Korea.", "Those"),
    ("It was the second fire at the depot in three years, according to local media.", "It"),
    ("In 2023, they shipped the parts abroad.", "they"),
    ("\"They left at night,\" the officer said.", "They"),
    ("Officials said they had found the shaft.", None),                          # named in the claim
    ("While South Koreans are sympathetic to defectors, they also fear them.", None),
    ("It is believed that the tunnel was dug by engineers.", None),
    ("Some reports claim that the guards fled.", None),
    ("Most of the crew had already left the hall.", None),
    ("This case was brought by the task force.", None),
    ("He says sanctions have curtailed foreign business.", None),                # the speaker, not the subject
    ("Since it began testing weapons, North Korea has been isolated.", None),    # named after it
])
def test_a_subject_pronoun_is_flagged(sentence: str, pronoun: str | None) -> None:
    assert pronoun_subject(sentence, attribute(sentence, LEX)) == pronoun


def test_the_pronoun_is_a_todo_for_the_analyst() -> None:
    draft = draft_of("They then shipped the parts to a freight company in 2023.\n")
    assert draft.claims[0].pronoun == "They"
    assert "  # TODO: pronoun: 'They' stands for something named in another sentence; say what in the text\n" in \
        render_draft(draft, RUBRIC.evidence_types)


def test_every_drafted_claim_is_marked_draft_and_each_report_keeps_its_words() -> None:
    draft = draft_of("Two soldiers crossed near Kaesong, officials said.\n\nThe unit moved north in May.\n\n"
                     "Two soldiers crossed near Kaesong, Yonhap reported.\n")
    assert [[r.excerpt for r in c.reports] for c in draft.claims] == [
        ["Two soldiers crossed near Kaesong, officials said.", "Two soldiers crossed near Kaesong, Yonhap reported."],
        ["The unit moved north in May."]]
    text = render_draft(draft, RUBRIC.evidence_types)
    assert text.count("    draft: true\n") == len(draft.claims) == 2
    assert "      - source: yonhap  # TODO: access: first_hand | second_hand; via: [...] if relayed; named at line 5\n" \
           "        excerpt: Two soldiers crossed near Kaesong, Yonhap reported.\n" in text
    loaded = load_claims("draft.yaml", RUBRIC, data=text.encode("utf-8"))
    assert all(c.draft for c in loaded.claims)
    assert [[r.excerpt for r in c.reports] for c in loaded.claims] == [[r.excerpt for r in c.reports] for c in draft.claims]


def test_a_carried_source_says_where_it_was_named() -> None:
    text = render_draft(draft_of("According to defectors, the crews worked in shifts. The work stopped in May.\n"),
                        RUBRIC.evidence_types)
    assert text.count("via: [...] if relayed; named at line 1\n") == 0  # same line: nothing to say
    text = render_draft(draft_of("According to defectors, the crews worked in shifts.\nThe work stopped in May.\n"),
                        RUBRIC.evidence_types)
    assert "      - source: defectors  # TODO: access: first_hand | second_hand; via: [...] if relayed; named at line 1\n" \
        in text


PROSE = st.lists(st.sampled_from(["The", "they", "said", "according to", "Yonhap", "reports", "including", "NIS", ",",
                                  "and", "may", "be", "must", "If", "the", "officials", "\"", ".", "?", "s", "'s", "3",
                                  "These accounts", "from", "within", "Seoul", "\n\n", "Title\n\n", "he", "it"]),
                 max_size=40).map(" ".join)


@settings(max_examples=examples(300), deadline=None)
@given(PROSE)
def test_any_text_drafts_without_error_and_reads_back(text: str) -> None:
    draft = draft_of(text)
    verify(draft, render_draft(draft, RUBRIC.evidence_types), RUBRIC)
