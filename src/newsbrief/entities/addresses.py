"""An entity's address after merges: a merged synonym's pages lead to the entity it was
merged into."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Entity

#: How far a chain of merges is followed; a cycle (which no merge should make) is a 404.
MERGE_HOPS = 10


def live_entity(slug: str) -> Entity:
    """The entity at ``slug``, or the live one it was merged into; 404 when there is none."""
    entity = get_object_or_404(Entity, slug=slug)
    for _hop in range(MERGE_HOPS):
        if entity.merged_into_id is None:
            return entity
        entity = Entity.objects.get(pk=entity.merged_into_id)
    raise Http404("merged in a cycle")
