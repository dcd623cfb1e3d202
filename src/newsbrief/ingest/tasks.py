"""Ingestion on its schedule: every minute, each active source whose last fetch is older than
``NEWSBRIEF_INGEST_INTERVAL`` (or that was never fetched, such as one just registered).

A source's ``last_fetched_at`` is written once its run is over, so a source whose worker was
killed is due again at the next sweep, and each draft is committed with the ``Item`` rows
that make it seen, so the rerun makes no second draft. A lease per source keeps two workers
off one source, while several may ingest different sources at once."""

import logging

from newsbrief.worker.leases import Busy, exclusive
from newsbrief.worker.sweeps import every, sweep

from .ingesting import due_sources, ingest, longest_run

log = logging.getLogger(__name__)


@sweep(every(minutes=1))
def ingest_sources() -> None:
    for pk in due_sources().values_list("pk", flat=True):
        try:
            with exclusive(f"ingest.source.{pk}", seconds=longest_run()):
                # Due still? Another worker may have finished it since the list was read.
                source = due_sources().filter(pk=pk).first()
                if source is not None:
                    log.info("ingest: %s: %s", source.name, ingest([source]).summary())
        except Busy:
            continue
