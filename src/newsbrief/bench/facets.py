"""``newsbrief bench pages``' facet scenarios: what the facets add to a listing page.

In this process, against the corpus database: the same listing pages rendered with the facets
(``NEWSBRIEF_FACET_ENTITIES``) and without (``0``), alternately, so that both see the same
conditions; the difference of their p50 and p95 is what the facets add: on pages the kept
counts answer (one narrowing) and on pages counted over an intersection (two).

A corpus without entities gets the benchmark's own first (``bench.entities.ensure``).
"""

from __future__ import annotations

import statistics
import time

from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone


def _percentiles(samples: list[float]) -> dict:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50_ms": round(cuts[49], 2), "p95_ms": round(cuts[94], 2)}


def _timed(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def pages(requests: int) -> dict:
    """{page: {with, without, added}}: each page ``requests`` times each way, alternately."""
    from newsbrief.briefs.models import Board, BriefTag
    from newsbrief.entities import counting

    board = Board.current()
    now = timezone.now()
    top = counting.top(board, ["en"], "", now, limit=2)
    tag = BriefTag.objects.filter(language="en", status="published").order_by("-pk").first()
    category = tag.category.slug
    month = timezone.localtime(tag.published_at)
    first, second = (entity.slug for entity, _n in top)
    paths = {
        "board index (kept counts)": "/en/?lang=en",
        "category page (kept counts)": f"/en/categories/{category}/?lang=en",
        "month page (kept counts)": f"/en/archive/{month.year}/{month.month}/?lang=en",
        "browse, one entity (kept counts)": f"/en/entities/browse/?e={first}",
        "browse, two entities (counted)": f"/en/entities/browse/?e={first}&e={second}",
        "browse, entity + category (counted)": (
            f"/en/entities/browse/?e={first}&category={category}"
        ),
    }
    client = Client()
    shown = settings.NEWSBRIEF_FACET_ENTITIES or 6
    figures = {}
    # Pages as served, without the collected static files' manifest (``serve`` makes it).
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(
        ALLOWED_HOSTS=["*"], STORAGES={**settings.STORAGES, "staticfiles": plain}
    ):
        for label, path in paths.items():
            runs = {"with": [], "without": []}
            for i in range(requests * 2 + 2):
                way = "with" if i % 2 == 0 else "without"
                with override_settings(NEWSBRIEF_FACET_ENTITIES=shown if way == "with" else 0):
                    ms = _timed(lambda p=path: _ok(client.get(p, secure=True), p))
                if i >= 2:  # the first of each way warms up
                    runs[way].append(ms)
            on, off = _percentiles(runs["with"]), _percentiles(runs["without"])
            figures[label] = {
                "with": on,
                "without": off,
                "added_p50_ms": round(on["p50_ms"] - off["p50_ms"], 2),
                "added_p95_ms": round(on["p95_ms"] - off["p95_ms"], 2),
            }
    return figures


def _ok(response, path: str) -> None:
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code}")


def run(requests: int = 100) -> dict:
    return {"requests": requests, "pages": pages(requests)}


def report(f: dict) -> list[str]:
    lines = [
        f"facets: each page {f['requests']} times with and without (in process); "
        f"goal: adds <= 20 ms p95",
        f"{'page':<40}{'with p50':>9}{'p95':>8}{'without p50':>12}{'p95':>8}"
        f"{'added p50':>10}{'p95':>8}",
    ]
    for label, s in f["pages"].items():
        lines.append(
            f"{label:<40}{s['with']['p50_ms']:>9.2f}{s['with']['p95_ms']:>8.2f}"
            f"{s['without']['p50_ms']:>12.2f}{s['without']['p95_ms']:>8.2f}"
            f"{s['added_p50_ms']:>10.2f}{s['added_p95_ms']:>8.2f}"
        )
    worst = max(s["added_p95_ms"] for s in f["pages"].values())
    lines.append(f"worst added p95: {worst:.2f} ms: {'met' if worst <= 20 else 'NOT met'}")
    return lines
