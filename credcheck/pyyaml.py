"""PyYAML, imported without compiling the one pattern credcheck never uses.

`import yaml` compiles `yaml.reader.Reader.NON_PRINTABLE`, a character class
spanning all of Unicode, when the module loads: 3.3 ms, a fifth of what PyYAML's
import costs and ~2% of a one-claim run. Only PyYAML's pure-Python reader uses
it; credcheck reads every file with libyaml (`yaml.CSafeLoader` and its
parser), which checks characters itself. So the pattern is handed to PyYAML
as a stand-in that compiles on first use, through the `re` module's cache:
whoever uses that reader (a program that imports credcheck and then loads YAML
without libyaml) gets the same pattern, compiled when it first searches.

If anything about this does not hold (another PyYAML, another Python, `yaml`
imported already), `yaml` is imported as usual. Remove this module once
PyYAML compiles the pattern lazily itself.
"""
from __future__ import annotations

import re
import sys
from typing import Any

from credcheck.lazyre import LazyPattern

# The pattern as yaml/reader.py writes it (PyYAML 5.1 to 6.0.x).
NON_PRINTABLE = "[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]"


def _compile_afresh(source: str) -> re.Pattern[str]:
    # re.UNICODE is what a str pattern means anyway; as a flag it makes another cache
    # key, so this compiles for real instead of finding the stand-in again.
    return re.compile(source, re.UNICODE)


def import_yaml() -> Any:
    if "yaml" in sys.modules:
        return sys.modules["yaml"]
    key = (str, NON_PRINTABLE, 0)
    caches = [c for c in (getattr(re, "_cache", None), getattr(re, "_cache2", None)) if isinstance(c, dict)]
    if not caches or any(key in cache for cache in caches):
        import yaml
        return yaml
    stand_in = LazyPattern(_compile_afresh, NON_PRINTABLE)
    caches[0][key] = stand_in
    try:
        import yaml
    finally:
        for cache in caches:
            if cache.get(key) is stand_in:
                del cache[key]
    return yaml


yaml = import_yaml()
