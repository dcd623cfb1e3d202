"""The facet scenarios of ``bench pages``: each page timed with and without the facets, on a
corpus given the benchmark's entities."""

import pytest

from newsbrief.bench import entities, facets
from newsbrief.entities.models import Counted
from tests.factories import make_brief

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("registry_state")]


def test_synthetic_entities_and_the_pages_with_and_without(capsys):
    for i in range(12):
        make_brief(f"Brief {i}", tags=("Energy",) if i % 2 else ("Health",))
    Counted.objects.all().delete()  # as a loaded corpus: never counted
    entities.ensure(progress=False, log=lambda m: None)
    figures = facets.run(requests=3)
    assert len(figures["pages"]) == 6
    for page in figures["pages"].values():
        assert page["with"]["p95_ms"] > 0 and page["without"]["p95_ms"] > 0
    lines = facets.report(figures)
    assert lines[-1].startswith("worst added p95")
