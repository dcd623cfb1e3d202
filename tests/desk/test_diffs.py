"""Diffs compare English word by word and Chinese character by character."""

from hypothesis import given
from hypothesis import strategies as st

from newsbrief.briefs.diffs import Segment, diff_content, diff_text, tokens


def test_words_whole_and_chinese_characters_alone():
    assert tokens("Hello world, 台日合作 R&D") == [
        "Hello", " ", "world", ",", " ", "台", "日", "合", "作", " ", "R", "&", "D",
    ]  # fmt: skip
    assert diff_text("台日合作", "台美合作") == [
        Segment("equal", "台"),
        Segment("delete", "日"),
        Segment("insert", "美"),
        Segment("equal", "合作"),
    ]


@given(st.text(), st.text())
def test_a_diff_holds_both_texts(old, new):
    segments = diff_text(old, new)
    assert "".join(s.text for s in segments if s.op != "insert") == old
    assert "".join(s.text for s in segments if s.op != "delete") == new


def test_content_diff_names_the_changed_fields():
    old = {"title": "A", "tags": ["Space"], "body": "x", "source": {"name": "CNA"}, "links": []}
    new = {**old, "tags": ["Space", "AI"]}
    assert [d.label for d in diff_content(old, new) if d.changed] == ["Tags"]


def test_condensed_diffs_keep_the_changes_and_some_context():
    old = "a" * 300 + " middle " + "b" * 300
    new = "a" * 300 + " centre " + "b" * 300
    (body,) = [d for d in diff_content(*[{**EMPTY, "body": x} for x in (old, new)]) if d.changed]
    short = body.condensed(context=10)
    assert [s.op for s in short.segments] == [s.op for s in body.segments]
    assert short.segments[0].text == "… aaaaaaaaa "
    assert "middle" in "".join(s.text for s in short.segments)
    assert len("".join(s.text for s in short.segments)) < 60


EMPTY = {"title": "", "tags": [], "body": "", "source": {}, "links": []}
