"""A task for the consumer tests, written as the product's are (``newsbrief.worker``): its
durable state (rows of ``worker_probe``, a table the test makes) says whether it is done, it
runs under a lease that it renews, and it records each attempt before its slow work, so a
test can kill the worker in the middle of that work."""

import time

from django.db import connection

from newsbrief.worker.leases import exclusive
from newsbrief.worker.sweeps import every, sweep

#: The lease: short, so that a killed worker's lapses within the test's patience.
LEASE_SECONDS = 2.0
#: The slow work, in steps with the lease renewed between them.
STEPS, STEP_SECONDS = 8, 0.25


def _count(what: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM worker_probe WHERE what = %s", [what])
        return cursor.fetchone()[0]


def _record(what: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO worker_probe (what) VALUES (%s)", [what])


@sweep(every(minutes=1))
def probe() -> None:
    with exclusive("probe", seconds=LEASE_SECONDS) as lease:
        if _count("done"):
            return
        _record("attempt")
        for _ in range(STEPS):
            time.sleep(STEP_SECONDS)
            lease.renew()
        _record("done")
