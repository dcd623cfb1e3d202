"""Pictures in templates: ``{% first_picture brief as picture %}`` for the tags that share a
brief (OpenGraph, Twitter cards): the ~1200 px JPEG's ``url`` (a path: make it absolute with
``request.build_absolute_uri``), ``width``, ``height``, ``type`` and ``alt``; None without."""

from types import SimpleNamespace

from django import template

register = template.Library()


@register.simple_tag
def first_picture(brief):
    picture = brief.pictures.first()
    if picture is None:
        return None
    jpeg = picture.jpeg()
    return SimpleNamespace(
        url=jpeg["url"],
        width=jpeg["width"],
        height=jpeg["height"],
        type="image/jpeg",
        alt=picture.alt,
    )
