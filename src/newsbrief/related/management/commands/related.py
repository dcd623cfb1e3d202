import json

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from newsbrief.briefs.models import Brief
from newsbrief.related import entries, proposals, snapshots
from newsbrief.related.models import PendingEntry


class Command(BaseCommand):
    help = (
        "`related ID`: what newsbrief proposes for a brief (related earlier briefs, tags, "
        "counterparts). `related rebuild`: recompute every index entry that is out of date "
        "and compact them into a new snapshot (resumable: run it again after an interruption)."
    )

    def add_arguments(self, parser):
        parser.add_argument("brief", help="the brief's number, or `rebuild`")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--queue",
            action="store_true",
            help="with rebuild: only queue the briefs, for the workers to index",
        )

    def handle(self, *args, brief: str, limit: int, json: bool, queue: bool, **options):
        if brief == "rebuild":
            return self.rebuild(queue)
        if not brief.isdigit() or not (found := Brief.objects.filter(pk=brief).first()):
            raise CommandError(f"no brief {brief}")
        result = {
            "brief": _brief(found),
            "related": [_proposal(p) for p in proposals.propose_related(found, limit)],
            "tags": [
                {"slug": c.slug, "name": c.name_for(found.language), "confidence": round(x, 3)}
                for c, x in proposals.suggest_tags_for(found)
            ],
            "counterparts": [_proposal(p) for p in proposals.propose_counterparts(found)],
        }
        if json:
            self.stdout.write(_dumps(result))
            return
        self.stdout.write(f"#{found.pk} {found.title}")
        for title, key in (("Related", "related"), ("Counterparts", "counterparts")):
            self.stdout.write(f"{title}:")
            for p in result[key]:
                self.stdout.write(f"  {p['score']:6.3f}  #{p['id']} {p['date'] or ''} {p['title']}")
                self.stdout.write(f"          {'; '.join(p['reasons'])}")
        self.stdout.write(
            "Tags: " + ", ".join(f"{t['name']} ({t['confidence']:.0%})" for t in result["tags"])
        )

    def rebuild(self, queue: bool) -> None:
        queued = entries.queue_all()
        if queue:
            self.stdout.write(f"{queued} brief(s) queued for the workers")
            return

        def bar(desc, total):
            return tqdm(total=total, desc=desc, unit=" briefs", disable=None, file=self.stderr)

        with bar("indexing", PendingEntry.objects.count()) as shown:
            entries.drain(progress=shown.update)
        with bar("compacting", Brief.objects.published().count()) as shown:
            generation = snapshots.compact(progress=shown.update)
        self.stdout.write(f"{queued} brief(s) checked; {generation}")


def _brief(brief: Brief) -> dict:
    date = brief.local_published_date
    return {
        "id": brief.pk,
        "title": brief.title,
        "language": brief.language,
        "date": date.isoformat() if date else None,
        "url": brief.get_absolute_url(),
    }


def _proposal(p: proposals.Proposal) -> dict:
    return {**_brief(p.brief), "score": round(p.score, 4), "reasons": list(p.reasons)}


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
