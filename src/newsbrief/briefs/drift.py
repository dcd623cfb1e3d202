"""Language versions that drift apart.

When a brief is revised after its other-language version was last revised (or confirmed),
that version may be out of date. Nothing is stored when it happens: drift is read from the
revisions' times, so every way into the archive (desk, import, restore) counts, and it ends
when the version is revised or an editor confirms it (``DriftCheck``).
"""

import dataclasses

from django.db.models import F, Max, OuterRef, Subquery

from .diffs import FieldDiff, what_changed
from .models import Brief, DriftCheck, Revision


@dataclasses.dataclass(frozen=True)
class Drift:
    """``brief`` may be out of date: ``source`` moved from ``since`` to ``latest``."""

    brief: Brief
    source: Brief
    since: Revision
    latest: Revision

    def changes(self) -> list[FieldDiff]:
        return what_changed(self.since.content, self.latest.content)


def drift_of(brief: Brief) -> list[Drift]:
    """How ``brief`` lags behind each of its other-language versions (usually one)."""
    own = brief.latest_revision()
    if own is None:
        return []
    found = []
    for source in Brief.objects.filter(translation_key=brief.translation_key).exclude(pk=brief.pk):
        revisions = source.revisions.order_by("number")
        latest = revisions.last()
        if latest is None:
            continue
        since = revisions.filter(created_at__lte=own.created_at).last() or revisions.first()
        check = DriftCheck.objects.filter(brief=brief, source=source).first()
        if check and check.source_revision > since.number:
            since = revisions.filter(number__lte=check.source_revision).last() or since
        if latest.number > since.number:
            found.append(Drift(brief, source, since, latest))
    return found


def all_drift(briefs=None) -> list[Drift]:
    """Every version that may be out of date, among ``briefs`` (default: all).

    Only a brief whose other version has a revision newer than its own latest one can lag, so
    the database picks those first and ``drift_of`` looks at them alone: the work follows the
    drifting pairs, not the size of the archive."""
    briefs = Brief.objects.all() if briefs is None else briefs
    newest_elsewhere = (
        Revision.objects.filter(brief__translation_key=OuterRef("translation_key"))
        .exclude(brief=OuterRef("pk"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    candidates = briefs.annotate(
        own_latest=Max("revisions__created_at"), newest_elsewhere=Subquery(newest_elsewhere)
    ).filter(newest_elsewhere__gt=F("own_latest"))
    found = []
    for brief in candidates.order_by("-updated_at", "-pk"):
        found.extend(drift_of(brief))
    return found


def confirm(brief: Brief, source: Brief, user) -> None:
    """``brief`` has been checked against ``source`` as it stands now."""
    latest = source.latest_revision()
    if latest is not None:
        DriftCheck.objects.update_or_create(
            brief=brief,
            source=source,
            defaults={"source_revision": latest.number, "checked_by": user},
        )
