"""The facet scenarios of ``bench pages``: synthetic entities on a corpus without any, counted,
and each page timed with and without the facets."""

import pytest

from newsbrief.bench import facets
from newsbrief.entities.models import BriefEntity, Counted, Entity
from tests.factories import make_brief

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("registry_state")]


def test_synthetic_entities_and_the_pages_with_and_without(capsys):
    for i in range(12):
        make_brief(f"Brief {i}", tags=("Energy",) if i % 2 else ("Health",))
    Counted.objects.all().delete()  # as a loaded corpus: never counted
    assert facets.ensure_entities(1, progress=False, log=lambda m: None)["recount_s"] >= 0
    assert Entity.objects.filter(kind="country").count() == facets.KINDS["country"]
    assert BriefEntity.objects.count() >= 12  # a country at least on each brief
    assert facets.ensure_entities(1, progress=False, log=lambda m: None) == {}  # done: kept
    figures = facets.run(requests=3)
    assert len(figures["pages"]) == 6
    for page in figures["pages"].values():
        assert page["with"]["p95_ms"] > 0 and page["without"]["p95_ms"] > 0
    lines = facets.report(figures)
    assert lines[-1].startswith("worst added p95")
