"""Track records: who a resolved claim proves right or wrong (CONTRACT.md 7.1, docs/track-records.md)."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from credcheck import load_claims, load_rubric
from credcheck.calibrate.run import _out_of_sample
from credcheck.calibrate.track_record import Tally, credits, fold_of, tally, with_records
from credcheck.model import TrackRecord

RUBRIC = load_rubric("default")

SOURCES = """\
sources:
  - {id: nis, name: NIS, type: intelligence_service}
  - {id: kcna, name: KCNA, type: state_media}
  - {id: yonhap, name: Yonhap, type: wire_service}
  - {id: daily, name: A daily that republishes Yonhap, type: news_outlet, derived_from: [yonhap]}
  - {id: weekly, name: A weekly that republishes the daily, type: news_outlet, derived_from: [daily]}
  - {id: jcs, name: Joint Chiefs, type: official_on_record, owner: ROK government}
  - {id: mnd, name: Defence ministry, type: official_on_record, owner: ROK government}
  - {id: blog, name: A blog, type: social_media}
"""


def load(tmp_path: Path, claims: str, sources: str = SOURCES):
    path = tmp_path / "history.yaml"
    path.write_text(sources + "claims:\n" + textwrap.indent(textwrap.dedent(claims), "  "), encoding="utf-8")
    return load_claims(str(path), RUBRIC)


def records(tmp_path: Path, claims: str) -> dict[str, TrackRecord]:
    claim_set = load(tmp_path, claims)
    return tally(credits(claim_set.claims, claim_set.sources, RUBRIC)).records()


def test_a_supporting_line_is_right_when_confirmed_and_a_refuting_one_when_refuted(tmp_path):
    assert records(tmp_path, """\
        - {id: a, text: A, outcome: {status: confirmed}, reports: [{source: nis}, {source: kcna, stance: refutes}]}
        - {id: b, text: B, outcome: {status: refuted}, reports: [{source: nis}, {source: kcna, stance: refutes}]}
        """) == {"nis": TrackRecord(1, 1), "kcna": TrackRecord(1, 1)}


def test_unresolved_claims_and_neutral_reports_count_for_nothing(tmp_path):
    assert records(tmp_path, """\
        - {id: a, text: A, reports: [{source: nis}]}
        - {id: b, text: B, outcome: {status: unresolved}, reports: [{source: nis}]}
        - {id: c, text: C, outcome: {status: confirmed}, reports: [{source: kcna, stance: neutral}, {source: blog}]}
        """) == {"blog": TrackRecord(1, 0)}


def test_a_relay_is_credited_to_what_it_relays_never_to_itself(tmp_path):
    assert records(tmp_path, """\
        - {id: a, text: A, outcome: {status: refuted}, reports: [{source: yonhap, via: [nis]}]}
        """) == {"nis": TrackRecord(0, 1)}


def test_a_republisher_is_credited_to_its_original_at_any_depth(tmp_path):
    assert records(tmp_path, """\
        - {id: a, text: A, outcome: {status: confirmed}, reports: [{source: weekly}]}
        - {id: b, text: B, outcome: {status: confirmed}, reports: [{source: daily}, {source: yonhap}]}
        """) == {"yonhap": TrackRecord(2, 0)}  # once per claim, though two reports trace to it in b


def test_sources_of_one_owner_are_one_line_and_each_that_reported_is_credited(tmp_path):
    claim_set = load(tmp_path, """\
        - {id: a, text: A, outcome: {status: confirmed}, reports: [{source: jcs}, {source: mnd}]}
        - {id: b, text: B, outcome: {status: confirmed}, reports: [{source: jcs}]}
        """)
    assert tally(credits(claim_set.claims, claim_set.sources, RUBRIC)).records() == {
        "jcs": TrackRecord(2, 0), "mnd": TrackRecord(1, 0)}


def test_a_report_of_two_originals_credits_the_one_its_line_counts_for(tmp_path):
    # one outlet citing NIS and KCNA is one line, for the better rated NIS; KCNA said nothing else
    assert records(tmp_path, """\
        - {id: a, text: A, outcome: {status: confirmed}, reports: [{source: yonhap, via: [kcna, nis]}]}
        """) == {"nis": TrackRecord(1, 0)}


def test_records_the_files_carry_do_not_change_the_count(tmp_path):
    with_record = SOURCES.replace("type: state_media}", "type: state_media, track_record: {right: 50, wrong: 0}}")
    claims = """\
        - {id: a, text: A, outcome: {status: refuted}, reports: [{source: yonhap, via: [kcna, nis]}]}
        """
    plain, recorded = load(tmp_path, claims), load(tmp_path, claims, with_record)
    assert list(credits(plain.claims, plain.sources, RUBRIC)) == list(credits(recorded.claims, recorded.sources, RUBRIC))


def test_tallies_subtract_a_fold_and_with_records_replaces_every_record(tmp_path):
    claim_set = load(tmp_path, """\
        - {id: a, text: A, outcome: {status: confirmed}, reports: [{source: nis}]}
        - {id: b, text: B, outcome: {status: refuted}, reports: [{source: nis}]}
        """)
    found = list(credits(claim_set.claims, claim_set.sources, RUBRIC))
    whole, first = tally(found), tally(found[:1])
    assert whole.minus(first).records() == {"nis": TrackRecord(0, 1)}
    assert whole.minus(whole).records() == {}
    table = with_records(claim_set.sources, {"nis": TrackRecord(3, 4)})
    assert table["nis"].track_record == TrackRecord(3, 4) and table["kcna"].track_record is None
    assert isinstance(Tally().records(), dict)


def test_folds_come_from_the_claim_id_alone():
    assert fold_of("desertions-rising", 5) == fold_of("desertions-rising", 5)
    assert {fold_of(f"claim-{i}", 5) for i in range(200)} == {0, 1, 2, 3, 4}
    assert sum(fold_of(f"claim-{i}", 2) for i in range(1000)) == pytest.approx(500, abs=60)


# --- no leakage -------------------------------------------------------------------------------

def _source_reasons(assessment) -> str:
    return " ".join(assessment.criteria["source"].reasons)


def test_a_source_whose_only_history_is_the_claim_scored_gets_no_record_from_it(tmp_path):
    claims = "".join(f"- {{id: c{i}, text: T{i}, outcome: {{status: confirmed}}, reports: [{{source: nis}}]}}\n"
                     for i in range(40))
    claims += "- {id: lonely, text: L, outcome: {status: confirmed}, reports: [{source: blog}]}\n"
    claim_set = load(tmp_path, claims)
    pairs, _, _ = _out_of_sample([claim_set], RUBRIC, 5, False)
    by_id = {claim.id: a for claim, a, _ in pairs}
    assert "from its record" not in _source_reasons(by_id["lonely"])  # blog's one line is this very claim
    assert "blog: E (social_media default) holds up 53%" in _source_reasons(by_id["lonely"])
    # nis's other claims (those of the other folds) do give it a record, never counting the claim scored
    for claim, a, fold in pairs:
        if claim.id.startswith("c"):
            others = sum(1 for c in claim_set.claims if c.id.startswith("c") and fold_of(c.id, 5) != fold)
            assert f"from its record: {others} right, 0 wrong" in _source_reasons(a)


def test_under_folds_records_in_the_files_are_set_aside(tmp_path):
    sources = SOURCES.replace("type: social_media}", "type: social_media, track_record: {right: 90, wrong: 0}}")
    claim_set = load(tmp_path, "- {id: a, text: A, outcome: {status: confirmed}, reports: [{source: blog}]}\n", sources)
    pairs, _, set_aside = _out_of_sample([claim_set], RUBRIC, 2, False)
    assert set_aside == 1
    assert "from its record" not in _source_reasons(pairs[0][1])


def test_a_fold_fit_never_sees_the_held_out_fold(tmp_path, monkeypatch):
    # Each fold's fit scores claims of the other folds only, with records that leave out both the
    # held-out fold and the scored claims' own fold.
    import credcheck.calibrate.run as run
    calls: list[tuple[int | None, list[str], dict]] = []
    current: list[int | None] = [None]
    real_fit, real_assess = run._fold_fit, run.iter_assess

    def fold_fit(k, *args):
        current[0] = k
        try:
            return real_fit(k, *args)
        finally:
            current[0] = None

    def assess(claims, table, rubric):
        claims = list(claims)
        calls.append((current[0], [c.id for c in claims], {sid: s.track_record for sid, s in table.items()}))
        return real_assess(claims, table, rubric)

    monkeypatch.setattr(run, "_fold_fit", fold_fit)
    monkeypatch.setattr(run, "iter_assess", assess)
    claims = "".join(f"- {{id: c{i}, text: T{i}, outcome: {{status: {'confirmed' if i % 3 else 'refuted'}}}, "
                     f"reports: [{{source: nis}}]}}\n" for i in range(30))
    claim_set = load(tmp_path, claims)
    run.calibrate([claim_set], RUBRIC, folds=3, fit_numbers=True)
    fit_calls = [(k, ids, table) for k, ids, table in calls if k is not None]
    assert sorted({k for k, _, _ in fit_calls}) == [0, 1, 2]
    for k, ids, table in fit_calls:
        own = {fold_of(i, 3) for i in ids}
        assert k not in own and len(own) == 1
        left_out = {k, *own}
        expected = [c for c in claim_set.claims if fold_of(c.id, 3) not in left_out]
        record = table["nis"]
        assert record.right + record.wrong == len(expected)
        assert record.wrong == sum(1 for c in expected if c.outcome.status == "refuted")
