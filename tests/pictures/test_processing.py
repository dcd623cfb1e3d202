"""Uploads with real pictures and hostile files: what is kept, what is refused, and that a
refusal stores nothing (no file, no row)."""

import io

import pytest
from PIL import Image

from newsbrief.briefs import roles
from newsbrief.briefs.errors import InvalidContent, NotAllowed
from newsbrief.briefs.models import AuditEntry
from newsbrief.pictures import actions
from newsbrief.pictures.models import Picture
from newsbrief.pictures.processing import PictureRefused, process, widths_for
from tests.factories import make_brief, make_user

from . import images

LIMITS = {"max_bytes": 10 * 2**20, "max_pixels": 40_000_000}


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_a_phone_jpeg_is_turned_upright_and_loses_its_gps_camera_and_profile():
    result = process(images.jpeg_with_gps(size=(640, 480)), **LIMITS)
    # Orientation 6: the stored picture is the sideways one turned, 480 wide.
    assert (result.width, result.height) == (480, 640)
    for encoded in (result.master, *result.variants):
        image = opened(encoded.data)
        assert not image.getexif(), encoded
        assert "icc_profile" not in image.info and "exif" not in image.info
        assert b"Secret Phone" not in encoded.data
    assert [(v.kind, v.width) for v in result.variants] == [("webp", 480), ("jpeg", 480)]
    assert result.master.kind == "jpeg"


def test_sizes_are_never_upscaled():
    assert widths_for(300) == [300]
    assert widths_for(1000) == [480, 960, 1000]
    assert widths_for(4000) == [480, 960, 1200, 1600]
    result = process(images.webp(size=(2000, 1000)), **LIMITS)
    assert sorted({v.width for v in result.variants}) == [480, 960, 1200, 1600]
    assert {v.kind for v in result.variants} == {"webp", "jpeg"}
    assert opened(result.variants[-1].data).size == (1600, 800)


def test_a_png_keeps_its_transparency_in_webp_and_is_on_white_in_jpeg():
    result = process(images.png_with_alpha(), **LIMITS)
    assert result.master.kind == "png"
    assert opened(result.master.data).mode == "RGBA"
    assert b"someone@example.com" not in result.master.data
    webp = next(v for v in result.variants if v.kind == "webp")
    jpeg = next(v for v in result.variants if v.kind == "jpeg")
    assert opened(webp.data).mode == "RGBA"
    assert opened(jpeg.data).getpixel((5, 5)) == pytest.approx((255, 255, 255), abs=3)


def test_an_animated_gif_gives_its_first_frame():
    result = process(images.animated_gif(), **LIMITS)
    assert (result.width, result.height) == (120, 80)
    assert result.master.kind == "png"
    assert getattr(opened(result.master.data), "n_frames", 1) == 1


HOSTILE = {
    "not an image": (images.NOT_AN_IMAGE, "not a picture newsbrief accepts"),
    "a bmp": (images.bmp(), "not a picture newsbrief accepts"),
    "truncated": (images.truncated_jpeg(), "damaged or cut short"),
    "svg with a script": (images.SVG_WITH_SCRIPT, "SVG drawings are not accepted"),
    "empty": (b"", "The file is empty"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_files_are_refused_with_a_reason(name):
    data, reason = HOSTILE[name]
    with pytest.raises(PictureRefused, match=reason):
        process(data, **LIMITS)


def test_a_png_bomb_is_refused_before_it_is_decoded():
    with pytest.raises(PictureRefused, match="too many pixels: at most 40 million"):
        process(images.png_bomb(), **LIMITS)
    # Under Pillow's own bound but over ours: refused by ours.
    with pytest.raises(PictureRefused, match=r"at most 0\.1 million"):
        process(images.webp(size=(2000, 1000)), max_bytes=2**20, max_pixels=100_000)


def test_too_many_bytes_are_refused_unread():
    padded = images.jpeg_with_gps() + b"\0" * (3 * 2**20)
    with pytest.raises(PictureRefused, match=r"The file is 3 MB; pictures may be at most 2 MB"):
        process(padded, max_bytes=2 * 2**20, max_pixels=10**8)


# -- the actions: what is stored, and that a refusal stores nothing -------------------------


@pytest.fixture
def editor(db):
    return make_user("ed", roles.EDITORS)


@pytest.fixture
def brief(editor):
    return make_brief("Satellites", author=editor)


def stored_files(media_root) -> list:
    return sorted(p for p in media_root.rglob("*") if p.is_file())


def test_an_upload_stores_its_sizes_and_a_row(brief, editor, media_root):
    before = brief.updated_at
    picture = actions.add_picture(editor, brief, images.jpeg_with_gps(), " A  red\nsky ", "")
    assert picture.alt == "A red sky" and picture.position == 0
    assert len(stored_files(media_root)) == 1 + len(picture.variants)
    assert all((media_root / name).is_file() for name in picture.files())
    assert not list(media_root.rglob(".upload-*"))
    assert picture.jpeg()["url"].startswith("/media/pictures/")
    brief.refresh_from_db()
    assert brief.updated_at > before
    entry = AuditEntry.objects.filter(brief=brief).first()
    assert entry.action == AuditEntry.Action.EDIT and "picture added" in entry.detail


@pytest.mark.parametrize("name", [*HOSTILE, "bomb", "oversized"])
def test_a_refused_upload_stores_nothing(name, brief, editor, media_root, settings):
    if name == "bomb":
        data = images.png_bomb()
    elif name == "oversized":
        settings.NEWSBRIEF_PICTURE_MAX_BYTES = 1000
        data = images.jpeg_with_gps()
    else:
        data = HOSTILE[name][0]
    with pytest.raises(PictureRefused):
        actions.add_picture(editor, brief, data, "A picture")
    assert stored_files(media_root) == [] and not Picture.objects.exists()


def test_a_file_whose_name_lies_is_judged_by_its_content(brief, editor, media_root):
    """A name is not looked at at all: a PNG called photo.jpg is a PNG; a script called
    picture.png is refused."""
    picture = actions.add_picture(editor, brief, images.png_with_alpha(), "Green")
    assert picture.master["kind"] == "png"
    with pytest.raises(PictureRefused):
        actions.add_picture(editor, brief, b"<script>alert(1)</script>", "Not one")


def test_alt_text_is_required_and_nothing_is_stored_without(brief, editor, media_root):
    with pytest.raises(InvalidContent) as refused:
        actions.add_picture(editor, brief, images.png_with_alpha(), "   ")
    assert "alt" in refused.value.fields
    assert stored_files(media_root) == []


def test_only_those_who_may_edit_the_brief_may_change_its_pictures(brief, editor, media_root):
    other = make_user("olga", roles.EDITORS)
    with pytest.raises(NotAllowed):
        actions.add_picture(other, brief, images.png_with_alpha(), "Green")
    picture = actions.add_picture(editor, brief, images.png_with_alpha(), "Green")
    with pytest.raises(NotAllowed):
        actions.remove_picture(other, picture)
    with pytest.raises(NotAllowed):
        actions.update_picture(other, picture, "Mine now")


def test_describe_move_and_remove(brief, editor, media_root, django_capture_on_commit_callbacks):
    first = actions.add_picture(editor, brief, images.png_with_alpha(), "Green")
    second = actions.add_picture(editor, brief, images.animated_gif(), "Grey", "Moving")
    with pytest.raises(InvalidContent, match="on the brief already"):
        actions.add_picture(editor, brief, images.png_with_alpha(), "Again")
    actions.update_picture(editor, first, "Green square", "On glass")
    actions.move_picture(editor, second, -1)
    assert [p.alt for p in brief.pictures.all()] == ["Grey", "Green square"]
    assert brief.pictures.get(pk=first.pk).caption == "On glass"
    # The same file on another brief shares the files: removing one picture keeps them.
    other = make_brief("Another", author=editor)
    shared = actions.add_picture(editor, other, images.png_with_alpha(), "Green too")
    with django_capture_on_commit_callbacks(execute=True):
        actions.remove_picture(editor, brief.pictures.get(pk=first.pk))
    assert all((media_root / name).is_file() for name in shared.files())
    with django_capture_on_commit_callbacks(execute=True):
        actions.remove_picture(editor, shared)
    assert not any((media_root / name).exists() for name in shared.files())
    assert [p.alt for p in brief.pictures.all()] == ["Grey"]
