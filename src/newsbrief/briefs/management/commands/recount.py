from django.core.management.base import BaseCommand
from django.db import transaction

from newsbrief.briefs.listing import recount


class Command(BaseCommand):
    help = (
        "Count the listings' briefs per category and month again from the briefs (and copy "
        "their listing fields to their tags); after a change of NEWSBRIEF_TIME_ZONE, or to "
        "check that the kept counts agree."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            wrong = recount()
        self.stdout.write(f"recounted: {wrong} counts were wrong or missing")
