"""The `credcheck` command and `python -m credcheck`."""
import gc
import os
import sys


def main() -> None:
    # A run makes no reference cycles worth collecting (loading, scoring and
    # rendering pause the collector anyway). Pausing it before typer and the
    # library are imported saves the collections their imports would trigger.
    gc.disable()
    from credcheck.cli.app import main as run
    # A large run ends its process without freeing its objects (cli/score.py `_end`); not
    # under a profiler or coverage tracer, which write their results as the interpreter
    # exits, nor with CREDCHECK_DEBUG set.
    run(end_process=not (sys.gettrace() or sys.getprofile() or os.environ.get("CREDCHECK_DEBUG")))


if __name__ == "__main__":
    main()
