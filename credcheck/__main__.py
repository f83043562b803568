"""The `credcheck` command and `python -m credcheck`."""
import gc
import os
import sys


def main() -> None:
    # A run makes no reference cycles worth collecting (loading, scoring and
    # rendering pause the collector anyway). Pausing it before typer and the
    # library are imported saves the collections their imports would trigger:
    # ~4 ms of a ~150 ms one-claim run.
    gc.disable()
    from . import cli
    # A large run ends its process without freeing its objects (cli._end); not under a
    # profiler or coverage tracer, which write their results as the interpreter exits,
    # nor with CREDCHECK_DEBUG set.
    cli.END_PROCESS = not (sys.gettrace() or sys.getprofile() or os.environ.get("CREDCHECK_DEBUG"))
    cli.main()


if __name__ == "__main__":
    main()
