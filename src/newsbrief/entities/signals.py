"""What the entities tell the rest of the board."""

from django.dispatch import Signal

#: Sent by ``counting.follow_many`` when what briefs add to the counts changed (their
#: shown entities, categories, month or status), with ``brief_ids``, inside its transaction:
#: the facets of the pages listing them are out of date once it commits.
counts_changed = Signal()
