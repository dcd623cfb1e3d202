"""Hostile records in an import: each refused as ``FILE:LINE: why`` (or brought in with its
control characters taken out), and the records after it imported all the same."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from newsbrief.briefs.models import Brief
from newsbrief.formats import importer
from newsbrief.formats.importer import import_paths
from tests.factories import brief_content

pytestmark = pytest.mark.django_db


def record(title: str, **changes) -> str:
    data = brief_content(title, source_name="CNA").to_json() | changes
    return json.dumps({"kind": "brief", **data})


def archive(tmp_path, *lines: str):
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_hostile_records_fail_alone_and_the_others_are_imported(tmp_path):
    path = archive(
        tmp_path,
        record("Nested", body="* " * 500 + "x"),
        record("Brackets", body="[" * 15000),
        record("Ancient", source={"name": "CNA", "date": "0001-01-05"}),
        record("Future", source={"name": "CNA", "date": "9999-12-31"}),
        record("After them all"),
    )
    report = import_paths([path], progress=False)
    assert [(f.line, str(f).split(": ")[0]) for f in report.failures] == [
        (1, f"{path}:1"), (3, f"{path}:3"), (4, f"{path}:4"),
    ]  # fmt: skip
    assert "body" in report.failures[0].message
    assert "source_date" in report.failures[1].message
    assert set(Brief.objects.values_list("title", flat=True)) == {"Brackets", "After them all"}


def test_control_characters_are_taken_out_with_a_note(tmp_path):
    path = archive(tmp_path, record("Vertical\u000b tab \u001b[31m", tags=["Spa\u0007ce"]))
    stderr = io.StringIO()
    call_command("import", str(path), "--no-progress", stdout=io.StringIO(), stderr=stderr)
    brief = Brief.objects.get()
    assert (brief.title, brief.tag_names()) == ("Vertical tab [31m", ["Space"])
    assert f"note: {path}:1: control characters removed" in stderr.getvalue()


def test_any_error_in_one_record_is_reported_and_the_run_goes_on(tmp_path, monkeypatch):
    """A bug that one record shows (here a failing save) must not stop the import."""
    save = importer._save_brief

    def failing(unit):
        if unit.content.title == "Unlucky":
            raise RecursionError("maximum recursion depth exceeded")
        return save(unit)

    monkeypatch.setattr(importer, "_save_brief", failing)
    path = archive(tmp_path, record("Unlucky"), record("Lucky"))
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(path), "--no-progress", stdout=io.StringIO(), stderr=stderr)
    assert f"error: {path}:1: could not be imported: RecursionError" in stderr.getvalue()
    assert list(Brief.objects.values_list("title", flat=True)) == ["Lucky"]


def test_a_seed_page_nested_too_deeply_names_its_file(tmp_path):
    path = tmp_path / "deep.txt"
    path.write_text(
        "ann / March 1, 2012 10:00AM\n\n[Space] Deep\n\n" + "* " * 500 + "x\n", encoding="utf-8"
    )
    report = import_paths([path], progress=False)
    assert [str(f).startswith(f"{path}:1: body") for f in report.failures] == [True]
