"""CLI commands kept in their own modules; each registers itself on credcheck.cli.commands when imported
(credcheck.cli.load_commands), so a run imports only the command it runs."""
