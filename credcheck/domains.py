"""Web addresses of reports, and the outlet behind them: the registrable domain.

`news.bbc.co.uk` and `www.bbc.co.uk` are one outlet, `bbc.co.uk`; `a.blogspot.com`
and `b.blogspot.com` are two. Where the line falls comes from the Public Suffix
List, through `tldextract` and the snapshot it ships (the optional extra
`credcheck[domains]`), set up so that it never goes to the network. Without it,
a small built-in rule stands in (see `fallback_domain`); both are documented in
docs/formats.md.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable

from credcheck.lazyre import LazyPattern

# a scheme, a host, then anything but spaces and control characters (an address is printed by explain)
URL_PATTERN = r"^[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#@\x00-\x1f\x7f-\x9f]*@?[^\s/?#@\x00-\x1f\x7f-\x9f]+([/?#][^\s\x00-\x1f\x7f-\x9f]*)?$"
# Both compiled when a first address is read (0.25 ms together): few small files give one.
_URL: re.Pattern[str] = LazyPattern(re.compile, URL_PATTERN)  # type: ignore[assignment]

# Second-level labels under which country-code domains are sold (bbc.co.uk, abc.net.au,
# asahi.com.jp is not one, but nhk.or.jp is): the fallback's whole knowledge of suffixes.
_GENERIC_SECOND = frozenset("co com net org gov edu ac or ne go mil nic gob gouv info biz".split())


def valid_url(text: str) -> bool:
    """A scheme and a host, no spaces: `https://example.org/a/123`."""
    return _URL.fullmatch(text) is not None


_HOST: re.Pattern[str] = LazyPattern(re.compile, r"[A-Za-z][A-Za-z0-9+.-]*://(?:[^\s/?#@]*@)?([^\s/?#:@\[\]]*)")  # type: ignore[assignment]


def host_of(url: str) -> str:
    """The host name, lower case, without user, port or a trailing dot ('' when there is none).
    A regular expression, not urlsplit: a tenth of the time, for every report's address."""
    found = _HOST.match(url)
    return found.group(1).rstrip(".").lower() if found else ""


def fallback_domain(host: str) -> str:
    """The last two labels, or three under a generic second level of a country code.

    `news.bbc.co.uk` -> `bbc.co.uk`, `www.example.com` -> `example.com`. Wrong for
    private suffixes (`a.blogspot.com` -> `blogspot.com`) and rarer public ones;
    install `credcheck[domains]` for the Public Suffix List.
    """
    labels = host.split(".")
    if len(labels) <= 2 or _is_address(host):
        return host
    if len(labels[-1]) == 2 and labels[-2] in _GENERIC_SECOND:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def _is_address(host: str) -> bool:
    return host.replace(".", "").isdigit() or ":" in host


@lru_cache(maxsize=1)
def _extractor() -> Callable[[str], Any] | None:
    try:
        import tldextract
    except ImportError:
        return None
    # No suffix_list_urls: the snapshot inside the package, never a download; no cache_dir:
    # nothing written to the user's home. Private suffixes count (blogspot.com, github.io):
    # two blogs there are two owners.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


def suffix_list_used() -> bool:
    """Whether the Public Suffix List is at hand (tldextract installed)."""
    return _extractor() is not None


def registrable_domain(url: str) -> str:
    """The outlet a URL belongs to: its registrable domain ('' when it has no host)."""
    host = host_of(url)
    return domain_of_host(host) if host else ""


@lru_cache(maxsize=65536)  # hosts repeat far more than addresses do
def domain_of_host(host: str) -> str:
    extract = _extractor()
    if extract is None or _is_address(host):
        return fallback_domain(host)
    parts = extract(host)
    if not parts.suffix or not parts.domain:  # `localhost`, a bare suffix: the host itself
        return host
    return f"{parts.domain}.{parts.suffix}"
