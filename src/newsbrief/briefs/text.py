"""Small text helpers shared by the models and the formats."""

import datetime as dt
import html
import re
import unicodedata


def normalize_title(title: str) -> str:
    """A comparison key for titles: Unicode-normalized, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", title).casefold().split())


#: A date as bodies copied from the old board write it: ``2012/06/01``, ``2012/6/1``,
#: ``2012-06-01``, ``2012.06.01`` or ``2012年6月1日``.
_DATE = r"(\d{4})\s*[/.\-年]\s*(\d{1,2})\s*[/.\-月]\s*(\d{1,2})\s*日?"


def strip_repeated_source_line(body: str, source_name: str, source_date) -> str | None:
    """The body without the source line(s) it opens with, or ``None`` if it opens with none.

    The brief page prints the source line (``CENS.com (2012/06/01)``, see
    ``publishing.source_line``) before the body, so a body that begins with it again, once or
    several times, shows it twice or more. The line counts as repeated when it names the same
    source (case and spacing aside) with the same date in any of the usual spellings, in
    ASCII or full-width parentheses; whitespace and blank lines around it do not matter. A
    source without a date counts only when it stands alone on its line. A body that would be
    left empty is not "fixed"."""
    name = " ".join((source_name or "").split())
    if not name and not source_date:
        return None
    parts = [r"\s+".join(map(re.escape, name.split()))] if name else []
    if source_date:
        parts.append(rf"[(（]\s*{_DATE}\s*[)）]")
        line = re.compile(r"\s*" + r"\s*".join(parts), re.IGNORECASE)
    else:
        line = re.compile(rf"\s*{parts[0]}[^\S\n]*(?=\n|$)", re.IGNORECASE)
    position, found = 0, False
    while match := line.match(body, position):
        if source_date and _date_of(match.groups()) != source_date:
            break
        position, found = match.end(), True
    rest = body[position:].lstrip()
    if not found or not rest:
        return None
    return rest


def _date_of(groups) -> dt.date | None:
    try:
        return dt.date(*(int(g) for g in groups))
    except (TypeError, ValueError):
        return None


#: How much of the body a listing shows, in the width of Latin letters: a CJK character
#: takes the room of two, so Chinese and English excerpts fill about the same space.
EXCERPT_WIDTH = 200
_SOURCE_LEAD = re.compile(r'^<p><span class="source">.*?</span>')
_TAG = re.compile(r"<[^>]*(?:>|$)")  # a tag, or one the slice below cut off
#: Where a line may break between two characters without a space: before or after a wide
#: (CJK) character, as in Chinese or Japanese text.
_WIDE = {"W", "F"}


def excerpt(body_html: str, width: int = EXCERPT_WIDTH) -> str:
    """The opening words of a rendered body as plain text, about ``width`` wide, cut between
    words (between any two characters in Chinese) and marked ``…`` where cut. Reads the
    sanitized HTML the row already holds, with two regular expressions rather than a parser:
    a listing shows a page of these. The source line (``CENS.com (2012/03/19)``), which the
    listing prints beside the title, is left out."""
    # Enough of the HTML for the text, whatever the markup around it: a long body is not read.
    head = _SOURCE_LEAD.sub("", body_html[: 40 * width], count=1)
    text = _TAG.sub(" ", head)
    text = " ".join(html.unescape(text).split())
    used, end = 0, len(text)
    for i, char in enumerate(text):
        used += 2 if unicodedata.east_asian_width(char) in _WIDE else 1
        if used > width:
            end = i
            break
    else:
        return text
    cut = end
    while cut > 0 and not _breaks_between(text[cut - 1], text[cut]):
        cut -= 1
    return text[: cut or end].rstrip(" ,;:、，；：。") + "…"


def _breaks_between(before: str, after: str) -> bool:
    if before.isspace() or after.isspace():
        return True
    wide = unicodedata.east_asian_width
    return wide(before) in _WIDE or wide(after) in _WIDE
