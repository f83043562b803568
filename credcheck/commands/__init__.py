"""CLI commands kept in their own modules; each registers itself on credcheck.cli.app when imported."""
