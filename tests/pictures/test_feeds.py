"""A feed with a picture, read by feedparser: the entry's enclosure is its first picture."""

import feedparser
import pytest
from django.test import Client
from django.urls import reverse

from newsbrief.briefs import roles
from newsbrief.pictures import actions
from tests.factories import make_brief, make_user

from . import images


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_an_entry_carries_its_first_picture(db, fmt):
    editor = make_user("ed", roles.EDITORS)
    brief = make_brief("Satellites", author=editor)
    make_brief("No picture", author=editor)
    actions.add_picture(editor, brief, images.webp(size=(2000, 1000)), "Blue")
    actions.add_picture(editor, brief, images.png_with_alpha(), "Green")
    first = brief.pictures.first().jpeg()
    feed = feedparser.parse(Client().get(reverse("feeds:board", args=[fmt])).content)
    entries = {e.title: e for e in feed.entries}
    (enclosure,) = entries["Satellites"].enclosures
    assert enclosure.href == f"http://testserver{first['url']}"
    assert enclosure.type == "image/jpeg" and int(enclosure.length) == first["bytes"]
    assert Client().get(first["url"]).status_code == 200
    assert entries["No picture"].enclosures == []
