"""The registry in the admin: saves go through the registry's actions, aliases inline, the
merge action asks which entity the others go into, the briefs' entities are only listed."""

import pytest
from django.urls import reverse
from django.utils import timezone

from newsbrief.briefs.models import AuditEntry
from newsbrief.entities import counting
from newsbrief.entities.models import BriefEntity, Entity
from tests.desk.conftest import client_for
from tests.entities.test_counting import direct_counts, kept_counts
from tests.factories import make_brief, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    return client_for(make_user("root", is_staff=True, is_superuser=True))


def inline(prefix="aliases", **rows):
    return {f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0", **rows}


def test_add_and_change_through_the_actions(admin_client):
    url = reverse("admin:entities_entity_add")
    data = {"kind": "organization", "slug": "moea", "code": "", "name_en": "MOEA ministry",
            "name_zh_hant": "經濟部", "acronym": "MOEA", "parent": "",
            **inline(**{"aliases-0-text": "Economics Ministry", "aliases-0-language": "en",
                        "aliases-0-kind": "name"})}  # fmt: skip
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    moea = Entity.objects.get(slug="moea")
    assert list(moea.aliases.values_list("text", flat=True)) == ["Economics Ministry"]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.REGISTRY, detail="created").exists()
    change = reverse("admin:entities_entity_change", args=[moea.pk])
    response = admin_client.post(
        change,
        {
            **data,
            "parent": str(moea.pk),
            **inline(**{"aliases-0-text": "", "aliases-0-language": "", "aliases-0-kind": "name"}),
        },
    )
    assert response.status_code == 200  # its own parent: the action's refusal, as an error
    assert "An entity cannot sit under itself." in response.content.decode()


def test_merge_action_asks_then_merges(admin_client):
    a = Entity.objects.create(kind="country", slug="japan", name_en="Japan")
    b = Entity.objects.create(kind="country", slug="nippon", name_en="Nippon")
    brief = make_brief("Japan")
    BriefEntity.objects.create(brief=brief, entity=b, confidence=0.9)
    counting.follow(brief)
    url = reverse("admin:entities_entity_changelist")
    chosen = {"action": "merge_selected", "_selected_action": [a.pk, b.pk]}
    page = admin_client.post(url, chosen)
    assert page.status_code == 200 and "Merge into" in page.content.decode()
    response = admin_client.post(url, {**chosen, "apply": "1", "target": str(a.pk)})
    assert response.status_code == 302
    assert Entity.objects.get(pk=b.pk).merged_into == a
    assert kept_counts(timezone.now()) == +direct_counts(timezone.now())


def test_delete_follows_the_counts(admin_client):
    japan = Entity.objects.create(kind="country", slug="japan", name_en="Japan")
    brief = make_brief("Japan")
    BriefEntity.objects.create(brief=brief, entity=japan, confidence=0.9)
    counting.follow(brief)
    delete = reverse("admin:entities_entity_delete", args=[japan.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Entity.objects.exists()
    assert kept_counts(timezone.now()) == +direct_counts(timezone.now()) == {}


def test_briefs_entities_list_with_filters(admin_client):
    japan = Entity.objects.create(kind="country", slug="japan", name_en="Japan")
    BriefEntity.objects.create(brief=make_brief("Japan"), entity=japan, decision="confirmed")
    url = reverse("admin:entities_briefentity_changelist")
    page = admin_client.get(url, {"decision": "confirmed", "entity__kind": "country"})
    assert page.status_code == 200 and "Japan" in page.content.decode()
    assert admin_client.get(reverse("admin:entities_briefentity_add")).status_code == 403
