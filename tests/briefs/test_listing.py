"""The listings' kept counts and tag copies agree with the briefs after any mix of changes:
random publishes, scheduled and backdated ones, unpublishes, edits of tags, language and
date, and deletes, each checked against counting from scratch."""

import collections
import dataclasses
import datetime as dt
import io
import random

import pytest
from django.core.management import call_command
from django.utils import timezone

from newsbrief.briefs import listing
from newsbrief.briefs.models import Board, Brief, BriefTag
from newsbrief.briefs.publishing import KEEP, content_of, save_brief, set_status
from tests.factories import make_brief

pytestmark = pytest.mark.django_db
COPIED = ("board_id", "language", "status", "published_at")
TAGS = ["Energy", "Health", "Space", "Chips"]
BOTH = ["en", "zh-hant"]


def _moment(rng: random.Random, now: dt.datetime) -> dt.datetime:
    """Mostly the past (years back: backdated news), sometimes later (scheduled)."""
    return now + dt.timedelta(hours=rng.randint(-24 * 900, 24 * 60))


def _step(rng: random.Random, now: dt.datetime, briefs: list[Brief]) -> None:
    op = rng.choice(["create", "create", "edit", "move", "publish", "unpublish", "delete"])
    if op == "create" or not briefs:
        status = rng.choice([Brief.Status.PUBLISHED] * 3 + [Brief.Status.DRAFT])
        briefs.append(
            make_brief(
                f"Brief {len(briefs)}",
                language=rng.choice(BOTH),
                tags=tuple(rng.sample(TAGS, rng.randint(0, 3))),
                status=status,
                published_at=_moment(rng, now) if status == Brief.Status.PUBLISHED else None,
            )
        )
        return
    brief = rng.choice(briefs)
    brief.refresh_from_db()
    content = content_of(brief)
    if op == "edit":  # tags and language, in whatever status it has
        changed = dataclasses.replace(
            content,
            tags=tuple(rng.sample(TAGS, rng.randint(0, 3))),
            language=rng.choice(BOTH),
        )
        save_brief(changed, editor="ed", status=KEEP)
    elif op == "move":  # published again under another (past or later) date
        changed = dataclasses.replace(content, published_at=_moment(rng, now))
        save_brief(changed, editor="ed", status=Brief.Status.PUBLISHED)
    elif op == "publish":
        set_status(brief, Brief.Status.PUBLISHED, _moment(rng, now))
    elif op == "unpublish":
        set_status(brief, rng.choice([Brief.Status.DRAFT, Brief.Status.REVIEW]))
    else:
        briefs.remove(brief)
        if rng.random() < 0.5:
            brief.delete()
        else:
            Brief.objects.filter(pk=brief.pk).delete()


def _expected(board, languages: list[str], now: dt.datetime):
    shown = Brief.objects.published(at=now).filter(board=board, language__in=languages)
    categories = collections.Counter(
        BriefTag.objects.filter(brief__in=shown).values_list("category_id", flat=True)
    )
    months = collections.Counter(listing.month_of(b.published_at) for b in shown)
    return dict(categories), sorted(months.items(), reverse=True)


@pytest.mark.parametrize("seed", range(4))
def test_kept_counts_agree_after_random_changes(seed):
    rng = random.Random(seed)
    now = timezone.now()
    briefs: list[Brief] = []
    for number in range(60):
        _step(rng, now, briefs)
        if number % 10 == 9:
            board = Board.current()
            for languages in (["en"], ["zh-hant"], BOTH):
                for at in (now, now + dt.timedelta(days=30)):  # scheduled ones come due
                    categories, months = _expected(board, languages, at)
                    assert listing.category_counts(board, languages, at) == categories
                    assert listing.month_counts(board, languages, at) == months
            assert set(BriefTag.objects.values_list("brief_id", *COPIED)) == set(
                Brief.objects.filter(brief_tags__isnull=False).values_list("pk", *COPIED)
            )
    assert listing.recount() == 0


def test_recount_command_repairs_what_was_not_kept():
    brief = make_brief(tags=("Energy",))
    BriefTag.objects.filter(brief=brief).update(language=None)
    listing.MonthCount.objects.all().delete()
    out = io.StringIO()
    call_command("recount", stdout=out)
    assert "1 counts were wrong" in out.getvalue()
    assert BriefTag.objects.get(brief=brief).language == "en"
    assert listing.recount() == 0
