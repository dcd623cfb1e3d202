"""The old board's addresses, answered with a 301 to where their page is now.

An address is parsed (Phorum's ``script.php?arg,arg,key=value``) and looked up in the
source-id map, one or two indexed queries, so every spelling of every message is answered
without storing any of them. What is not on the board, or not public, is a 404: a
redirect never shows that a held or hidden message exists.

============================  =========================================================
``list.php?F`` (``,page=N``)  the forum's category (its page N), or the board if it
                              became a board
``index.php?F``               as ``list.php``; a folder, or no forum: the board
``read.php?F,T`` ``?F,T,M``   the message's brief (the thread's first when M is not
                              given or not there), any of ``,page=N``, ``printview``
``read.php?F,T,newer|older``  the next newer or older thread of the forum
``read.php?F,T,gotonewpost``  the thread's latest public message
``changes.php?F,M``           the brief's history on the desk
``feed.php?F,type=rss|atom``  the forum's category feed (without F, the board's)
``file.php?F,file=N``         the picture, or the file kept from the attachment
``profile.php?F,U``           the board (newsbrief has no author pages)
============================  =========================================================

A moved stub answers as the thread it points to.
"""

from __future__ import annotations

import dataclasses
import statistics
import time
from urllib.parse import quote, unquote

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation

from newsbrief.briefs import legacy
from newsbrief.briefs.models import Brief
from newsbrief.pictures.models import Picture

from .models import ImportedFile, ImportedForum, ImportedMessage

SCRIPTS = ("list", "index", "read", "changes", "feed", "file", "profile")
WORDS = {"newer", "older", "printview", "gotonewpost"}


@dataclasses.dataclass(frozen=True)
class Address:
    script: str
    ids: tuple[int, ...]
    words: frozenset[str]
    keys: dict[str, str]


def parse(script: str, query: str) -> Address | None:
    """``read`` and ``6,5320,newer,page=2`` -> its ids, words and ``key=value`` pairs."""
    ids, words, keys = [], set(), {}
    for part in unquote(query).split("&", 1)[0].split(","):
        part = part.strip()
        if not part:
            continue
        if "=" in part:
            key, _sep, value = part.partition("=")
            keys[key.lower()] = value
        elif part.isdigit() and len(part) < 10:
            ids.append(int(part))
        elif part.lower() in WORDS:
            words.add(part.lower())
        else:
            return None
    return Address(script, tuple(ids), frozenset(words), keys)


def target(address: Address) -> str | None:
    """Where the old address's page is now, or None."""
    handler = _HANDLERS.get(address.script)
    return handler(address) if handler else None


def old_address(request, script: str) -> HttpResponse:
    address = parse(script, request.META.get("QUERY_STRING", ""))
    found = target(address) if address else None
    if (found is None or not address.ids) and legacy.brief_for(request.get_full_path()):
        # Not a message of the imported board's (no ids: not Phorum's own form), but an
        # address an archive stored for its brief: the 404 lets ``LegacyAddressMiddleware``
        # redirect there.
        raise Http404("an address stored for a brief")
    if found is None:
        raise Http404("not an address of the old board")
    return HttpResponsePermanentRedirect(found)


# -- where each kind of address leads ------------------------------------------------------


def _published(brief_id: int | None) -> Brief | None:
    if brief_id is None:
        return None
    return Brief.objects.published().filter(pk=brief_id).only("pk", "language").first()


def _brief_url(brief: Brief, *, name: str = "briefs:detail") -> str:
    with translation.override(brief.language):
        return reverse(name, args=[brief.pk])


def _message(message_id: int) -> ImportedMessage | None:
    """The message with its brief, in one query (a stub: the thread it points to)."""
    rows = ImportedMessage.objects.select_related("brief").only(
        "message_id", "moved", "thread", "brief__status", "brief__published_at",
        "brief__language",
    )  # fmt: skip
    row = rows.filter(pk=message_id).first()
    if row is not None and row.moved:
        return rows.filter(pk=row.thread).first()
    return row


def _public(row: ImportedMessage | None) -> Brief | None:
    """The row's brief, if the public may see it."""
    brief = row.brief if row is not None else None
    if brief is None or brief.status != Brief.Status.PUBLISHED:
        return None
    return brief if brief.published_at and brief.published_at <= timezone.now() else None


def _read(address: Address) -> str | None:
    ids = address.ids
    if len(ids) < 2:
        return _list(address) if ids else None
    forum, thread = ids[0], ids[1]
    if "newer" in address.words or "older" in address.words:
        return _next_thread(forum, thread, newer="newer" in address.words)
    if "gotonewpost" in address.words:
        latest = (
            ImportedMessage.objects.filter(thread=thread, brief__status=Brief.Status.PUBLISHED)
            .order_by("-message_id")
            .values_list("brief_id", flat=True)
            .first()
        )
        brief = _published(latest)
        return _brief_url(brief) if brief else None
    row = _message(ids[2]) if len(ids) > 2 else None
    if row is None or row.brief_id is None:
        row = _message(thread)
    brief = _public(row)
    return _brief_url(brief) if brief else None


def _next_thread(forum: int, thread: int, *, newer: bool) -> str | None:
    starts = ImportedMessage.objects.filter(
        forum_id=forum, parent_id=0, moved=False, brief__status=Brief.Status.PUBLISHED,
        brief__published_at__lte=timezone.now(),
    )  # fmt: skip
    starts = (
        starts.filter(message_id__gt=thread).order_by("message_id")
        if newer
        else starts.filter(message_id__lt=thread).order_by("-message_id")
    )
    brief = _published(starts.values_list("brief_id", flat=True).first())
    return _brief_url(brief) if brief else None


def _changes(address: Address) -> str | None:
    if len(address.ids) < 2:
        return None
    brief = _public(_message(address.ids[1]))
    return _brief_url(brief, name="desk:history") if brief else None


def _forum(forum_id: int | None) -> ImportedForum | None:
    if forum_id is None:
        return None
    return ImportedForum.objects.filter(forum_id=forum_id).select_related("category").first()


def _language(forum: ImportedForum | None) -> str:
    from .converting import CHINESE

    if forum is not None and CHINESE.match(forum.language):
        return "zh-hant"
    return translation.get_language() or "en"


def _list(address: Address) -> str | None:
    forum = _forum(address.ids[0] if address.ids else None)
    if address.ids and forum is None:
        return None
    with translation.override(_language(forum)):
        if forum is None or forum.folder or forum.category is None:
            url = reverse("briefs:index")
        else:
            url = reverse("briefs:category", args=[forum.category.slug])
    page = address.keys.get("page", "")
    return f"{url}?page={int(page)}" if page.isdigit() and int(page) > 1 else url


def _feed(address: Address) -> str | None:
    fmt = address.keys.get("type", "rss").lower()
    fmt = fmt if fmt in ("rss", "atom") else "rss"
    forum = _forum(address.ids[0] if address.ids else None)
    if address.ids and forum is None:
        return None
    if forum is None or forum.category is None:
        return reverse("feeds:board", args=[fmt])
    language = _language(forum)
    with translation.override(language):
        return reverse("feeds:category", args=[forum.category.slug, language, fmt])


def _file(address: Address) -> str | None:
    file_id = address.keys.get("file", "")
    if not file_id.isdigit():
        return None
    found = ImportedFile.objects.filter(pk=int(file_id)).first()
    if found is None or _published(found.brief_id) is None:
        return None
    if found.picture_digest:
        picture = Picture.objects.filter(brief_id=found.brief_id, digest=found.picture_digest)
        picture = picture.first()
        return picture.jpeg(4096)["url"] if picture else None
    return reverse("phorum:file", args=[found.file_id, found.filename])


def _profile(address: Address) -> str | None:
    forum = _forum(address.ids[0]) if address.ids else None
    with translation.override(_language(forum)):
        return reverse("briefs:index")


_HANDLERS = {
    "read": _read,
    "list": _list,
    "index": _list,
    "changes": _changes,
    "feed": _feed,
    "file": _file,
    "profile": _profile,
}


def attachment(request, file_id: int, name: str) -> HttpResponse:
    """A file kept from an attachment, while its brief is public."""
    found = get_object_or_404(ImportedFile, pk=file_id, filename=name, picture_digest="")
    if _published(found.brief_id) is None:
        raise Http404("no such file")
    response = HttpResponse(bytes(found.data), content_type="application/octet-stream")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name, safe='')}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- the benchmark ---------------------------------------------------------------------------


def old_address_times(n: int = 10_000) -> dict[str, float]:
    """Answer ``n`` old addresses of the imported board (every form, cycling through its
    messages) through the whole request path, after one of each form untimed; the median,
    p99 and slowest, in ms."""
    from django.conf import settings
    from django.test import Client

    hosts = [h.lstrip(".") for h in settings.ALLOWED_HOSTS if h.strip(".*")]
    client = Client(HTTP_HOST=hosts[0] if hosts else "localhost")
    rows = list(
        ImportedMessage.objects.exclude(brief=None).values_list("forum_id", "thread", "pk")[:n]
    )
    if not rows:
        raise ValueError("no imported messages to answer for")
    forms = [
        "/read.php?{f},{t},{m}", "/read.php?{f},{t}", "/read.php?{f},{t},page=2",
        "/read.php?{f},{t},printview", "/read.php?{f},{t},newer", "/list.php?{f}",
        "/list.php?{f},page=3", "/index.php?{f}", "/feed.php?{f},type=atom",
        "/changes.php?{f},{m}",
    ]  # fmt: skip
    for i in range(len(forms)):  # once each first, untimed: the URL resolver, the caches
        f, t, m = rows[i % len(rows)]
        client.get(forms[i].format(f=f, t=t, m=m))
    times = []
    for i in range(n):
        f, t, m = rows[i % len(rows)]
        url = forms[i % len(forms)].format(f=f, t=t, m=m)
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code not in (301, 404):
            raise AssertionError(f"{url} answered {response.status_code}")
    times.sort()
    return {
        "n": n,
        "median_ms": statistics.median(times),
        "p99_ms": times[int(len(times) * 0.99) - 1],
        "max_ms": times[-1],
    }
