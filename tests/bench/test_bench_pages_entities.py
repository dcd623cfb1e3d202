"""The entities ``bench pages`` gives a corpus without any: the same on every run, counted."""

import pytest

from newsbrief.bench import entities
from newsbrief.entities.models import BriefEntity, Counted
from tests.factories import make_brief

pytestmark = pytest.mark.django_db


def test_every_brief_is_named_the_same_way_each_time_and_counted():
    briefs = [make_brief(f"Brief {i}") for i in range(40)]
    assert entities.entities_of(7) == entities.entities_of(7)
    found = entities.ensure(progress=False, log=lambda *_: None)
    assert found["entity"] == "bench-country-0"  # the heavy head: about half the briefs
    assert found["rows"] == sum(len(entities.entities_of(b.pk)) for b in briefs)
    assert Counted.objects.count() == len(briefs)
    again = entities.ensure(progress=False, log=lambda *_: None)
    assert again["rows"] == found["rows"] == BriefEntity.objects.count()
