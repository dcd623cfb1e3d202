"""The page cache's tasks (``jobs.release``): at each scheduled brief's time, and every minute
in case that message was lost."""

import logging

from newsbrief.worker.sweeps import every, sweep, triggered

from . import jobs

log = logging.getLogger(__name__)


def _release() -> None:
    if released := jobs.release():
        log.info("Released the pages of %d scheduled brief(s)", released)


@sweep(every(minutes=1))
def release_pages() -> None:
    _release()


@triggered
def release_pages_now() -> None:
    """Queued by ``receivers`` with ``eta=`` a scheduled brief's publication time."""
    _release()
