"""The ``newsbrief`` command: Django's management commands plus newsbrief's own
(``serve``, ``import``, ``export``, ``demo``), for every operator task."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsbrief.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["newsbrief", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
