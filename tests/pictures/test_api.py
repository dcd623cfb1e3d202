"""Pictures through the API: multipart upload, list, describe, delete, with the token and
error body of every write; the brief's JSON lists its pictures."""

import pytest

from newsbrief.pictures.models import Picture
from tests.api.conftest import api, people  # noqa: F401
from tests.desk.conftest import write_brief

from . import images


@pytest.fixture
def brief(people):  # noqa: F811
    return write_brief(people["editor"], status="published")


def upload(client, brief, data, alt="A red sky", caption="Dusk"):
    return client.client.post(
        f"/api/briefs/{brief.pk}/pictures",
        {"image": _file(data), "alt": alt, "caption": caption},
    )


def _file(data, name="photo.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, "image/jpeg")


def test_upload_list_update_delete(api, brief):  # noqa: F811
    response = upload(api["editor"], brief, images.webp(size=(1000, 500)))
    assert response.status_code == 201, response.content
    picture = response.json()
    assert picture["alt"] == "A red sky" and picture["caption"] == "Dusk"
    assert [(s["type"], s["width"]) for s in picture["sizes"]] == [
        ("image/jpeg", 480), ("image/webp", 480), ("image/jpeg", 960), ("image/webp", 960),
        ("image/jpeg", 1000), ("image/webp", 1000),
    ]  # fmt: skip
    assert picture["sizes"][0]["url"].startswith("http://testserver/media/pictures/")
    listed = api[None].get(f"/briefs/{brief.pk}/pictures").json()
    assert listed == [picture]
    assert api[None].get(f"/briefs/{brief.pk}").json()["pictures"] == [picture]

    url = f"/briefs/{brief.pk}/pictures/{picture['id']}"
    changed = api["editor"].patch(url, {"alt": "Blue", "caption": ""})
    assert changed.status_code == 200 and changed.json()["alt"] == "Blue"
    assert api["editor"].patch(url, {"alt": ""}).status_code == 422
    assert api["editor"].client.delete(f"/api{url}").status_code == 204
    assert not Picture.objects.exists()
    assert api["editor"].client.delete(f"/api{url}").json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (images.SVG_WITH_SCRIPT, "SVG drawings are not accepted"),
        (images.NOT_AN_IMAGE, "not a picture newsbrief accepts"),
        (images.png_bomb(), "too many pixels"),
    ],
)
def test_refusals_have_the_error_body_and_store_nothing(api, brief, media_root, data, reason):  # noqa: F811
    response = upload(api["editor"], brief, data)
    assert response.status_code == 422
    error = response.json()["error"]
    assert reason in error["message"] and reason in error["fields"]["image"][0]
    assert not Picture.objects.exists() and not list(media_root.rglob("*.*"))


def test_alt_text_is_required(api, brief):  # noqa: F811
    response = upload(api["editor"], brief, images.png_with_alpha(), alt="  ")
    assert response.status_code == 422 and "alt" in response.json()["error"]["fields"]


@pytest.mark.parametrize(("role", "status"), [(None, 401), ("reader", 403), ("other_editor", 403)])
def test_writing_takes_the_token_of_one_who_may_edit(api, brief, role, status):  # noqa: F811
    assert upload(api[role], brief, images.png_with_alpha()).status_code == status
    assert not Picture.objects.exists()
