"""Where the bundled rubrics and report templates live.

In an installed wheel they sit inside the package (credcheck/rubrics,
credcheck/reports); in a source checkout they are the top-level folders.
"""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


def rubrics_dir() -> Path:
    return _bundled("rubrics")


def reports_dir() -> Path:
    return _bundled("reports")
