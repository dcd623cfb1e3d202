"""The suite's clock: ``NEWSBRIEF_TEST_CLOCK`` (an ISO 8601 instant) runs a whole session at
that moment (see ``conftest.test_clock``), and child processes follow whatever clock the
tests travelled to, which time-machine cannot reach across a process boundary."""

import datetime as dt
import os
import sys
import time

import time_machine

#: The child's first lines: travel to the parent's moment, then run the module as ``-m`` would.
_CHILD = (
    "import runpy, sys, time_machine; "
    "time_machine.travel(float(sys.argv.pop(1)), tick=True).start(); "
    "sys.argv.pop(0); "
    "runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)"
)


def session_moment() -> dt.datetime | None:
    """The moment ``NEWSBRIEF_TEST_CLOCK`` asks for, or None."""
    value = os.environ.get("NEWSBRIEF_TEST_CLOCK", "").strip()
    if not value:
        return None
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"NEWSBRIEF_TEST_CLOCK needs an offset (+00:00): {value!r}")
    return moment


def python_module(module: str, *args: str) -> list[str]:
    """The command line of ``python -m module args``, at this process's clock: a travelled
    clock (now, ticking) when a test or the session travelled, the real one otherwise."""
    if not time_machine.escape_hatch.is_travelling():
        return [sys.executable, "-m", module, *args]
    return [sys.executable, "-c", _CHILD, repr(time.time()), module, *args]
