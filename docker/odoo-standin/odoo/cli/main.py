"""`odoo [server] [options]`, `odoo neutralize -d DB`, `odoo shell -d DB`."""

import sys

COMMANDS = ("server", "neutralize", "shell")


def main(argv=None):
    args = list(sys.argv[1:] if argv is None else argv)
    command = "server"
    if args and not args[0].startswith("-"):
        if args[0] not in COMMANDS:
            print(f"Unknown command {args[0]!r}. Available: {', '.join(COMMANDS)}", file=sys.stderr)
            sys.exit(1)
        command = args.pop(0)
    if command == "neutralize":
        from .neutralize import main as run
    elif command == "shell":
        from .shell import main as run
    else:
        from ..service.server import main as run
    sys.exit(run(args) or 0)
