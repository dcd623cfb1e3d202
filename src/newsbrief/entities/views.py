"""The reader's entity pages: every entity with its briefs counted, and one entity's page.

An entity's page lists its briefs from its own rows of the ``entity_listing`` index (the
``BriefEntity`` listing copies), draws its timeline and names its companions from the kept
counts (``counting``): nothing here counts the archive. A merged entity's address leads to the
entity it was merged into.
"""

from __future__ import annotations

import collections

from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from newsbrief import charts
from newsbrief.briefs.models import Brief
from newsbrief.briefs.views import _listing, _shown

from . import counting
from .addresses import live_entity
from .models import BriefEntity, Entity

KINDS = list(Entity.Kind)
#: Entities named most, per kind, on the index; companions per kind on an entity's page.
MOST_NAMED = 12
COMPANIONS = 8
#: Countries shown with their pairs on a country's page, fields per pair, and the height of
#: a pair's small per-year chart.
PAIRS = 10
PAIR_FIELDS = 5
PAIR_CHART_HEIGHT = 96


def briefs_count(n: int) -> str:
    return ngettext("%(count)s brief", "%(count)s briefs", n) % {"count": n}


def index(request):
    """Every entity named by a shown brief, per kind: the most named first, then A to Z."""
    _, shown = _shown(request)
    now = timezone.now()
    board = request.board or None
    found = counting.counts(board, shown["languages"], now, scopes=[""]) if board else {}
    entities = Entity.objects.live().in_bulk([e for _s, e in found])
    language = get_language()
    kinds = []
    for kind in KINDS:
        named = [(entities[e], n) for (_s, e), n in found.items() if e in entities]
        named = [(entity, n) for entity, n in named if entity.kind == kind]
        if not named:
            continue
        named.sort(key=lambda item: (-item[1], item[0].name_for(language).casefold()))
        letters = collections.defaultdict(list)
        for entity, n in sorted(named, key=lambda item: item[0].name_en.casefold()):
            initial = entity.name_en[:1].upper()
            letters[initial if initial.isascii() and initial.isalpha() else "#"].append((entity, n))
        kinds.append(
            {
                "kind": kind,
                "label": kind.label,
                "most": named[:MOST_NAMED],
                "letters": sorted(letters.items()),
            }
        )
    context = {"kinds": kinds, "section": "entities", **shown}
    return render(request, "entities/entity_list.html", context)


def detail(request, slug: str):
    entity = live_entity(slug)
    if entity.slug != slug:
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(
            entity.get_absolute_url() + (f"?{query}" if query else "")
        )
    briefs, shown = _shown(request)
    board, languages, now = request.board or None, shown["languages"], timezone.now()
    rows = BriefEntity.objects.filter(
        counting.shown_filter(),
        entity=entity,
        board=board,
        language__in=languages,
        status=Brief.Status.PUBLISHED,
        published_at__lte=now,
    ).order_by("-published_at", "-brief_id")
    context = {"entity": entity, "section": "entities", **(_figures(entity, board, languages, now))}
    template = "entities/entity_detail.html"
    return _listing(request, briefs, shown, template, context, ids=rows.values("brief_id"))


def _figures(entity: Entity, board, languages: list[str], now) -> dict:
    """The timeline, the companions and (for a country) the pairs, from the kept counts."""
    if board is None:
        return {"timeline": None}
    language = get_language()
    name = entity.name_for(language)
    months = counting.timeline(board, languages, entity, now)
    context = {
        "timeline": charts.timeline(
            months,
            language,
            per_year=_("Briefs naming %(name)s, per year") % {"name": name},
            per_month=_("Briefs naming %(name)s, per month") % {"name": name},
            unit=briefs_count,
        )
    }
    scope = counting.with_scope(entity.pk)
    together = _ranked(counting.counts(board, languages, now, scopes=[scope]))
    context["companions"] = [
        {"kind": kind, "label": kind.label, "entities": ranked[:COMPANIONS]}
        for kind in KINDS
        if (ranked := [item for item in together if item[0].kind == kind])
    ]
    if entity.kind == Entity.Kind.COUNTRY:
        countries = [item for item in together if item[0].kind == Entity.Kind.COUNTRY]
        context["pairs"] = _pairs(entity, countries[:PAIRS], board, languages, now)
    return context


def _ranked(found: dict) -> list[tuple[Entity, int]]:
    """Counts {(scope, entity id): n} as [(live entity, n)], most first, then by name."""
    entities = Entity.objects.live().in_bulk([e for _s, e in found])
    ranked = [(entities[e], n) for (_s, e), n in found.items() if e in entities]
    ranked.sort(key=lambda item: (-item[1], item[0].name_en.casefold()))
    return ranked


def _pairs(country: Entity, others, board, languages, now) -> list[dict]:
    """Each country ``country`` appears with: how many briefs, in which fields, in which
    years (two range reads of the kept counts for all of them)."""
    if not others:
        return []
    per_year, in_fields = collections.defaultdict(list), collections.defaultdict(list)
    for (scope, e), n in counting.counts(board, languages, now, prefix=f"e{country.pk}y").items():
        per_year[e].append((int(scope.rpartition("y")[2]), n))
    fields = counting.counts(board, languages, now, prefix=f"e{country.pk}e")
    field_entities = Entity.objects.live().in_bulk({e for _s, e in fields})
    for (scope, e), n in fields.items():
        if e in field_entities:
            in_fields[scope].append((field_entities[e], n))
    language = get_language()
    pairs = []
    for other, n in others:
        years = sorted(per_year[other.pk])
        ranked = sorted(
            in_fields[counting.pair_fields_scope(country.pk, other.pk)],
            key=lambda item: (-item[1], item[0].name_en.casefold()),
        )
        points = [(str(y), str(y), c) for y, c in _every_year(years)]
        title = _("Briefs naming %(one)s and %(other)s, per year") % {
            "one": country.name_for(language),
            "other": other.name_for(language),
        }
        pairs.append(
            {
                "other": other,
                "count": n,
                "since": years[0][0] if years else None,
                "fields": ranked[:PAIR_FIELDS],
                "chart": charts.bars(
                    points,
                    chart_id=f"pair-{other.pk}",
                    title=title,
                    label_heading=_("Year"),
                    value_heading=_("Briefs"),
                    unit=briefs_count,
                    height=PAIR_CHART_HEIGHT,
                ),
            }
        )
    return pairs


def _every_year(per_year: list[tuple[int, int]]) -> list[tuple[int, int]]:
    if not per_year:
        return []
    found = dict(per_year)
    return [(y, found.get(y, 0)) for y in range(per_year[0][0], per_year[-1][0] + 1)]
