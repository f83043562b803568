"""CLI commands beyond the core ones in cli.py; each module registers itself on `credcheck.cli.app`."""
