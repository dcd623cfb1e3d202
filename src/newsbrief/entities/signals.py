"""What the entities tell the rest of the board."""

from django.dispatch import Signal

#: Sent once ``counting.follow_many`` has committed new counts and listing copies, with
#: ``brief_ids`` (whose footprint changed) and ``entity_ids`` (what they named before or
#: now): the pages drawn from them (the listings' facets, the briefs', the entities' pages
#: and timelines) are out of date from then on, not before.
counts_changed = Signal()
