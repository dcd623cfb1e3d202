"""What a feed entry carries of a brief's pictures: its first picture, the ~1200 px JPEG, as
an enclosure (RSS allows one an item; Atom shows it as ``<link rel="enclosure">``)."""

from django.utils.feedgenerator import Enclosure


def enclosures(brief, absolute) -> list[Enclosure]:
    """``absolute``: a path to a full address (``request.build_absolute_uri``)."""
    picture = brief.pictures.first()
    if picture is None:
        return []
    jpeg = picture.jpeg()
    return [Enclosure(absolute(jpeg["url"]), str(jpeg["bytes"]), "image/jpeg")]
