"""Entities for a benchmark corpus that has none, so that the entity pages can be measured.

The corpus's briefs are generated without entities (the registry's extraction names them on
a real board). Here each brief is given, by its id alone (so the same on every run), one or two
countries drawn with a heavy head (the first country is named by about half the briefs: a
worst case for its page, its timeline and its pairs), an organization on a third of them and a
field; then the kept counts are rebuilt (``counting.recount``), with a progress bar.
"""

from __future__ import annotations

from tqdm import tqdm

COUNTRIES = 30
ORGANIZATIONS = 40
FIELDS = 25
#: Rows written per statement batch.
BATCH = 5000


def _pick(brief_id: int, salt: int, n: int) -> int:
    """A deterministic draw in 0..n-1 with a heavy head: half the draws are 0."""
    h = (brief_id * 2654435761 + salt * 40503) % 2**32
    return 0 if h % 2 == 0 else 1 + (h >> 1) % (n - 1)


def entities_of(brief_id: int) -> list[int]:
    """Indexes into ``made()``'s list: countries first, then organizations, then fields."""
    names = [_pick(brief_id, 1, COUNTRIES)]
    if brief_id % 3 == 0:
        names.append(_pick(brief_id, 2, COUNTRIES))
    if brief_id % 3 == 1:
        names.append(COUNTRIES + _pick(brief_id, 3, ORGANIZATIONS))
    names.append(COUNTRIES + ORGANIZATIONS + _pick(brief_id, 4, FIELDS))
    return sorted(set(names))


def made() -> list:
    from newsbrief.entities.models import Entity

    kinds = [("country", COUNTRIES), ("organization", ORGANIZATIONS), ("field", FIELDS)]
    rows = []
    for kind, count in kinds:
        for i in range(count):
            slug = f"bench-{kind}-{i}"
            entity, _created = Entity.objects.get_or_create(
                slug=slug,
                defaults={"kind": kind, "name_en": f"{kind.title()} {i}",
                          "name_zh_hant": f"{kind} {i} 中文"},
            )  # fmt: skip
            rows.append(entity)
    return rows


def ensure(progress: bool = True, log=print) -> dict:
    """Entities on every brief of the corpus unless some brief has entities already, and
    their counts unless every brief is counted; the most named entity's slug (the page to
    measure), every named entity's, and the number of rows."""
    from django.db import transaction

    from newsbrief.briefs.models import Brief
    from newsbrief.entities import counting
    from newsbrief.entities.models import BriefEntity, Counted, EntityCount

    if not BriefEntity.objects.exists():
        entities = made()
        fields = ("pk", "board_id", "language", "status", "published_at")
        ids = list(Brief.objects.order_by("pk").values_list(*fields))
        log(f"entities: naming {len(ids):,} briefs")
        with tqdm(total=len(ids), disable=not progress, unit="brief", desc="entities") as bar:
            for start in range(0, len(ids), BATCH):
                chunk = ids[start : start + BATCH]
                with transaction.atomic():
                    BriefEntity.objects.bulk_create(
                        BriefEntity(
                            brief_id=pk, entity=entities[i], confidence=0.9, board_id=board,
                            language=language, status=status, published_at=published_at,
                        )
                        for pk, board, language, status, published_at in chunk
                        for i in entities_of(pk)
                    )  # fmt: skip
                bar.update(len(chunk))
    briefs = Brief.objects.count()
    if Counted.objects.count() < briefs:  # not counted yet, or a count cut short: again
        with tqdm(total=briefs, disable=not progress, unit="brief", desc="counts") as bar:
            counting.recount(progress=bar.update)
    named = EntityCount.objects.filter(scope="", language="en", count__gt=0).order_by("-count")
    slugs = list(named.values_list("entity__slug", flat=True))
    return {"entity": slugs[0] if slugs else None, "entities": slugs,
            "rows": BriefEntity.objects.count()}  # fmt: skip
