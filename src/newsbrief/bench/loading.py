"""Loading a synthetic corpus into a database, fast: ``bulk_create`` in batches, generation in
worker processes, resumable (brief ``i`` of a corpus has primary key ``i + 1``).

SQLite benchmarks run in a database of their own (``use_sqlite``), one file per corpus size
and seed, kept so that a rerun starts measuring at once.
"""

from __future__ import annotations

import contextlib
import html
import multiprocessing
from pathlib import Path

from django.core.management import call_command
from django.db import connections, transaction
from tqdm import tqdm

from newsbrief.settings import database_config

from . import corpus

BATCH = 2_000
BOARD_NAME = "Newsbrief benchmark"


@contextlib.contextmanager
def use_sqlite(path: Path):
    """Point the default database at the SQLite file ``path`` (migrated) for the duration."""
    handler = connections
    saved = dict(handler.databases["default"])
    handler["default"].close()
    # The whole SQLite configuration (engine, WAL options), whatever the default database is.
    handler.databases["default"] = {**saved, **database_config(f"sqlite:///{path}")}
    del handler["default"]
    try:
        call_command("migrate", verbosity=0, interactive=False, run_syncdb=True)
        yield
    finally:
        handler["default"].close()
        handler.databases["default"] = saved
        del handler["default"]


def _html(body: str) -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n\n"))


def _batch(args: tuple[int, int, int]) -> list[corpus.BenchBrief]:
    seed, start, stop = args
    return [corpus.make_brief(seed, i) for i in range(start, stop)]


def _fixtures():
    from django.contrib.auth import get_user_model

    from newsbrief.briefs.models import Board, Category

    board = Board.objects.get_or_create(name=BOARD_NAME, defaults={"languages": ["en", "zh-hant"]})
    categories = {}
    for slug, en, zh in corpus.CATEGORIES:
        categories[slug] = Category.objects.get_or_create(
            slug=slug, defaults={"name_en": en, "name_zh_hant": zh}
        )[0]
    User = get_user_model()
    authors = {}
    for name in corpus.AUTHORS:
        user, created = User.objects.get_or_create(username=name)
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        authors[name] = user
    return board[0], categories, authors


def loaded(n: int, seed: int) -> int:
    """How many briefs of the corpus (n, seed) the database holds: 0 when it holds anything
    else."""
    from newsbrief.briefs.models import Brief

    count = Brief.objects.count()
    if not count:
        return 0
    first = Brief.objects.filter(pk=1).values_list("uid", flat=True).first()
    if first != corpus.make_brief(seed, 0).uid or count > n:
        raise RuntimeError(
            f"the database holds {count} briefs that are not the first {n} of corpus seed {seed}"
        )
    return count


def load(n: int, seed: int, *, jobs: int = 2, progress: bool = True) -> int:
    """Load briefs ``loaded(n, seed)`` .. ``n - 1``; returns how many were added."""
    from newsbrief.briefs.models import Brief, BriefTag
    from newsbrief.briefs.text import normalize_title

    start = loaded(n, seed)
    if start >= n:
        return 0
    board, categories, authors = _fixtures()
    batches = [(seed, i, min(i + BATCH, n)) for i in range(start, n, BATCH)]
    context = multiprocessing.get_context("fork")
    pool = context.Pool(jobs) if jobs > 1 else None
    mapped = pool.imap(_batch, batches) if pool else map(_batch, batches)
    bar = tqdm(total=n, initial=start, disable=not progress, desc="load", unit="brief")
    try:
        for records in mapped:
            briefs, tags = [], []
            for r in records:
                pk = r.index + 1
                briefs.append(
                    Brief(
                        pk=pk,
                        uid=r.uid,
                        translation_key=r.translation_key,
                        board=board,
                        language=r.language,
                        title=r.title,
                        title_key=normalize_title(r.title),
                        body=r.body,
                        body_html=_html(r.body),
                        source_name=r.source_name,
                        source_date=r.source_date,
                        author=authors[r.author],
                        status=Brief.Status.PUBLISHED,
                        published_at=r.published_at,
                        created_at=r.published_at,
                        updated_at=r.published_at,
                    )
                )
                tags += [
                    BriefTag(brief_id=pk, category=categories[slug], position=i)
                    for i, slug in enumerate(r.tags)
                ]
            with transaction.atomic():
                Brief.objects.bulk_create(briefs, batch_size=500)
                BriefTag.objects.bulk_create(tags, batch_size=500)
            bar.update(len(records))
    finally:
        bar.close()
        if pool:
            pool.terminate()
    return n - start
