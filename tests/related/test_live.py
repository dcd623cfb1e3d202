"""The live index: a change applies a delta (one brief analysed and embedded, by the worker),
every server answers the same from the same state, withdrawn briefs leave at once, a killed
worker's claim lapses, and a snapshot reaches a server on another machine through the
database."""

import datetime as dt
import hashlib

import numpy as np
import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils.timezone import now

from newsbrief.accounts.models import ApiToken
from newsbrief.briefs.models import Brief
from newsbrief.briefs.publishing import set_status
from newsbrief.related import embedding, entries, live, proposals, snapshots
from newsbrief.related.features import Profile
from newsbrief.related.models import Generation, IndexChange, IndexEntry, PendingEntry
from tests.desk.conftest import client_for
from tests.factories import index_briefs
from tests.related.conftest import draft

pytestmark = pytest.mark.django_db


class FakeModel:
    """Bag-of-words vectors: deterministic, instant, and similar for similar words."""

    def __init__(self):
        self.texts = []

    def encode(self, batch):
        self.texts.extend(batch)
        rows = np.zeros((len(batch), embedding.DIMENSIONS), np.float32)
        for row, text in zip(rows, batch, strict=True):
            for word in text.lower().split():
                row[int(hashlib.md5(word.encode()).hexdigest(), 16) % len(row)] += 1
        return rows


@pytest.fixture
def model(monkeypatch):
    fake = FakeModel()
    monkeypatch.setattr(embedding, "_model", lambda: fake)
    return fake


@pytest.fixture
def analysed(monkeypatch):
    """The keys of every profile analysed from text from now on."""
    keys = []
    original = Profile.of.__func__

    def counting(cls, key, **fields):
        keys.append(key)
        return original(cls, key, **fields)

    monkeypatch.setattr(Profile, "of", classmethod(counting))
    return keys


def publish(brief, capture, day=10):
    with capture(execute=True):
        set_status(brief, Brief.Status.PUBLISHED, dt.datetime(2012, 3, day, tzinfo=dt.UTC))


def test_a_publish_applies_a_delta_not_a_rebuild(
    users, model, archive, analysed, django_capture_on_commit_callbacks
):
    generation = Generation.objects.get()
    analysed.clear()
    model.texts.clear()
    brief = draft(users)  # written and published before any worker saw it
    publish(brief, django_capture_on_commit_callbacks)
    assert analysed == [brief.pk]  # the worker's entry for this brief, nothing else
    assert len(model.texts) == 1 and model.texts[0].startswith(brief.title)
    assert Generation.objects.get() == generation  # no rebuild: a delta after its watermark
    assert IndexChange.objects.filter(pk__gt=generation.watermark, brief_id=brief.pk).exists()
    # Every earlier related brief is found, and the new one is proposable at once.
    assert brief.related_links.filter(target=archive["wind"]).exists()
    later = draft(users, title="Offshore wind demonstration, second phase")
    assert brief in [p.brief for p in proposals.propose_related(later)]


def test_no_request_embeds_or_analyses_any_brief_but_its_own(users, model, archive, analysed):
    brief = draft(users)
    index_briefs()
    analysed.clear()
    model.texts.clear()
    editor = client_for(users["editor"])
    assert editor.get(reverse("desk:edit", args=[brief.pk])).status_code == 200
    token = ApiToken.issue(users["editor"], "tests")[1]
    api = Client(headers={"Authorization": f"Bearer {token}"})
    answer = api.get(f"/api/briefs/{brief.pk}/proposals")
    assert answer.status_code == 200 and answer.json()["related"]
    # The brief's entry is current: nothing at all is analysed or embedded.
    assert analysed == [] and model.texts == []
    # Edited and not yet indexed: the request computes this brief's profile only.
    Brief.objects.filter(pk=brief.pk).update(title="Offshore wind, revised", updated_at=now())
    assert editor.get(reverse("desk:edit", args=[brief.pk])).status_code == 200
    assert set(analysed) == {brief.pk}
    assert {t.split("\n")[0] for t in model.texts} == {"Offshore wind, revised"}


def test_a_withdrawn_brief_is_never_proposed_again(
    users, archive, django_capture_on_commit_callbacks
):
    query = draft(users)
    assert proposals.propose_related(query)[0].brief == archive["wind"]
    with django_capture_on_commit_callbacks(execute=True):
        set_status(archive["wind"], Brief.Status.DRAFT)
    found = [p.brief for p in proposals.propose_related(query)]
    assert archive["wind"] not in found  # (and nothing else clears the floor)
    assert not IndexEntry.objects.get(brief=archive["wind"]).listed


def answers(index: live.LiveIndex, brief: Brief) -> list[tuple[int, float]]:
    """What a server holding ``index`` proposes for ``brief``."""
    held, live._live = live._live, index
    try:
        return [(p.brief.pk, round(p.score, 6)) for p in proposals.propose_related(brief)]
    finally:
        live._live = held


def test_two_servers_answer_the_same_from_the_same_state(
    users, model, archive, django_capture_on_commit_callbacks
):
    first, second = live.LiveIndex(), live.LiveIndex()
    query = draft(users)
    assert answers(first, query) == answers(second, query)
    # A brief published through the first server: once the worker indexed it, both see it.
    news = draft(users, title="Denmark and Taiwan wind farm opens", body="DONG Energy wind farm.")
    publish(news, django_capture_on_commit_callbacks, day=20)
    for server in (first, second):
        server.checked = -float("inf")  # POLL_SECONDS have passed
    one, other = answers(first, query), answers(second, query)
    assert one == other and news.pk in [pk for pk, _s in one]
    # After compaction too, whichever of them refreshed first.
    snapshots.compact()
    first.checked = second.checked = -float("inf")
    assert answers(first, query) == answers(second, query)


def test_a_server_on_another_machine_fetches_the_snapshot(users, archive, settings, tmp_path):
    query = draft(users)
    here = proposals.propose_related(query)
    settings.NEWSBRIEF_RELATED_PATH = tmp_path / "elsewhere"
    proposals.reset()
    there = proposals.propose_related(query)
    assert [p.brief for p in there] == [p.brief for p in here]
    assert len(list((tmp_path / "elsewhere" / "index").iterdir())) == 1


def test_a_killed_workers_claim_lapses_and_its_briefs_are_indexed_once(users, archive):
    brief = draft(users)
    with time_machine.travel(dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC), tick=False):
        assert entries._claim(10) == {brief.pk: PendingEntry.objects.get().requested_at}
        # The worker dies here. Nobody else may take the brief while its claim holds ...
        assert entries.drain() == 0
    with time_machine.travel(
        dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC) + entries.CLAIM + dt.timedelta(seconds=1)
    ):
        # ... and once it lapses, the next sweep indexes it, once.
        assert entries.drain() == 1
    assert not PendingEntry.objects.exists()
    assert IndexChange.objects.filter(brief_id=brief.pk).count() == 1
    assert entries.drain() == 0


def test_a_brief_changed_while_being_indexed_is_indexed_again(users, archive):
    brief = draft(users)
    claimed = entries._claim(10)
    entries.request(brief.pk)  # edited meanwhile
    entries._write(brief.pk, brief, entries._entries([brief])[brief.pk], claimed[brief.pk])
    assert PendingEntry.objects.filter(brief_id=brief.pk, claimed_until=None).exists()


def test_compaction_drops_what_no_server_needs(users, archive, settings):
    first = Generation.objects.get()
    second = snapshots.compact()
    third = snapshots.compact()
    assert list(Generation.objects.order_by("pk").values_list("pk", flat=True)) == [
        second.pk,
        third.pk,
    ]
    assert not snapshots.folder(first).exists() and snapshots.folder(third).exists()
    assert not IndexChange.objects.filter(pk__lte=second.watermark).exists()


def test_the_joined_view_reads_any_set_of_positions():
    joined = live._Joined(np.array([10, 11, 12]), np.array([20, 21]), 3)
    assert joined[np.array([4, 0])].tolist() == [21, 10]
    assert joined[np.array([], dtype=np.int64)].tolist() == []
    assert joined[3] == 20 and joined[1:4].tolist() == [11, 12, 20]
