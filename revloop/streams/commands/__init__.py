"""The `revloop` subcommands, one module per command group; each has register(subparsers).

A new command is a new module listed in COMMANDS: the CLI's shell (revloop.streams.cli)
never grows with them.
"""
COMMANDS = ("topics", "import_export", "worker", "tick", "demo", "sender", "webhooks", "gmail", "mail", "control", "tenants", "console", "report", "cards", "templates", "dlq")
