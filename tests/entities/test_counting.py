"""The entity counts agree with counting the briefs from scratch after any mix of changes:
publishes, scheduled ones, unpublishes, tag and language edits, entity decisions and deletes."""

import collections
import dataclasses
import datetime as dt
import random

import pytest
from django.utils import timezone

from newsbrief.briefs.listing import month_of
from newsbrief.briefs.models import Board, Brief
from newsbrief.briefs.publishing import KEEP, content_of, save_brief, set_status
from newsbrief.entities import counting
from newsbrief.entities.models import BriefEntity, Entity, EntityCount
from tests.factories import make_brief

pytestmark = pytest.mark.django_db
BOTH = ["en", "zh-hant"]
TAGS = ["Energy", "Health", "Space"]
D = BriefEntity.Decision


def _entities():
    made = [
        ("japan", Entity.Kind.COUNTRY), ("taiwan", Entity.Kind.COUNTRY),
        ("korea", Entity.Kind.COUNTRY), ("moea", Entity.Kind.ORGANIZATION),
        ("optics", Entity.Kind.FIELD), ("medical-devices", Entity.Kind.FIELD),
    ]  # fmt: skip
    return [Entity.objects.create(slug=s, kind=k, name_en=s.title()) for s, k in made]


def _shown(brief) -> list[Entity]:
    rows = BriefEntity.objects.filter(brief=brief).select_related("entity")
    return sorted(
        (
            r.entity for r in rows
            if r.decision in (D.CONFIRMED, D.ADDED)
            or (r.decision == D.PROPOSED and r.confidence >= counting.min_confidence())
        ),
        key=lambda e: e.pk,
    )  # fmt: skip


def direct_counts(now) -> collections.Counter:
    """Every count, by walking every brief: the definition in ``EntityCount``'s docstring."""
    expected = collections.Counter()
    for brief in Brief.objects.filter(status=Brief.Status.PUBLISHED, published_at__lte=now):
        key = (brief.board_id, brief.language)
        shown = _shown(brief)
        month = month_of(brief.published_at)
        for e in shown:
            expected[(*key, "", e.pk)] += 1
            expected[(*key, f"m{month:%Y-%m}", e.pk)] += 1
            for tag in brief.brief_tags.all():
                expected[(*key, f"c{tag.category_id}", e.pk)] += 1
            for other in shown:
                if other == e:
                    continue
                expected[(*key, f"e{e.pk}", other.pk)] += 1
                if e.kind == other.kind == Entity.Kind.COUNTRY:
                    expected[(*key, f"e{e.pk}y{month.year}", other.pk)] += 1
                    for field in shown:
                        if field.kind == Entity.Kind.FIELD:
                            expected[(*key, f"e{e.pk}e{other.pk}", field.pk)] += 1
    return expected


def kept_counts(now) -> collections.Counter:
    kept = collections.Counter()
    for board in Board.objects.all():
        for language in BOTH:
            for (scope, entity), n in counting.counts(board, [language], now, prefix="").items():
                kept[(board.pk, language, scope, entity)] = n
    return kept


def _step(rng, now, briefs, entities):
    op = rng.choice(["create", "create", "edit", "publish", "unpublish", "decide", "decide",
                     "delete"])  # fmt: skip
    if op == "create" or not briefs:
        brief = make_brief(
            f"Brief {len(briefs)}",
            language=rng.choice(BOTH),
            tags=tuple(rng.sample(TAGS, rng.randint(0, 2))),
            published_at=now + dt.timedelta(hours=rng.randint(-24 * 900, 24 * 30)),
        )
        briefs.append(brief)
        for entity in rng.sample(entities, rng.randint(0, 4)):
            BriefEntity.objects.create(
                brief=brief, entity=entity, confidence=rng.choice([0.3, 0.7, 0.95])
            )
        counting.follow(brief)
        return
    brief = rng.choice(briefs)
    brief.refresh_from_db()
    if op == "edit":
        content = dataclasses.replace(
            content_of(brief),
            language=rng.choice(BOTH),
            tags=tuple(rng.sample(TAGS, rng.randint(0, 2))),
        )
        save_brief(content, status=KEEP)
    elif op == "publish":
        set_status(brief, Brief.Status.PUBLISHED, now - dt.timedelta(days=rng.randint(0, 99)))
    elif op == "unpublish":
        set_status(brief, Brief.Status.DRAFT)
    elif op == "decide":
        entity = rng.choice(entities)
        BriefEntity.objects.update_or_create(
            brief=brief, entity=entity, defaults={"decision": rng.choice(list(D))}
        )
        counting.follow(brief)
    elif op == "delete":
        brief.delete()
        briefs.remove(brief)


@pytest.mark.parametrize("seed", [1, 2])
def test_counts_match_a_direct_count(seed, django_capture_on_commit_callbacks):
    rng = random.Random(seed)
    entities = _entities()
    now = timezone.now()
    briefs = []
    for _ in range(60):
        with django_capture_on_commit_callbacks(execute=True):
            _step(rng, now, briefs, entities)
    assert kept_counts(now) == +direct_counts(now)
    # Copies of the listing fields follow the brief.
    for row in BriefEntity.objects.select_related("brief"):
        assert (row.language, row.status, row.published_at) == (
            row.brief.language,
            row.brief.status,
            row.brief.published_at,
        )
    before = set(EntityCount.objects.filter(count__gt=0).values_list(
        "board", "language", "scope", "entity", "count"))  # fmt: skip
    counting.recount()
    after = set(EntityCount.objects.filter(count__gt=0).values_list(
        "board", "language", "scope", "entity", "count"))  # fmt: skip
    assert before == after


def test_a_timeline_and_top_read_the_counts(django_capture_on_commit_callbacks):
    japan, taiwan, *_rest, optics, _devices = _entities()
    now = timezone.now()
    for months_back in (0, 0, 2):
        with django_capture_on_commit_callbacks(execute=True):
            brief = make_brief("Optics", published_at=now - dt.timedelta(days=31 * months_back))
        for entity in (japan, taiwan, optics):
            BriefEntity.objects.update_or_create(  # "Optics" is proposed on save
                brief=brief, entity=entity, defaults={"decision": D.CONFIRMED}
            )
        counting.follow(brief)
    board = Board.objects.get()
    assert [n for _month, n in counting.timeline(board, BOTH, japan, now)] == [1, 2]
    assert counting.top(board, BOTH, "", now, kind=Entity.Kind.COUNTRY) == [(japan, 3), (taiwan, 3)]
    assert counting.top(board, BOTH, counting.pair_fields_scope(japan.pk, taiwan.pk), now) == [
        (optics, 3)
    ]
