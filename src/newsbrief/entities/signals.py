"""``counts_followed(brief_ids)``: sent once ``counting.follow_many`` has committed new counts
and listing copies for these briefs, so that pages drawn from them (an entity's page, its
timeline, the entity index) are dropped after what they show has changed, not before."""

from django.dispatch import Signal

counts_followed = Signal()
