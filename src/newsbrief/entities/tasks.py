"""Proposing for the briefs not yet proposed for (an archive import's, the archive from before
the registry), on the task queue (``newsbrief worker``), in the pattern of
``newsbrief.worker``: ``Extracted`` says what is done, written with the proposals; the sweep
drains the rest under a lease, so two workers never read the same briefs."""

import logging

from newsbrief.worker.leases import exclusive
from newsbrief.worker.sweeps import every, sweep

from . import proposing

log = logging.getLogger(__name__)

#: The longest one batch may hold the lease without renewing it.
LEASE = 10 * 60


@sweep(every(minutes=1))
def propose_sweep() -> int:
    """Briefs without proposals: imports, the archive, a killed worker's batch."""
    if proposing.backlog() <= 0:
        return 0
    with exclusive("entities.propose", LEASE) as lease:
        done = proposing.drain(lease=lease)
    log.info("Entities: proposed for %s brief(s)", done)
    return done
