import pytest


@pytest.fixture(autouse=True)
def registry_state(request):
    """Every database starts with the shipped registry (a data migration); tests here make
    the entities they count on, so they start from an empty one, unless marked
    ``shipped_registry`` (put back after a transactional test's flush)."""
    if not request.node.get_closest_marker("django_db"):
        yield
        return
    from newsbrief.entities import registry
    from newsbrief.entities.models import Alias, Entity

    marker = request.node.get_closest_marker("django_db")
    transactional = marker.kwargs.get("transaction", False)
    request.getfixturevalue("transactional_db" if transactional else "db")
    if request.node.get_closest_marker("shipped_registry"):
        if not Entity.objects.exists():
            registry.sync()
    else:
        Alias.objects.all().delete()
        Entity.objects.update(parent=None, merged_into=None)
        Entity.objects.all().delete()
    registry.forget()
    yield
