"""A content save racing a status change through the actions layer, in threads and in
processes with connections of their own: neither undoes the other (issue 16: an edit read the
brief's status before locking it and wrote it back, undoing an unpublish that came between)."""

import dataclasses

import pytest

from newsbrief.briefs import actions, roles
from newsbrief.briefs.actions.editing import content_now
from newsbrief.briefs.models import Brief
from tests.desk.conftest import make_user, write_brief
from tests.races import StatusRounds, followers_muted, race

pytestmark = pytest.mark.django_db(transaction=True)

MOVES = {
    "unpublish": actions.unpublish,
    "publish": actions.publish,
    "submit": actions.submit_for_review,
}


def action_sides(rounds: StatusRounds, actor) -> list:
    """Each side reads the brief (as a page or a request would) before either acts."""

    def save(n):
        brief = Brief.objects.get(pk=rounds.pk)
        content, based_on = content_now(brief)
        content = dataclasses.replace(content, body=rounds.text(n))
        return lambda: actions.edit_brief(actor, brief, content, based_on=based_on)

    def move(n):
        brief = Brief.objects.get(pk=rounds.pk)
        return lambda: MOVES[rounds.move(n)](actor, brief)

    return [save, move]


@pytest.mark.parametrize(
    ("processes", "count"), [(False, 110), (True, 50)], ids=["threads", "processes"]
)
def test_a_save_never_undoes_a_status_change(processes, count):
    chief = make_user("chief", roles.CHIEF_EDITORS)
    rounds = StatusRounds(write_brief(chief, status=Brief.Status.PUBLISHED))
    with followers_muted():
        race(
            count,
            action_sides(rounds, chief),
            prepare=rounds.prepare,
            check=rounds.check,
            processes=processes,
        )
    assert rounds.undone == []


@pytest.mark.parametrize("move", MOVES)
def test_a_change_of_a_brief_deleted_meanwhile_is_refused(move):
    """The delete won the race: the move and the edit say so instead of failing or
    bringing the brief back."""
    chief = make_user("chief", roles.CHIEF_EDITORS)
    brief = write_brief(
        chief, Brief.Status.PUBLISHED if move == "unpublish" else Brief.Status.DRAFT
    )
    content, based_on = content_now(brief)
    Brief.objects.filter(pk=brief.pk).delete()
    with pytest.raises(actions.WrongState, match="deleted"):
        MOVES[move](chief, brief)
    with pytest.raises(actions.WrongState, match="deleted"):
        actions.edit_brief(chief, brief, content, based_on=based_on)
    assert not Brief.objects.exists()
