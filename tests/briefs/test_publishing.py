"""``save_brief``: the one way into the archive."""

import pytest
from django.db import transaction

from newsbrief.briefs.content import Citation, InvalidContent, Link
from newsbrief.briefs.models import Brief, Revision
from newsbrief.briefs.publishing import Outcome, save_brief
from newsbrief.briefs.signals import brief_saved
from tests.factories import brief_content

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def announced():
    seen = []

    def receiver(sender, brief, created, **kwargs):
        seen.append((brief.title, created))

    brief_saved.connect(receiver)
    yield seen
    brief_saved.disconnect(receiver)


def test_saves_revisions_and_announces_after_commit(announced):
    first = save_brief(brief_content())
    assert first.outcome is Outcome.CREATED
    assert announced == [("A brief", True)]
    again = save_brief(brief_content(uid=first.brief.uid))
    assert again.outcome is Outcome.UNCHANGED and len(announced) == 1
    edited = save_brief(brief_content(uid=first.brief.uid, title="A better brief"), editor="bob")
    assert edited.outcome is Outcome.UPDATED
    assert announced[-1] == ("A better brief", False)
    revisions = list(Revision.objects.order_by("number").values_list("number", "editor__username"))
    assert revisions == [(0, "ann"), (1, "bob")]
    assert Revision.objects.get(number=0).content["title"] == "A brief"


def test_nothing_is_announced_when_the_transaction_rolls_back(announced):
    with pytest.raises(RuntimeError), transaction.atomic():
        save_brief(brief_content())
        raise RuntimeError("crash before commit")
    assert announced == [] and not Brief.objects.exists()


def test_a_brief_never_cites_itself():
    brief = save_brief(brief_content()).brief
    cited = save_brief(brief_content(uid=brief.uid, related=(Citation("A brief"),))).brief
    assert cited.related_links.get().target is None


def test_unstorable_content_is_refused():
    with pytest.raises(InvalidContent, match="title"):
        save_brief(brief_content(title=" "))


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:x", "data:text/html,x", "//x"])
def test_source_links_are_web_addresses_whatever_brings_them(url):
    with pytest.raises(InvalidContent, match="http"):
        save_brief(brief_content(links=(Link("Source", url),)))
    assert not Brief.objects.exists()


def test_publishing_a_draft_with_the_same_content_is_a_change():
    draft = save_brief(brief_content(), status=Brief.Status.DRAFT).brief
    result = save_brief(brief_content(uid=draft.uid))
    assert result.outcome is Outcome.UPDATED
    assert Brief.objects.get().status == Brief.Status.PUBLISHED
