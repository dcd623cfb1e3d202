import json

from django.core.management.base import BaseCommand, CommandError

from newsbrief.briefs.models import Brief
from newsbrief.related import proposals


class Command(BaseCommand):
    help = "Show what newsbrief proposes for a brief: related earlier briefs, tags, counterparts."

    def add_arguments(self, parser):
        parser.add_argument("brief", type=int, help="the brief's number")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, brief: int, limit: int, json: bool, **options):
        found = Brief.objects.filter(pk=brief).first()
        if found is None:
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
