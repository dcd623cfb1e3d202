from django.conf import settings
from django.core.management.base import BaseCommand
from tqdm import tqdm

from newsbrief.related import proposals
from newsbrief.related.tags import TagModel


class Command(BaseCommand):
    help = (
        "Embed every published brief that lacks a vector and retrain tag suggestion on the "
        "board's tagged archive (saved in NEWSBRIEF_RELATED_PATH/tags.npz)."
    )

    def handle(self, *args, **options):
        briefs = list(proposals.published_briefs())
        bar = tqdm(
            total=len(briefs), desc="embedding", unit=" briefs", disable=None, file=self.stderr
        )
        embedded = True
        for start in range(0, len(briefs), 256):
            chunk = briefs[start : start + 256]
            if proposals.vectors_for(chunk) is None:
                embedded = False
                break
            bar.update(len(chunk))
        bar.close()
        profiles = [proposals.profile_of(b) for b in briefs]
        vectors = proposals.vectors_for(briefs) if embedded else None
        model = TagModel.train(((p.terms, p.tags) for p in profiles), vectors)
        path = settings.NEWSBRIEF_RELATED_PATH / "tags.npz"
        model.save(path)
        self.stdout.write(
            f"{len(briefs)} published brief(s), "
            + ("embedded" if embedded else "not embedded (no model: lexical ranking only)")
            + f"; tag model: {len(model.tags)} tag(s), {len(model.vocabulary)} term(s), "
            f"saved to {path}"
        )
