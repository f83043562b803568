"""`credcheck rubrics`: the rubrics available here, and where each comes from."""
from credcheck.errors import CredcheckError


def list_rubrics() -> None:
    """List the available rubrics: name, version, description, and where each was found.

    Rubric names are looked up in rubrics/ here and in each parent folder up to the
    repository root, then in the folders of CREDCHECK_RUBRIC_PATH, then among the
    bundled rubrics; the first found wins, and one found later is shown as shadowed.

    Example: credcheck rubrics
    """
    from rich.table import Table
    from rich.text import Text

    from credcheck.cli.common import stdout_console
    from credcheck.render.safe_text import one_line
    from credcheck.rubric.model import load_rubric
    from credcheck.rubric.search import ENV, rubric_folders

    folders = rubric_folders(include_missing=True)
    table = Table(show_lines=False)
    for column in ("Name", "Version", "Description", "File", "From"):
        table.add_column(column, overflow="fold")
    first: dict[str, str] = {}
    for folder in folders:
        if not folder.exists:
            continue
        for path in sorted(folder.path.glob("*.yaml")):
            shadowed = first.get(path.stem)
            first.setdefault(path.stem, str(path))
            origin = folder.origin if shadowed is None else f"{folder.origin}; shadowed by {shadowed}"
            style = "dim" if shadowed else ""
            try:
                r = load_rubric(path)
                cells = [Text(one_line(c), style=style) for c in (path.stem, r.version, r.description, str(path), origin)]
            except CredcheckError as exc:
                cells = [Text(one_line(path.stem)), Text("?"), Text(one_line(f"invalid: {exc.problems[0]}"), style="red"),
                         Text(one_line(str(path))), Text(one_line(origin))]
            table.add_row(*cells)
    console = stdout_console()
    console.print(table)
    searched = ", ".join(f"{f.path}" + (f" ({f.origin})" if f.origin != ENV else f" (${ENV}{'' if f.exists else ', missing'})")
                         for f in folders)
    console.print(Text(one_line(f"Looked in, in order: {searched}"), style="dim"))
