"""What ``BriefContent.validate`` refuses whatever brings a brief in (dates the board cannot
show, control characters no feed can carry), and that a save renders its body before its
transaction begins."""

import dataclasses
import datetime as dt

import pytest
from django.db import connection

from newsbrief.briefs import actions, publishing, roles
from newsbrief.briefs.actions.editing import content_now
from newsbrief.briefs.content import Citation, EditTrail, Link
from newsbrief.briefs.errors import InvalidContent
from newsbrief.briefs.models import Brief
from tests.factories import brief_content, make_brief, make_user

OLD, FAR = dt.date(1, 1, 5), dt.date(9999, 12, 31)


def faults(content) -> dict:
    with pytest.raises(InvalidContent) as refused:
        content.validate(typed=True)
    return refused.value.fields


@pytest.mark.parametrize("day", [OLD, dt.date(1899, 12, 31), dt.date(9000, 1, 1), FAR])
def test_every_date_falls_in_the_years_the_board_shows(day):
    at = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    content = brief_content(
        published_at=at,
        source_date=day,
        links=(Link("Report", "https://cna.example/", day),),
        related=(Citation("Earlier", date=day),),
        trail=EditTrail(2, at, "ann"),
    )
    assert set(faults(content)) == {
        "published_at", "source_date", "links.0.date", "related", "trail",
    }  # fmt: skip


def test_the_first_and_last_years_are_accepted():
    for day in [dt.date(1900, 1, 1), dt.date(8999, 12, 31)]:
        brief_content(source_date=day, links=(Link("Report", "", day),)).validate(typed=True)


@pytest.mark.parametrize("char", ["\x00", "\x0b", "\x1b", "\x7f", "\ud800", "\ufffe"])
def test_control_characters_are_refused_in_every_text(char):
    content = brief_content(
        title=f"A{char}title",
        body=f"A{char}body",
        tags=(f"Space{char}",),
        source_name=f"CNA{char}",
        links=(Link(f"Re{char}port", f"https://cna.example/{char}"),),
        related=(Citation(f"Ear{char}lier", tags=(f"T{char}",)),),
    )
    fields = faults(content)
    assert set(fields) == {
        "title", "body", "tags", "source_name", "links.0.label", "links.0.url", "related",
    }  # fmt: skip
    assert f"U+{ord(char):04X}" in fields["title"][0]


def test_tabs_and_line_breaks_are_not_control_characters_here():
    brief_content(body="Line\tone\r\nLine two\n", title="Tab\tbed").validate(typed=True)


def test_without_controls_keeps_what_a_feed_can_carry():
    content = brief_content(
        title="Bad\x1b title\twith tab",
        body="Body\x0b\n\ttext",
        tags=("Spa\x00ce",),
        links=(Link("Lab\nel", "https://cna.example/"),),
    ).without_controls()
    content.validate(typed=True)
    assert (content.title, content.body, content.tags) == (
        "Bad title with tab", "Body\n\ttext", ("Space",),
    )  # fmt: skip
    assert content.links[0].label == "Lab el"


def test_a_deeply_nested_body_is_refused_on_its_field():
    with pytest.raises(InvalidContent) as refused:
        publishing.prepare(brief_content(body="* " * 500 + "x"))
    assert list(refused.value.fields) == ["body"]


@pytest.fixture
def renders(monkeypatch):
    """Whether each rendering of a body ran inside a transaction."""
    seen = []
    render = publishing.render_body

    def watched(*args):
        seen.append(connection.in_atomic_block)
        return render(*args)

    monkeypatch.setattr(publishing, "render_body", watched)
    return seen


@pytest.mark.django_db(transaction=True)
def test_no_save_renders_inside_its_transaction(renders):
    """On SQLite a transaction takes the write lock as it begins: a slow render inside it
    would hold every other save up."""
    editor = make_user("ed", roles.EDITORS)
    make_brief("Saved directly")
    created = actions.create_brief(editor, brief_content("Typed on the desk"))
    content, revision = content_now(created.brief)
    edited = dataclasses.replace(content, body="Edited.")
    actions.edit_brief(editor, created.brief, edited, based_on=revision)
    assert Brief.objects.get(pk=created.brief.pk).body == "Edited."
    assert renders == [False, False, False]
