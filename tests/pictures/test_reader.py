"""Readers see figures; the files are served with the right headers and nothing else is;
a stored page is dropped when its pictures change; sharing gets the first picture."""

import pytest
from django.template import Context, Template
from django.test import Client

from newsbrief.briefs import roles
from newsbrief.pages.store import get_store
from newsbrief.pictures import actions
from tests.factories import make_brief, make_user

from . import images


@pytest.fixture
def editor(db):
    return make_user("ed", roles.EDITORS)


@pytest.fixture
def brief(editor):
    return make_brief("Satellites", author=editor)


def test_the_brief_page_shows_a_figure(brief, editor):
    picture = actions.add_picture(editor, brief, images.webp(), "A blue field", "Seen from orbit")
    html = Client().get(brief.get_absolute_url()).content.decode()
    assert "<figure" in html and "<figcaption>Seen from orbit</figcaption>" in html
    assert 'type="image/webp"' in html and picture.webp_srcset in html
    assert f'srcset="{picture.jpeg_srcset}"' in html
    assert 'alt="A blue field" width="2000" height="1000" loading="lazy"' in html


def test_a_stored_page_is_dropped_when_pictures_change(
    brief, editor, django_capture_on_commit_callbacks
):
    client, url = Client(), brief.get_absolute_url()
    client.get(url)
    assert get_store().get(url) is not None
    with django_capture_on_commit_callbacks(execute=True):
        picture = actions.add_picture(editor, brief, images.png_with_alpha(), "Green")
    assert get_store().get(url) is None
    assert "Green" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        actions.update_picture(editor, picture, "Greener")
    assert "Greener" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        actions.remove_picture(editor, picture)
    assert "<figure" not in client.get(url).content.decode()


def test_files_are_served_with_long_caching_and_their_type(brief, editor):
    picture = actions.add_picture(editor, brief, images.webp(), "Blue")
    for variant in picture.variants:
        response = Client().get(f"/media/{variant['name']}")
        assert response.status_code == 200
        assert response["Content-Type"] == f"image/{variant['kind']}"
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content)[:4] in (b"RIFF", b"\xff\xd8\xff\xe0")


@pytest.mark.parametrize(
    "path",
    [
        "/media/../newsbrief.sqlite3",
        "/media/%2e%2e/x.jpg",
        "/media/pictures/",
        "/media/a.txt",
        "/media/pictures/00/missing-480.jpg",
    ],
)
def test_nothing_else_is_served(db, media_root, path):
    (media_root / "a.txt").write_text("secret")
    assert Client().get(path).status_code == 404


def test_first_picture_for_sharing(brief, editor):
    template = Template(
        "{% load pictures %}{% first_picture brief as p %}"
        "{% if p %}{{ p.url }} {{ p.width }}x{{ p.height }} {{ p.type }} {{ p.alt }}{% endif %}"
    )
    assert template.render(Context({"brief": brief})) == ""
    actions.add_picture(editor, brief, images.webp(size=(2000, 1000)), "Blue")
    shown = template.render(Context({"brief": brief}))
    assert shown.startswith("/media/pictures/") and "-1200.jpg 1200x600 image/jpeg Blue" in shown
