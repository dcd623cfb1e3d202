"""The hook where proposals (tags, related messages) attach to what ingestion brings in.

``draft_ingested`` is sent once for every draft ``newsbrief ingest`` creates, after its
transaction commits: ``sender=Source, brief=<Brief>, source=<Source>, url=<article address>``.
Ingestion itself proposes nothing; ``newsbrief.related`` (or anything else) connects a receiver
here to prepare proposals for the editor who opens the draft. A receiver that fails is logged
and does not stop the run (the signal is sent robustly).
"""

from django.dispatch import Signal

draft_ingested = Signal()
