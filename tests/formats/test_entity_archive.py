"""The entity registry and editors' decisions through JSON Lines and backups: export, import
into an empty database, the same file again; importing twice changes nothing; archives
written before entities still import and leave a brief's entities alone."""

import datetime as dt
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from newsbrief.briefs.models import Board, Brief, Category
from newsbrief.entities import counting
from newsbrief.entities.models import Alias, BriefEntity, Entity
from newsbrief.formats.importer import export_jsonl, import_paths
from tests.entities.test_counting import direct_counts, kept_counts
from tests.factories import make_brief, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("registry_state")]
WHEN = dt.datetime(2026, 4, 1, 8, 30, tzinfo=dt.UTC)


@pytest.fixture
def registry():
    asia = Entity.objects.create(kind="country", slug="asia", name_en="Asia", name_zh_hant="亞洲")
    japan = Entity.objects.create(
        kind="country", slug="japan", code="JP", name_en="Japan", name_zh_hant="日本",
        parent=asia,
    )  # fmt: skip
    Entity.objects.create(kind="country", slug="nippon", name_en="Nippon", merged_into=japan)
    moea = Entity.objects.create(
        kind="organization", slug="moea", name_en="Ministry of Economic Affairs",
        name_zh_hant="經濟部", acronym="MOEA",
    )  # fmt: skip
    Alias.objects.create(entity=moea, text="經濟部長", language="zh-hant")
    Alias.objects.create(entity=moea, text="MOEA Taiwan", language="", kind="learned")
    editor = make_user("ed")
    brief = make_brief("Japan and the MOEA", author="ed")
    zh = make_brief("日本與經濟部", author="ed", language="zh-hant",
                    translation_key=brief.translation_key)  # fmt: skip
    # Saved after commit in a transactional test, the briefs have proposals already: the
    # rows are set whatever the extractor found.
    for b in (brief, zh):
        BriefEntity.objects.update_or_create(
            brief=b, entity=japan,
            defaults={"confidence": 0.4, "evidence": "Japan", "decision": "confirmed",
                      "decided_by": editor, "decided_at": WHEN},
        )  # fmt: skip
        BriefEntity.objects.update_or_create(
            brief=b, entity=moea, defaults={"confidence": 0.9, "evidence": "MOEA",
                                            "decision": "proposed"}
        )  # fmt: skip
        BriefEntity.objects.update_or_create(
            brief=b, entity=asia, defaults={"decision": "removed", "decided_at": WHEN}
        )
        BriefEntity.objects.filter(brief=b).exclude(entity__in=[japan, moea, asia]).delete()
    counting.recount()
    return brief


def export() -> str:
    out = io.StringIO()
    export_jsonl(out, everything=True)
    return out.getvalue()


def empty_the_database():
    Brief.objects.all().delete()
    Entity.objects.all().delete()
    Category.objects.all().delete()
    Board.objects.all().delete()
    get_user_model().objects.all().delete()


def rows() -> set:
    return set(
        BriefEntity.objects.values_list(
            "brief__uid", "entity__slug", "decision", "confidence", "evidence",
            "decided_by__username", "decided_at",
        )
    )  # fmt: skip


def test_entities_and_decisions_survive_export_and_import(registry, tmp_path):
    first = export()
    lines = [json.loads(line) for line in first.splitlines()]
    entities = [line for line in lines if line.get("kind") == "entity"]
    assert [e["slug"] for e in entities] == ["asia", "japan", "moea", "nippon"]
    assert entities[1] == {
        "kind": "entity", "slug": "japan", "type": "country", "code": "JP",
        "name": {"en": "Japan", "zh-hant": "日本"}, "acronym": "", "aliases": [],
        "parent": "asia", "merged_into": None,
    }  # fmt: skip
    assert entities[2]["aliases"] == [
        {"text": "MOEA Taiwan", "language": "", "kind": "learned"},
        {"text": "經濟部長", "language": "zh-hant", "kind": "name"},
    ]
    assert entities[3]["merged_into"] == "japan"
    kinds = [line.get("kind") for line in lines[1:]]
    assert kinds.index("entity") < kinds.index("brief")
    brief = next(line for line in lines if line.get("uid") == str(registry.uid))
    assert brief["entities"][1] == {
        "entity": "japan", "decision": "confirmed", "confidence": 0.4, "evidence": "Japan",
        "decided_by": "ed", "decided_at": "2026-04-01T08:30:00+00:00",
    }  # fmt: skip
    before = rows()

    empty_the_database()
    path = tmp_path / "board.jsonl"
    path.write_text(first, encoding="utf-8")
    report = import_paths([path], progress=False)
    assert report.failures == []
    assert rows() == before
    assert Entity.objects.get(slug="nippon").merged_into == Entity.objects.get(slug="japan")
    assert kept_counts(timezone.now()) == +direct_counts(timezone.now())
    assert export() == first

    again = import_paths([path], progress=False)
    assert (again.created, again.updated, again.failures) == (0, 0, [])
    assert (Entity.objects.count(), Alias.objects.count(), rows()) == (4, 2, before)
    assert export() == first


def test_import_brings_a_changed_database_back_to_the_archive(registry, tmp_path):
    path = tmp_path / "board.jsonl"
    path.write_text(export(), encoding="utf-8")
    before = rows()
    BriefEntity.objects.filter(entity__slug="moea").update(decision="removed")
    BriefEntity.objects.create(brief=registry, entity=Entity.objects.get(slug="nippon"))
    Entity.objects.filter(slug="moea").update(name_zh_hant="經濟部?")
    Alias.objects.create(entity=Entity.objects.get(slug="japan"), text="Yamato")
    report = import_paths([path], progress=False)
    assert report.failures == [] and report.updated == 2
    assert rows() == before
    assert Entity.objects.get(slug="moea").name_zh_hant == "經濟部"
    assert not Alias.objects.filter(text="Yamato").exists()


def test_archives_without_entities_leave_them_alone(registry, tmp_path):
    lines = [json.loads(line) for line in export().splitlines()]
    old = [{k: v for k, v in line.items() if k != "entities"} for line in lines
           if line.get("kind") != "entity"]  # fmt: skip
    path = tmp_path / "old.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in old), encoding="utf-8")
    before = rows()
    report = import_paths([path], progress=False)
    assert (report.failures, report.updated) == ([], 0)
    assert rows() == before
    empty_the_database()
    assert import_paths([path], progress=False).failures == []
    assert Brief.objects.count() == 2 and not BriefEntity.objects.exists()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"entities": [{"entity": "atlantis"}]}, "unknown entities atlantis"),
        ({"entities": [{"entity": "japan", "decision": "maybe"}]}, "unknown entity decision"),
        ({"entities": [{"entity": "japan", "confidence": "high"}]}, "bad entity confidence"),
        ({"entities": {"japan": 1}}, "entities must be a list"),
    ],
)
def test_bad_entities_are_reported(registry, tmp_path, change, message):
    record = next(json.loads(line) for line in export().splitlines() if f'"{registry.uid}"' in line)
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({**record, **change}) + "\n", encoding="utf-8")
    [failure] = import_paths([path], progress=False).failures
    assert message in failure.message


@pytest.mark.parametrize(
    "line, message",
    [
        ({"kind": "entity", "slug": "x", "type": "planet", "name": {"en": "X"}}, "entity type"),
        ({"kind": "entity", "slug": "x", "type": "field", "name": {}}, "English name"),
        ({"kind": "entity", "slug": "x", "type": "field", "name": {"en": "X"},
          "aliases": [{"text": "Y", "kind": "nickname"}]}, "alias kind"),
    ],
)  # fmt: skip
def test_bad_entity_records_are_reported(db, tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    [failure] = import_paths([path], progress=False).failures
    assert message in failure.message
    assert not Entity.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_backup_keeps_the_registry_and_decisions(registry, tmp_path):
    from tests.formats.test_backup import run

    before = rows(), set(Entity.objects.values_list("slug", "merged_into__slug"))
    path = tmp_path / "board.backup"
    run("backup", str(path))
    BriefEntity.objects.all().delete()
    Entity.objects.filter(slug="nippon").delete()
    run("restore", str(path), "--noinput")
    assert (rows(), set(Entity.objects.values_list("slug", "merged_into__slug"))) == before
    assert kept_counts(timezone.now()) == +direct_counts(timezone.now())
