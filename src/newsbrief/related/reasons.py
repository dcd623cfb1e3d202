"""Why a brief was proposed, in a few words an editor can check: each reason names something
the two briefs share and that counted in the score."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from newsbrief.briefs.models import Category

from .features import Profile
from .ranking import Scored

#: Embedding similarity from which two briefs are said to be about similar things.
SIMILAR = 0.5


def categories_of(query: Profile) -> dict[str, Category]:
    """The query's categories by slug: the only ones a reason can name."""
    return Category.objects.in_bulk(list(query.tags), field_name="slug")


def reasons(
    query: Profile, found: Profile, hit: Scored, categories: dict[str, Category]
) -> tuple[str, ...]:
    """Why ``found`` was proposed for ``query``, in a few words an editor can check.
    ``categories``: the query's, by slug (``categories_of``)."""
    said = []
    names = sorted(query.entities & found.entities, key=lambda e: (-len(e), e))[:4]
    if names:
        said.append(_("shared names: %(names)s") % {"names": ", ".join(names)})
    tags = query.tags & found.tags
    if tags:
        names = [categories[t].name_for(query.language) for t in tags if t in categories]
        said.append(_("same tags: %(tags)s") % {"tags": ", ".join(sorted(names))})
    if found.language != query.language and hit.features["embedding"] >= SIMILAR:
        said.append(_("similar content in the other language"))
    elif hit.features["lexical"] >= 0.6 or hit.features["embedding"] >= SIMILAR:
        said.append(_("similar wording"))
    days = (query.date - found.date).days
    if days >= 0:
        said.append(
            ngettext("%(days)d day earlier", "%(days)d days earlier", days) % {"days": days}
        )
    return tuple(said)
