"""Races for tests: sides that act on the archive at the same moment, each in a thread (or a
process) with a database connection of its own, round after round.

Each round has three steps, every side and the test's own thread meeting at a barrier
between them: the test prepares the round; each side reads what it needs (``side(n)``, which
returns the act); all sides act at once. So every act starts from what it read before any
other act began, as two people who opened the same page do, and whatever one writes lands
while the other is in flight. The test checks the outcome after each round.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from unittest import mock

from django.db import connections

#: How long a round may take before the race gives up on a stuck side (seconds).
ROUND_TIMEOUT = 60

Side = Callable[[int], Callable[[], object]]


def race(
    rounds: int,
    sides: Sequence[Side],
    *,
    prepare: Callable[[int], object] = lambda n: None,
    check: Callable[[int], object] = lambda n: None,
    processes: bool = False,
) -> None:
    """Run ``rounds`` rounds of ``sides`` racing: ``prepare(n)`` and ``check(n)`` in the test's
    thread before and after round ``n``. ``processes``: each side in a forked process rather
    than a thread (the test's connections are closed first: a child must not share them)."""
    if processes:
        context = multiprocessing.get_context("fork")
        start, barrier, errors = context.Process, context.Barrier, context.Queue()
        connections.close_all()
    else:
        start, barrier, errors = threading.Thread, threading.Barrier, queue.Queue()
    meeting = barrier(len(sides) + 1, timeout=ROUND_TIMEOUT)
    workers = [start(target=_run, args=(side, rounds, meeting, errors)) for side in sides]
    for worker in workers:
        worker.start()
    try:
        for n in range(rounds):
            prepare(n)
            for _step in ("read", "act", "done"):
                meeting.wait()
            check(n)
    except threading.BrokenBarrierError:
        pass  # a side failed: its error is reported below
    finally:
        meeting.abort()
        for worker in workers:
            worker.join(ROUND_TIMEOUT)
    failures = []
    while not errors.empty():
        failures.append(errors.get())
    assert not failures, failures


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_Stay)


def send(url: str, data: bytes | None = None, headers: dict | None = None, method=None):
    """One request to a live server: ``(status, body)``, a redirect answered, not followed."""
    request = urllib.request.Request(url, data, headers or {}, method=method)
    try:
        with _opener.open(request, timeout=ROUND_TIMEOUT) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@contextlib.contextmanager
def followers_muted() -> Iterator[None]:
    """Nothing runs after commit: what followers do then (indexing, related messages, tens of
    milliseconds a change) happens outside every lock, so it is no part of a race between
    writers, and would make each round several times slower."""
    with mock.patch("django.db.transaction.on_commit"):
        yield


def _run(side: Side, rounds: int, meeting, errors) -> None:
    try:
        for n in range(rounds):
            meeting.wait()
            act = side(n)
            meeting.wait()
            act()
            meeting.wait()
    except threading.BrokenBarrierError:
        pass  # another side failed, or the test did
    except Exception as error:
        errors.put(f"round {n}: {type(error).__name__}: {error}")
        meeting.abort()
    finally:
        connections.close_all()


class StatusRounds:
    """Rounds of a content save racing a status change of one brief: round ``n`` starts the
    brief where ``MOVES[n % 3]`` applies, one side saves the text ``text(n)``, the other makes
    the move. Both must hold afterwards: the new text, and the status (with a publication
    time exactly when published) and audit entry of the move. ``undone`` lists the rounds
    where they did not."""

    #: (the move, as the audit log names it; the status it starts from; the one it ends in)
    MOVES = (
        ("unpublish", "published", "draft"),
        ("publish", "draft", "published"),
        ("submit", "draft", "review"),
    )

    def __init__(self, brief):
        self.pk = brief.pk
        self.undone: list[str] = []

    def move(self, n: int) -> str:
        return self.MOVES[n % len(self.MOVES)][0]

    @staticmethod
    def text(n: int) -> str:
        return f"Round {n}: the text as saved."

    def prepare(self, n: int) -> None:
        from newsbrief.briefs.models import Brief
        from newsbrief.briefs.publishing import set_status

        _move, before, _after = self.MOVES[n % len(self.MOVES)]
        set_status(Brief.objects.get(pk=self.pk), before)

    def check(self, n: int) -> None:
        from newsbrief.briefs.models import AuditEntry, Brief

        move, _before, after = self.MOVES[n % len(self.MOVES)]
        brief = Brief.objects.get(pk=self.pk)
        moves = AuditEntry.objects.filter(brief_id=self.pk, action=move).count()
        problems = [
            f"the text is {brief.body!r}" if brief.body != self.text(n) else "",
            f"the status is {brief.status}" if brief.status != after else "",
            f"published_at is {brief.published_at}"
            if (brief.published_at is None) == (after == "published")
            else "",
            f"{moves} {move} entries"
            if moves != sum(self.move(k) == move for k in range(n + 1))
            else "",
        ]
        if any(problems):
            self.undone.append(f"round {n} ({move}): " + ", ".join(filter(None, problems)))
