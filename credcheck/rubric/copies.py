"""The rubric's optional `copies` section: how copies nobody declared are found and counted.

The inference itself is score/copies.py; rubrics/README.md ("copies") documents every key.
"""
from __future__ import annotations

from typing import Any, Mapping

from credcheck.load.schema import Bool, Enum, Field, ListOf, Num, Obj, Str
from credcheck.record import Record

MODES = ("collapse", "flag", "ignore")  # not `off`: YAML 1.1 reads that as false
# Platforms where independent people publish under one domain: a shared domain there says
# nothing about a shared publisher (two tweets are not one outlet).
SHARED_HOSTS = ("twitter.com", "x.com", "facebook.com", "instagram.com", "threads.net", "youtube.com", "tiktok.com",
                "reddit.com", "t.me", "telegram.me", "vk.com", "weibo.com", "linkedin.com", "medium.com",
                "substack.com", "blogspot.com", "wordpress.com", "tumblr.com", "bsky.app", "mastodon.social",
                "github.com", "archive.org")

SCHEMA = Obj({
    "mode": Field(Enum(MODES, "copies mode"), default="collapse",
                  doc="collapse: inferred copies and outlets count as one line; flag: only flagged and explained; ignore: not looked for"),
    "threshold": Field(Num(0.05, 1), default=0.6, doc="Jaccard similarity of word shingles from which two excerpts are one text"),
    "shingle_words": Field(Num(1, 10, integer=True), default=3, doc="words per shingle"),
    "min_words": Field(Num(1, 1000, integer=True), default=6, doc="shorter excerpts are not compared (common phrases)"),
    "same_domain": Field(Bool(), default=True, doc="sources publishing on one registrable domain are one owner"),
    "shared_hosts": Field(ListOf(Str(), unique=True), default=lambda: list(SHARED_HOSTS),
                          doc="registrable domains of platforms where independent authors publish: never one owner"),
    "exact_up_to": Field(Num(2, 100_000, integer=True), default=200,
                         doc="reports of one stance compared pair by pair; more use MinHash with locality-sensitive hashing"),
}, what="copies section", doc="copies credcheck infers from excerpts, addresses and dates (rubrics/README.md)")


class CopyRules(Record):
    """The rubric's `copies` section (its defaults when the rubric has none)."""

    mode: str = "collapse"
    threshold: float = 0.6
    shingle_words: int = 3
    min_words: int = 6
    same_domain: bool = True
    shared_hosts: tuple[str, ...] = SHARED_HOSTS
    exact_up_to: int = 200

    @classmethod
    def of(cls, section: Mapping[str, Any] | None) -> "CopyRules":
        section = section or {}
        given = {k: section[k] for k in cls.__record_fields__ if section.get(k) is not None}
        if "shared_hosts" in given:
            given["shared_hosts"] = tuple(host.lower() for host in given["shared_hosts"])
        return cls(**given)

    def as_section(self) -> dict[str, Any]:
        return {name: list(value) if isinstance(value := getattr(self, name), tuple) else value
                for name in self.__record_fields__}
