import pytest


@pytest.fixture(autouse=True)
def _registry_state(registry_state):
    """Tests here make the entities they count on (``registry_state``)."""
