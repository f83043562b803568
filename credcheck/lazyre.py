"""Regular expressions compiled on first use.

Compiling is the costly part of a pattern made from a long word list or a
wide Unicode class (0.1-20 ms each). The lexicon's patterns took ~60 ms of
every start-up when all were compiled at load; scoring runs a signal family's
pattern only where one of its first words occurs, and safe-text escaping only
for text that is not plain ASCII, so most runs compile few or none.
"""
from __future__ import annotations

from typing import Any


class LazyPattern:
    """`build(arg)`, a compiled pattern, made when one of its methods is first used."""

    def __init__(self, build: Any, arg: Any):
        self._build, self._arg, self._pattern = build, arg, None

    def __getattr__(self, name: str) -> Any:  # called only for names not yet looked up
        if name.startswith("__") or name in ("_build", "_arg", "_pattern"):
            raise AttributeError(name)  # pickling probes dunders on a bare instance
        if self._pattern is None:
            self._pattern = self._build(self._arg)
        method = getattr(self._pattern, name)
        setattr(self, name, method)  # later calls find it directly, at the cost of a plain attribute
        return method

    def __reduce__(self) -> tuple[Any, ...]:
        return LazyPattern, (self._build, self._arg)
