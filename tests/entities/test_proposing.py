"""Proposals on save: written for every version of a news item alike, editors' decisions
never undone by a re-extraction, learned acronyms kept, imports left to the backfill, which
resumes; and the shipped registry, whose sync is idempotent and keeps editors' changes."""

import pytest
from django.core.management import call_command

from newsbrief.briefs.models import Revision
from newsbrief.entities import counting, proposing, registry
from newsbrief.entities.models import Alias, BriefEntity, Entity, EntityCount, Extracted
from newsbrief.entities.tasks import propose_sweep
from tests.factories import make_brief

pytestmark = pytest.mark.django_db
D = BriefEntity.Decision
K = Entity.Kind


@pytest.fixture
def entities():
    made = {
        "japan": Entity.objects.create(slug="japan", kind=K.COUNTRY, code="JP",
                                       name_en="Japan", name_zh_hant="日本"),
        "idb": Entity.objects.create(slug="idb", kind=K.ORGANIZATION,
                                     name_en="Industrial Development Bureau",
                                     name_zh_hant="工業局"),
        "medical": Entity.objects.create(slug="medical-devices", kind=K.FIELD,
                                         name_en="Medical devices", name_zh_hant="醫療器材"),
        "optics": Entity.objects.create(slug="optics", kind=K.FIELD, name_en="Optics",
                                        name_zh_hant="光學"),
    }  # fmt: skip
    Alias.objects.create(entity=made["medical"], text="medical device", language="en")
    return made


def pair(en_title, en_body, zh_title, zh_body):
    en = make_brief(en_title, body=en_body)
    zh = make_brief(zh_title, body=zh_body, language="zh-hant", translation_key=en.translation_key)
    return en, zh


def rows(brief) -> dict:
    return {
        r.entity.slug: r for r in BriefEntity.objects.filter(brief=brief).select_related("entity")
    }


def test_both_versions_carry_the_same_entities_and_a_learned_acronym(entities):
    en, zh = pair(
        "Japan and Taiwan on medical devices",
        "The Industrial Development Bureau (IDB) leads the talks.",
        "台日醫療器材合作",
        "IDB 與日方洽談。",
    )
    proposing.propose(en)
    assert set(rows(en)) == set(rows(zh)) == {"japan", "idb", "medical-devices"}
    assert all(r.decision == D.PROPOSED for r in rows(zh).values())
    assert rows(zh)["idb"].evidence.startswith("[en] ")  # carried from the English text
    assert rows(en)["idb"].confidence >= 0.97
    learned = Alias.objects.get(text="IDB")
    assert (learned.entity, learned.kind) == (entities["idb"], Alias.Kind.LEARNED)
    # Known from now on: the Chinese text names it itself.
    proposing.propose(zh)
    assert not rows(zh)["idb"].evidence.startswith("[en]")
    assert set(Extracted.objects.values_list("brief_id", flat=True)) == {en.pk, zh.pk}
    shown = EntityCount.objects.filter(scope="", entity=entities["japan"])
    assert {c.language: c.count for c in shown} == {"en": 1, "zh-hant": 1}


def test_editors_decisions_survive_re_extraction(entities, django_capture_on_commit_callbacks):
    en, zh = pair("Japan: optics and medical devices", "Text.", "日本：光學與醫療器材", "內文。")
    proposing.propose(en)
    japan = rows(en)["japan"]
    japan.decision, japan.confidence = D.CONFIRMED, 1.0
    japan.save()
    BriefEntity.objects.filter(brief=en, entity=entities["optics"]).update(decision=D.REMOVED)
    BriefEntity.objects.create(brief=zh, entity=entities["idb"], decision=D.ADDED)
    counting.follow_many([en.pk, zh.pk])
    # The editor rewrites the text: Japan and optics are no longer in it.
    with django_capture_on_commit_callbacks(execute=True):
        make_brief("Medical devices", body="A medical device maker.", uid=en.uid,
                   translation_key=en.translation_key)  # fmt: skip
    en_rows, zh_rows = rows(en), rows(zh)
    assert en_rows["japan"].decision == D.CONFIRMED and en_rows["japan"].confidence == 1.0
    assert en_rows["optics"].decision == D.REMOVED
    assert "optics" not in zh_rows  # removed on one version: not proposed on the other
    assert zh_rows["idb"].decision == D.ADDED
    assert en_rows["medical-devices"].decision == D.PROPOSED
    assert "idb" not in en_rows or en_rows["idb"].decision == D.PROPOSED


def test_stale_proposals_are_dropped(entities):
    brief = make_brief("Optics in Japan")
    proposing.propose(brief)
    assert set(rows(brief)) == {"optics", "japan"}
    brief.title = "Optics"
    brief.save()
    proposing.propose(brief)
    assert set(rows(brief)) == {"optics"}


def test_an_import_is_left_to_the_backfill_which_resumes(entities, monkeypatch):
    from newsbrief.entities import receivers

    briefs = [make_brief(f"Japan {i}") for i in range(5)]
    Extracted.objects.all().delete()
    BriefEntity.objects.all().delete()
    receivers.follow_brief(None, brief=briefs[0], origin=Revision.Origin.IMPORT)
    assert not BriefEntity.objects.exists()
    assert proposing.backlog() == 5

    calls = []

    def interrupt(n):
        calls.append(n)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        proposing.drain(batch=2, progress=interrupt)
    assert calls == [2] and proposing.backlog() == 3  # the batch done is kept
    call_command("entities", "backfill", "--batch", "2")
    assert proposing.backlog() == 0
    assert BriefEntity.objects.filter(entity=entities["japan"]).count() == 5
    proposing.restart()
    assert propose_sweep.call_local() == 5


def test_a_merged_entity_s_names_name_the_one_it_was_merged_into(entities):
    nippon = Entity.objects.create(slug="nippon", kind=K.COUNTRY, name_en="Nippon")
    nippon.merged_into = entities["japan"]
    nippon.save()
    brief = make_brief("Nippon news")
    proposing.propose(brief)
    assert set(rows(brief)) == {"japan"}


@pytest.mark.shipped_registry
def test_the_shipped_registry_syncs_idempotently_and_keeps_editors_changes():
    assert Entity.objects.filter(kind=K.COUNTRY).count() >= 250
    assert Entity.objects.filter(kind=K.ORGANIZATION).count() >= 150
    assert Entity.objects.filter(kind=K.FIELD).count() >= 60
    taiwan = Entity.objects.get(slug="taiwan")
    assert (taiwan.code, taiwan.name_zh_hant) == ("TW", "台灣")
    assert Entity.objects.get(slug="idb").parent == taiwan
    assert Entity.objects.get(slug="machinery").parent.slug == "technology-engineering"
    assert registry.sync().created == 0 and registry.sync().aliases == 0

    moea = Entity.objects.get(slug="moea")
    moea.name_en, moea.acronym = "Ministry of Economic Affairs (Taiwan)", ""
    moea.save()
    Alias.objects.create(entity=moea, text="經部", language="zh-hant")
    result = registry.sync()
    moea.refresh_from_db()
    assert moea.name_en == "Ministry of Economic Affairs (Taiwan)"  # the editor's name
    assert moea.acronym == "MOEA"  # a blank filled
    assert Alias.objects.filter(entity=moea, text="經部").exists()
    assert (result.created, result.filled, result.aliases) == (0, 1, 0)

    brief = make_brief("經部與日本在醫療器材合作", language="zh-hant")
    proposing.propose(brief)
    assert {"moea", "japan", "medical-devices"} <= set(rows(brief))


@pytest.mark.shipped_registry
def test_the_commands_find_and_sync():
    import io

    out = io.StringIO()
    call_command("entities", "find", "The Industrial Development Bureau (IDBX) in 台灣", stdout=out)
    text = out.getvalue()
    assert "idb" in text and "taiwan" in text and "learned: IDBX = idb" in text
    out = io.StringIO()
    call_command("entities", "sync", stdout=out)
    assert out.getvalue().startswith("0 entities created")
