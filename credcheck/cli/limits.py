"""`credcheck limits`: every limit on input and rendering, its value and where it came from."""

from typing import TYPE_CHECKING, List, Optional

from credcheck.cli.common import LimitOpt, _run
from credcheck.limits import ENV_VAR, SPECS, Settings, describe_value, settings_from, value_of

if TYPE_CHECKING:
    from rich.table import Table


def limits_table(settings: Settings) -> "Table":
    from rich.table import Table  # rich only for this command: every other command starts without it
    from rich.text import Text
    table = Table(show_lines=False)
    for column in ("Name", "Value", "From", "Bounds"):
        table.add_column(column, overflow="fold")
    defaults = Settings()
    for name, spec in SPECS.items():
        value = value_of(settings, name)
        origin = settings.origin.get(name, "default")
        shown = describe_value(name, value)
        if origin != "default":
            shown += f" (default {describe_value(name, value_of(defaults, name))})"
        table.add_row(Text(name), Text(shown), Text(origin), Text(spec.doc))
    return table


def show_limits(limit: Optional[List[str]] = LimitOpt) -> None:
    """Show the limits on input files, rubrics and templates, and how to change them.

    Example: CREDCHECK_LIMITS="claims=2M,string=4MiB" credcheck limits --limit render-seconds=600
    """
    from rich.text import Text

    from credcheck.render.console import console as safe_console
    settings = _run(lambda: settings_from(limit or []))
    console = safe_console()
    console.print(limits_table(settings))
    console.print(Text(f"Change one with --limit NAME=VALUE, or several with {ENV_VAR}=\"NAME=VALUE,...\"; "
                       "values take K, M, G (thousands) or KiB, MiB, GiB (bytes).", style="dim"))
