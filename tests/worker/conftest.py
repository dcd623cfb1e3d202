import pytest
from huey.contrib.djhuey import HUEY


@pytest.fixture(autouse=True)
def queue():
    """The suite's queue (immediate mode: in memory), empty for each test; tasks queued for
    later wait in its schedule."""
    HUEY.flush()
    yield HUEY
    HUEY.flush()
