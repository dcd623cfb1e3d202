"""Why a brief was proposed, in a few words an editor can check: each reason names something
the two briefs share, and only when that feature really counted in the score (its part is at
least ``SHARE`` of the hit's positive parts), so a reason is never filler."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from newsbrief.briefs.models import Category

from .features import Profile
from .ranking import Scored

#: A feature is a reason when its part of the score is at least this share of the positive
#: parts: with the related weights, the tags alone make about half of a typical top hit's.
SHARE = 0.1
#: Dates, years, bare numbers and number-like tokens (``2011``, ``11``, ``2012/06/01``,
#: ``3.5``, ``1990s``, ``11th``): they count in the score, but they are not names.
_NUMBER_LIKE = re.compile(r"[\d\W_]*\d[\d\W_]*(?:s|st|nd|rd|th)?", re.IGNORECASE)


def categories_of(query: Profile) -> dict[str, Category]:
    """The query's categories by slug: the only ones a reason can name."""
    return Category.objects.in_bulk(list(query.tags), field_name="slug")


def is_name(entity: str) -> bool:
    return not _NUMBER_LIKE.fullmatch(entity)


def contributed(hit: Scored) -> set[str]:
    """The features whose part of ``hit.score`` is at least ``SHARE`` of its positive parts."""
    positive = sum(v for v in hit.contributions.values() if v > 0)
    return {k for k, v in hit.contributions.items() if v > 0 and v >= SHARE * positive}


def reasons(
    query: Profile, found: Profile, hit: Scored, categories: dict[str, Category]
) -> tuple[str, ...]:
    """Why ``found`` was proposed for ``query``, in a few words an editor can check.
    ``categories``: the query's, by slug (``categories_of``)."""
    counted = contributed(hit)
    said = []
    if "entities" in counted:
        shared = [e for e in query.entities & found.entities if is_name(e)]
        names = sorted(shared, key=lambda e: (-len(e), e))[:4]
        if names:
            said.append(_("shared names: %(names)s") % {"names": ", ".join(names)})
    tags = query.tags & found.tags
    if "tags" in counted and tags:
        names = [categories[t].name_for(query.language) for t in tags if t in categories]
        if names:
            said.append(_("same tags: %(tags)s") % {"tags": ", ".join(sorted(names))})
    if found.language != query.language and "embedding" in counted:
        said.append(_("similar content in the other language"))
    elif counted & {"lexical", "title", "embedding"}:
        said.append(_("similar wording"))
    # Between the two briefs' own dates, never counted from today.
    days = (query.date - found.date).days
    if "recency" in counted and days >= 0:
        said.append(
            ngettext("%(days)d day earlier", "%(days)d days earlier", days) % {"days": days}
        )
    return tuple(said)
