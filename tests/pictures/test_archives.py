"""Round trips of a brief with pictures: JSON Lines export and import (into an empty board,
and again: nothing doubles), backup and restore (files included), and the seed format's
Markdown image references."""

import io
import shutil

import pytest
from django.core.management import call_command

from newsbrief.briefs import roles
from newsbrief.briefs.models import Brief
from newsbrief.formats import backup as backups
from newsbrief.formats import importer
from newsbrief.pictures import actions
from newsbrief.pictures.models import Picture
from tests.factories import make_brief, make_user

from . import images

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def brief():
    editor = make_user("ed", roles.EDITORS)
    brief = make_brief("Satellites", author=editor)
    actions.add_picture(editor, brief, images.jpeg_with_gps(), "A red sky", "Dusk")
    actions.add_picture(editor, brief, images.png_with_alpha(), "Green")
    return brief


def described() -> list[tuple]:
    return list(
        Picture.objects.order_by("brief__uid", "position").values_list(
            "brief__uid", "position", "alt", "caption", "digest", "width", "height"
        )
    )


def files(root) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_jsonl_export_and_import_keep_pictures(brief, media_root, tmp_path):
    before, stored = described(), files(media_root)
    archive = tmp_path / "board.jsonl"
    with archive.open("w") as out:
        importer.export_jsonl(out, everything=True)
    assert archive.read_text().count('"kind": "picture"') == 2
    Brief.objects.all().delete()
    shutil.rmtree(media_root)
    media_root.mkdir()
    report = importer.import_paths([archive], progress=False)
    assert report.failures == [], report.failures
    assert described() == before
    assert files(media_root) == stored
    again = importer.import_paths([archive], progress=False)
    assert again.failures == [] and described() == before


def test_an_archive_picture_is_checked_as_an_upload(brief, tmp_path):
    archive = tmp_path / "board.jsonl"
    with archive.open("w") as out:
        importer.export_jsonl(out, everything=True)
    lines = archive.read_text().splitlines()
    Picture.objects.all().delete()
    import base64
    import json

    hostile = [json.loads(line) for line in lines]
    for record in hostile:
        if record.get("kind") == "picture":
            record["data"] = base64.b64encode(images.SVG_WITH_SCRIPT).decode()
    archive.write_text("\n".join(json.dumps(r) for r in hostile) + "\n")
    report = importer.import_paths([archive], progress=False)
    assert len(report.failures) == 2 and "SVG drawings" in str(report.failures[0])
    assert not Picture.objects.exists()


@pytest.mark.sqlite
def test_backup_and_restore_keep_the_files(brief, media_root, tmp_path):
    before, stored = described(), files(media_root)
    target = tmp_path / "board.backup"
    backups.backup(target)
    assert files(target.with_name("board.backup.media")) == stored
    Picture.objects.all().delete()
    shutil.rmtree(media_root)
    media_root.mkdir()
    backups.restore(backups.inspect(target))
    assert described() == before and files(media_root) == stored


def test_the_seed_export_writes_figures_as_markdown_images(brief, tmp_path, settings):
    settings.NEWSBRIEF_BASE_URL = "https://board.example"
    importer.export_seed(tmp_path / "seed")
    (page,) = (tmp_path / "seed").iterdir()
    text = page.read_text()
    first = brief.pictures.first().jpeg()["url"]
    assert f'![A red sky](https://board.example{first} "Dusk")' in text
    assert "![Green](https://board.example/media/pictures/" in text
    call_command("check", stdout=io.StringIO())
