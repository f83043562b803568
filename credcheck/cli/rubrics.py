"""`credcheck rubrics`: the rubrics available here, and where each lives."""
from pathlib import Path

from credcheck.errors import CredcheckError


def list_rubrics() -> None:
    """List the available rubrics: name, version, description, where they live.

    Example: credcheck rubrics
    """
    from rich.table import Table
    from rich.text import Text

    from credcheck.resources import rubrics_dir
    from credcheck.rubric.model import load_rubric
    from credcheck.render.safe_text import one_line

    table = Table(show_lines=False)
    for column in ("Name", "Version", "Description", "File"):
        table.add_column(column, overflow="fold")
    seen: set[str] = set()
    for folder in (Path("rubrics"), rubrics_dir()):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            if path.stem in seen:
                continue
            seen.add(path.stem)
            try:
                r = load_rubric(path)
                table.add_row(*(Text(one_line(cell)) for cell in (path.stem, r.version, r.description, str(path))))
            except CredcheckError as exc:
                table.add_row(Text(one_line(path.stem)), Text("?"), Text(one_line(f"invalid: {exc.problems[0]}"), style="red"),
                              Text(one_line(str(path))))
    from credcheck.render.console import console as safe_console
    safe_console().print(table)


