"""The `stedenplatform` command: Django's management commands under one name.

Commands are typed with hyphens (`stedenplatform import-plan`); they map onto
the management commands with underscores (`import_plan`).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command named on the command line."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stedenplatform.settings")
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    args[0] = "stedenplatform"

    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
