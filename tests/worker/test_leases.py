"""The database leases and checkpoints every background task relies on (``worker.leases``)."""

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from newsbrief.worker.leases import Busy, LeaseLost, advance, checkpoint, exclusive
from newsbrief.worker.models import Lease


@pytest.mark.django_db
def test_a_lease_excludes_a_second_holder_until_it_is_released():
    with exclusive("job", seconds=60) as held:
        with pytest.raises(Busy) as busy, exclusive("job", seconds=60):
            pass
        assert busy.value.expires_at == Lease.objects.get(name="job").expires_at
        with exclusive("another job", seconds=60):
            pass
        held.renew()
    assert not Lease.objects.exists()
    with exclusive("job", seconds=60):
        pass


@pytest.mark.django_db
def test_a_lease_lapses_after_its_time_unless_renewed():
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock, exclusive("job", seconds=60) as first:
        clock.shift(dt.timedelta(seconds=50))
        first.renew()  # 60 s from now
        clock.shift(dt.timedelta(seconds=50))
        with pytest.raises(Busy), exclusive("job", seconds=60):
            pass
        clock.shift(dt.timedelta(seconds=11))  # its holder died, say: the lease lapses
        with exclusive("job", seconds=60) as second:
            with pytest.raises(LeaseLost):
                first.renew()
            assert Lease.objects.get(name="job").holder == second.holder
        # The first holder's exit drops nothing that is not its own.
        assert not Lease.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_of_workers_racing_for_a_lease_exactly_one_wins():
    racers = 6
    start, won, busy = threading.Barrier(racers), [], []

    def race():
        try:
            start.wait()
            try:
                with exclusive("race", seconds=60):
                    won.append(1)
                    start_time = timezone.now()
                    while timezone.now() - start_time < dt.timedelta(seconds=1):
                        pass  # hold it while the others try
            except Busy:
                busy.append(1)
        finally:
            connection.close()

    threads = [threading.Thread(target=race) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert (len(won), len(busy)) == (1, racers - 1)


@pytest.mark.django_db
def test_a_checkpoint_remembers_the_last_moment_advanced_to():
    assert checkpoint("sweep") is None
    moment = timezone.now()
    advance("sweep", moment - dt.timedelta(minutes=1))
    advance("sweep", moment)
    assert checkpoint("sweep") == moment
