"""A progress bar on stderr for long runs: claims read and scored, rate, time left.

Only on a terminal, never with --quiet, and only once a run has taken longer
than `delay` seconds, so short runs and pipes never see it (nor pay for
importing rich.progress). The callbacks are cheap when no bar is shown.
"""
from __future__ import annotations

import os
import sys
import time
from typing import Any, TextIO


def wanted(quiet: bool, stdout_busy: bool = False, stream: TextIO | None = None) -> bool:
    """A bar only for a person watching a terminal, and not over output streaming to that terminal."""
    stream = stream or sys.stderr
    return not quiet and not stdout_busy and stream.isatty() and os.environ.get("TERM") != "dumb"


class NoProgress:
    """The stand-in when no bar is wanted: every call does nothing."""

    def reading(self, claims: int, fraction: float) -> None:
        pass

    def scoring(self, done: int, total: int) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> "NoProgress":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class TerminalProgress(NoProgress):
    """Two tasks, reading and scoring; `reading` fits claims.load_claims' `progress` argument."""

    def __init__(self, delay: float = 1.0, stream: TextIO | None = None):
        self.started = time.monotonic()
        self.delay = delay
        self.stream = stream or sys.stderr
        self._bar: Any = None
        self._tasks: dict[str, Any] = {}
        self._closed = False

    def __enter__(self) -> "TerminalProgress":
        return self

    def reading(self, claims: int, fraction: float) -> None:
        if self._ready():
            self._update("reading", f"reading  {claims:,} claims", completed=fraction * 1000, total=1000)

    def scoring(self, done: int, total: int) -> None:
        if self._ready():
            self._update("scoring", "scoring", completed=done, total=total)

    def close(self) -> None:
        """Take the bar off the screen before anything else is printed; it does not come back."""
        self._closed = True
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def _ready(self) -> bool:
        if self._bar is not None:
            return True
        if self._closed or time.monotonic() - self.started < self.delay:
            return False
        self._bar = _make_bar(self.stream)
        self._bar.start()
        return True

    def _update(self, name: str, description: str, **fields: float) -> None:
        task = self._tasks.get(name)
        if task is None:
            for other in self._tasks.values():  # reading is over once scoring starts
                self._bar.update(other, completed=1000)
            task = self._tasks[name] = self._bar.add_task(description, **fields)
        self._bar.update(task, description=description, **fields)


def _make_bar(stream: TextIO) -> Any:
    from credcheck.render.console import console as safe_console
    from rich.progress import BarColumn, Progress, ProgressColumn, TaskProgressColumn, TextColumn, TimeRemainingColumn
    from rich.text import Text

    class Rate(ProgressColumn):
        """Claims per second while scoring; reading is counted in thousandths of the file."""

        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            if speed is None or task.description.startswith("reading"):
                return Text("")
            return Text(f"{speed:,.0f} claims/s", style="progress.data.speed")

    return Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), Rate(), TimeRemainingColumn(),
                    console=safe_console(file=stream, highlight=True), transient=True, refresh_per_second=4,
                    redirect_stdout=False, redirect_stderr=False)
