"""The report fields of CONTRACT.md 7.1 (`published`, `url`, `excerpt`, `independent_of`): read the same
way by every loader, checked with located errors, and the clock (a relay cannot come out first)."""
from __future__ import annotations

import json
from typing import Any

import pytest

from credcheck import dates
from credcheck.domains import fallback_domain, registrable_domain, valid_url
from test_fast import assert_same, fast_path_taken, located, public, without_positions

SOURCES = """sources:
  - {id: wire, name: Wire, type: wire_service}
  - {id: a, name: A, type: news_outlet}
  - {id: b, name: B, type: news_outlet}
"""
GOOD = SOURCES + """claims:
  - id: c1
    text: Desertions are rising.
    reports:
      - {source: wire, published: 2026-11-18, url: "https://wire.example.com/1", excerpt: "Desertions rose, officials said."}
      - source: a
        published: 2026-11-19T09:30:00Z
        url: https://www.a.example.org/x?id=3
        excerpt: >
          Desertions rose along the border,
          officials said.
        independent_of: [wire]
      - {source: b, via: [wire], published: "2026-11-20 10:00:00+02:00"}
"""


def as_json(yaml_text: str) -> dict[str, Any]:
    import yaml
    return yaml.load(yaml_text, Loader=yaml.BaseLoader)  # every scalar as text, as credcheck reads dates


def test_the_fields_are_read_the_same_by_the_fast_and_the_located_paths() -> None:
    assert fast_path_taken(GOOD)
    fast = public(GOOD)
    assert_same(fast, located(GOOD))
    second = fast.claims[0].reports[1]
    assert (second.published, second.url, second.independent_of) == ("2026-11-19T09:30:00Z", "https://www.a.example.org/x?id=3", ("wire",))
    assert second.excerpt == "Desertions rose along the border, officials said.\n"
    assert fast.claims[0].reports[2].published == "2026-11-20 10:00:00+02:00"


def test_json_and_json_lines_read_them_too() -> None:
    document = as_json(GOOD)
    text = json.dumps(document)
    assert fast_path_taken(text, "claims.json")
    assert without_positions(public(text, "claims.json")) == without_positions(located(text, "claims.json"))
    lines = "\n".join(json.dumps(r) for r in [{"sources": document["sources"]}, *document["claims"]]) + "\n"
    assert without_positions(public(lines, "claims.jsonl")) == without_positions(public(GOOD))


BAD = {
    "bad-date": (GOOD.replace("2026-11-19T09:30:00Z", "2026-11-31"),
                 ["claims.yaml:11:20: claims[0].reports[1].published: expected a date YYYY-MM-DD or an ISO 8601 "
                  "date-time (2026-11-18T08:30:00Z), got '2026-11-31'"]),
    "date-in-words": (GOOD.replace("published: 2026-11-18,", "published: last Tuesday,"),
                      ["claims.yaml:9:35: claims[0].reports[0].published: expected a date YYYY-MM-DD or an ISO 8601 "
                       "date-time (2026-11-18T08:30:00Z), got 'last Tuesday'"]),
    "bad-url": (GOOD.replace("https://www.a.example.org/x?id=3", "www.a.example.org"),
                ["claims.yaml:12:14: claims[0].reports[1].url: expected a web address with a scheme and a host "
                 "(https://example.org/...), got 'www.a.example.org'"]),
    "unknown-independent": (GOOD.replace("independent_of: [wire]", "independent_of: [wire, wyre, a]"),
                            ["claims.yaml:16:32: claims[0].reports[1].independent_of[1]: unknown source 'wyre' (did you mean 'wire'?)",
                             "claims.yaml:16:38: claims[0].reports[1].independent_of[2]: a report cannot be independent "
                             "of its own source 'a'"]),
    "relayed-and-independent": (GOOD.replace("via: [wire], published", "via: [wire], independent_of: [wire], published"),
                                ["claims.yaml:17:51: claims[0].reports[2].independent_of[0]: 'wire' is both relayed (via) "
                                 "and declared independent: say which"]),
    "relay-before-its-source": (GOOD.replace('"2026-11-20 10:00:00+02:00"', "2026-11-17"),
                                ["claims.yaml:17:27: claims[0].reports[2].via[0]: relays 'wire', whose report of this claim "
                                 "(reports[0]) was published 2026-11-18, after this one (2026-11-17): a report cannot relay "
                                 "what came out later (fix a date, or the via)"]),
    "empty-excerpt": (GOOD.replace('excerpt: "Desertions rose, officials said."', 'excerpt: ""'),
                      ["claims.yaml:9:91: claims[0].reports[0].excerpt: must not be empty"]),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_mistakes_are_located_the_same_way_by_both_paths(name: str) -> None:
    text, expected = BAD[name]
    assert public(text) == located(text) == expected


def test_the_clock_compares_instants_when_both_reports_give_a_time() -> None:
    relay = '"2026-11-20 10:00:00+02:00"'  # 08:00 UTC
    before = GOOD.replace("published: 2026-11-18,", "published: 2026-11-20T07:59:00Z,")
    assert not isinstance(public(before), list)
    after = GOOD.replace("published: 2026-11-18,", "published: 2026-11-20T08:01:00Z,")
    assert public(after) == [
        "claims.yaml:17:27: claims[0].reports[2].via[0]: relays 'wire', whose report of this claim (reports[0]) was "
        "published 2026-11-20T08:01:00Z, after this one (2026-11-20 10:00:00+02:00): a report cannot relay what came "
        "out later (fix a date, or the via)"]
    same_day = GOOD.replace(relay, "2026-11-18")
    assert not isinstance(public(same_day), list)  # a date alone: the same day is not later
    day_only = after.replace(relay, "2026-11-20")
    assert not isinstance(public(day_only), list)


def test_the_clock_checks_a_relay_against_the_earliest_report_of_its_source() -> None:
    text = GOOD.replace('"2026-11-20 10:00:00+02:00"', "2026-11-18") + \
        "      - {source: wire, published: 2026-11-25}\n"
    assert not isinstance(public(text), list)


@pytest.mark.parametrize("text, ok", [
    ("2026-11-18", True), ("2026-11-18T09:30", True), ("2026-11-18T09:30:00.5-05:00", True), ("2026-11-18 09:30:00+0530", True),
    ("2026-02-30", False), ("2026-11-18T24:00", False), ("18/11/2026", False), ("2026-11-18\n", False), ("２０２６-11-18", False),
    ("2026-11-18T09:30:00+25:00", False),
])
def test_dates(text: str, ok: bool) -> None:
    assert dates.valid(text) is ok


def test_later_than_by_instant_or_by_day() -> None:
    morning, evening, day = dates.parse("2026-11-18T08:00:00Z"), dates.parse("2026-11-18T20:00:00+02:00"), dates.parse("2026-11-18")
    assert evening.later_than(morning) and not morning.later_than(evening)
    assert not day.later_than(morning) and not morning.later_than(day)
    assert dates.parse("2026-11-19").later_than(evening)


@pytest.mark.parametrize("url, ok", [("https://example.org/a/123", True), ("http://user@host.example/x", True),
                                     ("example.org/x", False), ("https://", False), ("https://a b.org", False),
                                     ("https://a.org/\x1b[2J", False), ("https://a.org/\u0085", False)])
def test_urls(url: str, ok: bool) -> None:
    assert valid_url(url) is ok


@pytest.mark.parametrize("host, domain", [("news.bbc.co.uk", "bbc.co.uk"), ("www.example.com", "example.com"),
                                          ("example.com", "example.com"), ("abc.net.au", "abc.net.au"), ("10.0.0.1", "10.0.0.1")])
def test_the_fallback_rule(host: str, domain: str) -> None:
    assert fallback_domain(host) == domain


def test_registrable_domains() -> None:
    assert registrable_domain("https://News.BBC.co.uk:443/a") == "bbc.co.uk"
    assert registrable_domain("https://www.example.com./x") == "example.com"
    assert registrable_domain("mailto:x") == ""
