"""Editors' decisions on a brief's entities and the registry's changes: who may, every
version of the news item sharing them, decisions surviving re-saves and new proposals, and
merges whose counts agree with counting from scratch."""

import dataclasses
import datetime as dt
import uuid

import pytest
import time_machine
from django.utils import timezone

from newsbrief.briefs import actions as brief_actions
from newsbrief.briefs import roles
from newsbrief.briefs.models import AuditEntry
from newsbrief.briefs.publishing import KEEP, content_of, save_brief
from newsbrief.entities import actions, counting
from newsbrief.entities.actions import EntityFields
from newsbrief.entities.models import Alias, BriefEntity, Entity
from newsbrief.entities.proposing import propose
from tests.entities.test_counting import direct_counts, kept_counts
from tests.factories import make_brief, make_user

pytestmark = pytest.mark.django_db
D = BriefEntity.Decision
COUNTRY, ORG, FIELD = Entity.Kind.COUNTRY, Entity.Kind.ORGANIZATION, Entity.Kind.FIELD


@pytest.fixture
def people():
    return {
        "editor": make_user("ed", roles.EDITORS),
        "other": make_user("olga", roles.EDITORS),
        "chief": make_user("chief", roles.CHIEF_EDITORS),
        "reader": make_user("rita"),
    }


def entity(slug, kind=COUNTRY, **names):
    return Entity.objects.create(slug=slug, kind=kind, name_en=slug.title(), **names)


@pytest.fixture
def item(people):
    """A news item in both languages, by the editor, each version proposing Japan."""
    key = uuid.uuid4()
    en = make_brief("Japan and Taiwan", author=people["editor"], translation_key=key)
    zh = make_brief("臺日合作", author=people["editor"], language="zh-hant", translation_key=key)
    japan = entity("japan", name_zh_hant="日本")
    for brief in (en, zh):
        BriefEntity.objects.create(brief=brief, entity=japan, confidence=0.4, evidence="Japan")
    counting.recount()
    return en, zh, japan


def rows(brief):
    return {r.entity.slug: r for r in BriefEntity.objects.filter(brief=brief).select_related()}


def shown(brief) -> set[str]:
    """The slugs the kept counts have for the brief's board and language."""
    found = counting.counts(brief.board, [brief.language], timezone.now(), scopes=[""])
    return set(Entity.objects.filter(pk__in=[e for _s, e in found]).values_list("slug", flat=True))


def test_confirm_applies_to_every_version_and_counts_follow(item, people):
    en, zh, japan = item
    assert shown(en) == set()  # 0.4: under the confidence readers see
    at = dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)
    with time_machine.travel(at, tick=False):
        actions.confirm_entity(people["editor"], en, japan)
    for brief in (en, zh):
        row = rows(brief)["japan"]
        assert (row.decision, row.decided_by, row.decided_at) == (D.CONFIRMED, people["editor"], at)
        assert row.evidence == "Japan"
    assert shown(en) == shown(zh) == {"japan"}
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ENTITIES)
    assert (entry.brief, entry.actor, entry.detail) == (en, people["editor"], "confirmed japan")


def test_remove_and_add_write_every_version(item, people):
    en, zh, japan = item
    korea = entity("korea")
    actions.add_entity(people["editor"], zh, korea)
    assert {r.decision for r in (rows(en)["korea"], rows(zh)["korea"])} == {D.ADDED}
    assert shown(en) == {"korea"}
    actions.remove_entity(people["editor"], en, korea)
    assert {r.decision for r in (rows(en)["korea"], rows(zh)["korea"])} == {D.REMOVED}
    assert shown(zh) == set()
    # Adding what was proposed confirms it.
    actions.add_entity(people["editor"], en, japan)
    assert rows(zh)["japan"].decision == D.CONFIRMED


def test_who_may_decide(item, people):
    en, _zh, japan = item
    for who in ("other", "reader"):
        with pytest.raises(brief_actions.NotAllowed):
            actions.confirm_entity(people[who], en, japan)
    actions.remove_entity(people["chief"], en, japan)
    actions.confirm_entity(roles.SYSTEM, en, japan)
    assert rows(en)["japan"].decided_by is None


def test_adding_a_new_entity_takes_the_registry_role(item, people):
    en, zh, _japan = item
    moea = EntityFields(ORG, "Ministry of Economic Affairs", "經濟部", "MOEA")
    with pytest.raises(brief_actions.NotAllowed):
        actions.add_entity(people["editor"], en, moea)
    assert not Entity.objects.filter(acronym="MOEA").exists()
    made = actions.add_entity(people["chief"], en, moea)
    assert (made.slug, made.name_zh_hant) == ("ministry-of-economic-affairs", "經濟部")
    assert rows(zh)["ministry-of-economic-affairs"].decision == D.ADDED


def test_decisions_survive_resaves_and_new_proposals(item, people):
    en, zh, japan = item
    korea, _optics = entity("korea"), entity("optics", FIELD)
    actions.confirm_entity(people["editor"], en, japan)
    actions.remove_entity(people["editor"], en, korea)
    # A re-save of the brief (an edit, and a save as an import would make it).
    content, at = content_of(en), en.latest_revision().number
    brief_actions.edit_brief(
        people["editor"], en, dataclasses.replace(content, body="New text."), based_on=at
    )
    save_brief(dataclasses.replace(content_of(en), body="Newer."), status=KEEP)
    # The extractor reads the brief again and finds all three: decisions stay as they were.
    save_brief(
        dataclasses.replace(content_of(en), body="Japan and Korea agree on Optics."),
        status=KEEP,
    )
    propose(en)
    now = rows(en)
    assert (now["japan"].decision, now["japan"].confidence) == (D.CONFIRMED, 0.4)
    assert now["korea"].decision == D.REMOVED
    assert now["optics"].decision == D.PROPOSED
    assert "optics" in shown(en) and "japan" in shown(en) and "korea" not in shown(en)
    # Proposals the text no longer supports go; decisions do not.
    save_brief(
        dataclasses.replace(content_of(en), title="Nothing named", body="None here."),
        status=KEEP,
    )
    propose(en)
    assert set(rows(en)) == {"japan", "korea"}
    assert rows(zh)["korea"].decision == D.REMOVED


def test_a_merged_entity_decides_as_the_one_it_went_into(item, people):
    en, _zh, japan = item
    nippon = entity("nippon")
    actions.merge_entities(people["chief"], nippon, japan)
    nippon.refresh_from_db()
    actions.confirm_entity(people["editor"], en, nippon)
    assert set(rows(en)) == {"japan"}


# -- the registry ---------------------------------------------------------------------------


def test_registry_is_for_chief_editors_or_a_permission(people):
    from django.contrib.auth.models import Permission

    fields = EntityFields(FIELD, "Optics", "光學")
    with pytest.raises(brief_actions.NotAllowed):
        actions.create_entity(people["editor"], fields)
    people["editor"].user_permissions.add(Permission.objects.get(codename="change_entity"))
    editor = type(people["editor"]).objects.get(pk=people["editor"].pk)  # fresh perm cache
    optics = actions.create_entity(editor, fields)
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.REGISTRY, subject="Optics", actor=editor
    ).exists()
    with pytest.raises(brief_actions.NotAllowed):
        actions.merge_entities(people["other"], optics, entity("lenses", FIELD))


def test_create_and_update_check_their_fields(people):
    chief = people["chief"]
    with pytest.raises(brief_actions.InvalidContent) as refused:
        actions.create_entity(chief, EntityFields("planet", "  ", acronym="X" * 41))
    assert set(refused.value.fields) == {"kind", "name_en", "acronym"}
    japan = actions.create_entity(chief, EntityFields(COUNTRY, "Japan", code="JP"))
    again = actions.create_entity(chief, EntityFields(COUNTRY, "Japan"))
    assert (japan.slug, again.slug) == ("japan", "japan-2")
    assert actions.create_entity(chief, EntityFields(FIELD, "New")).slug == "new-2"
    asia = entity("asia")
    changed = actions.update_entity(
        chief,
        japan,
        EntityFields(
            COUNTRY, "Japan", " 日本 ", aliases=(("Nippon", ""), ("日本國", "zh-hant"), ("", "")),
            parent=asia,
        ),
    )  # fmt: skip
    assert (changed.name_zh_hant, changed.parent) == ("日本", asia)
    assert set(changed.aliases.values_list("text", "language")) == {
        ("Nippon", ""),
        ("日本國", "zh-hant"),
    }
    with pytest.raises(brief_actions.InvalidContent) as refused:
        actions.update_entity(chief, asia, EntityFields(COUNTRY, "Asia", parent=japan))
    assert "parent" in refused.value.fields
    with pytest.raises(brief_actions.InvalidContent) as refused:
        actions.update_entity(chief, asia, EntityFields(COUNTRY, "Asia", slug="japan"))
    assert "slug" in refused.value.fields


def test_a_change_of_kind_is_counted_anew(item, people):
    en, _zh, japan = item
    actions.confirm_entity(people["editor"], en, japan)
    actions.update_entity(people["chief"], japan, EntityFields(ORG, "Japan"))
    assert kept_counts(timezone.now()) == +direct_counts(timezone.now())


# -- merges -------------------------------------------------------------------------------


def test_merge_moves_rows_aliases_and_keeps_decisions_over_proposals(people):
    chief, editor = people["chief"], people["editor"]
    moea = entity("moea", ORG, name_zh_hant="經濟部", acronym="MOEA")
    dupe = entity("ministry-of-economic-affairs", ORG, name_zh_hant="經濟部 (MOEA)", acronym="MOEA")
    Alias.objects.create(entity=dupe, text="Economics Ministry", language="en")
    Alias.objects.create(entity=dupe, text="經濟部", language="zh-hant")
    Alias.objects.create(entity=moea, text="Economics Ministry", language="en")
    idb = entity("idb", ORG, parent=dupe)
    old = entity("old-name", ORG, merged_into=dupe)
    briefs = [make_brief(f"Brief {n}", author=editor) for n in range(5)]
    now = timezone.now()
    # 0: only the dupe proposes; 1: both propose, the dupe surer; 2: an editor decided on
    # the dupe, moea proposed surer; 3: an editor removed moea, the dupe proposed surer;
    # 4: both decided, the dupe's later.
    BriefEntity.objects.create(brief=briefs[0], entity=dupe, confidence=0.8)
    BriefEntity.objects.create(brief=briefs[1], entity=dupe, confidence=0.9, evidence="dupe")
    BriefEntity.objects.create(brief=briefs[1], entity=moea, confidence=0.5)
    BriefEntity.objects.create(brief=briefs[2], entity=dupe, confidence=0.3, decision=D.CONFIRMED,
                               decided_by=editor, decided_at=now)  # fmt: skip
    BriefEntity.objects.create(brief=briefs[2], entity=moea, confidence=0.99)
    BriefEntity.objects.create(brief=briefs[3], entity=dupe, confidence=0.99)
    BriefEntity.objects.create(brief=briefs[3], entity=moea, decision=D.REMOVED, decided_at=now)
    BriefEntity.objects.create(brief=briefs[4], entity=moea, decision=D.REMOVED,
                               decided_at=now - dt.timedelta(days=1))  # fmt: skip
    BriefEntity.objects.create(brief=briefs[4], entity=dupe, decision=D.ADDED, decided_at=now)
    counting.recount()

    actions.merge_entities(chief, dupe, moea)

    dupe.refresh_from_db()
    assert dupe.merged_into == moea
    assert not BriefEntity.objects.filter(entity=dupe).exists()
    kept = {r.brief_id: r for r in BriefEntity.objects.filter(entity=moea)}
    assert [(kept[b.pk].decision, kept[b.pk].confidence) for b in briefs] == [
        (D.PROPOSED, 0.8),
        (D.PROPOSED, 0.9),
        (D.CONFIRMED, 0.3),
        (D.REMOVED, 1.0),
        (D.ADDED, 1.0),
    ]
    assert kept[briefs[1].pk].evidence == "dupe"
    assert kept[briefs[2].pk].decided_by == editor
    assert sorted(moea.aliases.values_list("text", "language", "kind")) == [
        ("Economics Ministry", "en", "name"),
        ("Ministry-Of-Economic-Affairs", "en", "name"),
        ("經濟部 (MOEA)", "zh-hant", "name"),
    ]
    assert Entity.objects.get(pk=idb.pk).parent == moea
    assert Entity.objects.get(pk=old.pk).merged_into == moea
    assert kept_counts(timezone.now()) == +direct_counts(timezone.now())
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.REGISTRY, subject=dupe.name_en, detail="merged into moea"
    ).exists()


def test_merge_refusals(people):
    chief = people["chief"]
    japan, nippon, optics = entity("japan"), entity("nippon"), entity("optics", FIELD)
    with pytest.raises(brief_actions.InvalidContent):
        actions.merge_entities(chief, japan, japan)
    with pytest.raises(brief_actions.InvalidContent):
        actions.merge_entities(chief, japan, optics)
    actions.merge_entities(chief, nippon, japan)
    with pytest.raises(brief_actions.WrongState):
        actions.merge_entities(chief, nippon, japan)
    with pytest.raises(brief_actions.WrongState):
        actions.merge_entities(chief, entity("yamato"), nippon)


def test_search_and_named(people):
    moea = entity("moea", ORG, name_zh_hant="經濟部", acronym="MOEA")
    Alias.objects.create(entity=moea, text="Economics Ministry")
    merged = entity("moea-2", ORG, merged_into=moea)
    assert list(actions.search("ministry")) == [moea]
    assert list(actions.search("經濟", kind=ORG)) == [moea]
    assert list(actions.search("moea", kind=COUNTRY)) == []
    assert merged not in actions.search("moea")
    assert actions.named("moea") == moea
    assert actions.named("經濟部") == moea
    assert actions.named("economics  ministry") == moea
    assert actions.named("ministry") is None
