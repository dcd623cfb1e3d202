"""What a feed entry carries of a brief's pictures: its first picture, the ~1200 px JPEG, as
an enclosure (RSS allows one an item; Atom shows it as ``<link rel="enclosure">``)."""

from django.utils.feedgenerator import Enclosure


def enclosures(brief, absolute) -> list[Enclosure]:
    """``absolute``: a path to a full address (``request.build_absolute_uri``)."""
    pictures = brief.pictures.all()  # prefetched with the feed's entries
    if not pictures:
        return []
    jpeg = pictures[0].jpeg()
    return [Enclosure(absolute(jpeg["url"]), str(jpeg["bytes"]), "image/jpeg")]
