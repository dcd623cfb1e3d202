"""The ``newsbrief`` command: Django's management commands plus newsbrief's own
(``serve``, ``import``, ``export``, ``demo``), for every operator task."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsbrief.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    try:
        execute_from_command_line(["newsbrief", *args])
    except EOFError:
        # Django's own commands that ask (flush, collectstatic, ...) read the answer with
        # input(), which ends in a traceback when nothing can answer; newsbrief's own say so.
        from django.utils.translation import gettext as _

        sys.exit(
            _("newsbrief %(command)s: no answer to its question (no terminal): pass --noinput.")
            % {"command": args[0] if args else ""}
        )


if __name__ == "__main__":
    main()
