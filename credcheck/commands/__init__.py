"""CLI commands beyond the core ones in cli.py, one module each, registered on `credcheck.cli.app`."""
