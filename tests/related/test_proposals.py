"""Proposals in the product: related earlier briefs across languages, stored at publication,
curated by editors on the desk, shown both ways on brief pages; tags; counterparts; the
``related`` and ``train`` commands."""

import datetime as dt
import json

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from newsbrief.briefs.models import AuditEntry, Brief, RelatedLink
from newsbrief.briefs.publishing import set_status
from newsbrief.related import proposals
from newsbrief.related.models import Verdict
from tests.desk.conftest import client_for, write_brief

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def published(author, day, title, body, tags=("Energy",), language="en", **kw):
    return write_brief(
        author,
        Brief.Status.PUBLISHED,
        title=title,
        body=body,
        tags=tags,
        language=language,
        published_at=dt.datetime(2012, 3, day, 12, tzinfo=UTC),
        **kw,
    )


@pytest.fixture
def archive(users):
    chief = users["chief"]
    return {
        "wind": published(
            chief,
            1,
            "Taiwan and Denmark on offshore wind",
            "Taiwan and Denmark sign an offshore wind memorandum; DONG Energy joins.",
        ),
        "chips": published(
            chief,
            2,
            "IMEC and TSMC extend chip research",
            "IMEC and TSMC extend joint research on 14nm processes.",
            tags=("Semiconductors",),
        ),
        "wind_zh": published(
            chief,
            3,
            "臺丹離岸風電合作",
            "臺灣與 Denmark 簽署離岸風電備忘錄，DONG Energy 參與。",
            language="zh-hant",
        ),
        "space": published(
            chief,
            4,
            "FORMOSAT-7 design review",
            "FORMOSAT-7 with NOAA enters design review.",
            tags=("Space",),
        ),
    }


def draft(users, **changes):
    fields = {
        "title": "Offshore wind demonstration in Taiwan",
        "body": "Taiwan and Denmark start an offshore wind demonstration with DONG Energy.",
        "tags": ("Energy",),
    }
    fields.update(changes)
    return write_brief(users["editor"], **fields)


def test_proposes_earlier_briefs_with_reasons_across_languages(users, archive, settings):
    # Across languages the embedding is the evidence that clears the floor; the draft is
    # written a few days after the archive (an unpublished brief is dated today).
    settings.NEWSBRIEF_RELATED_EMBEDDINGS = True
    proposals.reset()
    brief = draft(users)
    with time_machine.travel(dt.datetime(2012, 3, 6, 12, tzinfo=UTC), tick=False):
        found = proposals.propose_related(brief)
    titles = [p.brief.title for p in found]
    assert titles[0] == archive["wind"].title
    assert archive["wind_zh"] in [p.brief for p in found]  # no English version: shown in Chinese
    reasons = " ".join(found[0].reasons)
    assert "Energy" in reasons and "days earlier" in reasons
    # Days between the two briefs' dates; no number is ever a shared name.
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
    Brief.objects.filter(pk=wind_zh.pk).update(translation_key=archive["wind"].translation_key)
    proposals.reset()
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
        title="離岸風電示範",
        body="Denmark 與 DONG Energy 合作的離岸風電示範。",
    )
    page = client_for(users["editor"]).get(reverse("desk:edit", args=[brief.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Related historical messages" in html and archive["wind"].title in html
    assert "Suggested tags" in html
    assert "Possibly the same news in the other language" in html


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


def test_train_saves_a_tag_model(users, archive, related_state, capsys):
    call_command("train")
    assert "4 published brief(s)" in capsys.readouterr().out
    assert (related_state / "tags.npz").exists()
    proposals.reset()
    assert proposals.suggest_tags("FORMOSAT-7", "NOAA satellite", "en")[0][0].name_en == "Space"


def test_embeddings_are_stored_and_used(users, archive, settings):
    settings.NEWSBRIEF_RELATED_EMBEDDINGS = True
    proposals.reset()
    found = proposals.propose_related(draft(users))
    assert found[0].brief == archive["wind"]
    from newsbrief.related.models import BriefVector

    assert BriefVector.objects.count() == len(archive) + 1


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
