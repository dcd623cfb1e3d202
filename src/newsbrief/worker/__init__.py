"""Background work: every piece of it is a Huey task (``newsbrief worker`` consumes them), and
every task follows one pattern, so that a worker killed at any moment loses nothing and two
workers never do the same work at once.

1. **Durable state says what is due**, never the queue alone. A Huey message is popped before
   its task runs, so a worker killed mid-task (SIGKILL, a power cut) loses it. The database
   says what still has to be done: a source's ``last_fetched_at``, the digest ledger, the
   page release's checkpoint (``checkpoint``/``advance``). A task reads that state, does what
   it says, and records the progress in the same database, after the work.
2. **A periodic sweep redoes whatever is still due** (``@sweep(schedule)``): it is the safety
   net that makes a lost message harmless. ``newsbrief worker`` also queues every sweep when it
   starts, so a restarted worker catches up at once instead of at the next tick.
3. **A triggered task on change** (``db_task``, queued once the change commits, or with
   ``eta=`` for work that comes due later) makes the common case timely; it does what the
   sweep would, for less.
4. **A lease in the database** (``exclusive(name, seconds)``) keeps two workers, on one
   machine or several, out of the same work. It expires, so a killed worker's lease lapses
   and the next run takes over; a sweep that finds the lease taken retries once it would have
   lapsed (``Busy`` becomes Huey's ``RetryTask``), then leaves it to the next tick. Work that
   takes longer than the lease renews it (``lease.renew()``) between steps.

Each step being idempotent (doing it twice has the effect of doing it once), a task may run
again after a kill, a retry or a second sweep: the state, not the number of runs, decides.

A new app's tasks go in its ``tasks.py`` (Huey's Django integration imports every app's):

    @sweep(every(minutes=5))
    def reindex_sweep():
        with exclusive("myapp.reindex", seconds=60) as lease:
            for batch in what_is_due():  # read from the database
                do(batch)                # idempotent
                mark_done(batch)         # in the database, after the work
                lease.renew()
"""
