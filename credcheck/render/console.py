"""The one way credcheck draws on a terminal: a rich Console that cannot be made to obey user text.

Every terminal view (the score table, `explain`, `rubric show/test/diff`,
`diff`, `limits`, `rubrics`) prints through `console()`. Renderers already
fold user text to one line and show its control, bidi and invisible
characters as `{U+202E}` (safetext.one_line), which keeps columns aligned;
this console is the step none can forget: every segment it renders is
passed through safetext.terminal_safe, so an escape sequence, an OSC 8
hyperlink or a bidi override in a claim, a source name or a rubric reaches
the terminal as visible text whatever renderer printed it. Rich's own
control codes (colours, cursor moves of the progress bar) are not text and
pass as they are.
"""
from __future__ import annotations

from typing import Any, Iterable, Optional

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment

from credcheck.render.safe_text import terminal_safe


class SafeConsole(Console):
    def render(self, renderable: RenderableType, options: Optional[ConsoleOptions] = None) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            text = segment.text
            if segment.control or text.isprintable():
                yield segment
            else:
                yield Segment(terminal_safe(text), segment.style)


def console(**options: Any) -> Console:
    """A rich Console (same options) whose output user text cannot drive."""
    options.setdefault("highlight", False)
    return SafeConsole(**options)
