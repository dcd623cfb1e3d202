"""The compose page's pictures without JavaScript: plain multipart POSTs, role checks, the
upload's refusals on the page, and the preview's word on Markdown images."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from newsbrief.pictures.models import Picture
from tests.desk.conftest import client_for, users, write_brief  # noqa: F401

from . import images


@pytest.fixture
def brief(users):  # noqa: F811
    return write_brief(users["editor"])


def upload(client, brief, data=None, alt="A red sky", name="photo.jpg"):
    data = images.jpeg_with_gps() if data is None else data
    return client.post(
        reverse("desk:add_picture", args=[brief.pk]),
        {"image": SimpleUploadedFile(name, data, "image/jpeg"), "alt": alt, "caption": "Dusk"},
    )


def test_the_edit_page_has_an_upload_form(users, brief):  # noqa: F811
    page = client_for(users["editor"]).get(reverse("desk:edit", args=[brief.pk]))
    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html and 'name="image"' in html
    assert 'name="alt"' in html


def test_upload_describe_move_remove(users, brief):  # noqa: F811
    client = client_for(users["editor"])
    response = upload(client, brief)
    assert response.status_code == 302 and response.url.endswith("#pictures")
    upload(client, brief, images.png_with_alpha(), alt="Green")
    first, second = brief.pictures.all()
    page = client.get(reverse("desk:edit", args=[brief.pk])).content.decode()
    assert first.thumbnail["url"] in page and "Picture added." in page
    url = reverse("desk:picture", args=[brief.pk, second.pk])
    client.post(url, {"action": "save", "alt": "Green glass", "caption": "Lit"})
    client.post(url, {"action": "up"})
    assert [(p.alt, p.caption) for p in brief.pictures.all()] == [
        ("Green glass", "Lit"),
        ("A red sky", "Dusk"),
    ]
    client.post(url, {"action": "remove"})
    assert [p.alt for p in brief.pictures.all()] == ["A red sky"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (images.SVG_WITH_SCRIPT, "SVG drawings are not accepted"),
        (images.NOT_AN_IMAGE, "not a picture newsbrief accepts"),
        (images.truncated_jpeg(), "damaged or cut short"),
    ],
)
def test_a_refused_upload_says_why_on_the_page_and_keeps_the_alt_text(
    users,  # noqa: F811
    brief,
    media_root,
    data,
    reason,
):
    response = upload(client_for(users["editor"]), brief, data, alt="Kept words", name="x.png")
    assert response.status_code == 422
    html = response.content.decode()
    assert reason in html and 'value="Kept words"' in html
    assert not Picture.objects.exists() and not list(media_root.rglob("*.*"))


def test_alt_text_is_required(users, brief):  # noqa: F811
    response = upload(client_for(users["editor"]), brief, alt="")
    assert response.status_code == 422 and not Picture.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"), [("anonymous", 302), ("reader", 403), ("other_editor", 403)]
)
def test_only_who_may_edit_the_brief_may_upload(users, brief, role, status):  # noqa: F811
    response = upload(client_for(users[role]), brief)
    assert response.status_code == status and not Picture.objects.exists()


def test_the_preview_says_markdown_images_are_not_shown(users):  # noqa: F811
    client = client_for(users["editor"])
    data = {"title": "T", "body": "Look: ![a cat](https://example.com/cat.png)", "language": "en"}
    html = client.post(reverse("desk:preview"), data).content.decode()
    assert "Images written in the body are not shown" in html and "<img" not in html
    plain = client.post(reverse("desk:preview"), {**data, "body": "No image."}).content.decode()
    assert "Images written in the body" not in plain
