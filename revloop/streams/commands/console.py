"""`revloop console`: the operator web application; `revloop console user add`: who may sign in."""
from __future__ import annotations

import sys

from revloop.streams.cli_support import command, group, port
from revloop.streams.config import Settings


def _cmd_console(args, settings: Settings) -> int:
    from revloop.console import server

    try:
        app = server.console_app(settings, args.store, public=args.public)
    except (FileNotFoundError, ValueError, RuntimeError) as exc:
        print(f"revloop console: {exc}", file=sys.stderr)
        return 2
    server.run(app, args.host or settings.console.host, settings.console.port if args.port is None else args.port,
               on_ready=lambda url: print(f"console on {url}/ (Ctrl-C stops it)", file=sys.stderr, flush=True))
    return 0


def _cmd_user_add(args, settings: Settings) -> int:
    import getpass

    from revloop.console.passwords import hash_password
    from revloop.console.users import UsersFileError, write_user

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"password for {args.login}: ")
        if password != getpass.getpass("again: "):
            print("revloop console user add: the passwords differ", file=sys.stderr)
            return 2
    if len(password) < 8:
        print("revloop console user add: a password has at least 8 characters", file=sys.stderr)
        return 2
    path = args.users_file or settings.console.users_file
    try:
        write_user(path, args.login, role=args.role, tenants=args.tenant, password_hash=hash_password(password),
                   name=args.name, email=args.email)
    except UsersFileError as exc:
        print(f"revloop console user add: {exc}", file=sys.stderr)
        return 2
    print(f"{args.login} ({args.role or 'role from the directory'}; {', '.join(args.tenant) or 'no tenant'}) "
          f"written to {path}", file=sys.stderr)
    return 0


def register(sub) -> None:
    console = command(sub, "console", help="the operator web application (sign in, pages, controls, cards)",
                      description="Serve the console: sign-in, overview, backlog, contacts, orders, engines, "
                                  "runs, controls and cards, reading the store (DuckDB: its published snapshot).",
                      env=("REVLOOP_STORE", "REVLOOP_CONSOLE_HOST", "REVLOOP_CONSOLE_PORT", "REVLOOP_CONSOLE_USERS",
                           "REVLOOP_CONSOLE_SECRET", "REVLOOP_CONSOLE_READERS", "REVLOOP_CONSOLE_URL"),
                      example="revloop console --store duckdb:var/revloop.duckdb --port 8780")
    console.add_argument("--store", help="store to read (default: $REVLOOP_STORE; Postgres: $DATABASE_URL_APP)")
    console.add_argument("--host", help="address to bind (default: $REVLOOP_CONSOLE_HOST or 127.0.0.1)")
    console.add_argument("--port", type=port, help="port (default: $REVLOOP_CONSOLE_PORT or 8780)")
    console.add_argument("--public", action="store_true",
                         help="also serve the public endpoints (unsubscribe, Resend webhooks) in the same app and "
                              "server (needs their secrets, as `revloop webhooks` does)")
    console.set_defaults(func=_cmd_console)
    users = console.add_subparsers(dest="console_command", metavar="COMMAND")
    user = group(users, "user", help="console users", description="Console users (the users file).",
                 dest="user_command")
    add = command(user, "add", help="add or replace a user (password asked, or one line on stdin)",
                  description="Add or replace LOGIN in the users file (scrypt hash; the password is asked, or "
                              "read as one line from stdin with --password-stdin).",
                  env=("REVLOOP_CONSOLE_USERS",),
                  example="printf 'a long passphrase\\n' | revloop console user add ana --role operator "
                          "--tenant acme --password-stdin")
    add.add_argument("login")
    add.add_argument("--role", choices=("viewer", "operator", "admin"),
                     help="a stand-alone user's role; omit it for a person of the tenants' directory (LOGIN is "
                          "their email; name and role come from the directory)")
    add.add_argument("--tenant", action="append", default=[], help="a tenant the user may see (repeat)")
    add.add_argument("--name")
    add.add_argument("--email")
    add.add_argument("--users-file", help="default: $REVLOOP_CONSOLE_USERS or var/console/users.json")
    add.add_argument("--password-stdin", action="store_true")
    add.set_defaults(func=_cmd_user_add)
