"""Proposals in the product: related earlier briefs across languages, stored at publication,
curated by editors on the desk, shown both ways on brief pages; tags; counterparts; the
``related`` and ``train`` commands."""

import datetime as dt
import json
import uuid

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from newsbrief.briefs.models import AuditEntry, Brief, RelatedLink
from newsbrief.briefs.publishing import set_status
from newsbrief.related import proposals
from newsbrief.related.models import Verdict
from tests.desk.conftest import client_for
from tests.factories import index_briefs
from tests.related.conftest import draft, published

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def test_proposes_earlier_briefs_with_true_reasons(users, archive):
    # The draft is written a few days after the archive. (Without embeddings, as here, the
    # Chinese version shares only names with it, under the floor: ranking's tests cover the
    # embedding carrying a brief across languages.)
    with time_machine.travel(dt.datetime(2012, 3, 6, 12, tzinfo=UTC), tick=False):
        found = proposals.propose_related(draft(users))
    assert [p.brief for p in found] == [archive["wind"]]
    reasons = found[0].reasons
    assert "same tags: Energy" in reasons and "similar wording" in reasons
    # No number is ever a shared name.
    assert not any(r.startswith("shared names") and any(c.isdigit() for c in r) for r in reasons)


def test_a_brief_with_no_real_history_gets_no_filler(
    users, archive, django_capture_on_commit_callbacks
):
    brief = draft(users, title="Hockey tonight", body="The hockey team plays tonight.", tags=())
    assert proposals.propose_related(brief) == []
    publish(brief, django_capture_on_commit_callbacks)
    assert not brief.related_links.exists()


def test_one_proposal_per_news_item_in_the_briefs_language(users, archive):
    # Link the Chinese wind brief as the English one's version: one item, shown in English.
    wind_zh = archive["wind_zh"]
    wind_zh.translation_key = archive["wind"].translation_key
    wind_zh.save(update_fields=["translation_key"])
    index_briefs()
    found = [p.brief for p in proposals.propose_related(draft(users))]
    assert archive["wind"] in found and wind_zh not in found


def test_never_its_own_versions_nor_later_briefs(users, archive):
    wind = archive["wind"]
    found = [p.brief for p in proposals.propose_related(wind)]
    assert wind not in found
    assert not found  # nothing was published before it


def publish(brief, capture):
    """Publish as the desk does; the links are stored once the transaction commits."""
    with capture(execute=True):
        set_status(brief, Brief.Status.PUBLISHED, dt.datetime(2012, 3, 10, tzinfo=UTC))


def test_publishing_stores_the_best_proposals(
    users, archive, settings, django_capture_on_commit_callbacks
):
    settings.NEWSBRIEF_RELATED_ON_PUBLISH = 2
    brief = draft(users)
    publish(brief, django_capture_on_commit_callbacks)
    links = list(brief.related_links.order_by("rank"))
    # Room for two, but only the wind brief clears the floor: no filler.
    assert len(links) == 1
    assert links[0].target == archive["wind"] and links[0].origin == RelatedLink.Origin.SYSTEM
    # The brief page shows them, and the cited brief shows this one as a later message.
    client = client_for(None)
    page = client.get(brief.get_absolute_url()).content.decode()
    assert "Related Historical Messages" in page and archive["wind"].title in page
    cited = client.get(archive["wind"].get_absolute_url()).content.decode()
    assert brief.title in cited


def test_curation_accept_reject_pin_move_and_republish(
    users, archive, settings, django_capture_on_commit_callbacks
):
    settings.NEWSBRIEF_RELATED_ON_PUBLISH = 3
    brief = draft(users)
    client = client_for(users["editor"])
    url = reverse("desk:related", args=[brief.pk])

    def act(action, target):
        response = client.post(url, {"action": action, "target": target.pk})
        assert response.status_code == 302

    act("accept", archive["space"])
    act("accept", archive["chips"])
    act("up", archive["chips"])
    assert [x.target for x in brief.related_links.order_by("rank")] == [
        archive["chips"],
        archive["space"],
    ]
    act("pin", archive["space"])
    act("reject", archive["chips"])
    assert [x.target for x in brief.related_links.order_by("rank")] == [archive["space"]]
    assert archive["chips"] not in [p.brief for p in proposals.propose_related(brief)]
    assert Verdict.objects.filter(brief=brief, target=archive["chips"], kind="rejected").exists()

    # Publishing keeps the editor's choice first and fills the rest; chips never comes back.
    publish(brief, django_capture_on_commit_callbacks)
    links = list(brief.related_links.order_by("rank"))
    assert links[0].target == archive["space"] and links[0].origin == RelatedLink.Origin.EDITOR
    # Room for three; of the proposals only the wind brief clears the floor.
    assert [x.target for x in links[1:]] == [archive["wind"]]
    assert {x.origin for x in links[1:]} == {RelatedLink.Origin.SYSTEM}
    # Each curation that changed the links is a revision (what the page shows changed), in the
    # audit log by the editor; publishing's own links are the system's, without a revision.
    assert brief.revisions.count() == 6
    curated = brief.revisions.order_by("-number").first()
    assert curated.editor == users["editor"]
    assert [r["title"] for r in curated.content["related"]] == [archive["space"].title]
    log = AuditEntry.objects.filter(brief=brief, action=AuditEntry.Action.CURATE)
    assert log.count() == 5 and {e.actor for e in log} == {users["editor"]}


def test_the_edit_page_shows_proposals_tags_and_counterparts(users, archive):
    brief = draft(
        users,
        language="zh-hant",
        tags=(),
        title="IMEC 與 TSMC 延長晶片研究",
        body="IMEC 與 TSMC 延長 14nm 製程的聯合研究。",
    )
    page = client_for(users["editor"]).get(reverse("desk:edit", args=[brief.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Related historical messages" in html and archive["chips"].title in html
    assert "Suggested tags" in html
    assert "Possibly the same news in the other language" in html


def test_no_counterpart_is_proposed_when_another_brief_matches_better(users, archive):
    # The Chinese wind brief, unlinked, is the English one's better match: not this draft's.
    brief = draft(
        users,
        language="zh-hant",
        title="離岸風電示範",
        body="Denmark 與 DONG Energy 合作的離岸風電示範。",
    )
    assert archive["wind"] not in [p.brief for p in proposals.propose_counterparts(brief)]


def test_confirm_counterpart_links_versions(users, archive):
    brief = draft(
        users,
        language="zh-hant",
        title="臺灣 FORMOSAT-7 設計審查",
        body="FORMOSAT-7 與 NOAA 進入設計審查。",
        tags=("Space",),
    )
    assert proposals.propose_counterparts(brief)[0].brief == archive["space"]
    client = client_for(users["editor"])
    client.post(reverse("desk:counterpart", args=[brief.pk]), {"target": archive["space"].pk})
    brief.refresh_from_db()
    assert brief.translation_key == archive["space"].translation_key
    # Same language or already paired: refused.
    other = draft(users, title="Another")
    client.post(reverse("desk:counterpart", args=[other.pk]), {"target": archive["chips"].pk})
    other.refresh_from_db()
    assert other.translation_key != archive["chips"].translation_key


def test_tag_suggestions_learn_from_the_archive(users, archive):
    suggested = proposals.suggest_tags(
        "Offshore wind", "Denmark offshore wind with DONG Energy", "en"
    )
    assert suggested[0][0].name_en == "Energy"
    assert 0 < suggested[0][1] <= 1
    brief = draft(users, tags=())
    client = client_for(users["editor"])
    client.post(reverse("desk:add_tag", args=[brief.pk]), {"category": suggested[0][0].pk})
    assert [c.name_en for c in Brief.objects.get(pk=brief.pk).tags] == ["Energy"]


def test_only_editors_of_the_brief_may_curate(users, archive):
    brief = draft(users)
    url = reverse("desk:related", args=[brief.pk])
    data = {"action": "accept", "target": archive["wind"].pk}
    assert client_for(None).post(url, data).status_code == 302  # to sign in
    assert client_for(users["reader"]).post(url, data).status_code == 403
    assert client_for(users["other_editor"]).post(url, data).status_code == 403
    assert client_for(users["editor"]).get(url).status_code == 405
    assert not brief.related_links.exists()
    assert client_for(users["chief"]).post(url, data).status_code == 302
    assert brief.related_links.get().target == archive["wind"]


def test_related_command(users, archive, capsys):
    brief = draft(users)
    call_command("related", str(brief.pk), "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["brief"]["id"] == brief.pk
    assert result["related"][0]["id"] == archive["wind"].pk
    assert result["related"][0]["reasons"]
    assert result["tags"][0]["name"] == "Energy"
    call_command("related", str(brief.pk))
    assert archive["wind"].title in capsys.readouterr().out


def test_rebuild_recomputes_what_is_out_of_date_and_compacts(users, archive, capsys):
    from newsbrief.related.models import Generation, IndexEntry, PendingEntry

    IndexEntry.objects.filter(brief=archive["chips"]).delete()
    call_command("related", "rebuild")
    assert "brief(s) checked" in capsys.readouterr().out
    assert not PendingEntry.objects.exists()
    assert IndexEntry.objects.filter(listed=True).count() == len(archive)
    latest = Generation.objects.filter(complete=True).latest("pk")
    assert latest.briefs == len(archive) and Generation.objects.count() <= 2
    proposals.reset()  # a fresh process reads the new snapshot
    assert proposals.suggest_tags("FORMOSAT-7", "NOAA satellite", "en")[0][0].name_en == "Space"
    assert proposals.propose_related(draft(users))[0].brief == archive["wind"]


def test_embeddings_are_stored_and_used(users, settings):
    settings.NEWSBRIEF_RELATED_EMBEDDINGS = True
    from newsbrief.related.models import IndexEntry

    wind = published(users["chief"], 1, "Taiwan and Denmark on offshore wind", "DONG Energy.")
    index_briefs()
    assert IndexEntry.objects.get(brief=wind).as_array().shape == (512,)
    assert proposals.propose_related(draft(users))[0].brief == wind


def test_a_new_briefs_preview_shows_proposals_and_tags(users, archive):
    client = client_for(users["editor"])
    response = client.post(
        reverse("desk:new"),
        {
            "preview": "1",
            "title": "Offshore wind with Denmark",
            "body": "Taiwan and Denmark: offshore wind, DONG Energy.",
            "language": "en",
            "tags": "",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Proposed related messages" in html and archive["wind"].title in html
    assert "Save the draft to accept, pin or reject them." in html
    assert "Suggested tags" in html
    assert not Brief.objects.filter(title="Offshore wind with Denmark").exists()


def test_on_the_demo_board_no_brief_is_offered_a_wrong_counterpart(demo):
    """The offshore-wind brief was once offered a satellite brief because both mention 2011
    and 11; with the pairing floor it is offered nothing (it has no Chinese version)."""
    wind = Brief.objects.get(title__icontains="offshore wind", language="en")
    assert proposals.propose_counterparts(wind) == []
    # Unlink every Chinese version: each English brief is offered its own, and only it.
    pairs = {}
    for chinese in Brief.objects.filter(language="zh-hant"):
        english = Brief.objects.filter(translation_key=chinese.translation_key, language="en")
        if english.exists():
            pairs[english.get()] = chinese
            chinese.translation_key = uuid.uuid4()
            chinese.save(update_fields=["translation_key"])
    index_briefs()
    assert pairs
    for english, chinese in pairs.items():
        assert [p.brief for p in proposals.propose_counterparts(english)] == [chinese]
    assert proposals.propose_counterparts(wind) == []
